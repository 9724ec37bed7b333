/**
 * One task on one host: once for the batch (`run_once`) or on each host, its loop, and for each item
 * the `until` retries of one attempt (task-attempt.ts). Nothing here throws for a host's sake: every
 * outcome is a TaskResult.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getModule } from '../../modules/registry.ts';
import type { ControllerTerminal } from '../../modules/types.ts';
import type { EventBus } from '../events.ts';
import type { Play, Task } from '../playbook/types.ts';
import { evalCondition, renderValue, TemplateError } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import { loopItems, loopItemVars } from './loop-items.ts';
import { runMeta, type PlayEnds } from './run-meta.ts';
import { attemptOnce } from './task-attempt.ts';
import { TaskThrottle } from './throttle.ts';
import type { TaskAccess } from './task-access.ts';
import type { Delegation } from './delegation.ts';
import { adoptRunOnce, applyResultConditions, applyResultFacts, loopResult, registerValue, reportResult, settleTask, type Attempt, type TaskOutcome } from './task-outcome.ts';

export interface TaskEnv {
  check: boolean;
  /** How a task (or, without one, the play) reaches the host and whom it runs as; throws AccessError. */
  accessFor(task: Task | undefined, vars: Record<string, unknown>): TaskAccess;
  /** Where a delegated task runs with these variables (delegation.ts), undefined for another; throws AccessError. */
  delegationFor(task: Task, host: HostRun, vars: Record<string, unknown>): Delegation | undefined;
  taskTimeoutMs: number;
  /** The terminal the run was started on, where a pause prompts; undefined without one. */
  terminal?: ControllerTerminal;
  /** The run's interruption: a wait on the controller ends with it. */
  signal?: AbortSignal;
  playbookDir: string;
  events: EventBus;
  /** The host's variables as templates see them (with the task's `vars` when given), `extra` (the loop variables) on top. */
  varsFor(host: HostRun, task?: Task, extra?: Record<string, unknown>): Record<string, unknown>;
  /** The batch's `run_once` tasks that a host has started, with the outcome every host of the batch takes. */
  runOnce: Map<Task, Promise<TaskOutcome>>;
  /** What meta tasks ended: a host runs no task or handler of the play once its part has ended. */
  ends: PlayEnds;
  /** Runs the handlers the host has been notified of, now (meta: flush_handlers). */
  flushHandlers(host: HostRun): Promise<void>;
  /** Every host of the play (meta: clear_host_errors). */
  playHosts: readonly HostRun[];
  /** The play's handlers and name, which a file include_tasks reads while the play runs may notify. */
  play: Pick<Play, 'handlers' | 'name'>;
  /** Whether --tags and --skip-tags select the task (the play's tags with its own): for included tasks, as a host reaches them. */
  selects(task: Task): boolean;
  /** The play's `throttle`, for tasks without their own. */
  playThrottle?: number;
  /** The batch's throttled tasks, each with the hosts running it. */
  throttles: Map<Task, TaskThrottle>;
}

/**
 * A task with a `throttle` runs on at most that many hosts at once (Ansible ignores it on a
 * `run_once` task, which runs once anyway). A `run_once` task runs on the first host of the batch
 * to reach it (lvsdr's hosts do not wait for each other, so that is the host Ansible's linear
 * strategy would pick when they keep pace); the others wait for it and take its result
 * (task-outcome.ts adoptRunOnce). A module whose Ansible action bypasses the host loop (pause)
 * runs once the same way, but the others only wait for it: Ansible's strategy gives them its
 * result only under `run_once` (get_task_hosts), and neither a result line nor a count.
 */
export async function runTask(task: Task, host: HostRun, env: TaskEnv): Promise<void> {
  if (task.module === 'meta') {
    await runMeta(task, host, env);
    return;
  }
  const once = task.runOnce === true || getModule(task.module)?.bypassHostLoop === true;
  if (!once) {
    const limit = task.throttle ?? env.playThrottle;
    if (!limit) {
      await runOnHost(task, host, env);
      return;
    }
    let throttle = env.throttles.get(task);
    if (!throttle) env.throttles.set(task, (throttle = new TaskThrottle(limit)));
    await throttle.run(() => runOnHost(task, host, env));
    return;
  }
  const first = env.runOnce.get(task);
  if (first) {
    const outcome = await first;
    if (task.runOnce) adoptRunOnce(task, host, outcome);
    return;
  }
  const outcome = runOnHost(task, host, env);
  env.runOnce.set(task, outcome);
  await outcome;
}

