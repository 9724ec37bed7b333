/**
 * A controller's bounds (issue 22), on 20 light lab hosts: a run holds at most --forks connections
 * whatever the number of plays, so it fits under a low descriptor limit; running out of descriptors
 * anyway is said to be the controller's problem; handshakes wait their turn instead of timing out.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckedInputs } from '../../src/cli/checked-inputs.ts';
import { connectionFactory } from '../../src/cli/connection-factory.ts';
import type { Connection } from '../../src/connection/types.ts';
import { EventBus, type RunEvent, type TaskResult } from '../../src/core/events.ts';
import { runPlaybook } from '../../src/core/executor/run-playbook.ts';
import { runCommand } from '../../src/lab/run-command.ts';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';

const BIN = path.resolve('bin/lvsdr');
const PLAYS = path.resolve('test/fixtures/fleet/plays.yml');
const N = 20;
const skip = labUnavailable();

/** Established TCP connections from this machine to port 22 of the lab's hosts. */
async function sshSockets(lab: Lab): Promise<number> {
  const prefix = lab.hosts[0].address.split('.').slice(0, 3).join('.');
  const out = (await runCommand('ss', ['-Htn', 'state', 'established', 'dport', '=', ':22'])).stdout;
  return out.split('\n').filter((l) => l.includes(` ${prefix}.`)).length;
}

