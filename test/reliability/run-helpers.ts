/** Running the CLI in-process with --json and reading its events, for the reliability lab tests. */
import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  events: Record<string, any>[];
}

export async function lvsdr(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
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
