/**
 * Issue 5's proof on a lab cluster: a real server rolled out under client traffic without one failed
 * request; a host whose service does not listen never reaches the director; removal drains first;
 * a director configuration keepalived refuses is never installed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr as run } from '../support/cli.ts';
import { runCli } from '../../src/cli/main.ts';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';

const root = path.resolve(import.meta.dirname, '../..');
const pb = (name: string) => path.join(root, 'playbooks', name);
const lvsdr = async (...args: string[]) => {
  const r = await run(...args);
  return { code: r.code, out: r.text };
};

const skip = labUnavailable();

describe.skipIf(skip)('rollout on a lab cluster', () => {
  let lab: Lab;
  let inv: string[];
  const ipOf = (host: string) => lab.hosts.find((h) => h.name === host)!.address;
  const directorConf = async () => (await lab.exec('director', 'cat /etc/keepalived/keepalived.conf')).stdout;

  beforeAll(async () => {
    lab = await startLab({ name: 'rollout', realservers: 4, director: true, client: true });
    inv = ['-i', lab.inventoryPath, '-i', path.join(root, 'inventories/lab-realservers.yml')];
    expect((await lvsdr('run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2')).code).toBe(0);
    const director = await lvsdr('run', pb('director.yml'), ...inv, '-e', '{"lvs_director_exclude": ["rs3", "rs4"]}');
    expect(director.code, director.out).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('--check shows the plan and changes nothing', { timeout: 120_000 }, async () => {
    const before = await directorConf();
    const r = await lvsdr('rollout', ...inv, '--add', 'rs3', '--check', '--diff');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('would add: rs3');
    expect(r.out).toContain(`+    real_server ${ipOf('rs3')} 80 {`);
    expect(await directorConf()).toBe(before);
    expect((await lab.exec('rs3', 'ip -4 -o addr show dev lo')).stdout).not.toContain(lab.vip);
  });

  it('adds rs3 under client traffic without one failed request; its record has the director before and after, and the probes', { timeout: 300_000 }, async () => {
    const stream = lab.probeStream({ maxSeconds: 240, maxRequests: 5000 });
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-rollout-records-'));
    const r = await lvsdr('rollout', ...inv, '--add', 'rs3', '--record-dir', records);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const tally = await stream.stop();
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('added: rs3');
    expect(tally.requests).toBeGreaterThan(20);
    expect(tally.failures).toBe(0);
    const after = await lab.probe({ requests: 40 });
    expect(after.failures).toBe(0);
    expect(after.servedBy.rs3).toBeGreaterThan(0);
    expect(await directorConf()).toContain(`real_server ${ipOf('rs3')} 80`);

    const [file] = readdirSync(records);
    const events = readFileSync(path.join(records, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const rs3Weights = events
      .filter((e) => e.type === 'rollout:director')
      .map((e) => e.services.flatMap((s: { realServers: { ip: string; weight: number }[] }) => s.realServers).find((rs: { ip: string }) => rs.ip === ipOf('rs3'))?.weight);
    // Not there at the start, listed at weight 0 once its health check passed, then at its weight.
    expect(rs3Weights[0]).toBeUndefined();
    expect(rs3Weights).toContain(0);
    expect(rs3Weights.at(-1)).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'rollout:probe')).toMatchObject({ attempts: 3, failures: [] });
    expect(events.at(-1)).toMatchObject({ type: 'record:end', exitCode: 0 });
    const html = path.join(records, 'report.html');
    expect((await lvsdr('report', path.join(records, file), '-o', html)).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(`${ipOf('rs3')} w0`);
    expect(page.match(/<tr class="step"/g)!.length).toBeGreaterThanOrEqual(5);
    rmSync(records, { recursive: true, force: true });
  });

  it('a host whose service does not listen fails verification and never reaches the director', { timeout: 300_000 }, async () => {
    await lab.exec('rs4', 'systemctl stop lvsdr-lab-web.service');
    const r = await lvsdr('rollout', ...inv, '--add', 'rs4');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/left out: \[rs4\] verify: no service listens on a VIP port/);
    expect(await directorConf()).not.toContain(ipOf('rs4'));
  });

  it('removes rs1: drained first, then out of the director, without one failed request', { timeout: 300_000 }, async () => {
    const stream = lab.probeStream({ maxSeconds: 240, maxRequests: 5000 });
    const r = await lvsdr('rollout', ...inv, '--remove', 'rs1', '--drain-timeout', '10');
    const tally = await stream.stop();
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ROLLOUT DIRECTOR \[rs1\] drain/);
    expect(tally.failures).toBe(0);
    expect(await directorConf()).not.toContain(`real_server ${ipOf('rs1')} `);
    const after = await lab.probe({ requests: 30 });
    expect(after.failures).toBe(0);
    expect(after.servedBy.rs1 ?? 0).toBe(0);
  });

  it('two rollouts at once: the second waits for the director the first holds, or stops naming it', { timeout: 300_000 }, async () => {
    let stepped: () => void = () => {};
    const firstStep = new Promise<void>((resolve) => (stepped = resolve));
    let firstOut = '';
    const first = runCli(['rollout', ...inv, '--add', 'rs3'], {
      stdout: (t) => {
        firstOut += t;
        if (firstOut.includes('ROLLOUT CONFIGURE')) stepped();
      },
      stderr: (t) => (firstOut += t),
      isTTY: false,
    });
    await firstStep;
    const refused = await lvsdr('rollout', ...inv, '--add', 'rs3', '--lock-timeout', '0');
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/stopped: cannot hold the director for this rollout: director: .*another run holds this host: user=\S+ .*command=lvsdr rollout --add rs3 \(--lock-timeout 0: not waiting\)/);
    const waiting = await lvsdr('rollout', ...inv, '--add', 'rs3', '--lock-timeout', '240');
    expect(await first, firstOut).toBe(0);
    expect(waiting.code, waiting.out).toBe(0);
    expect(waiting.out).toMatch(/waiting: \[director\] another run holds this host: .*command=lvsdr rollout --add rs3/);
    expect(await directorConf()).toContain(`real_server ${ipOf('rs3')} 80`);
    expect((await lab.probe({ requests: 10 })).failures).toBe(0);
  });

  /**
   * Runs `lvsdr rollout ARGS` as a process and SIGKILLs it once its output shows `step` (issue 19:
   * runs that stop half-way); resolves with what it printed.
   */
  const killedAt = (step: RegExp, ...args: string[]) =>
    new Promise<string>((resolve) => {
      const child = spawn(path.join(root, 'bin/lvsdr'), ['rollout', ...inv, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const bound = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const read = (chunk: Buffer) => {
        out += chunk.toString();
        if (step.test(out)) child.kill('SIGKILL');
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', () => {
        clearTimeout(bound);
        resolve(out);
      });
    });
  /** rs4's line in the director's configuration, with its weight; undefined when it is not there. */
  const rs4Weight = async () => {
    const conf = await directorConf();
    const at = conf.indexOf(`real_server ${ipOf('rs4')} 80 {`);
    return at < 0 ? undefined : Number(/weight (\d+)/.exec(conf.slice(at))![1]);
  };
  const directorValid = async () => (await lab.exec('director', 'keepalived --config-test -f /etc/keepalived/keepalived.conf')).code;

  // Where each kill leaves rs4 in the director's configuration (the raise may or may not land).
  for (const [step, killWhen, leftAt] of [
    ['while configuring the new real server', /ROLLOUT CONFIGURE/, [undefined]],
    ["between the director's weight-0 add and the raise", /ROLLOUT WAIT/, [0]],
    ['while raising it to its weight', /ROLLOUT DIRECTOR \[rs4\] raise/, [0, 1]],
  ] as const) {
    it(`killed ${step}, the same rollout again completes it: rs4 at its weight, never left at 0`, { timeout: 300_000 }, async () => {
      await lab.exec('rs4', 'systemctl start lvsdr-lab-web.service');
      expect((await lvsdr('rollout', ...inv, '--remove', 'rs4', '--drain-timeout', '5', '--undo')).code).toBeLessThan(3);
      expect(await rs4Weight()).toBeUndefined();
      const out = await killedAt(killWhen, '--add', 'rs4');
      expect(out).toMatch(killWhen);
      expect(leftAt).toContain(await rs4Weight());
      expect(await directorValid()).toBe(0);
      const again = await lvsdr('rollout', ...inv, '--add', 'rs4');
      expect(again.code, again.out).toBe(0);
      expect(await rs4Weight()).toBe(1);
      expect(await directorValid()).toBe(0);
      expect((await lab.probe({ requests: 20 })).failures).toBe(0);
    });
  }

  it('killed during a drain, the same removal again completes it', { timeout: 300_000 }, async () => {
    if ((await rs4Weight()) === undefined) expect((await lvsdr('rollout', ...inv, '--add', 'rs4')).code).toBe(0);
    const out = await killedAt(/drain/, '--remove', 'rs4', '--drain-timeout', '10');
    expect(out).toMatch(/drain/);
    expect([0, 1]).toContain(await rs4Weight());
    expect(await directorValid()).toBe(0);
    const again = await lvsdr('rollout', ...inv, '--remove', 'rs4', '--drain-timeout', '10');
    expect(again.code, again.out).toBe(0);
    expect(await rs4Weight()).toBeUndefined();
    expect((await lab.probe({ requests: 20 })).failures).toBe(0);
  });

  it('a director configuration keepalived refuses is never installed', { timeout: 120_000 }, async () => {
    const before = await directorConf();
    const typo = await lvsdr('run', pb('director.yml'), ...inv, '-e', 'lvs_lb_algo=wlcc');
    expect(typo.code).toBe(4);
    expect(typo.out).toMatch(/lvs_sched' must be one of .*not "wlcc"/);
    const refused = await lvsdr('run', pb('director.yml'), ...inv, '-e', '{"lvs_vrrp": {"state": "MASTER", "priority": 100, "virtual_router_id": 51, "interface": "nosuch0"}}');
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toMatch(/nosuch0/);
    expect(await directorConf()).toBe(before);
    expect((await lab.probe({ requests: 10 })).failures).toBe(0);
  });
});
