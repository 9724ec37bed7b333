/** Running the CLI in-process with --json and reading its events, for the reliability lab tests. */
import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  events: Record<string, any>[];
}

export function lvsdr(...args: string[]): Promise<CliRun> {
  return lvsdrWatching(args, () => {});
}

/** Like lvsdr, calling `onEvent` with each --json event as it is printed (to act mid-run). */
export async function lvsdrWatching(args: string[], onEvent: (event: Record<string, any>) => void): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = (t: string): void => {
    stdout += t;
    for (const line of t.split('\n')) if (line.startsWith('{')) onEvent(JSON.parse(line));
  };
  const code = await runCli(args, { stdout: out, stderr: (t) => (stderr += t), isTTY: false });
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  return { code, stdout, stderr, events };
}

export const recapOf = (r: CliRun): Record<string, any> => r.events.find((e) => e.type === 'recap')!;

export const unreachableOf = (r: CliRun, host: string): string | undefined =>
  r.events.find((e) => e.type === 'host:unreachable' && e.host === host)?.msg;

/** Every task result of one host, in order. */
export const resultsOf = (r: CliRun, host: string): Record<string, any>[] =>
  r.events.filter((e) => e.type === 'task:result' && e.host === host);
