/**
 * Two operators at once (issue 19): runs against the same hosts take turns through a lock on each
 * host, held by the run's own connection. Six runs of the iptables playbook at once used to leave
 * 11–14 copies of 5 rules per host.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, lvsdrWatching, recapOf, type CliRun } from './run-helpers.ts';

const BIN = path.resolve('bin/lvsdr');
const HOLD = path.resolve('test/fixtures/reliability/hold.yml');
const TOUCH = path.resolve('test/fixtures/reliability/touch.yml');
const IPTABLES = path.resolve('playbooks/realserver-iptables.yml');
const REDIRECTS = path.resolve('test/fixtures/reliability/redirects.yml');
const HOSTS = ['rs1', 'rs2'];
const LOCK_FILE = '$( [ -d /run/lock ] && echo /run/lock || echo /run )/lvsdr.lock';
const skip = labUnavailable();

const failedMsg = (r: CliRun, host: string): string | undefined => r.events.find((e) => e.type === 'host:failed' && e.host === host)?.msg;
const lockEvents = (r: CliRun, state: string) => r.events.filter((e) => e.type === 'host:lock' && e.state === state);

describe.skipIf(skip)('the host lock', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-lock', realservers: 2, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });
  const inv = () => ['-i', lab.inventoryPath];
  /** Starts a run of hold.yml and resolves once every host runs its slow command. */
  const holding = (seconds: number) => {
    let ready: () => void = () => {};
    const slowOn = new Set<string>();
    const started = new Promise<void>((resolve) => (ready = resolve));
    const done = lvsdrWatching(['run', HOLD, ...inv(), '--json', '-e', `hold_seconds=${seconds}`], (e) => {
      if (e.type === 'task:start' && e.task === 'Slow') slowOn.add(e.host);
      if (slowOn.size === HOSTS.length) ready();
    });
    return { started, done };
  };

  it('six runs at once leave exactly one of each rule, each exits 0, and the next run changes nothing', { timeout: 180_000 }, async () => {
    const args = [IPTABLES, ...inv(), '-i', REDIRECTS, '--json'];
    expect((await lvsdr('run', ...args, '-e', 'lvs_state=absent')).code).toBe(0);
    const runs = await Promise.all(Array.from({ length: 6 }, () => lvsdr('run', ...args)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const host of HOSTS) {
      const runtime = await lab.exec(host, 'iptables-save -t nat | grep -c -- "-j REDIRECT"');
      const saved = await lab.exec(host, 'grep -c -- "-j REDIRECT" /etc/iptables/rules.v4');
      expect([runtime.stdout.trim(), saved.stdout.trim()], host).toEqual(['5', '5']);
    }
    // Every change was made once, by whichever run came first to each host.
    const changed = runs.reduce((n, r) => n + Object.values(recapOf(r).stats as Record<string, { changed: number }>).reduce((m, s) => m + s.changed, 0), 0);
    const again = await lvsdr('run', ...args);
    expect(again.code).toBe(0);
    expect(recapOf(again).total.changed).toBe(0);
    expect(changed).toBeGreaterThan(0);
    expect(lockEvents(again, 'waiting')).toEqual([]);
  });

  it('a second run waits, showing who holds each host, then does its work', { timeout: 120_000 }, async () => {
    const holder = holding(3);
    await holder.started;
    const second = await lvsdr('run', TOUCH, ...inv(), '--json', '--lock-timeout', '60');
    const first = await holder.done;
    expect(first.code).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const waits = lockEvents(second, 'waiting');
    expect(waits.map((e) => e.host).sort()).toEqual(HOSTS);
    expect(waits[0].holder).toMatch(/^user=\S+ controller=\S+ pid=\d+ since=\S+ run=[0-9a-f]+ command=lvsdr run \S*hold\.yml$/);
    // The holder line is all of the command line that reaches the host: no extra vars.
    expect(waits[0].holder).not.toMatch(/hold_seconds/);
  });

  it('gives up after --lock-timeout: that host fails, naming the holder, exit 2', { timeout: 120_000 }, async () => {
    const holder = holding(4);
    await holder.started;
    const zero = await lvsdr('run', TOUCH, ...inv(), '--json', '--lock-timeout', '0');
    const started = Date.now();
    const one = await lvsdr('run', TOUCH, ...inv(), '--json', '--lock-timeout', '1');
    const waited = Date.now() - started;
    await holder.done;
    expect(zero.code).toBe(2);
    expect(failedMsg(zero, 'rs1')).toMatch(/another run holds this host: user=.* command=lvsdr run \S*hold\.yml \(--lock-timeout 0: not waiting\)/);
    expect(lockEvents(zero, 'waiting')).toEqual([]);
    expect(one.code).toBe(2);
    expect(failedMsg(one, 'rs2')).toMatch(/another run holds this host: .*gave up after waiting 1 s \(--lock-timeout\)/);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(recapOf(one).stats.rs1).toMatchObject({ failed: 1, ok: 0, changed: 0 });
  });

  it('--check neither waits for a run nor blocks one, and says the host was held while it read', { timeout: 120_000 }, async () => {
    const holder = holding(4);
    await holder.started;
    const started = Date.now();
    const check = await lvsdr('run', TOUCH, ...inv(), '--json', '--check');
    expect(Date.now() - started).toBeLessThan(3500);
    expect(check.code).toBe(0);
    expect(lockEvents(check, 'held').map((e) => e.host).sort()).toEqual(HOSTS);
    expect((await holder.done).code).toBe(0);
    const plain = await lvsdr('run', TOUCH, ...inv(), '--check');
    expect(plain.stdout).not.toMatch(/held this host/);
    // A check creates nothing on a host that never had a lock file.
    await lab.exec('rs1', `rm -f ${LOCK_FILE}`);
    await lvsdr('run', TOUCH, ...inv(), '--check', '-l', 'rs1');
    expect((await lab.exec('rs1', `test -e ${LOCK_FILE}; echo $?`)).stdout.trim()).toBe('1');
  });

  it('a killed run releases each host once its last command there has ended', { timeout: 120_000 }, async () => {
    const child = spawn(BIN, ['run', HOLD, ...inv(), '--json', '-e', 'hold_seconds=3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const killed = new Promise<void>((resolve) => {
      let out = '';
      const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if ((out.match(/"task:start"[^\n]*"Slow"/g) ?? []).length === HOSTS.length) child.kill('SIGKILL');
      });
      child.on('exit', () => {
        clearTimeout(bound);
        resolve();
      });
    });
    await killed;
    const after = await lvsdr('run', TOUCH, ...inv(), '--json', '--lock-timeout', '20');
    expect(after.code, after.stderr).toBe(0);
  });

  it('a lock file that is not lvsdr\'s is left alone, and the host fails saying where it is', { timeout: 60_000 }, async () => {
    await lab.exec('rs2', `printf 'pid 1234\\n' > ${LOCK_FILE}`);
    const r = await lvsdr('run', TOUCH, ...inv(), '--json');
    expect(r.code).toBe(2);
    expect(failedMsg(r, 'rs2')).toMatch(/\/lvsdr\.lock exists but is not lvsdr's lock file .*leaves it alone/);
    expect(recapOf(r).stats.rs1.failed).toBe(0);
    expect((await lab.exec('rs2', `cat ${LOCK_FILE}`)).stdout).toBe('pid 1234\n');
    await lab.exec('rs2', `rm -f ${LOCK_FILE}`);
    expect((await lvsdr('run', TOUCH, ...inv(), '--json')).code).toBe(0);
  });
});
