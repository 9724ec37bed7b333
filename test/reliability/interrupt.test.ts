/**
 * Ctrl-C against `bin/lvsdr run` as a real child process: the first SIGINT stops new tasks, lets
 * the commands in flight finish, prints the recap and exits 99; a second one aborts at once. The
 * next run converges. Either way the run's record ends with exit 99.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr } from './run-helpers.ts';

const BIN = path.resolve('bin/lvsdr');
const playbook = path.resolve('test/fixtures/reliability/steps.yml');
const HOSTS = ['rs1', 'rs2'];
const skip = labUnavailable();

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the process exited, in ms since it started. */
  exitedAt: number;
  /** When each SIGINT was sent, in ms since it started. */
  interruptsAt: number[];
}

/**
 * Runs lvsdr and sends SIGINT `interrupts` times, the first once `trigger` matches its stdout, the
 * others `gapMs` apart. Bounded: killed after 120 s.
 */
function runInterrupted(args: string[], trigger: RegExp, interrupts: number, gapMs = 300): Promise<Child> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const result: Child = { code: null, stdout: '', stderr: '', exitedAt: 0, interruptsAt: [] };
    const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const interrupt = (left: number): void => {
      if (left === 0 || child.exitCode !== null) return;
      result.interruptsAt.push(Date.now() - started);
      child.kill('SIGINT');
      setTimeout(() => interrupt(left - 1), gapMs);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      const triggered = trigger.test(result.stdout);
      result.stdout += chunk.toString();
      if (!triggered && trigger.test(result.stdout)) interrupt(interrupts);
    });
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(kill);
      result.code = code;
      result.exitedAt = Date.now() - started;
      resolve(result);
    });
  });
}

/** The end line of the one record in `dir`. */
function lastRecordLine(dir: string): Record<string, any> {
  const [file] = readdirSync(dir);
  const line = JSON.parse(readFileSync(path.join(dir, file), 'utf8').trim().split('\n').at(-1)!);
  rmSync(dir, { recursive: true, force: true });
  return line;
}

const events = (out: string): Record<string, any>[] =>
  out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

describe.skipIf(skip)('interrupting a run', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-intr', realservers: 2, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });
  const clean = () => Promise.all(HOSTS.map((h) => lab.exec(h, 'rm -rf /etc/lvsdr-rel')));
  const steps = () => Promise.all(HOSTS.map(async (h) => (await lab.exec(h, 'ls /etc/lvsdr-rel')).stdout));

  it('one SIGINT: no new task starts, the commands in flight finish, the recap is printed, exit 99; the next run converges', { timeout: 150_000 }, async () => {
    await clean();
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-intr-records-'));
    const r = await runInterrupted(['run', playbook, '-i', lab.inventoryPath, '--json', '--record-dir', records], /"task:start".*"Slow 1"/, 1);
    expect(r.code).toBe(99);
    expect(lastRecordLine(records)).toMatchObject({ type: 'record:end', exitCode: 99 });
    expect(r.stderr).toMatch(/interrupted: no new tasks start; waiting for commands in flight/);
    const ev = events(r.stdout);
    const started = ev.filter((e) => e.type === 'task:start').map((e) => e.task);
    expect(started).not.toContain('Step 1');
    expect(started).not.toContain('Slow 2');
    // Every host whose slow command was in flight saw it finish and reported it, not cut off.
    const slowStarted = ev.filter((e) => e.type === 'task:start' && e.task === 'Slow 1').map((e) => e.host);
    const slow = ev.filter((e) => e.type === 'task:result' && e.task === 'Slow 1');
    expect(slowStarted.length).toBeGreaterThan(0);
    expect(slow.map((e) => e.host).sort()).toEqual(slowStarted.sort());
    for (const s of slow) expect(s).toMatchObject({ status: 'ok', rc: 0 });
    const recap = ev.find((e) => e.type === 'recap');
    expect(recap).toBeDefined();
    for (const h of HOSTS) expect(recap!.stats[h]).toMatchObject({ failed: 0, unreachable: 0 });
    // Bounded: the in-flight `sleep 3` and the recap, not the rest of the playbook.
    expect(r.exitedAt - r.interruptsAt[0]).toBeLessThan(10_000);
    expect(await steps()).toEqual(HOSTS.map(() => ''));

    const next = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(next.code).toBe(0);
    expect(await steps()).toEqual(HOSTS.map(() => 'step1\nstep2\n'));
    const again = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(again.events.find((e) => e.type === 'recap')!.total).toMatchObject({ changed: 0, failed: 0 });
  });

  it('a second SIGINT aborts at once, without waiting for the commands in flight; the next run converges', { timeout: 150_000 }, async () => {
    await clean();
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-intr-records-'));
    const r = await runInterrupted(['run', playbook, '-i', lab.inventoryPath, '--json', '--record-dir', records], /"task:start".*"Slow 1"/, 2, 200);
    expect(r.code).toBe(99);
    expect(lastRecordLine(records)).toMatchObject({ type: 'record:end', exitCode: 99, error: 'lvsdr exited before the run finished' });
    expect(r.interruptsAt).toHaveLength(2);
    expect(r.stderr).toMatch(/interrupted twice, aborting at once/);
    // `sleep 3` was still running on the hosts: exiting sooner means lvsdr did not wait for it.
    expect(r.exitedAt - r.interruptsAt[1]).toBeLessThan(2_500);
    expect(events(r.stdout).filter((e) => e.type === 'task:start').map((e) => e.task)).not.toContain('Step 1');

    const next = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(next.code).toBe(0);
    expect(await steps()).toEqual(HOSTS.map(() => 'step1\nstep2\n'));
  });
});
