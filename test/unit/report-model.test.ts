/** What a report makes of a record's events: outcomes, host order, the grid, a rollout's timeline. */
import { describe, expect, it } from 'vitest';
import type { RecordHeader } from '../../src/output/record-writer.ts';
import type { RecordedEvent, RunRecord } from '../../src/report/record-file.ts';
import { outcomeOf, renderReport } from '../../src/report/report-html.ts';
import { buildReport } from '../../src/report/report-model.ts';

const header: RecordHeader = {
  type: 'record:start', format: 1, kind: 'rollout', runId: 'abc', command: ['lvsdr', 'rollout'], user: 'op', controller: 'ctl',
  version: '0.1.0', cwd: '/x', check: false, start: '2026-12-07T17:00:00.000Z', inventories: [], playbooks: [],
};
const pos = { file: 'playbooks/director.yml', line: 9, col: 7 };
const result = (host: string, status: string, t: number, extra: object = {}): RecordedEvent =>
  ({ type: 'task:result', t, host, task: 'Configure keepalived', module: 'keepalived', status, pos, changes: [], check: false, durationMs: 30, ...extra });
const ipvs = (weights: Record<string, number>) => [
  { protocol: 'TCP', vip: '198.18.0.240', port: 80, scheduler: 'wrr', realServers: Object.entries(weights).map(([ip, weight]) => ({ ip, port: 80, forward: 'Route', weight, activeConn: 0, inactiveConn: 0 })) },
];
const record = (events: RecordedEvent[], exitCode?: number): RunRecord => ({
  file: 'r.jsonl', header, events, problems: [], ...(exitCode === undefined ? {} : { end: { type: 'record:end', t: 5000, end: 'x', exitCode } }),
});

const rolloutEvents: RecordedEvent[] = [
  { type: 'rollout:director', t: 1, director: 'director', services: ipvs({ '198.18.0.11': 1 }) },
  { type: 'rollout:step', t: 2, step: 'director', hosts: ['rs2'], detail: 'add at weight 0' },
  { type: 'play:start', t: 3, play: 'Director', hosts: ['director'], check: false },
  result('director', 'changed', 4, { changes: [{ summary: 'write keepalived.conf', commands: [], diff: { kind: 'file', path: '/etc/keepalived/keepalived.conf', before: 'a\n', after: 'b\n' } }] }),
  { type: 'recap', t: 5, stats: { director: { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, ignored: 0 } } },
  { type: 'rollout:director', t: 6, director: 'director', services: ipvs({ '198.18.0.11': 1, '198.18.0.12': 0 }) },
  { type: 'rollout:step', t: 7, step: 'probe', hosts: ['rs2'] },
  { type: 'rollout:probe', t: 8, targets: ['198.18.0.240:80'], attempts: 3, failures: ['198.18.0.240:80: no answer within 2000 ms'] },
  { type: 'rollout:host-failed', t: 9, host: 'rs2', step: 'wait', reason: 'no health' },
];

describe('report model', () => {
  it("a rollout's timeline: each step with the directors' real servers and weights before and after it, its probes and hosts left out", () => {
    const m = buildReport(record(rolloutEvents, 2));
    expect(m.timeline.map((s) => s.step)).toEqual(['director', 'probe']);
    const [director, probe] = m.timeline;
    expect(director.before.get('director')!.services[0].realServers.map((r) => [r.ip, r.weight])).toEqual([['198.18.0.11', 1]]);
    expect(director.after.get('director')!.services[0].realServers.map((r) => [r.ip, r.weight])).toEqual([['198.18.0.11', 1], ['198.18.0.12', 0]]);
    expect(probe.before).toBe(director.after);
    expect(probe.probes[0].failures).toHaveLength(1);
    expect(probe.leftOut).toEqual([{ host: 'rs2', reason: 'no health' }]);
    expect(m.plays[0]).toMatchObject({ name: 'Director', step: 'director' });
    const html = renderReport(m);
    expect(html).toContain('198.18.0.12 w0');
    expect(html).toContain('left out rs2: no health');
  });

  it('says at a glance how the run ended', () => {
    const changed = [result('rs1', 'changed', 1), { type: 'recap', t: 2, stats: { rs1: { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, ignored: 0 } } }];
    expect(outcomeOf(buildReport(record(changed, 0))).label).toBe('completed with changes');
    expect(outcomeOf(buildReport(record([result('rs1', 'ok', 1)], 0))).label).toBe('completed, no changes');
    expect(outcomeOf(buildReport(record(changed, 2))).label).toBe('exit 2: a host failed');
    expect(outcomeOf(buildReport(record(changed))).label).toBe('did not finish');
  });

  it('puts failed, then unreachable, then changed hosts first, counting from the results when there is no recap', () => {
    const m = buildReport(record([result('a', 'ok', 1), result('b', 'changed', 2), result('c', 'failed', 3), { type: 'host:unreachable', t: 4, host: 'd', msg: 'timeout' }]));
    expect(m.hosts.map((h) => h.name)).toEqual(['c', 'd', 'b', 'a']);
    expect(m.hosts.map((h) => [h.stats.ok, h.stats.changed, h.stats.failed, h.stats.unreachable])).toEqual([[0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 0, 0], [1, 0, 0, 0]]);
    expect(m.hosts[1].msg).toBe('timeout');
  });

  it('keeps hostile host names, task names and messages as text', () => {
    const evil = '"><script>alert(1)</script>';
    const html = renderReport(buildReport(record([result(evil, 'failed', 1, { task: evil, msg: evil })], 2)));
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
