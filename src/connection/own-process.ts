/**
 * A command on a process of its own, for what the connection's shell cannot carry (input that is
 * no here-document's, sudo reading a become password) and for the kill of a timed-out command.
 */
import type { Invocation } from './invocation.ts';
import { Deadline, timedOutStderr, type TimedResult } from './kill-on-timeout.ts';
import { StderrHead } from './pid-line.ts';
import type { Transport } from './transport.ts';

/**
 * Starts `run` and sends it its input. At timeoutMs, killGroup (when given) kills the process group
 * of the pid the command reported (InvocationOptions.reportPid); otherwise the host's `timeout`
 * does (invocation.ts).
 */
export async function runOwnProcess(transport: Transport, run: Invocation, timeoutMs: number | undefined, killGroup?: (pid: number) => void): Promise<TimedResult> {
  const p = await transport.start(run.command);
  const head = killGroup ? new StderrHead() : undefined;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  p.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  p.stderr.on('data', (chunk: Buffer) => {
    const rest = head ? head.push(chunk) : chunk;
    if (rest) stderr.push(rest);
  });
  return new Promise((resolve) => {
    const finish = (code: number | null) => {
      deadline.clear();
      const timedOut = deadline.outcome(code);
      let err = (head?.takePreamble() ?? '') + Buffer.concat(stderr).toString('utf8');
      if (timedOut) err = timedOutStderr(err, timeoutMs ?? 0, timedOut);
      resolve({ code: timedOut ? null : code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err, timedOut: timedOut !== undefined });
    };
    const deadline = new Deadline(timeoutMs, {
      kill: killGroup && (() => head!.whenPid(killGroup)),
      abandon: () => p.close(),
      finish: () => finish(null),
    });
    void p.ended.then(finish);
    p.stdin.end(run.stdin ?? '');
  });
}
