/** The command table: every `lvsdr` command, one file each. */
import type { CliCommand } from './command.ts';
import { inventoryCommand } from './inventory.ts';
import { validateCommand } from './validate.ts';

export const commands: CliCommand[] = [
  inventoryCommand,
  validateCommand,
];
