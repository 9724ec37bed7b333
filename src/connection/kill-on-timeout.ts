/**
 * The one time limit of a command on the host, for a command in the connection's shell and for
 * one on a process of its own alike.
 *
 * Closing a channel leaves a command running, and OpenSSH 9.2 refuses signal requests for root
 * sessions ("session signalling requires privilege separation"), so a timed-out command is killed
 * by a second process on the host (killGroupCommand), through the pid its shell reported first
 * (pid-line.ts). A command on a process of its own under become has the host's `timeout` instead
 * (invocation.ts). A host that does not let the command end within BACKSTOP_EXTRA_MS more is given
 * up on: its process is closed, and the result reported BACKSTOP_GRACE_MS later at the latest.
 */
import type { ExecResult } from './types.ts';

/** The exit status of a command killed by the host's `timeout`. */
export const TIMEOUT_EXIT_CODE = 124;

/** A timed-out command is killed within 2 s (TERM, then KILL); allow that, and some slack. */
export const BACKSTOP_EXTRA_MS = 5_000;
/** After giving up on a command, how long to wait for its process to end. */
const BACKSTOP_GRACE_MS = 2_000;

/** What a command with a time limit gives: whether it timed out is always said. */
export interface TimedResult extends ExecResult {
  timedOut: boolean;
}

/** How a timed-out command ended: killed, or the host stopped answering. */
export type TimedOut = 'killed' | 'silent';

export interface DeadlineActions {
  /** Kills the command (its process group, from a second process); without it, the host's `timeout` does. */
  kill?(): void;
  /** Stops waiting for the process (closes it). */
  abandon(): void;
  /** Reports the result; called at the latest BACKSTOP_GRACE_MS after abandon. */
  finish(): void;
}

export class Deadline {
  /** Set once the deadline passed: 'killed' when the kill was sent for, 'silent' once given up on. */
  timedOut: TimedOut | undefined;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #started = performance.now();
  readonly #limitMs: number | undefined;

  /** No limit when limitMs is undefined or 0. */
  constructor(limitMs: number | undefined, actions: DeadlineActions) {
    if (limitMs === undefined || limitMs <= 0) return;
    this.#limitMs = limitMs;
    const { kill } = actions;
    if (kill) {
      this.#timers.push(
        setTimeout(() => {
          this.timedOut = 'killed';
          kill();
        }, limitMs),
      );
    }
    this.#timers.push(
      setTimeout(() => {
        this.timedOut = 'silent';
        actions.abandon();
        this.#timers.push(setTimeout(actions.finish, BACKSTOP_GRACE_MS));
      }, limitMs + BACKSTOP_EXTRA_MS),
    );
  }

  /** Whether the command timed out, given its exit status: the host's `timeout` exits with TIMEOUT_EXIT_CODE. */
  outcome(code: number | null): TimedOut | undefined {
    if (this.timedOut) return this.timedOut;
    const late = this.#limitMs !== undefined && performance.now() - this.#started >= this.#limitMs;
    return code === TIMEOUT_EXIT_CODE && late ? 'killed' : undefined;
  }

  clear(): void {
    this.#timers.forEach(clearTimeout);
  }
}

/** stderr of a timed-out command, with a last line that says so: `killed`, or the host went silent. */
export function timedOutStderr(stderr: string, timeoutMs: number, how: TimedOut): string {
  const why = how === 'silent' ? 'the host did not answer after that' : 'the command was killed';
  return `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}timed out after ${timeoutMs / 1000} s; ${why}\n`;
}

/**
 * Kills the process group of `pid` as `timeout -k 2` would: TERM, then KILL to whatever is left
 * after 2 s, waiting no longer than the group lives (so its id is not reused meanwhile). The group
 * is looked up on the host: sshd (and the local transport) makes each process a group leader, and
 * sudo may start one.
 */
export function killGroupCommand(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`not a process id: ${pid}`);
  // dash's kill takes no `--`; a negative id right after the signal is still a group.
  return (
    `read -r _ _ _ _ g _ < /proc/${pid}/stat 2>/dev/null && [ "$g" -gt 1 ] || exit 0; ` +
    'kill -TERM -$g 2>/dev/null || exit 0; n=0; ' +
    'while [ $n -lt 20 ] && kill -0 -$g 2>/dev/null; do sleep 0.1; n=$((n + 1)); done; kill -KILL -$g 2>/dev/null; exit 0'
  );
}