async function runOnHost(task: Task, host: HostRun, env: TaskEnv): Promise<TaskOutcome> {
  env.events.emit({ type: 'task:start', host: host.name, task: task.name });
  const started = Date.now();
  if (task.loop === undefined) {
    const { attempt, registered } = await runItem(task, host, env, undefined);
    return settleTask(task, host, attempt.status, registered, attempt.factsTo);
  }
  const items = expandLoop(task, host, env);
  if (!Array.isArray(items)) {
    reportResult(task, host, env, items.attempt, started);
    return settleTask(task, host, items.attempt.status, items.registered);
  }
  // As Ansible, every item runs even after one fails; only a host that cannot be reached stops.
  const results: { attempt: Attempt; registered: Record<string, unknown> }[] = [];
  for (const index of items.keys()) {
    if (host.unreachable) break;
    if (index > 0 && task.loopControl?.pause) await sleep(task.loopControl.pause * 1000);
    results.push(await runItem(task, host, env, loopItemVars(task.loopControl, items, index)));
  }
  const { status, registered } = loopResult(results);
  return settleTask(task, host, status, registered);
}

/** The items of the task's loop, or how the task ends without any: a loop it cannot render (or skips), or an empty one. */
export function expandLoop(task: Task, host: HostRun, env: TaskEnv): unknown[] | { attempt: Attempt; registered: Record<string, unknown> } {
  let items: unknown[];
  try {
    items = loopItems(task.loopWith, renderValue(task.loop, env.varsFor(host, task)), env.playbookDir);
  } catch (err) {
    const skip = err instanceof TemplateError && err.variable !== undefined ? falseCondition(task, env.varsFor(host, task)) : undefined;
    const attempt: Attempt = skip
      ? { status: 'skipped', reason: skip, changes: [] }
      : { status: 'failed', msg: `${task.pos.file}:${task.pos.line}:${task.pos.col}: ${(err as Error).message}`, changes: [] };
    return { attempt, registered: registerValue(attempt) };
  }
  if (items.length > 0) return items;
  const attempt: Attempt = { status: 'skipped', reason: 'No items in the list', changes: [] };
  return { attempt, registered: { ...registerValue(attempt), results: [] } };
}

/**
 * ansible-core 2.14's TaskExecutor keeps an undefined variable in a loop for later and evaluates the
 * task's `when` first (without `item`): a false condition skips the task, so a loop over a result
 * that only exists when the condition holds is fine. The first false condition, if any.
 */
function falseCondition(task: Task, vars: Record<string, unknown>): string | undefined {
  try {
    const c = task.when.find((cond) => !evalCondition(cond, vars));
    return c === undefined ? undefined : `condition is false: ${c}`;
  } catch {
    return undefined;
  }
}

/**
 * One item (or the task without a loop): attempts until `until` holds, at most retries + 1 times
 * (3 when retries is not set), `delay` seconds apart — ansible-core 2.14's TaskExecutor, which also
 * leaves `until` unchecked when only one attempt is allowed.
 */
async function runItem(task: Task, host: HostRun, env: TaskEnv, loopVars: Record<string, unknown> | undefined): Promise<{ attempt: Attempt; registered: Record<string, unknown> }> {
  const started = Date.now();
  const vars = env.varsFor(host, task, loopVars);
  const attempts = task.until ? (task.until.retries === undefined ? 3 : Math.max(1, task.until.retries + 1)) : 1;
  for (let n = 1; ; n++) {
    const attempt = await attemptOnce(task, host, env, vars);
    const registered = registerValue(attempt, loopVars);
    if (task.until) registered.attempts = n;
    const withResult = { ...vars, ...(task.register ? { [task.register]: registered } : {}) };
    if (attempt.status !== 'skipped' && attempt.status !== 'unreachable' && !attempt.notRun) applyResultConditions(task, attempt, registered, withResult);
    const done = attempts === 1 || attempt.status === 'unreachable' || attempt.status === 'skipped' || attempt.notRun || untilHolds(task, attempt, withResult);
    if (done || n === attempts) {
      if (!done) {
        attempt.status = 'failed';
        attempt.msg = `${attempt.msg ? `${attempt.msg}; ` : ''}until was still false after ${n} attempts: ${task.until!.conditions.join(' and ')}`;
        registered.failed = true;
        // ansible-core 2.14 registers one attempt fewer than it made once the retries run out.
        registered.attempts = n - 1;
      }
      reportResult(task, host, env, attempt, started, loopVars && label(task, vars, loopVars));
      if (loopVars) applyResultFacts(task, attempt.factsTo ?? host, registered);
      return { attempt, registered };
    }
    env.events.emit({ type: 'task:retry', host: host.name, task: task.name, retriesLeft: attempts - n });
    await sleep(task.until!.delay * 1000);
  }
}

function untilHolds(task: Task, attempt: Attempt, vars: Record<string, unknown>): boolean {
  try {
    return task.until!.conditions.every((c) => evalCondition(c, vars));
  } catch (err) {
    attempt.status = 'failed';
    attempt.msg = `until: ${(err as Error).message}`;
    return true;
  }
}

/** What the item is shown as: loop_control's label rendered, or the loop variable's value. */
function label(task: Task, vars: Record<string, unknown>, loopVars: Record<string, unknown>): unknown {
  const name = task.loopControl?.loopVar ?? 'item';
  if (task.loopControl?.label === undefined) return loopVars[name];
  try {
    return renderValue(task.loopControl.label, vars);
  } catch {
    return loopVars[name];
  }
}

