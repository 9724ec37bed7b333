/** The command table: every `lvsdr` command, one file each. */
import type { CliCommand } from './command.ts';
import { inventoryCommand } from './inventory.ts';

export const commands: CliCommand[] = [
  inventoryCommand,
];
