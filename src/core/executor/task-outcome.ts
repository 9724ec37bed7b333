/**
 * What a task's run becomes: the value `register:` stores, `changed_when`/`failed_when` applied to
 * it, the host's counts, and the TaskResult event (with everything of a `no_log` task hidden).
 */
import type { ExecResult } from '../../connection/types.ts';
import type { ChangeReport, TaskResult, TaskStatus } from '../events.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import type { TaskEnv } from './run-task.ts';

const NO_LOG_MSG = "the output has been hidden because 'no_log: true' was set for this task";

/** What one run of a task (one loop item) produced, before conditions on the result are applied. */
export interface Attempt {
  status: TaskStatus;
  reason?: string;
  msg?: string;
  changes: ChangeReport[];
  exec?: ExecResult;
  extra?: Record<string, unknown>;
  /** Check mode left a command unrun: conditions on its result cannot be evaluated. */
  notRun?: boolean;
}

/** The value `register:` stores, shaped like Ansible's so `when: result.rc == 0` reads the same. */
export function registerValue(a: Attempt, item: unknown): Record<string, unknown> {
  const v: Record<string, unknown> = {
    changed: a.status === 'changed',
    failed: a.status === 'failed' || a.status === 'unreachable',
    skipped: a.status === 'skipped',
    changes: a.changes.map((c) => c.summary),
    ...(a.msg ? { msg: a.msg } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
    ...(item !== undefined ? { item } : {}),
    ...(a.extra ?? {}),
  };
  if (a.exec) {
    // Like Ansible: the trailing newline is not part of stdout, so `stdout == "yes"` reads naturally.
    const stdout = a.exec.stdout.replace(/[\r\n]+$/, '');
    const stderr = a.exec.stderr.replace(/[\r\n]+$/, '');
    Object.assign(v, {
      rc: a.exec.code,
      stdout,
      stderr,
      stdout_lines: stdout === '' ? [] : stdout.split('\n'),
      stderr_lines: stderr === '' ? [] : stderr.split('\n'),
    });
  }
  return v;
}

/** changed_when / failed_when see the result (under the register name) and decide over it. */
export function applyResultConditions(task: Task, a: Attempt, registered: Record<string, unknown>, vars: Record<string, unknown>): void {
  try {
    if (task.changedWhen && a.status !== 'failed') {
      const changed = task.changedWhen.every((c) => evalCondition(c, vars));
      a.status = changed ? 'changed' : 'ok';
      registered.changed = changed;
    }
    if (task.failedWhen) {
      const failed = task.failedWhen.every((c) => evalCondition(c, vars));
      if (failed && a.status !== 'failed') a.msg = `failed_when is true: ${task.failedWhen.join(' and ')}`;
      if (!failed && a.status === 'failed') {
        a.status = registered.changed ? 'changed' : 'ok';
        a.msg = undefined;
      }
      if (failed) a.status = 'failed';
      registered.failed = failed;
    }
  } catch (err) {
    a.status = 'failed';
    a.msg = (err as Error).message;
  }
}

export function finishTask(task: Task, host: HostRun, env: TaskEnv, a: Attempt, started: number, item?: unknown): void {
  const ignored = a.status === 'failed' && task.ignoreErrors;
  const result: TaskResult = {
    host: host.name,
    task: task.name,
    module: task.module,
    pos: task.pos,
    status: a.status,
    changes: a.changes,
    check: env.check,
    durationMs: Date.now() - started,
    ...(a.reason ? { reason: a.reason } : {}),
    ...(a.msg ? { msg: a.msg } : {}),
    ...(item !== undefined ? { item } : {}),
    ...(ignored ? { ignored } : {}),
    ...(a.exec ? { rc: a.exec.code, stdout: a.exec.stdout, stderr: a.exec.stderr } : {}),
    ...(env.check && host.uncertainSince && host.uncertainSince !== task.name
      ? { note: `planned on state that task '${host.uncertainSince}' may change; check mode did not run it` }
      : {}),
  };
  const shown = task.noLog ? redact(result) : result;
  countResult(host, shown);
  if (a.status === 'failed' && !ignored) host.failed = true;
  if (a.status === 'changed') for (const h of task.notify) host.notified.add(h);
  env.events.emit({ type: 'task:result', result: shown });
}

function countResult(host: HostRun, r: TaskResult): void {
  const s = host.stats;
  if (r.status === 'ok' || r.status === 'changed') s.ok++;
  if (r.status === 'changed') s.changed++;
  if (r.status === 'skipped') s.skipped++;
  if (r.status === 'unreachable') s.unreachable++;
  if (r.status === 'failed') r.ignored ? s.ignored++ : s.failed++;
}

function redact(r: TaskResult): TaskResult {
  return {
    ...r,
    changes: r.changes.map(() => ({ summary: NO_LOG_MSG, commands: [] })),
    ...(r.msg ? { msg: NO_LOG_MSG } : {}),
    ...(r.reason ? { reason: NO_LOG_MSG } : {}),
    ...(r.item !== undefined ? { item: '(censored)' } : {}),
    stdout: undefined,
    stderr: undefined,
  };
}
