/**
 * What a report shows, folded from a run record's events: the outcome, the hosts with their counts
 * (failures first), the task × host grid by play, every change with its diff, and for a rollout the
 * timeline of its steps. Pure: report-html.ts only lays it out.
 */
import type { HostStats, TaskStatus } from '../core/events.ts';
import type { IpvsService } from '../facts/ipvsadm.ts';
import type { ChangeDiff } from '../core/events.ts';
import type { RecordedEvent, RunRecord } from './record-file.ts';

export interface CellResult {
  status: TaskStatus;
  ignored: boolean;
  durationMs: number;
  /** Why nothing changed, what failed, or what changed: one line per result. */
  text: string;
  /** Anchors of this result's changes in the report's list of changes. */
  changeIds: string[];
}

export interface TaskRow {
  name: string;
  /** `file:line` of the task in its playbook. */
  pos: string;
  /** Each host's results (several for a loop). */
  cells: Map<string, CellResult[]>;
  /** The longest a host took over this task. */
  durationMs: number;
}

export interface PlaySection {
  name: string;
  check: boolean;
  /** The rollout step the play ran in. */
  step?: string;
  tasks: TaskRow[];
}

export interface ChangeEntry {
  id: string;
  host: string;
  task: string;
  pos: string;
  summary: string;
  check: boolean;
  diff?: ChangeDiff;
}

/** A task that failed on a host (not ignored), or found it unreachable. */
export interface FailureEntry {
  host: string;
  task: string;
  pos: string;
  msg: string;
}

export interface HostRow {
  name: string;
  stats: HostStats;
  /** The host's own failure message (unreachable, or failed before its tasks). */
  msg?: string;
}

export interface TimelineStep {
  step: string;
  t: number;
  hosts: string[];
  detail?: string;
  /** Each director's forwarding table before and after the step, where the rollout read it. */
  before: Map<string, DirectorView>;
  after: Map<string, DirectorView>;
  probes: { targets: string[]; attempts: number; failures: string[] }[];
  leftOut: { host: string; reason: string }[];
}

export interface DirectorView {
  services: IpvsService[];
  error?: string;
}

export interface ReportModel {
  record: RunRecord;
  hosts: HostRow[];
  plays: PlaySection[];
  changes: ChangeEntry[];
  failures: FailureEntry[];
  timeline: TimelineStep[];
}

const EMPTY: HostStats = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

/** The worst of a host's results decides its cell's colour. */
const SEVERITY: Record<TaskStatus, number> = { skipped: 0, ok: 1, changed: 2, unreachable: 3, failed: 4 };

export function worstStatus(results: CellResult[]): CellResult {
  return results.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] && !b.ignored ? b : a));
}

export function buildReport(record: RunRecord): ReportModel {
  const plays: PlaySection[] = [];
  const changes: ChangeEntry[] = [];
  const failures: FailureEntry[] = [];
  const hostMsgs = new Map<string, { msg: string; status: 'unreachable' | 'failed' }>();
  const recaps: Record<string, HostStats>[] = [];
  const timeline: TimelineStep[] = [];
  let views = new Map<string, DirectorView>();
  let step: TimelineStep | undefined;
  const taskIndex = new Map<string, TaskRow>();

  for (const e of record.events) {
    switch (e.type) {
      case 'play:start':
        plays.push({ name: e.play, check: Boolean(e.check), ...(step ? { step: step.step } : {}), tasks: [] });
        taskIndex.clear();
        break;
      case 'task:result':
        addResult(e, plays, taskIndex, changes);
        if ((e.status === 'failed' && !e.ignored) || e.status === 'unreachable') {
          failures.push({ host: e.host, task: e.task, pos: `${e.pos.file}:${e.pos.line}`, msg: e.msg ?? e.status });
        }
        break;
      case 'host:unreachable':
      case 'host:failed':
        hostMsgs.set(e.host, { msg: e.msg, status: e.type === 'host:failed' ? 'failed' : 'unreachable' });
        break;
      case 'recap':
        recaps.push(e.stats);
        break;
      case 'rollout:step':
        step = { step: e.step, t: e.t, hosts: e.hosts, ...(e.detail ? { detail: e.detail } : {}), before: views, after: new Map(), probes: [], leftOut: [] };
        timeline.push(step);
        break;
      case 'rollout:director':
        views = new Map(views).set(e.director, { services: e.services ?? [], ...(e.error ? { error: e.error } : {}) });
        if (step) step.after = views;
        break;
      case 'rollout:probe':
        step?.probes.push({ targets: e.targets, attempts: e.attempts, failures: e.failures });
        break;
      case 'rollout:host-failed':
        step?.leftOut.push({ host: e.host, reason: e.reason });
        break;
    }
  }
  return { record, hosts: hostRows(recaps, plays, hostMsgs), plays, changes, failures, timeline };
}

