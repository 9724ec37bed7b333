/**
 * One attempt of a task on a host: conditions, templating, argument checks and the plan on the facts
 * it asks for (plan-on-facts.ts: read as the task reaches the host, through the probe cache and, in
 * check mode, the overlay),
 * which apply-plan.ts reports or runs. Nothing here throws for a host's sake.
 */
import { dirname } from 'node:path';
import { UnreachableError, type Connection } from '../../connection/types.ts';
import { getModule } from '../../modules/registry.ts';
import type { ControllerIO, ModuleContext, ModuleDef } from '../../modules/types.ts';
import { formatProblem } from '../errors.ts';
import { withAnsibleStrings } from '../playbook/args-schema.ts';
import { checkModuleArgs } from '../playbook/validate.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition, expressionRefs, renderTemplateText, renderValue, templateRefs } from '../templating.ts';
import { taskSearchDirs } from '../playbook/types.ts';
import { applyPlan, checkModePlan, planEffectKeys, reportPlan, rereadTools } from './apply-plan.ts';
import type { HostRun } from './host-run.ts';
import { planOnFacts } from './plan-on-facts.ts';
import type { TaskEnv } from './run-task.ts';
import { accessKey, execAs, type ExecAs, type TaskAccess } from './task-access.ts';
import type { Attempt } from './task-outcome.ts';
import type { Delegation } from './delegation.ts';
import { NO_ANSIBLE_SUBSETS } from '../../facts/gather-subset.ts';
import { hostFactsCommandFor, parseHostFacts } from '../../facts/host-facts.ts';

