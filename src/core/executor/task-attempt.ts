/**
 * One attempt of a task on a host: conditions, templating, argument checks, probes (read as the
 * task reaches the host, through the probe cache and, in check mode, the overlay) and the plan,
 * which apply-plan.ts reports or runs. Nothing here throws for a host's sake.
 */
import { dirname } from 'node:path';
import { UnreachableError, type Connection, type ExecOptions } from '../../connection/types.ts';
import { getModule } from '../../modules/registry.ts';
import type { ModuleContext, Probe, StateView } from '../../modules/types.ts';
import { formatProblem } from '../errors.ts';
import { withAnsibleStrings } from '../playbook/args-schema.ts';
import { checkModuleArgs } from '../playbook/validate.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition, expressionRefs, renderTemplateText, renderValue, templateRefs } from '../templating.ts';
import { applyPlan, checkModePlan, planEffectKeys, rereadTools } from './apply-plan.ts';
import type { HostRun } from './host-run.ts';
import { probeId, runProbes } from './probe-batch.ts';
import type { TaskEnv } from './run-task.ts';
import { accessKey, becomeOptions, type TaskAccess } from './task-access.ts';
import type { Attempt } from './task-outcome.ts';

export async function attemptOnce(task: Task, host: HostRun, env: TaskEnv, vars: Record<string, unknown>): Promise<Attempt> {
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
  if (module.noCheckMode && (task.checkMode ?? env.check)) return { status: 'skipped', reason: `remote module (${module.name}) does not support check mode`, changes: [] };
  const ctx = moduleContext(host, env, vars, task);
  const timeoutMs = task.timeout ? task.timeout * 1000 : env.taskTimeoutMs;
  const on = await taskTarget(host, env.accessFor(task, vars));
  // The task's own check_mode beats the run's. A task of a check run that runs for real plans on
  // the host as it is, and what it changes is read afresh by the check-mode tasks after it.
  const check = task.checkMode ?? env.check;
  const state = await readState(host, on, module.probes(args, ctx), env.check && check, timeoutMs);
  const plan = module.plan(args, state, ctx);
  if (check) return checkModePlan(task, host, plan, module.changesTools === true);
  if (env.check) for (const key of planEffectKeys(plan)) host.overlay.delete(key);
  const attempt = await applyPlan(host, on, plan, timeoutMs);
  if (module.changesTools && attempt.status === 'changed') await rereadTools(host, on, timeoutMs);
  return attempt;
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
  const args = renderValue(task.args, vars) ?? {};
  const module = getModule(task.module);
  return module ? withAnsibleStrings(module, args) : args;
}

export function moduleContext(host: HostRun, env: TaskEnv, vars: Record<string, unknown>, task: Task): ModuleContext {
  if (!host.facts) throw new Error('internal: facts missing before a task');
  return {
    facts: host.facts,
    vars,
    playbookDir: env.playbookDir,
    searchDirs: [...(task.role?.searchDirs ?? []), dirname(task.pos.file)],
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

