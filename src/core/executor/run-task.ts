/**
 * One task on one host: conditions, templating, argument checks, probes, plan, and — in a real
 * run — the plan's commands. Nothing here throws for a host's sake: every outcome is a TaskResult.
 */
import { dirname } from 'node:path';
import { UnreachableError, type Connection, type ExecOptions, type ExecResult } from '../../connection/types.ts';
import { NO_ANSIBLE_SUBSETS } from '../../facts/gather-subset.ts';
import { hostFactsCommandFor, parseHostFacts } from '../../facts/host-facts.ts';
import { getModule } from '../../modules/registry.ts';
import type { Change, ModuleContext, Plan, Probe, RemoteCommand, StateView } from '../../modules/types.ts';
import { uniqueMarker } from '../../shell/marker.ts';
import { formatProblem } from '../errors.ts';
import type { ChangeReport, EventBus } from '../events.ts';
import { checkModuleArgs } from '../playbook/validate.ts';
import type { Task } from '../playbook/types.ts';
import { evalCondition, expressionRefs, renderTemplateText, renderValue, templateRefs } from '../templating.ts';
import type { HostRun } from './host-run.ts';
import { commandGroups, groupOutcome } from './command-groups.ts';
import { probeId, runProbes } from './probe-batch.ts';
import { forgetTouched } from './state-reach.ts';
import { accessKey, becomeOptions, type TaskAccess } from './task-access.ts';
import { applyResultConditions, finishTask, registerValue, type Attempt } from './task-outcome.ts';

export interface TaskEnv {
  check: boolean;
  /** How a task (or, without one, the play) reaches the host and whom it runs as; throws AccessError. */
  accessFor(task: Task | undefined, vars: Record<string, unknown>): TaskAccess;
  taskTimeoutMs: number;
  playbookDir: string;
  events: EventBus;
  /** The host's variables as templates see them for `task` (or the play), with `extra` (e.g. `item`) on top. */
  varsFor(host: HostRun, task?: Task, extra?: Record<string, unknown>): Record<string, unknown>;
}

export async function runTask(task: Task, host: HostRun, env: TaskEnv): Promise<void> {
  env.events.emit({ type: 'task:start', host: host.name, task: task.name });
  const vars = env.varsFor(host, task);
  let items: unknown[] | undefined;
  if (task.loop !== undefined) {
    try {
      const rendered = renderValue(task.loop, vars);
      if (!Array.isArray(rendered)) throw new Error(`loop must be a list, got ${typeof rendered}`);
      items = rendered;
    } catch (err) {
      finishTask(task, host, env, { status: 'failed', msg: `${task.pos.file}:${task.pos.line}:${task.pos.col}: ${(err as Error).message}`, changes: [] }, Date.now());
      return;
    }
  }
  if (!items) {
    const registered = await runItem(task, host, env, undefined, false);
    if (task.register) host.registered[task.register] = registered;
    return;
  }
  const results: Record<string, unknown>[] = [];
  for (const item of items) {
    if (!host.active) break;
    results.push(await runItem(task, host, env, item, true));
  }
  if (task.register) {
    host.registered[task.register] = {
      changed: results.some((r) => r.changed),
      failed: results.some((r) => r.failed),
      skipped: results.length > 0 && results.every((r) => r.skipped),
      results,
    };
  }
}

async function runItem(task: Task, host: HostRun, env: TaskEnv, item: unknown, looping: boolean): Promise<Record<string, unknown>> {
  const started = Date.now();
  const vars = env.varsFor(host, task, looping ? { item } : undefined);
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
  const registered = registerValue(attempt, looping ? item : undefined);
  if (attempt.status !== 'skipped' && attempt.status !== 'unreachable' && !attempt.notRun) {
    applyResultConditions(task, attempt, registered, { ...vars, ...(task.register ? { [task.register]: registered } : {}) });
  }
  finishTask(task, host, env, attempt, started, looping ? item : undefined);
  return registered;
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
  const ctx = moduleContext(host, env, vars, task);
  const timeoutMs = task.timeout ? task.timeout * 1000 : env.taskTimeoutMs;
  const on = await taskTarget(host, env.accessFor(task, vars));
  const state = await readState(host, on, module.probes(args, ctx), env, timeoutMs);
  const plan = module.plan(args, state, ctx);
  if (env.check) return checkModePlan(task, host, plan, module.changesTools === true);
  const attempt = await applyPlan(host, on, plan, timeoutMs);
  if (module.changesTools && attempt.status === 'changed') await rereadTools(host, on, timeoutMs);
  return attempt;
}