/** bin/lvsdr as a user starts it, from a shell that first runs `limits` (e.g. `ulimit -n 32`). */
function launcher(limits: string, args: string[], onLine: (line: string) => void = () => {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${limits}; exec "$@"`, 'sh', BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      const from = stdout.lastIndexOf('\n') + 1;
      stdout += c;
      stdout.slice(from).split('\n').slice(0, -1).forEach(onLine);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const bound = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr });
    });
  });
}

const jsonEvents = (stdout: string): Record<string, any>[] => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

describe.skipIf(skip)('a controller of bounded connections', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'fleet', realservers: N, kind: 'light' });
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);
  const cleanAll = () => Promise.all(lab.hosts.map((h) => lab.exec(h.name, 'rm -f /etc/lvsdr-fleet /etc/lvsdr-fleet-who')));

  /** runPlaybook over the lab with SSH connections that count how many are open at once. */
  async function countedRun(forks: number, check: boolean) {
    const { playbook, inventory, extraVars } = loadCheckedInputs(PLAYS, [lab.inventoryPath], []);
    const ssh = connectionFactory({ timeout: 30, 'max-handshakes': 16 });
    let open = 0;
    let most = 0;
    let connects = 0;
    const counted = (conn: Connection): Connection => ({
      name: conn.name,
      connect: (options) => {
        connects++;
        most = Math.max(most, ++open);
        return conn.connect(options);
      },
      exec: (command, options) => conn.exec(command, options),
      close: () => {
        open--;
        return conn.close();
      },
    });
    const events = new EventBus();
    const results: TaskResult[] = [];
    const seen: RunEvent[] = [];
    events.subscribe((e) => {
      seen.push(e);
      if (e.type === 'task:result') results.push(e.result);
    });
    let sampling = true;
    let sockets = 0;
    const sampler = (async () => {
      for (let i = 0; sampling && i < 2000; i++) {
        sockets = Math.max(sockets, await sshSockets(lab));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const lock = { timeoutSec: 30, runId: 'fleet-bounds-test', holder: 'user=test command=lvsdr run plays.yml' };
    const summary = await runPlaybook(playbook, inventory, {
      check, forks, tags: [], skipTags: check ? ['third'] : [], extraVars, become: false, taskTimeoutMs: 60_000,
      connectionFor: (host, route) => counted(ssh(host, route)), events, lock,
    });
    sampling = false;
    await sampler;
    return { summary, results, seen, most, connects, open, sockets };
  }

  it('holds at most --forks connections across three plays over more hosts; hosts reconnect, take their lock again and keep what earlier plays registered', { timeout: 240_000 }, async () => {
    await cleanAll();
    const forks = 3;
    const r = await countedRun(forks, false);
    expect(Object.values(r.summary.stats).map((s) => s.failed + s.unreachable)).toEqual(Array(N).fill(0));
    expect(r.results.filter((x) => x.status === 'failed')).toEqual([]);
    expect(r.most).toBeLessThanOrEqual(forks);
    expect(r.sockets).toBeLessThanOrEqual(forks);
    expect(r.sockets).toBeGreaterThan(0);
    expect(r.open).toBe(0);
    // Three plays over 20 hosts with room for 3: nearly every host connected again for a later play.
    expect(r.connects).toBeGreaterThan(2 * N);
    const byTask = (task: string) => r.results.filter((x) => x.task === task).map((x) => `${x.host}:${x.status}`).sort();
    const all = (status: string) => lab.hosts.map((h) => `${h.name}:${status}`).sort();
    expect(byTask('Marker')).toEqual(all('changed'));
    expect(byTask('Marker again')).toEqual(all('ok'));
    expect(byTask('Lock held by this run')).toEqual(all('ok'));
    expect(byTask('Remembered across plays')).toEqual(all('changed'));
    for (const h of [lab.hosts[0], lab.hosts[N - 1]]) expect((await lab.exec(h.name, 'cat /etc/lvsdr-fleet-who')).stdout).toBe(`${h.name}\n`);
    expect(await sshSockets(lab)).toBe(0);
  });

  it('in check mode a host connected anew still plans against what its earlier plays would have done', { timeout: 240_000 }, async () => {
    await cleanAll();
    const r = await countedRun(2, true);
    expect(r.most).toBeLessThanOrEqual(2);
    expect(r.connects).toBeGreaterThan(N);
    const statuses = (task: string) => [...new Set(r.results.filter((x) => x.task === task).map((x) => x.status))];
    expect(statuses('Marker')).toEqual(['changed']);
    expect(statuses('Marker again')).toEqual(['ok']);
    expect((await lab.exec('rs1', 'test -e /etc/lvsdr-fleet; echo $?')).stdout.trim()).toBe('1');
  });

  it('fits under `ulimit -n 32` with -f 2: every host of three plays reached', { timeout: 240_000 }, async () => {
    await cleanAll();
    const r = await launcher('ulimit -n 32', ['run', PLAYS, '-i', lab.inventoryPath, '-f', '2', '--json']);
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
    const recap = jsonEvents(r.stdout).find((e) => e.type === 'recap')!;
    expect(Object.keys(recap.stats)).toHaveLength(N);
    expect(Object.values(recap.stats as Record<string, { unreachable: number; failed: number }>).every((s) => s.unreachable + s.failed === 0)).toBe(true);
  });

  it('out of descriptors (`ulimit -n 32`, -f 20) stops with exit 250 naming the limit, and calls no host unreachable', { timeout: 240_000 }, async () => {
    const r = await launcher('ulimit -n 32', ['run', PLAYS, '-i', lab.inventoryPath, '-f', '20', '--json']);
    expect(r.code, r.stderr).toBe(250);
    expect(r.stderr).toMatch(/lvsdr: run stopped: the controller ran out of file descriptors \(EMFILE: this process's limit of open files \(soft 32, hard 32\)\)[\s\S]*not the host's fault[\s\S]*ulimit -Hn[\s\S]*--forks/);
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    const events = jsonEvents(r.stdout);
    expect(events.filter((e) => e.type === 'host:unreachable')).toEqual([]);
    // Hosts it could not work on fail with the controller's message, so nothing takes them for done.
    const failed = events.filter((e) => e.type === 'host:failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) expect(e.msg).toMatch(/^the controller ran out of file descriptors/);
    expect(events.find((e) => e.type === 'summary')).toMatchObject({ exitCode: 250, unreachable: [] });
  });

  it('raises a low soft limit to the hard one: `ulimit -S -n 32` with -f 20 reaches every host', { timeout: 240_000 }, async () => {
    const r = await launcher('ulimit -S -n 32', ['run', PLAYS, '-i', lab.inventoryPath, '-f', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('paces handshakes: -f 50 over 20 hosts with -T 1 and one handshake at a time reaches every host', { timeout: 240_000 }, async () => {
    const started = Date.now();
    let allConnected = 0;
    const working = new Set<string>();
    const r = await launcher('true', ['run', PLAYS, '-i', lab.inventoryPath, '-f', '50', '-T', '1', '--max-handshakes', '1', '--json'], (line) => {
      const e = line.startsWith('{') ? JSON.parse(line) : undefined;
      if (e?.type === 'task:start' && e.task === 'Who' && working.add(e.host).size === N) allConnected = Date.now() - started;
    });
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
    expect(jsonEvents(r.stdout).filter((e) => e.type === 'host:unreachable')).toEqual([]);
    // The last hosts waited longer than -T for their turn: the timeout counts from the turn.
    expect(allConnected).toBeGreaterThan(1000);
  });
});
