/**
 * What a task's run becomes: the value `register:` stores, `changed_when`/`failed_when` applied to
 * it, the TaskResult event of each item (with everything of a `no_log` task hidden), and, once per
 * task as ansible-playbook's recap counts, the host's counts and whether it failed or a rescue
 * takes the failure over.
 */
import type { ExecResult } from '../../connection/types.ts';
import { loopStatus, type ChangeReport, type TaskResult, type TaskStatus } from '../events.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import type { TaskEnv } from './run-task.ts';
import { getModule } from '../../modules/registry.ts';

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
  /** The host the task ran on in its host's stead (delegate_to), when another. */
  delegatedTo?: string;
  /** Where the result's ansible_facts go when not to the task's host: its delegate, under `delegate_facts`. */
  factsTo?: HostRun;
}

/**
 * The value `register:` stores, shaped like Ansible's so `when: result.rc == 0` reads the same; an
 * item's holds its loop variables (`item`, `ansible_loop_var`, ...) as Ansible's do.
 */
export function registerValue(a: Attempt, loopVars?: Record<string, unknown>): Record<string, unknown> {
  const v: Record<string, unknown> = {
    // A failure after changes (a command that ran, files written before one that failed) changed the host.
    changed: a.status === 'changed' || (a.status === 'failed' && a.changes.length > 0),
    // As Ansible's: an unreachable result says so and has no `failed` (`r is unreachable`, not `r is failed`).
    ...(a.status === 'unreachable' ? { unreachable: true } : { failed: a.status === 'failed' }),
    skipped: a.status === 'skipped',
    changes: a.changes.map((c) => c.summary),
    ...(a.msg ? { msg: a.msg } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
    ...loopVars,
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
    // As Ansible, changed_when decides `changed` of a failed result too (an ignored failure counts it).
    if (task.changedWhen) {
      const changed = task.changedWhen.every((c) => evalCondition(c, vars));
      if (a.status !== 'failed') a.status = changed ? 'changed' : 'ok';
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

/** A loop's result as Ansible registers it: changed or failed if any item was, skipped if all were. */
export function loopResult(items: { attempt: Attempt; registered: Record<string, unknown> }[]): { status: TaskStatus; registered: Record<string, unknown> } {
  const status = loopStatus(items.map((i) => i.attempt.status));
  const registered: Record<string, unknown> = {
    changed: items.some((i) => i.registered.changed === true),
    ...(status === 'unreachable' ? { unreachable: true } : { failed: status === 'failed' }),
    skipped: status === 'skipped',
    msg: status === 'failed' ? 'One or more items failed' : 'All items completed',
    results: items.map((i) => i.registered),
  };
  return { status, registered };
}

/** The TaskResult event of one item (or of the task, without a loop); `item` is what is shown for it. */
export function reportResult(task: Task, host: HostRun, env: TaskEnv, a: Attempt, started: number, item?: unknown): void {
  const ignored = (a.status === 'failed' && task.ignoreErrors) || (a.status === 'unreachable' && task.ignoreUnreachable === true);
  const result: TaskResult = {
    host: host.name,
    task: task.name,
    module: task.module,
    pos: task.pos,
    status: a.status,
    changes: a.changes,
    check: task.checkMode ?? env.check,
    durationMs: Date.now() - started,
    ...(a.reason ? { reason: a.reason } : {}),
    ...(a.msg ? { msg: a.msg } : {}),
    ...(item !== undefined ? { item } : {}),
    ...(ignored ? { ignored } : {}),
    ...(task.diff !== undefined ? { diff: task.diff } : {}),
    ...(a.status === 'failed' && !ignored && host.rescuing > 0 ? { rescued: true } : {}),
    ...(a.delegatedTo !== undefined ? { delegatedTo: a.delegatedTo } : {}),
    ...(a.exec ? { rc: a.exec.code, stdout: a.exec.stdout, stderr: a.exec.stderr } : {}),
    ...((task.checkMode ?? env.check) && host.uncertainSince && host.uncertainSince !== task.name
      ? { note: `planned on state that task '${host.uncertainSince}' may change; check mode did not run it` }
      : {}),
  };
  env.events.emit({ type: 'task:result', result: task.noLog ? redact(result) : result });
}

/**
 * The task's outcome on the host, once, as Ansible's strategy counts it: a failure not ignored
 * fails the host — unless a block around it is in its tasks and has a rescue, which counts it as
 * `rescued` and hands the rescue `ansible_failed_task` and `ansible_failed_result`; an ignored
 * failure counts as ok and ignored.
 */
export function settleTask(task: Task, host: HostRun, status: TaskStatus, registered: Record<string, unknown>, factsTo = host): TaskOutcome {
  const s = host.stats;
  if (task.register) host.registered[task.register] = registered;
  if (status === 'ok' && !Array.isArray(registered.results)) applyResultFacts(task, factsTo, registered);
  if (status === 'ok' || status === 'changed') s.ok++;
  if (status === 'changed') s.changed++;
  if (status === 'skipped') s.skipped++;
  if (status === 'unreachable' && task.ignoreUnreachable) {
    s.ok++;
    s.ignored++;
  } else if (status === 'unreachable') s.unreachable++;
  if (status === 'failed' && task.ignoreErrors) {
    s.ok++;
    s.ignored++;
    if (registered.changed === true) s.changed++;
  } else if (status === 'failed') {
    host.failed = true;
    if (host.rescuing > 0) {
      s.rescued++;
      host.registered.ansible_failed_task = { name: task.name, action: task.module };
      host.registered.ansible_failed_result = task.noLog ? { censored: NO_LOG_MSG } : registered;
    } else {
      s.failed++;
    }
  }
  if (status === 'changed') for (const h of task.notify) host.notified.add(h);
  return { status, registered };
}

/** What one run of a task left, for the other hosts of a `run_once` task. */
export interface TaskOutcome {
  status: TaskStatus;
  registered: Record<string, unknown>;
}

/**
 * Another host ran this `run_once` task: as in Ansible, this host registers its result and fails
 * with it, without a result or a count of its own (notify stays with the host that ran it). The
 * facts it set are this host's too (Ansible's strategy gives them to every host of a run_once
 * task), unless `delegate_facts` gave them to the delegate alone.
 */
export function adoptRunOnce(task: Task, host: HostRun, outcome: TaskOutcome): void {
  if (task.register) host.registered[task.register] = outcome.registered;
  if (!(task.delegateTo !== undefined && task.delegateFacts)) {
    const { registered } = outcome;
    if (Array.isArray(registered.results)) for (const item of registered.results as Record<string, unknown>[]) applyResultFacts(task, host, item);
    else if (outcome.status === 'ok') applyResultFacts(task, host, registered);
  }
  if (outcome.status === 'failed' && !task.ignoreErrors) host.failed = true;
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A result's ansible_facts (set_fact's, include_vars') become the host's variables at once, at
 * their level: in a loop after each item, so the next item sees them, as in Ansible.
 */
export function applyResultFacts(task: Task, host: HostRun, registered: Record<string, unknown>): void {
  const level = getModule(task.module)?.setsVars;
  if (!level || registered.failed === true || !isRecord(registered.ansible_facts)) return;
  Object.assign(level === 'include_vars' ? host.includedVars : host.registered, registered.ansible_facts);
}