function addResult(e: RecordedEvent, plays: PlaySection[], taskIndex: Map<string, TaskRow>, changes: ChangeEntry[]): void {
  if (plays.length === 0) plays.push({ name: '(no play recorded)', check: Boolean(e.check), tasks: [] });
  const pos = `${e.pos.file}:${e.pos.line}`;
  const key = `${pos}\n${e.task}`;
  let row = taskIndex.get(key);
  if (!row) {
    row = { name: e.task, pos, cells: new Map(), durationMs: 0 };
    taskIndex.set(key, row);
    plays.at(-1)!.tasks.push(row);
  }
  // An ok command still names what it ran in `changes`; only a change is listed as one.
  const made = e.status === 'changed' ? (e.changes as { summary: string; diff?: ChangeDiff }[]) : [];
  const changeIds = made.map((c) => {
    const id = `change-${changes.length + 1}`;
    changes.push({ id, host: e.host, task: e.task, pos, summary: c.summary, check: Boolean(e.check), ...(c.diff ? { diff: c.diff } : {}) });
    return id;
  });
  const results = row.cells.get(e.host) ?? [];
  results.push({ status: e.status, ignored: Boolean(e.ignored), durationMs: Number(e.durationMs ?? 0), text: resultText(e), changeIds });
  row.cells.set(e.host, results);
  row.durationMs = Math.max(row.durationMs, results.reduce((sum, r) => sum + r.durationMs, 0));
}

function resultText(e: RecordedEvent): string {
  const item = e.item === undefined ? '' : `item ${typeof e.item === 'string' ? e.item : JSON.stringify(e.item)}: `;
  if (e.status === 'changed') return item + (e.changes as { summary: string }[]).map((c) => c.summary).join('; ');
  if (e.status === 'failed' || e.status === 'unreachable') return item + (e.msg ?? e.status) + (e.ignored ? ' (ignored)' : '');
  return item + (e.reason ?? e.note ?? e.status);
}

/**
 * Each host's counts, summed over the recaps (a rollout runs several playbooks), failures and
 * unreachable hosts first. A record cut off before its recap counts what its results say.
 */
function hostRows(recaps: Record<string, HostStats>[], plays: PlaySection[], msgs: Map<string, { msg: string; status: 'unreachable' | 'failed' }>): HostRow[] {
  const stats = new Map<string, HostStats>();
  const add = (host: string, s: Partial<HostStats>): void => {
    const sum = { ...(stats.get(host) ?? EMPTY) };
    for (const k of Object.keys(EMPTY) as (keyof HostStats)[]) sum[k] += s[k] ?? 0;
    stats.set(host, sum);
  };
  if (recaps.length > 0) {
    for (const recap of recaps) for (const [host, s] of Object.entries(recap)) add(host, s);
  } else {
    for (const row of plays.flatMap((p) => p.tasks)) {
      for (const [host, results] of row.cells) for (const r of results) add(host, { [r.ignored ? 'ignored' : r.status]: 1, ...(r.status === 'changed' ? { ok: 1 } : {}) });
    }
    for (const [host, { status }] of msgs) add(host, { [status]: 1 });
  }
  const rank = (s: HostStats): number => (s.failed > 0 ? 0 : s.unreachable > 0 ? 1 : s.changed > 0 ? 2 : 3);
  return [...stats.entries()]
    .map(([name, s]) => ({ name, stats: s, ...(msgs.has(name) ? { msg: msgs.get(name)!.msg } : {}) }))
    .sort((a, b) => rank(a.stats) - rank(b.stats) || a.name.localeCompare(b.name));
}
