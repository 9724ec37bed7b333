/** Runs the lvsdr CLI in-process, as a user would call it, and keeps what it printed. */
import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr, for assertions on what a person would read. */
  text: string;
  /** The JSON lines of a `--json` run. */
  events: Record<string, any>[];
}

export async function lvsdr(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  return { code, stdout, stderr, text: stdout + stderr, events };
}

/** `host | task | change summaries` of every changed task result of a `--json` run, sorted. */
export function changedTasks(run: CliRun): string[] {
  return run.events
    .filter((e) => e.type === 'task:result' && e.status === 'changed')
    .map((e) => `${e.host} | ${e.task} | ${e.changes.map((c: { summary: string }) => c.summary).join('; ')}`)
    .sort();
}
