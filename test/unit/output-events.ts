/** A recorded run, as the executor emits it, shared by the renderer tests. */
import type { RunEvent, TaskResult } from '../../src/core/events.ts';

const pos = { file: 'playbooks/arp.yml', line: 12, col: 7 };

export function result(fields: Partial<TaskResult> & Pick<TaskResult, 'host' | 'task' | 'status'>): RunEvent {
  return { type: 'task:result', result: { module: 'sysctl', pos, changes: [], check: false, durationMs: 40, ...fields } };
}

const arpIgnore = {
  summary: 'net.ipv4.conf.all.arp_ignore 0 → 1',
  commands: ['sysctl -w net.ipv4.conf.all.arp_ignore=1'],
  diff: { kind: 'value' as const, name: 'net.ipv4.conf.all.arp_ignore', before: '0', after: '1' },
};

const sysctlFile = {
  summary: 'write /etc/sysctl.d/90-lvs.conf',
  commands: ["cat > /etc/sysctl.d/.90-lvs.conf.tmp && mv /etc/sysctl.d/.90-lvs.conf.tmp /etc/sysctl.d/90-lvs.conf"],
  diff: { kind: 'file' as const, path: '/etc/sysctl.d/90-lvs.conf', before: null, after: 'net.ipv4.conf.all.arp_ignore = 1\n' },
};

export const realRun: RunEvent[] = [
  { type: 'play:start', play: 'Real servers', hosts: ['rs1', 'rs2', 'rs3'], check: false },
  { type: 'task:start', host: 'rs1', task: 'Set arp_ignore' },
  { type: 'host:unreachable', host: 'rs3', msg: 'connect ETIMEDOUT 198.18.0.13:22' },
  result({ host: 'rs1', task: 'Set arp_ignore', status: 'changed', changes: [arpIgnore] }),
  result({ host: 'rs2', task: 'Set arp_ignore', status: 'ok', reason: 'already 1' }),
  result({ host: 'rs1', task: 'Persist sysctl', module: 'copy', status: 'changed', changes: [sysctlFile] }),
  result({ host: 'rs2', task: 'Persist sysctl', module: 'copy', status: 'failed', msg: 'mv: cannot move\nread-only file system' }),
  result({ host: 'rs1', task: 'Install arptables', module: 'command', status: 'skipped', reason: 'when: method == "arptables" was false' }),
  result({ host: 'rs1', task: 'Check VIP', module: 'command', status: 'failed', ignored: true, msg: 'exit 1', rc: 1, stdout: '', stderr: 'no such address' }),
  result({ host: 'rs1', task: 'Add VIP', module: 'command', status: 'ok', item: { vip: '198.18.0.100' }, rc: 0, stdout: 'done\n' }),
  {
    type: 'recap',
    durationMs: 4230,
    check: false,
    stats: {
      rs1: { ok: 4, changed: 2, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 1 },
      rs2: { ok: 1, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 },
      'rs3.example.com': { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    },
  },
];

export const checkRun: RunEvent[] = [
  { type: 'play:start', play: 'Real servers', hosts: ['rs1'], check: true },
  result({ host: 'rs1', task: 'Set arp_ignore', status: 'changed', check: true, changes: [arpIgnore] }),
  result({ host: 'rs1', task: 'Reload firewall', module: 'command', status: 'changed', check: true, changes: [{ summary: 'would run: firewall-cmd --reload', commands: ['firewall-cmd --reload'] }] }),
  result({
    host: 'rs1',
    task: 'Set arp_announce',
    status: 'ok',
    check: true,
    reason: 'already 2',
    note: "planned on state that task 'Reload firewall' may change; check mode did not run it",
  }),
  { type: 'recap', durationMs: 850, check: true, stats: { rs1: { ok: 3, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } } },
];

/** Feeds events to a listener and returns everything it printed. */
export function capture(make: (out: (text: string) => void) => (event: RunEvent) => void, events: RunEvent[]): string {
  let text = '';
  const listener = make((t) => (text += t));
  for (const e of events) listener(e);
  return text;
}
