/**
 * What a task's plan becomes: in check mode, a report of what would change (its effects recorded
 * in the host's overlay, so later tasks plan on the would-be state); in a real run, the plan's
 * commands run, in as few execs as command-groups.ts allows, and what they did.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecResult } from '../../connection/types.ts';
import type { Change, Plan, RemoteCommand } from '../../modules/types.ts';
import { uniqueMarker } from '../../shell/marker.ts';
import type { ChangeReport } from '../events.ts';
import type { Task } from '../playbook/types.ts';
import { commandGroups, groupOutcome } from './command-groups.ts';
import type { HostRun } from './host-run.ts';
import type { TaskTarget } from './task-attempt.ts';
import { forgetTouched } from './state-reach.ts';
import type { Attempt } from './task-outcome.ts';
import { NO_ANSIBLE_SUBSETS } from '../../facts/gather-subset.ts';
import { hostFactsCommandFor, parseHostFacts } from '../../facts/host-facts.ts';

/** The state keys a plan's changes say they leave: what check mode would hold in the overlay for them. */
export function planEffectKeys(plan: Plan): string[] {
  if (plan.kind === 'change') return plan.changes.flatMap((c) => Object.keys(c.effects));
  return plan.kind === 'action' && plan.effects ? Object.keys(plan.effects) : [];
}

export function reportPlan(task: Task, host: HostRun, plan: Plan): Attempt {
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
      if (!plan.countsAsChange) return { status: 'ok', reason: `not run in check mode: ${plan.summary}`, changes: [], notRun: plan.result === undefined, extra: plan.result };
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

/**
 * Check mode does not install software: after a task that would, a plan that fails (`arptables is
 * not installed`) was made without the tools the real run will have, so it is reported as not
 * plannable, with its message, rather than as the failure the real run would not have.
 */
export function checkModePlan(task: Task, host: HostRun, plan: Plan, changesTools: boolean): Attempt {
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
export async function rereadTools(host: HostRun, on: TaskTarget, timeoutMs: number): Promise<void> {
  const r = await on.conn.exec(hostFactsCommandFor(NO_ANSIBLE_SUBSETS).text, { timeoutMs, ...on.as });
  if (r.code === 0 && host.facts) host.facts = { ...host.facts, tools: parseHostFacts(r, NO_ANSIBLE_SUBSETS).tools };
}

export async function applyPlan(host: HostRun, on: TaskTarget, plan: Plan, timeoutMs: number): Promise<Attempt> {
  switch (plan.kind) {
    case 'noop':
      return { status: 'ok', reason: plan.reason, changes: [], extra: plan.result };
    case 'fail':
      return { status: 'failed', msg: plan.message, changes: [] };
    case 'change': {
      const commands = plan.changes.flatMap((c, change) => c.commands.map((command) => ({ command, change })));
      const { failedAt, result } = await runCommands(host, on, commands.map((c) => c.command), timeoutMs);
      const failed = failedAt === undefined ? undefined : commands[failedAt].change;
      const done = plan.changes.slice(0, failed ?? plan.changes.length).map(toReport);
      if (failed !== undefined) return { status: 'failed', msg: commandFailure(plan.changes[failed].summary, result), changes: done, exec: result };
      const written = writeControllerFiles(plan.changes);
      if (written) return { status: 'failed', msg: written, changes: done };
      return { status: 'changed', changes: done, extra: plan.result };
    }
    case 'action': {
      const { result: r } = await runCommands(host, on, plan.commands, timeoutMs);
      const report: ChangeReport = { summary: plan.summary, commands: plan.commands.map((c) => c.command.text) };
      // A command that reports changes changed the host even when it failed (Ansible's command: changed=True).
      if (r.code !== 0) return { status: 'failed', msg: commandFailure(plan.summary, r), changes: plan.countsAsChange ? [report] : [], exec: r };
      return { status: plan.countsAsChange ? 'changed' : 'ok', changes: plan.countsAsChange ? [report] : [], exec: r, extra: plan.result };
    }
  }
}

/**
 * Runs a plan's commands in order, in as few execs as command-groups.ts allows, stopping at the
 * first failure: the index of the command that failed, and the failing exec's result; or, when all
 * succeeded, their output together (what `register` keeps of an action).
 */
async function runCommands(host: HostRun, on: TaskTarget, commands: readonly RemoteCommand[], timeoutMs: number): Promise<{ failedAt?: number; result: ExecResult }> {
  // The host is about to change: what the commands can reach must be read again.
  forgetTouched(host.probeCache, commands);
  const marker = uniqueMarker();
  const output = { code: 0, stdout: '', stderr: '' };
  for (const group of commandGroups(commands, timeoutMs, marker)) {
    const r = await on.conn.exec(group.script, { stdin: group.stdin, scriptOnInput: group.scriptOnInput, timeoutMs: group.timeoutMs, ...on.as });
    const outcome = groupOutcome(group, r.code, r.stdout, marker);
    if (r.code !== 0) return { failedAt: group.indices[outcome.succeeded], result: { ...r, stdout: outcome.stdout } };
    output.stdout += outcome.stdout;
    output.stderr += r.stderr;
  }
  return { result: output };
}

/** Writes the files the changes bring to the controller (fetch); a failure's message, or undefined. */
function writeControllerFiles(changes: Change[]): string | undefined {
  for (const file of changes.flatMap((c) => c.controllerFiles ?? [])) {
    try {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, Buffer.from(file.base64, 'base64'));
    } catch (err) {
      return `Failed to fetch the file: ${(err as Error).message}`;
    }
  }
  return undefined;
}

function commandFailure(what: string, r: ExecResult): string {
  const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
  return `${what}: ${r.code === null ? 'did not finish' : `exit ${r.code}`}${detail ? `: ${detail}` : ''}`;
}

function toReport(c: { summary: string; commands: RemoteCommand[]; diff?: ChangeReport['diff'] }): ChangeReport {
  return { summary: c.summary, commands: c.commands.map((x) => x.command.text), ...(c.diff ? { diff: c.diff } : {}) };
}