/**
 * Check mode does not install software: after a task that would, a plan that fails (`arptables is
 * not installed`) was made without the tools the real run will have, so it is reported as not
 * plannable, with its message, rather than as the failure the real run would not have.
 */
function checkModePlan(task: Task, host: HostRun, plan: Plan, changesTools: boolean): Attempt {
  if (plan.kind === 'fail' && host.softwareChangedBy) {
    return {
      status: 'skipped',
      reason: `cannot be planned in check mode: task '${host.softwareChangedBy}' installs or removes software first, which check mode does not do (here: ${plan.message})`,
      changes: [],
      notRun: true,
    };
  }
  if (changesTools && plan.kind === 'change') host.softwareChangedBy ??= task.name;
  return reportPlan(task, host, plan);
}

/** The host's tools read again after software changed (ModuleDef.changesTools): one round trip. */
async function rereadTools(host: HostRun, on: TaskTarget, timeoutMs: number): Promise<void> {
  const r = await on.conn.exec(hostFactsCommandFor(NO_ANSIBLE_SUBSETS).text, { timeoutMs, ...on.as });
  if (r.code === 0 && host.facts) host.facts = { ...host.facts, tools: parseHostFacts(r, NO_ANSIBLE_SUBSETS).tools };
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
 * Probes the keys the host's check-mode overlay does not already answer, in one round trip; what
 * the host's probe cache holds (read since the last command that changed the host) is not read again.
 */
async function readState(host: HostRun, on: TaskTarget, probes: Probe[], env: TaskEnv, timeoutMs: number): Promise<StateView> {
  const values = new Map<string, unknown>();
  const needed = probes.filter((p) => !(env.check && host.overlay.has(p.key)));
  const toRun = on.sharesCache ? needed.filter((p) => !host.probeCache.has(probeId(p))) : needed;
  const results = await runProbes(on.conn, toRun, { timeoutMs, ...on.as });
  toRun.forEach((p, i) => {
    if (results[i].code !== null && on.sharesCache) host.probeCache.set(probeId(p), results[i]);
  });
  const fresh = new Map(toRun.map((p, i) => [probeId(p), results[i]]));
  for (const p of needed) values.set(p.key, p.parse(fresh.get(probeId(p)) ?? host.probeCache.get(probeId(p))!));
  return {
    get<T>(key: string): T {
      if (env.check && host.overlay.has(key)) return host.overlay.get(key) as T;
      if (!values.has(key)) throw new Error(`internal: state '${key}' was not probed`);
      return values.get(key) as T;
    },
  };
}

function reportPlan(task: Task, host: HostRun, plan: Plan): Attempt {
  switch (plan.kind) {
    case 'noop':
      return { status: 'ok', reason: plan.reason, changes: [], extra: plan.result };
    case 'fail':
      return { status: 'failed', msg: plan.message, changes: [] };
    case 'change':
      for (const c of plan.changes) for (const [k, v] of Object.entries(c.effects)) host.overlay.set(k, v);
      return { status: 'changed', changes: plan.changes.map(toReport), extra: plan.result };
    case 'action': {
      // A result the plan already holds (systemd's beside a daemon-reload) is known without running.
      if (!plan.changes) return { status: 'ok', reason: `not run in check mode: ${plan.summary}`, changes: [], notRun: plan.result === undefined, extra: plan.result };
      if (!plan.effects) {
        host.uncertainSince ??= task.name;
        // As Ansible's command module: without creates/removes it does not run in check mode, and
        // reports itself skipped (not changed: a check of an unchanged host stays clean).
        return { status: 'skipped', reason: `command would have run if not in check mode: ${plan.summary}`, changes: [], notRun: true };
      }
      for (const [k, v] of Object.entries(plan.effects)) host.overlay.set(k, v);
      if (task.changedWhen) return { status: 'skipped', reason: `outcome unknown in check mode (changed_when decides after running): ${plan.summary}`, changes: [], notRun: true };
      return { status: 'changed', changes: [{ summary: plan.summary, commands: plan.commands.map((c) => c.command.text) }], notRun: true };
    }
  }
}

async function applyPlan(host: HostRun, on: TaskTarget, plan: Plan, timeoutMs: number): Promise<Attempt> {
  switch (plan.kind) {
    case 'noop':
      return { status: 'ok', reason: plan.reason, changes: [], extra: plan.result };
    case 'fail':
      return { status: 'failed', msg: plan.message, changes: [] };
    case 'change': {
      const failure = await runChanges(host, on, plan.changes, timeoutMs);
      const done = plan.changes.slice(0, failure?.change ?? plan.changes.length).map(toReport);
      if (!failure) return { status: 'changed', changes: done, extra: plan.result };
      return { status: 'failed', msg: commandFailure(plan.changes[failure.change].summary, failure.result), changes: done, exec: failure.result };
    }
    case 'action': {
      const r = await runCommands(host, on, plan.commands, timeoutMs);
      const report: ChangeReport = { summary: plan.summary, commands: plan.commands.map((c) => c.command.text) };
      if (r.code !== 0) return { status: 'failed', msg: commandFailure(plan.summary, r), changes: [], exec: r };
      return { status: plan.changes ? 'changed' : 'ok', changes: plan.changes ? [report] : [], exec: r, extra: plan.result };
    }
  }
}

/**
 * Runs the commands of a plan's changes in order, in as few execs as command-groups.ts allows,
 * stopping at the first failure; returns the change whose command failed, and its result.
 */
async function runChanges(host: HostRun, on: TaskTarget, changes: Change[], timeoutMs: number): Promise<{ change: number; result: ExecResult } | undefined> {
  const commands = changes.flatMap((c, change) => c.commands.map((command) => ({ command, change })));
  // The host is about to change: what the commands can reach must be read again.
  forgetTouched(host.probeCache, commands.map((c) => c.command));
  const marker = uniqueMarker();
  for (const group of commandGroups(commands.map((c) => c.command), timeoutMs, marker)) {
    const r = await on.conn.exec(group.script, { stdin: group.stdin, scriptOnInput: group.scriptOnInput, timeoutMs: group.timeoutMs, ...on.as });
    if (r.code === 0) continue;
    const outcome = groupOutcome(group, r.code, r.stdout, marker);
    return { change: commands[group.indices[outcome.succeeded]].change, result: { ...r, stdout: outcome.stdout } };
  }
  return undefined;
}

/** Runs commands in order, stopping at the first failure; returns the last result. */
async function runCommands(host: HostRun, on: TaskTarget, commands: RemoteCommand[], timeoutMs: number): Promise<ExecResult> {
  let last: ExecResult = { code: 0, stdout: '', stderr: '' };
  // The host is about to change: what the commands can reach must be read again.
  forgetTouched(host.probeCache, commands);
  for (const c of commands) {
    last = await on.conn.exec(c.command.text, { stdin: c.stdin, timeoutMs: Math.max(timeoutMs, c.timeoutMs ?? 0), ...on.as });
    if (last.code !== 0) break;
  }
  return last;
}

function commandFailure(what: string, r: ExecResult): string {
  const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
  return `${what}: ${r.code === null ? 'did not finish' : `exit ${r.code}`}${detail ? `: ${detail}` : ''}`;
}

function toReport(c: { summary: string; commands: RemoteCommand[]; diff?: ChangeReport['diff'] }): ChangeReport {
  return { summary: c.summary, commands: c.commands.map((x) => x.command.text), ...(c.diff ? { diff: c.diff } : {}) };
}
