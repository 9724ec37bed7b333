#!/usr/bin/env node
/**
 * Entry point: builds yargs from the command table, runs the chosen command, prints what it returns,
 * and maps every error to an exit code in one place (DESIGN.md §7).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './index.ts';
import type { CliIo, CommandOutcome } from './command.ts';
export type { CliIo } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { UserError } from '../core/errors.ts';
import { ansibleConfigDefaults } from './ansible-config-defaults.ts';
import { loadVaultSecrets } from './vault-options.ts';
import { unknownFlagHelp } from './unknown-flags.ts';
import { askBecomePassword } from './connection-factory.ts';
import { lvsdrVersion } from './version.ts';

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Runs one CLI invocation and returns its exit code; used by bin/lvsdr and by in-process tests. */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  let outcome: CommandOutcome | undefined;
  const parser = yargs(args)
    .scriptName('lvsdr')
    .strict()
    .demandCommand(1, 'name a command: lvsdr --help lists them')
    .recommendCommands()
    .help()
    .version('version', 'show the version of lvsdr and of the Node.js it runs on', `lvsdr ${lvsdrVersion()} (Node.js ${process.version})`)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs' own complaints (unknown flag, missing argument, a failed check) are usage errors;
      // anything else thrown from a handler keeps its own kind.
      if (err && err.name !== 'YError') throw err;
      const text = msg ?? err.message;
      const unknown = unknownFlagHelp(text, optionNames(parser));
      throw new UserError(unknown ?? { message: text, hint: "run 'lvsdr --help' (or 'lvsdr COMMAND --help') for usage" });
    });
  skipHelpCaching(parser);
  // Vault secrets before any command loads YAML; a command without the vault flags gets none.
  parser.middleware(ansibleConfigDefaults((line) => io.stderr(`${line}\n`)), true);
  parser.middleware(loadVaultSecrets);
  parser.middleware(askBecomePassword);
  for (const c of commands) {
    parser.command(c.command, c.describe, c.builder, async (argv) => {
      // The command line as given, for the run record (yargs keeps only what it parsed).
      outcome = await c.run({ ...(argv as Record<string, unknown>), $commandLine: args }, io);
    });
  }
  try {
    let helpText = '';
    await parser.parseAsync(hideBin(['node', 'lvsdr', ...args]), {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (!outcome) {
      if (helpText) io.stdout(helpText + '\n');
      return ExitCode.ok;
    }
    if (outcome.output !== undefined) {
      const text = typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output, null, 2);
      io.stdout(text.endsWith('\n') ? text : text + '\n');
    }
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(`${err.message}\n`);
      return ExitCode.invalidInput;
    }
    io.stderr(`lvsdr: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return ExitCode.internal;
  }
}

/** The flags of the command being parsed (yargs' getOptions() is not in its types). */
function optionNames(y: unknown): string[] {
  const internal = y as { getOptions?(): { key: Record<string, unknown> } };
  return Object.keys(internal.getOptions?.().key ?? {});
}

/**
 * yargs 18 formats the chosen command's whole help text right after calling its handler, to have it
 * for a failure message (handleValidationAndGetResult in yargs/build/lib/command.js; a command
 * registered without a handler gets a no-op one, so there is no avoiding it). Our .fail() never
 * prints help, and `--help` formats its own text, so that is ~40 ms of every run for nothing.
 * getInternalMethods() is not in yargs' types; if a new yargs drops it, every test fails here.
 */
function skipHelpCaching(parser: Argv): void {
  type Internals = { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  (parser as unknown as Internals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
