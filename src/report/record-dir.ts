/**
 * The records in a record directory, newest first (their names sort by start time:
 * output/record-writer.ts), and which one a `lvsdr report` argument names.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.ts';

export function recordFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .reverse()
    .map((n) => path.join(dir, n));
}

/**
 * A file path as it is; otherwise a run id or the start of a record's name (`20261207-1650`) in
 * `dir`, which must name exactly one record; `last` is the newest record.
 */
export function findRecord(dir: string, run: string | undefined, last: boolean): string {
  const files = recordFiles(dir);
  const listHint = `'lvsdr report --list --record-dir ${dir}' lists the runs recorded there`;
  if (last || run === undefined) {
    if (files.length === 0) throw new UserError({ message: `no run is recorded in ${dir}`, hint: 'runs and rollouts leave their record there unless --no-record; give --record-dir where they did' });
    return files[0];
  }
  if (existsSync(run) && statSync(run).isFile()) return run;
  const matches = files.filter((f) => path.basename(f).startsWith(run) || path.basename(f, '.jsonl').endsWith(`-${run}`));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UserError({ message: `no recorded run ${run} in ${dir} (neither a file nor a run id there)`, hint: listHint });
  throw new UserError({ message: `${run} names ${matches.length} recorded runs in ${dir}: ${matches.slice(0, 5).map((f) => path.basename(f)).join(', ')}`, hint: 'give more of the name, or the run id' });
}
