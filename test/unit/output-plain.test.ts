import { describe, expect, it } from 'vitest';
import { createPlainRenderer } from '../../src/output/plain.ts';
import { makeStyle } from '../../src/output/style.ts';
import { capture, checkRun, realRun, result } from './output-events.ts';

const plain = (verbosity: number, diff: boolean, color = false) => (out: (t: string) => void) =>
  createPlainRenderer({ verbosity, diff, style: makeStyle(color), out });

describe('plain renderer', () => {
  it('prints one ansible-like line per event', () => {
    expect(capture(plain(0, false), realRun).split('\n')).toEqual([
      '',
      'PLAY [Real servers] ************************************************************',
      'unreachable: [rs3] connect ETIMEDOUT 198.18.0.13:22',
      'changed: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1',
      'ok: [rs2] Set arp_ignore (already 1)',
      'changed: [rs1] Persist sysctl -> write /etc/sysctl.d/90-lvs.conf',
      'failed: [rs2] Persist sysctl: mv: cannot move',
      '    read-only file system',
      'skipping: [rs1] Install arptables (when: method == "arptables" was false)',
      'failed: [rs1] Check VIP: exit 1 (ignored)',
      'ok: [rs1] Add VIP (item={"vip":"198.18.0.100"})',
      '',
      'PLAY RECAP *********************************************************************',
      'rs1             : ok=4 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=1',
      'rs2             : ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0',
      'rs3.example.com : ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0',
      'total (3 hosts) : ok=5 changed=2 unreachable=1 failed=1 skipped=1 rescued=0 ignored=1',
      'elapsed: 4.2s',
      '',
    ]);
  });

  it('lists remote commands and output with -v, and diffs with --diff', () => {
    const lines = capture(plain(1, true), realRun).split('\n');
    const from = (first: string, n: number) => lines.slice(lines.indexOf(first), lines.indexOf(first) + n);
    expect(from('changed: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1', 3)).toEqual([
      'changed: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1',
      '    $ sysctl -w net.ipv4.conf.all.arp_ignore=1',
      '    net.ipv4.conf.all.arp_ignore: 0 → 1',
    ]);
    expect(from('changed: [rs1] Persist sysctl -> write /etc/sysctl.d/90-lvs.conf', 6)).toEqual([
      'changed: [rs1] Persist sysctl -> write /etc/sysctl.d/90-lvs.conf',
      '    $ cat > /etc/sysctl.d/.90-lvs.conf.tmp && mv /etc/sysctl.d/.90-lvs.conf.tmp /etc/sysctl.d/90-lvs.conf',
      '--- /dev/null',
      '+++ /etc/sysctl.d/90-lvs.conf (after)',
      '@@ -0,0 +1 @@',
      '+net.ipv4.conf.all.arp_ignore = 1',
    ]);
    expect(from('failed: [rs1] Check VIP: exit 1 (ignored)', 3)).toEqual([
      'failed: [rs1] Check VIP: exit 1 (ignored)',
      '    rc=1',
      '    stderr> no such address',
    ]);
  });

  it('shows diffs only with --diff and commands only with -v', () => {
    const quiet = capture(plain(0, false), realRun);
    expect(quiet).not.toContain('$ sysctl');
    expect(quiet).not.toContain('0 → 1\n    ');
    expect(quiet).not.toContain('+++');
    const diffOnly = capture(plain(0, true), realRun);
    expect(diffOnly).toContain('    net.ipv4.conf.all.arp_ignore: 0 → 1\n');
    expect(diffOnly).not.toContain('$ sysctl');
  });

  it("follows a task's diff keyword over --diff, and marks a failure a rescue took over", () => {
    const setting = { kind: 'value' as const, name: 'k', before: '0', after: '1' };
    const changed = (diff: boolean) => result({ host: 'rs1', task: 'T', status: 'changed', diff, changes: [{ summary: 's', commands: [], diff: setting }] });
    expect(capture(plain(0, false), [changed(true)])).toContain('    k: 0 → 1\n');
    expect(capture(plain(0, true), [changed(false)])).not.toContain('    k: 0 → 1');
    expect(capture(plain(0, false), [result({ host: 'rs1', task: 'T', status: 'failed', msg: 'exit 1', rescued: true })])).toContain('failed: [rs1] T: exit 1 (rescued)');
    expect(capture(plain(0, false), [{ type: 'task:retry', host: 'rs1', task: 'T', retriesLeft: 2 }])).toBe('FAILED - RETRYING: [rs1] T (2 retries left)\n');
  });

  it('names the delegate beside the host of a delegated task, as ansible-playbook does', () => {
    const delegated = result({ host: 'rs1', delegatedTo: 'lb1', task: 'drain', status: 'changed', changes: [{ summary: 'weight 0', commands: [] }] });
    expect(capture(plain(0, false), [delegated])).toBe('changed: [rs1 -> lb1] drain -> weight 0\n');
  });

  it('diffs a changed file and a removed one, and a setting that appears', () => {
    const change = (diff: object) =>
      result({ host: 'rs1', task: 'T', status: 'changed', changes: [{ summary: 's', commands: [], diff: diff as never }] });
    const text = capture(plain(0, true), [
      change({ kind: 'file', path: '/etc/f', before: 'a\nb\n', after: 'a\nc\n' }),
      change({ kind: 'file', path: '/etc/g', before: 'x\n', after: null }),
      change({ kind: 'value', name: 'vip on lo', before: null, after: '198.18.0.100/32' }),
    ]);
    expect(text.split('\n')).toEqual([
      'changed: [rs1] T -> s',
      '--- /etc/f (before)',
      '+++ /etc/f (after)',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '+c',
      'changed: [rs1] T -> s',
      '--- /etc/g (before)',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
      'changed: [rs1] T -> s',
      '    vip on lo: (absent) → 198.18.0.100/32',
      '',
    ]);
  });

  it('marks every line of a dry run', () => {
    expect(capture(plain(0, false), checkRun).split('\n').slice(0, 8)).toEqual([
      '',
      'PLAY [Real servers] (check mode: nothing will be changed) **********************',
      '(check) would change: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1',
      '(check) would change: [rs1] Reload firewall -> would run: firewall-cmd --reload',
      '(check) ok: [rs1] Set arp_announce (already 2)',
      "    note: planned on state that task 'Reload firewall' may change; check mode did not run it",
      '',
      'PLAY RECAP (check mode: nothing was changed) ***********************************',
    ]);
  });

  it('prints batches, aborted plays, multi-line commands, and task starts at -vv', () => {
    const text = capture(plain(2, false), [
      { type: 'batch:start', play: 'Rollout', hosts: ['rs1', 'rs2'], index: 2, count: 3 },
      { type: 'task:start', host: 'rs1', task: 'Drain' },
      result({ host: 'rs1', task: 'Drain', status: 'changed', changes: [{ summary: 'drain', commands: ["printf '%s' 'a\nb'"] }] }),
      { type: 'play:aborted', play: 'Rollout', reason: 'more than 0% of batch 2 failed' },
    ]);
    expect(text.split('\n')).toEqual([
      'BATCH [2/3] rs1, rs2',
      'start: [rs1] Drain',
      'changed: [rs1] Drain -> drain',
      "    $ printf '%s' 'a",
      "      b'",
      'PLAY ABORTED [Rollout]: more than 0% of batch 2 failed',
      '',
    ]);
    expect(capture(plain(1, false), [{ type: 'task:start', host: 'rs1', task: 'Drain' }])).toBe('');
  });

  it('colors by status only when asked', () => {
    const colored = capture(plain(0, true, true), realRun);
    expect(colored).toContain('\x1b[33mchanged: [rs1] Set arp_ignore');
    expect(colored).toContain('\x1b[31mfailed: [rs2] Persist sysctl');
    expect(capture(plain(1, true, false), realRun)).not.toContain('\x1b');
  });
});
