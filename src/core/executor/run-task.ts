/**
 * One task on one host: its loop, and for each item the `until` retries of one attempt:
 * conditions, templating, argument checks, probes, plan, and — in a real run — the plan's commands
 * (apply-plan.ts). Nothing here throws for a host's sake: every outcome is a TaskResult.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UnreachableError, type Connection, type ExecOptions } from '../../connection/types.ts';
import { getModule } from '../../modules/registry.ts';
import type { ModuleContext, Probe, StateView } from '../../modules/types.ts';
import { formatProblem } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { checkModuleArgs } from '../playbook/validate.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition, expressionRefs, renderTemplateText, renderValue, templateRefs } from '../templating.ts';
import { applyPlan, planEffectKeys, reportPlan } from './apply-plan.ts';
import type { HostRun } from './host-run.ts';
import { loopItems, loopItemVars } from './loop-items.ts';
import { probeId, runProbes } from './probe-batch.ts';
import { accessKey, becomeOptions, type TaskAccess } from './task-access.ts';
import { adoptRunOnce, applyResultConditions, loopResult, registerValue, reportResult, settleTask, type Attempt, type TaskOutcome } from './task-outcome.ts';

export interface TaskEnv {
  check: boolean;
  /** How a task (or, without one, the play) reaches the host and whom it runs as; throws AccessError. */
  accessFor(task: Task | undefined, vars: Record<string, unknown>): TaskAccess;
  taskTimeoutMs: number;
  playbookDir: string;
  events: EventBus;
  /** The host's variables as templates see them (with the task's `vars` when given), `extra` (the loop variables) on top. */
  varsFor(host: HostRun, task?: Task, extra?: Record<string, unknown>): Record<string, unknown>;
  /** The batch's `run_once` tasks that a host has started, with the outcome every host of the batch takes. */
  runOnce: Map<Task, Promise<TaskOutcome>>;
}

/**
 * A `run_once` task runs on the first host of the batch to reach it (lvsdr's hosts do not wait for
 * each other, so that is the host Ansible's linear strategy would pick when they keep pace); the
 * others wait for it and take its result (task-outcome.ts adoptRunOnce).
 */
