/**
 * meta tasks, as ansible-core 2.14's strategy runs them (plugins/strategy/__init__.py
 * _execute_meta): the result is shown but not counted in the recap, and neither is a skipped one.
 * noop, flush_handlers and end_host are each host's own. end_play, end_batch, clear_facts and
 * clear_host_errors act for every host, so they run once per batch as the default linear strategy
 * runs them: the first host to reach one evaluates its `when` and acts, and each other host, on
 * reaching the same task, takes that outcome — after end_play or end_batch it runs nothing more of
 * the play (or batch), but every task before the meta has run on it, as in Ansible.
 */
import { ONCE_PER_BATCH, type MetaAction } from '../../modules/meta.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import type { TaskEnv } from './run-task.ts';
import { reportResult, type Attempt, type TaskOutcome } from './task-outcome.ts';

/** What meta tasks ended in the running play. */
export class PlayEnds {
  /** end_play: no later batch starts. */
  play = false;
  /** Hosts whose part of the play is over (end_host; end_play or end_batch once they reached it). */
  readonly hosts = new Set<string>();

  ended(host: HostRun): boolean {
    return this.hosts.has(host.name);
  }
}

export async function runMeta(task: Task, host: HostRun, env: TaskEnv): Promise<void> {
  const action = (task.args as { free_form: MetaAction }).free_form;
  if (!ONCE_PER_BATCH.includes(action)) {
    await runOnHost(action, task, host, env);
    return;
  }
  const first = env.runOnce.get(task);
  if (!first) {
    const outcome = runOnHost(action, task, host, env);
    env.runOnce.set(task, outcome);
    await outcome;
  } else if ((await first).status === 'ok') {
    if (action === 'end_play' || action === 'end_batch') env.ends.hosts.add(host.name);
    if (action === 'clear_facts') host.factsVisible = false;
  }
}

async function runOnHost(action: MetaAction, task: Task, host: HostRun, env: TaskEnv): Promise<TaskOutcome> {
  env.events.emit({ type: 'task:start', host: host.name, task: task.name });
  const started = Date.now();
  let attempt: Attempt;
  try {
    attempt = (await act(action, task, host, env)) ?? { status: 'skipped', reason: `${action} conditional evaluated to False`, changes: [] };
  } catch (err) {
    attempt = { status: 'failed', msg: (err as Error).message, changes: [] };
    host.failed = true;
    host.stats.failed++;
  }
  reportResult(task, host, env, attempt, started);
  return { status: attempt.status, registered: {} };
}

/** Does what the action says; undefined when its `when` is false. */
async function act(action: MetaAction, task: Task, host: HostRun, env: TaskEnv): Promise<Attempt | undefined> {
  const done = (msg: string): Attempt => ({ status: 'ok', reason: msg, changes: [] });
  if (action === 'noop') return done('noop');
  const vars = env.varsFor(host, task);
  if (!task.when.every((c) => evalCondition(c, vars))) return undefined;
  switch (action) {
    case 'flush_handlers':
      await env.flushHandlers(host);
      return done(`triggered running handlers for ${host.name}`);
    case 'end_host':
      env.ends.hosts.add(host.name);
      return done(`ending play for ${host.name}`);
    case 'end_batch':
      env.ends.hosts.add(host.name);
      return done('ending batch');
    case 'end_play':
      env.ends.play = true;
      env.ends.hosts.add(host.name);
      return done('ending play');
    case 'clear_facts':
      // Ansible empties the fact cache of every host of the batch: their facts are undefined until
      // a play gathers them again. Each host forgets its own on reaching this task (runMeta), as
      // a host of lvsdr's may still be gathering them when the first one gets here.
      host.factsVisible = false;
      return done('facts cleared');
    case 'clear_host_errors':
      // Failed and unreachable hosts of the play take part in later plays again (their recap
      // keeps the failure); in this play they stay done, as Ansible's iterator leaves them.
      for (const h of env.playHosts) {
        h.failed = false;
        h.unreachable = undefined;
      }
      return done('cleared host errors');
  }
}
