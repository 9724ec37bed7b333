/**
 * The shape of one CLI command (DESIGN.md §9): it declares its arguments and a handler that returns
 * data — an exit code and what to print — instead of printing and exiting itself.
 */
import type { Argv } from 'yargs';

export interface CommandOutcome {
  exitCode: number;
  /** Printed to stdout: a string as it is, anything else as pretty JSON. */
  output?: unknown;
}

export interface CliCommand {
  command: string | string[];
  describe: string;
  builder(yargs: Argv): Argv;
  run(argv: Record<string, unknown>): Promise<CommandOutcome>;
}