export async function runTask(task: Task, host: HostRun, env: TaskEnv): Promise<void> {
  if (!task.runOnce) {
    await runOnHost(task, host, env);
    return;
  }
  const first = env.runOnce.get(task);
  if (first) {
    adoptRunOnce(task, host, await first);
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
    return settleTask(task, host, attempt.status, registered);
  }
  let items: unknown[];
  try {
    items = loopItems(task.loopWith, renderValue(task.loop, env.varsFor(host, task)), env.playbookDir);
  } catch (err) {
    const attempt: Attempt = { status: 'failed', msg: `${task.pos.file}:${task.pos.line}:${task.pos.col}: ${(err as Error).message}`, changes: [] };
    reportResult(task, host, env, attempt, started);
    return settleTask(task, host, 'failed', registerValue(attempt));
  }
  if (items.length === 0) {
    const attempt: Attempt = { status: 'skipped', reason: 'No items in the list', changes: [] };
    reportResult(task, host, env, attempt, started);
    return settleTask(task, host, 'skipped', { ...registerValue(attempt), results: [] });
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

async function attemptOnce(task: Task, host: HostRun, env: TaskEnv, vars: Record<string, unknown>): Promise<Attempt> {
  let attempt: Attempt;
  try {
    attempt = await attemptTask(task, host, env, vars);
  } catch (err) {
    if (err instanceof UnreachableError) {
      host.unreachable = err.message;
      attempt = { status: 'unreachable', msg: err.message, changes: [] };
    } else {
      attempt = { status: 'failed', msg: (err as Error).message, changes: [] };
    }
  }
  if (env.check && task.register) {
    if (attempt.notRun) host.unknownInCheck.set(task.register, task.name);
    else host.unknownInCheck.delete(task.register);
  }
  return attempt;
}

async function attemptTask(task: Task, host: HostRun, env: TaskEnv, vars: Record<string, unknown>): Promise<Attempt> {
  const unknowable = env.check ? readsUnknownResult(task, host) : undefined;
  if (unknowable) return { status: 'skipped', reason: unknowable, changes: [], notRun: true };
  for (const condition of task.when) {
    if (!evalCondition(condition, vars)) return { status: 'skipped', reason: `condition is false: ${condition}`, changes: [] };
  }
  const module = getModule(task.module);
  if (!module) return { status: 'failed', msg: `unknown module '${task.module}'`, changes: [] };
  const args = moduleArgs(task, vars);
  const problems = checkModuleArgs(task, args);
  if (problems.length > 0) return { status: 'failed', msg: problems.map(formatProblem).join('\n'), changes: [] };
  const ctx = moduleContext(host, env, vars);
  const timeoutMs = task.timeout ? task.timeout * 1000 : env.taskTimeoutMs;
  const on = await taskTarget(host, env.accessFor(task, vars));
  // The task's own check_mode beats the run's. A task of a check run that runs for real plans on
  // the host as it is, and what it changes is read afresh by the check-mode tasks after it.
  const check = task.checkMode ?? env.check;
  const state = await readState(host, on, module.probes(args, ctx), env.check && check, timeoutMs);
  const plan = module.plan(args, state, ctx);
  if (check) return reportPlan(task, host, plan);
  if (env.check) for (const key of planEffectKeys(plan)) host.overlay.delete(key);
  return await applyPlan(host, on, plan, timeoutMs);
}

/** The connection a task's commands go to, and whom they run as there. */
export interface TaskTarget {
  conn: Connection;
  as: Pick<ExecOptions, 'become' | 'becomeUser' | 'becomePassword'>;
  /** The host's probe cache holds reads made as this task would make them. */
  sharesCache: boolean;
}

export async function taskTarget(host: HostRun, access: TaskAccess): Promise<TaskTarget> {
  return { conn: await host.conn!.via(access), as: becomeOptions(access), sharesCache: accessKey(access) === host.probeAccess };
}

/** The task's arguments rendered with `vars`. */
export function moduleArgs(task: Task, vars: Record<string, unknown>): unknown {
  return renderValue(task.args, vars) ?? {};
}

export function moduleContext(host: HostRun, env: TaskEnv, vars: Record<string, unknown>): ModuleContext {
  if (!host.facts) throw new Error('internal: facts missing before a task');
  return {
    facts: host.facts,
    vars,
    playbookDir: env.playbookDir,
    renderTemplate: (text, name) => renderTemplateText(text, vars, name),
  };
}

/**
 * Check mode: a task that reads the registered result of a command check mode did not run cannot
 * be planned honestly, so it says so instead of failing on (or guessing) the missing output.
 */
function readsUnknownResult(task: Task, host: HostRun): string | undefined {
  if (host.unknownInCheck.size === 0) return undefined;
  const refs = templateRefs([task.args, task.loop ?? null]);
  const args = (task.args ?? {}) as Record<string, unknown>;
  const conditions = (getModule(task.module)?.conditionArgs ?? []).flatMap((a) => args[a] ?? []);
  for (const c of [...task.when, ...conditions]) if (typeof c === 'string') expressionRefs(c, refs);
  const name = [...refs.required, ...refs.guarded].find((n) => host.unknownInCheck.has(n));
  if (!name) return undefined;
  return `cannot be planned in check mode: it reads '${name}', the result of task '${host.unknownInCheck.get(name)}', which check mode does not run`;
}

/**
 * Probes the keys the host's check-mode overlay (with `overlay`) does not already answer, in one round
 * trip; what the host's probe cache holds (read since the last command that changed the host) is
 * not read again.
 */
async function readState(host: HostRun, on: TaskTarget, probes: Probe[], overlay: boolean, timeoutMs: number): Promise<StateView> {
  const values = new Map<string, unknown>();
  const needed = probes.filter((p) => !(overlay && host.overlay.has(p.key)));
  const toRun = on.sharesCache ? needed.filter((p) => !host.probeCache.has(probeId(p))) : needed;
  const results = await runProbes(on.conn, toRun, { timeoutMs, ...on.as });
  toRun.forEach((p, i) => {
    if (results[i].code !== null && on.sharesCache) host.probeCache.set(probeId(p), results[i]);
  });
  const fresh = new Map(toRun.map((p, i) => [probeId(p), results[i]]));
  for (const p of needed) values.set(p.key, p.parse(fresh.get(probeId(p)) ?? host.probeCache.get(probeId(p))!));
  return {
    get<T>(key: string): T {
      if (overlay && host.overlay.has(key)) return host.overlay.get(key) as T;
      if (!values.has(key)) throw new Error(`internal: state '${key}' was not probed`);
      return values.get(key) as T;
    },
  };
}

