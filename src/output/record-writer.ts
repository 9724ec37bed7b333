/**
 * The run record: every event of a run or rollout as a JSON line (the line `--json --diff` prints,
 * with `t`, the milliseconds since the start), between a header that says who ran what on which
 * inputs and an end line with the exit code. Each line is written when its event comes, with a
 * synchronous write, so a run that is killed leaves every event before that on disk; a record
 * without an end line is a run that did not finish (`lvsdr report` says so).
 *
 * Events are already stripped of everything a `no_log` task produced when the executor emits them
 * (core/executor/task-outcome.ts), and the header's command line hides extra vars (run-record.ts),
 * so nothing here decides what is secret.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { EventListener } from '../core/events.ts';
import { eventRecord } from './json.ts';

export const RECORD_FORMAT = 1;

export interface RecordedFile {
  path: string;
  /**
   * Of the file, or for a directory of its files' paths and checksums (record-inputs.ts); none for
   * an inventory given as a host list.
   */
  sha256?: string;
  /** The commit of the repository the file is in, and whether the file differs from it. */
  git?: { revision: string; modified: boolean };
}

export interface RecordHeader {
  type: 'record:start';
  format: typeof RECORD_FORMAT;
  kind: 'run' | 'rollout';
  /** The id the host lock names the run by (`run=…` in a lock holder's line). */
  runId: string;
  /** The command line, extra vars hidden. */
  command: string[];
  user: string;
  controller: string;
  version: string;
  cwd: string;
  check: boolean;
  /** ISO 8601. */
  start: string;
  inventories: RecordedFile[];
  playbooks: RecordedFile[];
}

export interface RecordEnd {
  type: 'record:end';
  t: number;
  end: string;
  exitCode: number;
  /** Set when the run ended with an error instead of a result. */
  error?: string;
}

export interface RunRecorder {
  /** The record's file, or undefined when none is written. */
  file?: string;
  listener: EventListener;
  end(exitCode: number, error?: string): void;
}

/** Records are named so that they sort by start time: `20261207-165012-345-<runId>.jsonl` (UTC, ms). */
export function recordFileName(header: Pick<RecordHeader, 'start' | 'runId'>): string {
  const [, date, time, ms] = /^(\d+-\d+-\d+)T(\d+:\d+:\d+)\.(\d+)/.exec(header.start)!;
  return `${date.replaceAll('-', '')}-${time.replaceAll(':', '')}-${ms}-${header.runId}.jsonl`;
}

/**
 * Opens `dir/<name>.jsonl` and writes the header. A directory or file that cannot be written, then
 * or later, costs one warning and the record; the run goes on.
 */
export function openRunRecord(dir: string, header: RecordHeader, warn: (message: string) => void): RunRecorder {
  const started = Date.parse(header.start);
  const file = path.join(dir, recordFileName(header));
  let fd: number | undefined;
  const fail = (err: unknown): void => {
    warn(`lvsdr: warning: the run record ${file} cannot be written (${(err as Error).message}); the run goes on without it\n`);
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  const write = (line: object): void => {
    if (fd === undefined) return;
    try {
      writeSync(fd, JSON.stringify(line) + '\n');
    } catch (err) {
      fail(err);
    }
  };
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    fail(err);
  }
  write(header);
  const t = (): number => Date.now() - started;
  return {
    file: fd === undefined ? undefined : file,
    listener: (event) => write({ ...eventRecord(event, true), t: t() }),
    end: (exitCode, error) => {
      write({ type: 'record:end', t: t(), end: new Date().toISOString(), exitCode, ...(error ? { error } : {}) } satisfies RecordEnd);
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
