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

/** Where a command writes while it runs (progress, events); tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (live progress) — false for pipes, CI logs and tests. */
  isTTY?: boolean;
}

/**
 * index.ts loads every command file to parse any command line, so a command file holds its flags
 * and `run` imports the code that does the work: a run of one command loads none of the others'
 * code (lab's alone is ~25 files), and `--help` loads none.
 */
export interface CliCommand {
  command: string | string[];
  describe: string;
  builder(yargs: Argv): Argv;
  run(argv: Record<string, unknown>, io: CliIo): Promise<CommandOutcome>;
}
