/**
 * Runs that stop half-way (issue 19): lvsdr is SIGKILLed at a step boundary inside a task, and the
 * host's side of the run dies with it (the connection's shell and everything it runs, as when a
 * controller and its connection vanish mid-write). The host is then left between two commands of
 * one change: a rule added but not saved, a sysctl set but not written, a VIP up but its boot unit
 * not written. The next run must complete the work, and the one after change nothing; at no point
 * may the host hold a VIP whose ARP suppression is missing.
 *
 * The killed run's record ends where it was killed: `lvsdr report` shows it and says it did not finish.
 *
 * The boundary is found by a stand-in for dd (which writes every file lvsdr saves) bind-mounted in
 * the light host's own mount namespace: on the first write to a chosen place it records its pid
 * and waits, and the test kills both sides there.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, recapOf } from './run-helpers.ts';

const BIN = path.resolve('bin/lvsdr');
const PLAYBOOK = path.resolve('playbooks/realserver.yml');
const VARS = path.resolve('inventories/lab-realservers.yml');
const HIT = '/run/lvsdr-killpoint-hit';
const skip = labUnavailable();

/** dd, stopping (once) before a write whose arguments contain `where`. */
const standIn = (where: string) => `#!/bin/sh
case "$*" in *${where}*) if [ ! -e ${HIT} ]; then echo $$ > ${HIT}; sleep 60; fi ;; esac
exec /run/lvsdr-killpoint-dd "$@"
`;

interface KillPoint {
  name: string;
  method: string;
  /** Where the write that is cut short goes. */
  where: string;
}

const POINTS: KillPoint[] = [
  { name: 'iptables: between the REDIRECT rule and its save', method: 'iptables', where: 'of=/etc/iptables/' },
  { name: 'arptables: between the DROP and mangle rules and their save', method: 'arptables', where: 'of=/etc/.arptables' },
  { name: "arptables: between the saved rules and lvsdr's restore unit", method: 'arptables', where: 'of=/etc/systemd/system/.lvsdr-arptables' },
  { name: 'sysctl: between the runtime value and the sysctl.d file', method: 'sysctl', where: 'of=/etc/sysctl.d/' },
  { name: 'sysctl: between the VIP on lo and its boot unit', method: 'sysctl', where: 'of=/etc/systemd/system/.lvsdr-vip-' },
  { name: 'arptables: between the VIP and its boot unit', method: 'arptables', where: 'of=/etc/systemd/system/.lvsdr-vip-' },
];

describe.skipIf(skip)('killed at a step boundary on the host, the next run completes the work', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-kill', realservers: 1, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.exec('rs1', 'umount /usr/bin/dd 2>/dev/null; true').catch(() => undefined);
    await lab?.down();
  });
  const run = (method: string, ...flags: string[]) => lvsdr('run', PLAYBOOK, '-i', lab.inventoryPath, '-i', VARS, '--json', '-e', `lvs_arp_method=${method}`, ...flags);

  /** Whether rs1 holds the VIP without ARP for it suppressed (the outage the guide warns of). */
  async function unguardedVip(): Promise<boolean> {
    const r = await lab.exec(
      'rs1',
      sh`ip -o -4 addr show | grep -q ' ${lab.vip}/' || exit 0; [ "$(sysctl -n net.ipv4.conf.all.arp_ignore)" -ge 1 ] && exit 0; arptables-save | grep -- "^-A INPUT " | grep -- "-j DROP" | grep -q -- "-d ${lab.vip}\$" && exit 0; exit 1`.text,
    );
    return r.code !== 0;
  }

  /** Runs the playbook until the stand-in stops a write to `where`, then kills lvsdr and its shell on the host. */
  async function killAt(method: string, where: string): Promise<void> {
    const arm = await lab.exec(
      'rs1',
      sh`rm -f ${HIT} && cp /usr/bin/dd /run/lvsdr-killpoint-dd && printf '%s' ${standIn(where)} > /run/lvsdr-killpoint-wrap && chmod 755 /run/lvsdr-killpoint-wrap && mount --bind /run/lvsdr-killpoint-wrap /usr/bin/dd`.text,
    );
    expect(arm.code, arm.stderr).toBe(0);
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-kill-records-'));
    const child = spawn(BIN, ['run', PLAYBOOK, '-i', lab.inventoryPath, '-i', VARS, '--json', '-e', `lvs_arp_method=${method}`, '--record-dir', records], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let hit = '';
      for (let i = 0; i < 100 && !hit && child.exitCode === null; i++) {
        hit = (await lab.exec('rs1', `cat ${HIT} 2>/dev/null`)).stdout.trim();
        if (!hit) await new Promise((r) => setTimeout(r, 200));
      }
      expect(hit, `the run never wrote to ${where}`).toMatch(/^\d+$/);
      child.kill('SIGKILL');
      await exited;
      // The host's side of the run: the session of the shell that runs the stopped write.
      const killed = await lab.exec('rs1', `pkill -KILL -s "$(ps -o sid= -p ${hit} | tr -d ' ')"`);
      expect(killed.code, killed.stderr).toBe(0);
      await reportOfKilledRun(records);
    } finally {
      rmSync(records, { recursive: true, force: true });
      child.kill('SIGKILL');
      await lab.exec('rs1', `umount /usr/bin/dd; rm -f ${HIT} /run/lvsdr-killpoint-wrap /run/lvsdr-killpoint-dd`);
    }
  }

  /** The record has the killed run's results up to the kill, no end line, and a report that says so. */
  async function reportOfKilledRun(records: string): Promise<void> {
    const [file] = readdirSync(records);
    const out = path.join(records, 'report.html');
    const report = await lvsdr('report', path.join(records, file), '-o', out);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toMatch(/no end line: the run was killed/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('did not finish');
    expect(html).toMatch(/class="cell (ok|changed|skipped)"/);
  }

  for (const point of POINTS) {
    it(point.name, { timeout: 120_000 }, async () => {
      expect((await run(point.method, '-e', 'lvs_state=absent')).code).toBe(0);
      await killAt(point.method, point.where);
      expect(await unguardedVip()).toBe(false);
      const check = await run(point.method, '--check');
      expect(recapOf(check).total.changed, 'the half-done work shows as pending').toBeGreaterThan(0);
      const next = await run(point.method);
      expect(next.code, next.stderr).toBe(0);
      expect(await unguardedVip()).toBe(false);
      const again = await run(point.method);
      expect(recapOf(again).total).toMatchObject({ changed: 0, failed: 0 });
      // What the killed run left out is there now: saved, written, enabled for boot.
      const persisted = await lab.exec('rs1', 'ls /etc/systemd/system/multi-user.target.wants/ /etc/sysctl.d/ /etc/iptables/ /etc/arptables.rules 2>/dev/null');
      if (point.method === 'iptables') expect(persisted.stdout).toMatch(/rules\.v4/);
      if (point.method === 'sysctl') expect(persisted.stdout).toMatch(/90-lvsdr\.conf[\s\S]*lvsdr-vip-/);
      if (point.method === 'arptables') expect(persisted.stdout).toMatch(/arptables\.rules[\s\S]*lvsdr-vip-|lvsdr-vip-[\s\S]*arptables\.rules/);
    });
  }
});
