/**
 * The record every run and rollout leaves (`--record-dir`, `--no-record`; output/record-writer.ts
 * writes it, `lvsdr report` reads it): the header's facts about the run, and the record's life
 * around the work, so that it ends with the exit code whatever way the work ends.
 */
import { hostname, userInfo } from 'node:os';
import type { Argv } from 'yargs';
import type { EventBus } from '../core/events.ts';
import { UserError } from '../core/errors.ts';
import { openRunRecord, RECORD_FORMAT, type RecordHeader } from '../output/record-writer.ts';
import type { CliIo, CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { recordedFiles } from './record-inputs.ts';
import { lvsdrVersion } from './version.ts';

export const DEFAULT_RECORD_DIR = '.lvsdr/runs';

export function withRecordOptions(y: Argv): Argv {
  return y
    .option('record', { type: 'boolean', default: true, describe: 'keep a record of the run for `lvsdr report` (--no-record: none)' })
    .option('record-dir', { type: 'string', default: DEFAULT_RECORD_DIR, describe: 'where run records are kept' });
}

export interface RecordedRun {
  kind: RecordHeader['kind'];
  runId: string;
  check: boolean;
  inventories: string[];
  playbooks: string[];
}

/**
 * Runs `work` with a record of its events (unless --no-record) that ends with its exit code, or with
 * the error it throws and the exit code main.ts will give that error.
 */
export async function withRunRecord(argv: Record<string, unknown>, io: CliIo, run: RecordedRun, events: EventBus, work: () => Promise<CommandOutcome>): Promise<CommandOutcome> {
  if (argv.record === false) return work();
  const recorder = openRunRecord(String(argv['record-dir']), recordHeader(argv, run), io.stderr);
  events.subscribe(recorder.listener);
  // A second Ctrl-C exits at once (process.exit): the record still gets its end line.
  const onExit = (code: number): void => recorder.end(code, 'lvsdr exited before the run finished');
  process.on('exit', onExit);
  try {
    const outcome = await work();
    recorder.end(outcome.exitCode);
    return outcome;
  } catch (err) {
    recorder.end(err instanceof UserError ? ExitCode.invalidInput : ExitCode.internal, (err as Error)?.message ?? String(err));
    throw err;
  } finally {
    process.off('exit', onExit);
  }
}

function recordHeader(argv: Record<string, unknown>, run: RecordedRun): RecordHeader {
  return {
    type: 'record:start',
    format: RECORD_FORMAT,
    kind: run.kind,
    runId: run.runId,
    command: ['lvsdr', ...hideExtraVars((argv.$commandLine as string[] | undefined) ?? [], (argv['extra-vars'] as string[] | undefined) ?? [])],
    user: userName(),
    controller: hostname(),
    version: lvsdrVersion(),
    cwd: process.cwd(),
    check: run.check,
    start: new Date().toISOString(),
    inventories: recordedFiles(run.inventories),
    playbooks: recordedFiles(run.playbooks),
  };
}

/**
 * Extra vars can carry passwords and tokens, so the record keeps only the files they are read from
 * (`-e @vars.yml`), as ARA leaves `extra_vars` out of what it records by default. The values are
 * found as yargs read them, whichever way the flag was spelled (`-e V`, `-Ce V`, `-eV`, `--extra-vars=V`).
 */
export function hideExtraVars(args: string[], extraVars: string[]): string[] {
  const secret = extraVars.filter((v) => !v.startsWith('@') && v !== '');
  const flag = /^(-[^-]*e|--extra-vars)$/;
  return args.map((arg, i) => {
    const value = secret.find((v) => arg.endsWith(v));
    if (value === undefined) return arg;
    const isValue = (i > 0 && flag.test(args[i - 1])) || /^(-[^-]*e|--extra-vars=)/.test(arg);
    return isValue ? `${arg.slice(0, arg.length - value.length)}<hidden>` : arg;
  });
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (a container) has no name.
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
