/**
 * Reads the facts of a play's tasks in one round trip before the first task runs (issue 6: round
 * trips are the budget). A task whose arguments can be rendered now contributes its declared probes
 * and the facts its plan asks for (plan-on-facts.ts factsPlanReads); they go to the host's probe cache, which a task uses only for the exact same probe and only
 * until a command that can change that state runs (state-reach.ts). So a run that changes nothing
 * plans every task on state read in that one exec, and after a change a task reads again what the
 * change could reach.
 * Rendering that fails here (say, it reads a result registered later) just leaves the task to
 * probe for itself when it runs, and report the problem then.
 */
import type { Probe } from '../../facts/fact.ts';
import type { Task } from '../playbook/types.ts';
import { renderValue } from '../templating.ts';
import { readProbes } from './fact-reads.ts';
import type { HostRun } from './host-run.ts';
import { loopItems, loopItemVars } from './loop-items.ts';
import { factsPlanReads } from './plan-on-facts.ts';
import { probeId } from './probe-batch.ts';
import type { TaskEnv } from './run-task.ts';
import { moduleContext, moduleOfTask, taskTarget } from './task-attempt.ts';
import { accessKey } from './task-access.ts';

function probesOfItem(task: Task, host: HostRun, env: TaskEnv, vars: Record<string, unknown>): Probe[] {
  try {
    const planned = moduleOfTask(task, vars);
    if ('status' in planned) return [];
    const ctx = moduleContext(host, env, vars, task);
    return factsPlanReads(host, planned.module, planned.args, ctx, env.check);
  } catch {
    return [];
  }
}

function probesOfTask(task: Task, host: HostRun, env: TaskEnv): Probe[] {
  // A delegated task reads the delegate's state where it runs (task-attempt.ts), not this host's.
  if (task.delegateTo !== undefined) return [];
  // A task that reads its state another way (another user, another connection) reads it itself.
  try {
    if (accessKey(env.accessFor(task, env.varsFor(host, task))) !== host.probeAccess) return [];
  } catch {
    return [];
  }
  if (task.loop === undefined) return probesOfItem(task, host, env, env.varsFor(host, task));
  let items: unknown[];
  try {
    items = loopItems(task.loopWith, renderValue(task.loop, env.varsFor(host, task)), env.playbookDir);
  } catch {
    return [];
  }
  return items.flatMap((_, index) => probesOfItem(task, host, env, env.varsFor(host, task, loopItemVars(task.loopControl, items, index))));
}

/** Runs after the facts, which started the host's probe cache afresh (and may have filled some of it). */
export async function prefetchProbes(tasks: readonly Task[], host: HostRun, env: TaskEnv): Promise<void> {
  const probes = new Map<string, Probe>();
  for (const task of tasks) {
    for (const p of probesOfTask(task, host, env)) if (!host.probeCache.has(probeId(p))) probes.set(probeId(p), p);
  }
  if (probes.size === 0 || !host.conn) return;
  const list = [...probes.values()];
  try {
    const on = await taskTarget(host, env.accessFor(undefined, env.varsFor(host)));
    await readProbes(host, { ...on, sharesCache: true }, list, env.taskTimeoutMs);
  } catch {
    // A lost connection is reported by the first task, as it would be without the prefetch.
  }
}
