/** The command table: every `lvsdr` command, one file each. */
import { adoptKeepalivedCommand } from './adopt-keepalived.ts';
import type { CliCommand } from './command.ts';
import { factsCommand } from './facts.ts';
import { inventoryCommand } from './inventory.ts';
import { labCommand } from './lab.ts';
import { reportCommand } from './report.ts';
import { rolloutCommand } from './rollout.ts';
import { runCommand } from './run.ts';
import { validateCommand } from './validate.ts';

export const commands: CliCommand[] = [
  runCommand,
  rolloutCommand,
  inventoryCommand,
  validateCommand,
  factsCommand,
  adoptKeepalivedCommand,
  reportCommand,
  labCommand,
];
