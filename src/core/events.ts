/**
 * What a run reports, as plain values (DESIGN.md §6). The executor emits them; renderers in
 * src/output subscribe. Nothing here knows how events are shown.
 */
import type { SourcePos } from './errors.ts';
import type { IpvsService } from '../facts/ipvsadm.ts';
import type { CheckedService } from '../facts/keepalived-check-data.ts';

export type TaskStatus = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

/** A looping task's status from its items', as Ansible's loop result: the worst of them; skipped only if all were. */
export function loopStatus(items: readonly TaskStatus[]): TaskStatus {
  for (const s of ['unreachable', 'failed', 'changed'] as const) if (items.includes(s)) return s;
  return items.every((s) => s === 'skipped') ? 'skipped' : 'ok';
}

/** A value shown as before → after in --diff (a setting), or a unified diff (a file). */
export type ChangeDiff =
  | { kind: 'file'; path: string; before: string | null; after: string | null }
  | { kind: 'value'; name: string; before: string | null; after: string | null };

export interface ChangeReport {
  summary: string;
  /** The exact remote commands (shown with -v). */
  commands: string[];
  diff?: ChangeDiff;
}

export interface TaskResult {
  host: string;
  /** The host the task ran on in the host's stead (delegate_to), when another: shown `[host -> delegate]`. */
  delegatedTo?: string;
  task: string;
  module: string;
  pos: SourcePos;
  status: TaskStatus;
  /** For ok results: why nothing had to change. */
  reason?: string;
  /** For failed/unreachable results: what went wrong. */
  msg?: string;
  changes: ChangeReport[];
  /** Loop item, when the task loops. */
  item?: unknown;
  ignored?: boolean;
  /** The task's `diff` keyword: show (or hide) its diffs whatever --diff says. */
  diff?: boolean;
  /** A failure a block's rescue takes over: the host goes on with the rescue. */
  rescued?: boolean;
  /** Check mode: why this plan may differ from the real run (an earlier task's effect is unknowable). */
  note?: string;
  /** Check mode: nothing ran; `changes` are what a real run would do. */
  check: boolean;
  /** An include_tasks line: the file it included (ansible-playbook's "included: FILE for HOST"). */
  included?: string;
  /** Output of command-like modules. */
  rc?: number | null;
  stdout?: string;
  stderr?: string;
  durationMs: number;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  /** Failures a block's rescue took over (ansible-playbook's recap counts them here, not as failed). */
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { type: 'play:start'; play: string; hosts: string[]; check: boolean }
  /** A `serial` batch; `index` counts from 1 up to `count`. */
  | { type: 'batch:start'; play: string; hosts: string[]; index: number; count: number }
  | { type: 'task:start'; host: string; task: string }
  | { type: 'task:result'; result: TaskResult }
  /** `until` was false: the task runs again after its delay (ansible-playbook's "FAILED - RETRYING"). */
  | { type: 'task:retry'; host: string; task: string; retriesLeft: number }
  | { type: 'host:unreachable'; host: string; msg: string }
  /** A host that failed before any task (another run held its lock past --lock-timeout). */
  | { type: 'host:failed'; host: string; msg: string }
  /**
   * Another run holds the host's lock: this run waits for it (`waiting`), or, in check mode, reads
   * the host while it is held (`held`) and says its plan may be overtaken.
   */
  | { type: 'host:lock'; host: string; state: 'waiting' | 'held'; holder: string }
  | { type: 'play:aborted'; play: string; reason: string }
  | { type: 'recap'; stats: Record<string, HostStats>; durationMs: number; check: boolean }
  /** After the recap of `lvsdr run`: the hosts by outcome and the exit code, for a machine (--json). */
  | { type: 'summary'; check: boolean; changed: string[]; failed: string[]; unreachable: string[]; exitCode: number }
  /** A rollout moves to its next step (configure, verify, director, wait, probe, drain, …). */
  | { type: 'rollout:step'; step: string; hosts: string[]; detail?: string }
  /**
   * What a director's kernel forwards to (`ipvsadm -Ln`) as a rollout read it: at its start, after
   * each director step, and where it waited for health checks or a drain. `error` when it could not.
   */
  | { type: 'rollout:director'; director: string; services: IpvsService[]; checked?: CheckedService[]; error?: string }
  /** A rollout's client-side connections to the VIP ports: how many to each, and those that failed. */
  | { type: 'rollout:probe'; targets: string[]; attempts: number; failures: string[] }
  /** A rollout leaves a host out of the director, and why. */
  | { type: 'rollout:host-failed'; host: string; step: string; reason: string };

export type EventListener = (event: RunEvent) => void;

export class EventBus {
  private readonly listeners: EventListener[] = [];
  /** Returns the way to stop listening, for a listener that wants only part of a run. */
  subscribe(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
  emit(event: RunEvent): void {
    for (const l of this.listeners) l(event);
  }
}
