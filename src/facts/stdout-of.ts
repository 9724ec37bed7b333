import type { ExecResult } from '../connection/types.ts';

/** A read's output, or the error it ended with (a fact that cannot be read fails the task reading it). */
export function stdoutOf(what: string, r: ExecResult): string {
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}
