/** The command table: every `lvsdr` command, one file each. */
import type { CliCommand } from './command.ts';

export const commands: CliCommand[] = [];