export async function attemptOnce(task: Task, host: HostRun, env: TaskEnv, vars: Record<string, unknown>): Promise<Attempt> {
  let attempt: Attempt;
  try {
    attempt = await attemptTask(task, host, env, vars);
  } catch (err) {
    if (err instanceof UnreachableError) {
      // ignore_unreachable: the host goes on, over a new connection (the lost one is forgotten).
      if (task.ignoreUnreachable && task.delegateTo !== undefined) await host.conn?.forgetDelegate();
      else if (task.ignoreUnreachable) await host.conn?.forget(env.accessFor(task, vars));
      else host.unreachable = err.message;
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
  const planned = moduleOfTask(task, vars);
  if ('status' in planned) return planned;
  const { module, args } = planned;
  if (module.onController) return reportPlan(task, host, await module.onController(args, controllerIO(env, task)));
  const timeoutMs = task.timeout ? task.timeout * 1000 : env.taskTimeoutMs;
  // A delegated task plans from, and changes, the delegate's state: `state` is the host it runs on.
  const delegation = env.delegationFor(task, host, vars);
  const state = delegation?.state ?? host;
  const on = delegation ? delegateTarget(host, delegation) : await taskTarget(host, env.accessFor(task, vars));
  const ctx = moduleContext(state, env, vars, task);
  const delegated = {
    ...(delegation && delegation.name !== host.name ? { delegatedTo: delegation.name } : {}),
    ...(delegation && task.delegateFacts ? { factsTo: delegation.state } : {}),
  };
  // The task's own check_mode beats the run's. A task of a check run that runs for real plans on
  // the host as it is, and what it changes is read afresh by the check-mode tasks after it.
  const check = task.checkMode ?? env.check;
  if (check && module.supportsCheckMode === false) return { status: 'skipped', reason: `remote module (${task.module}) does not support check mode`, changes: [], notRun: true, ...delegated };
  const planHere = () => planOnFacts(state, on, module, args, ctx, env.check && check, timeoutMs);
  const plan = await planHere().catch(async (err: unknown) => {
    // A delegate the run has no facts of yet: read them where the task runs, and plan again.
    if (!(err instanceof FactsUnread)) throw err;
    const r = await on.conn.exec(hostFactsCommandFor(NO_ANSIBLE_SUBSETS).text, { timeoutMs, ...on.as });
    state.facts = parseHostFacts(r, NO_ANSIBLE_SUBSETS);
    return planHere();
  });
  if (check) return { ...checkModePlan(task, state, plan, module.changesTools === true), ...delegated };
  if (env.check) for (const key of planEffectKeys(plan)) state.overlay.delete(key);
  const attempt = await applyPlan(state, on, plan, timeoutMs);
  if (module.changesTools && attempt.status === 'changed') await rereadTools(state, on, timeoutMs);
  return { ...attempt, ...delegated };
}

/**
 * Where a delegated task's commands go: the host's own connection when it delegates to itself,
 * else one to the delegate (HostConnections.toDelegate), opened by the first command — a task
 * that runs nothing there (set_fact, debug, assert) contacts no one, as in Ansible, whose
 * connections also open at their first command.
 */
function delegateTarget(host: HostRun, delegation: Delegation): TaskTarget {
  const { state, access } = delegation;
  const as = execAs(access);
  const sharesCache = accessKey(access) === state.probeAccess;
  if (state === host) return { conn: lazyConnection(delegation.name, () => host.conn!.via(access)), as, sharesCache };
  let opened: Promise<Connection> | undefined;
  return { conn: lazyConnection(delegation.name, () => (opened ??= host.conn!.toDelegate(delegation.host, access))), as, sharesCache };
}

function lazyConnection(name: string, open: () => Promise<Connection>): Connection {
  return {
    name,
    connect: async () => {
      await open();
    },
    exec: async (command, options) => (await open()).exec(command, options),
    // The connection is the host's (HostConnections), closed with its others.
    close: async () => undefined,
  };
}

/** A plan asked for the facts of a delegate the run has not read yet (ModuleContext.facts). */
class FactsUnread extends Error {}

/**
 * The task's module and its arguments rendered and checked, or the attempt's end when it has none
 * to plan: a condition that is false, an unknown module, arguments its schema refuses.
 */
export function moduleOfTask(task: Task, vars: Record<string, unknown>): { module: ModuleDef; args: unknown } | Attempt {
  for (const condition of task.when) {
    if (!evalCondition(condition, vars)) return { status: 'skipped', reason: `condition is false: ${condition}`, changes: [] };
  }
  const module = getModule(task.module);
  if (!module) return { status: 'failed', msg: `unknown module '${task.module}'`, changes: [] };
  const args = moduleArgs(task, vars);
  const problems = checkModuleArgs(task, args);
  if (problems.length > 0) return { status: 'failed', msg: problems.map(formatProblem).join('\n'), changes: [] };
  return { module, args };
}

/** The controller as a module acting there sees it; a wait ends when the run is interrupted. */
function controllerIO(env: TaskEnv, task: Task): ControllerIO {
  return {
    taskName: task.name,
    ...(env.terminal ? { terminal: env.terminal } : {}),
    now: () => new Date(),
    sleep: (ms) =>
      new Promise((resolve) => {
        if (env.signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          env.signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        env.signal?.addEventListener('abort', done, { once: true });
      }),
  };
}

/** The connection a task's commands go to, and whom they run as there. */
export interface TaskTarget {
  conn: Connection;
  /** Whom the commands run as, and in what environment. */
  as: ExecAs;
  /** The host's probe cache holds reads made as this task would make them. */
  sharesCache: boolean;
}

export async function taskTarget(host: HostRun, access: TaskAccess): Promise<TaskTarget> {
  return { conn: await host.conn!.via(access), as: execAs(access), sharesCache: accessKey(access) === host.probeAccess };
}

/** The task's arguments rendered with `vars`. */
export function moduleArgs(task: Task, vars: Record<string, unknown>): unknown {
  const args = renderValue(task.args, vars) ?? {};
  const module = getModule(task.module);
  return module ? withAnsibleStrings(module, args) : args;
}

/** A module's view of the host it runs on (`host`: the delegate, for a delegated task). */
export function moduleContext(host: HostRun, env: TaskEnv, vars: Record<string, unknown>, task: Task): ModuleContext {
  return {
    // A delegate's facts are read only when a plan asks for them (attemptTask).
    get facts() {
      if (!host.facts) throw new FactsUnread(`internal: no facts of ${host.name}`);
      return host.facts;
    },
    vars,
    playbookDir: env.playbookDir,
    searchDirs: taskSearchDirs(task),
    taskDir: dirname(task.pos.file),
    ...(task.role ? { rolePath: task.role.path } : {}),
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
