/** A kernel parameter's runtime value (`sysctl:NAME`), whitespace-normalised; null when the key does not exist. */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { READ_FROM_NO_FILE, type BatchedRead, type Fact } from './fact.ts';
import { normalizeSysctlName, normalizeSysctlValue } from './parsers/sysctl-conf.ts';
import { stdoutOf } from './stdout-of.ts';

/**
 * `sysctl -e` prints `name = value` for each key that exists (tabs kept inside the value) and
 * nothing for one that does not (an interface that is not there), instead of failing. Per key:
 * the value line, or nothing.
 */
const sysctlRead: BatchedRead = {
  command: (names) => sh`sysctl -e ${[...names]}`,
  split(result, names) {
    const values = new Map<string, string>();
    let last: string | undefined;
    for (const line of result.stdout.split('\n')) {
      const m = /^(\S+) = (.*)$/.exec(line);
      if (m) values.set((last = normalizeSysctlName(m[1])), m[2]);
      else if (last !== undefined && line !== '') values.set(last, `${values.get(last)}\n${line}`);
    }
    // A key that answered succeeded, whatever became of the others; a missing one is absent
    // (`-e`) when sysctl exited 0, and shares its error otherwise.
    return names.map((name) => {
      const v = values.get(normalizeSysctlName(name));
      if (v !== undefined) return { code: 0, stdout: `${v}\n`, stderr: '' };
      return result.code === 0 ? { code: 0, stdout: '', stderr: '' } : { ...result, stdout: '' };
    });
  },
};

export const sysctlFact: Fact<string, string | null> = {
  kind: 'sysctl',
  id: normalizeSysctlName,
  read: { batch: sysctlRead, arg: (name) => name },
  parse(r: ExecResult, name: string) {
    const v = normalizeSysctlValue(stdoutOf(`sysctl ${name}`, r));
    return v === '' ? null : v;
  },
  unread: null,
  changedByWriting: READ_FROM_NO_FILE,
};
