/**
 * Rollouts on the RHEL guide's network: the client behind a router, a director pair (real keepalived
 * VRRP), TCP and UDP on the VIP (inventories/lab-tcp-udp.yml: the sysctl method, so the VIP is
 * on the real servers and UDP's source trap can happen).
 *
 * 1. Verification knows UDP: a real server whose UDP service binds 0.0.0.0 and replies with a plain
 *    sendto answers from its own address; the rollout leaves it out with the reason and the fix, and
 *    no director ever names it. The lab's DR-ready service (IP_PKTINFO) passes.
 * 2. `--add` and `--remove` under routed TCP and UDP traffic lose no request.
 * 3. The primary director loses power during `--add`: the rollout stops, exit 2, naming it; the
 *    backup serves meanwhile (failures bounded by the switch); once the primary is back, the same
 *    rollout completes.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { masterDownSeconds } from '../../src/lab/lab-pair.ts';
import type { ProbeTally } from '../../src/lab/lab-probe.ts';
import { lvsdr } from '../support/cli.ts';
import { labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';

const root = path.resolve(import.meta.dirname, '../..');
const pb = (name: string) => path.join(root, 'playbooks', name);
const services = path.join(root, 'inventories/lab-tcp-udp.yml');
const DIRECTORS = ['director1', 'director2'] as const;
/** A plain sendto from a socket bound to 0.0.0.0: with the VIP on the host it answers from the real IP. */
const NAIVE_UDP = `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("0.0.0.0", 80))\nwhile True:\n    d, a = s.recvfrom(2048)\n    s.sendto(socket.gethostname().encode(), a)\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const skip = labUnavailable();

describe.skipIf(skip)('rollouts on the routed network with a director pair, TCP and UDP', () => {
  let lab: Lab;
  let inv: string[];
  const ipOf = (host: string) => lab.hosts.find((h) => h.name === host)!.address;
  const conf = async (director: string) => (await lab.exec(director, 'cat /etc/keepalived/keepalived.conf')).stdout;
  /** The host's weight in each virtual server of a director's configuration (none: not named). */
  const weights = async (director: string, host: string) =>
    [...(await conf(director)).matchAll(new RegExp(`real_server ${ipOf(host).replaceAll('.', '\\.')} 80 \\{\\s*weight (\\d+)`, 'g'))].map((m) => Number(m[1]));

  /** TCP and UDP requests from the routed client while `work` runs, then 3 s more; both tallies. */
  const underTraffic = async <T,>(work: () => Promise<T>): Promise<{ result: T; tcp: ProbeTally; udp: ProbeTally }> => {
    const tcpStream = lab.probeStream({ maxSeconds: 240, maxRequests: 10_000 });
    const udpStream = lab.probeStream({ maxSeconds: 240, maxRequests: 10_000, protocol: 'udp' });
    await sleep(1000);
    const result = await work();
    await sleep(3000);
    return { result, tcp: await tcpStream.stop(), udp: await udpStream.stop() };
  };
  const servedAfter = async () => ({ tcp: await lab.probe({ requests: 30 }), udp: await lab.probe({ requests: 30, protocol: 'udp' }) });

  beforeAll(async () => {
    lab = await startLab({ name: 'rollout-routed', realservers: 3, topology: 'routed', directors: 2, vrrpPriority: [150, 100] });
    inv = ['-i', lab.inventoryPath, '-i', services];
    const rs = await lvsdr('run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2');
    expect(rs.code, rs.text).toBe(0);
    const d = await lvsdr('run', pb('director.yml'), ...inv, '-e', '{"lvs_director_exclude": ["rs3"]}');
    expect(d.code, d.text).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('verification knows UDP: a service answering from its own address is left out with the reason and the fix; a DR-ready one passes', { timeout: 180_000 }, async () => {
    const good = await lvsdr('run', pb('verify-realserver.yml'), ...inv, '-l', 'rs1', '-v');
    expect(good.code, good.text).toBe(0);
    expect(good.text).toContain(`udp ${lab.vip}:80 answered from ${lab.vip}:80 (rs1)`);

    const started = await lab.exec('rs3', 'systemctl stop lvsdr-lab-udp && cat > /run/naive-udp.py && systemd-run --unit lvsdr-test-naive-udp python3 -S /run/naive-udp.py', { input: NAIVE_UDP });
    expect(started.code, started.stderr).toBe(0);
    try {
      const r = await lvsdr('rollout', ...inv, '--add', 'rs3');
      expect(r.code, r.text).toBe(2);
      expect(r.text).toContain(
        `left out: [rs3] verify: udp ${lab.vip}:80: the service answered from ${ipOf('rs3')}:80, not from the VIP: every client drops such a reply`,
      );
      expect(r.text).toContain(`fix: bind the service to ${lab.vip}, or have it answer from the address it was asked on (IP_PKTINFO)`);
      for (const d of DIRECTORS) expect(await conf(d)).not.toContain(ipOf('rs3'));
    } finally {
      await lab.exec('rs3', 'systemctl stop lvsdr-test-naive-udp; systemctl start lvsdr-lab-udp');
    }
  });

  it('--add rs3 under routed TCP and UDP traffic: no request lost, rs3 serves both', { timeout: 240_000 }, async () => {
    const { result, tcp, udp } = await underTraffic(() => lvsdr('rollout', ...inv, '--add', 'rs3'));
    expect(result.code, result.text).toBe(0);
    expect(result.text).toMatch(new RegExp(`ROLLOUT PROBE \\[rs3\\] .* to each of ${lab.vip}:80, ${lab.vip}:80/udp`));
    for (const [name, tally] of Object.entries({ tcp, udp })) {
      expect(tally.requests, `${name} requests sent`).toBeGreaterThan(50);
      expect(tally.failures, `${name} requests failed during the rollout`).toBe(0);
    }
    for (const d of DIRECTORS) expect(await weights(d, 'rs3')).toEqual([1, 1]);
    const after = await servedAfter();
    for (const p of [after.tcp, after.udp]) {
      expect(p.failures).toBe(0);
      expect(p.servedBy.rs3, `${p.protocol}: rs3 served`).toBeGreaterThan(0);
    }
  });

  it('--remove rs1 under routed TCP and UDP traffic: drained, out of both directors, no request lost', { timeout: 240_000 }, async () => {
    const { result, tcp, udp } = await underTraffic(() => lvsdr('rollout', ...inv, '--remove', 'rs1', '--drain-timeout', '10'));
    expect(result.code, result.text).toBe(0);
    for (const [name, tally] of Object.entries({ tcp, udp })) {
      expect(tally.requests, `${name} requests sent`).toBeGreaterThan(50);
      expect(tally.failures, `${name} requests failed during the removal`).toBe(0);
    }
    for (const d of DIRECTORS) expect(await weights(d, 'rs1')).toEqual([]);
    const after = await servedAfter();
    for (const p of [after.tcp, after.udp]) {
      expect(p.failures).toBe(0);
      expect(p.servedBy.rs1 ?? 0, `${p.protocol}: rs1 served`).toBe(0);
    }
  });

  it('the primary director loses power during --add: the rollout stops cleanly naming it, the backup serves; once it is back the same rollout completes', { timeout: 300_000 }, async () => {
    const bound = masterDownSeconds({ state: 'BACKUP', priority: 100, virtualRouterId: 51, advertInt: 1, nopreempt: false });
    let out = '';
    const { result: code, tcp, udp } = await underTraffic(async () => {
      let waiting: () => void = () => {};
      const atWait = new Promise<void>((resolve) => (waiting = resolve));
      const rollout = runCli(['rollout', ...inv, '--add', 'rs1'], {
        stdout: (t) => {
          out += t;
          if (out.includes('ROLLOUT WAIT')) waiting();
        },
        stderr: (t) => (out += t),
        isTTY: false,
      });
      // the new host is at weight 0 on both directors: the primary's power goes now
      await Promise.race([atWait, rollout]);
      expect(out).toContain('ROLLOUT WAIT');
      await lab.powerOff('director1', true);
      return rollout;
    });
    // It stops, whichever step met the dead director: never "added", never a hang.
    expect(code, out).toBe(2);
    expect(out).toMatch(/unreachable: \[director1\]/);
    expect(out).toMatch(/^stopped: /m);
    expect(out).not.toMatch(/^added: rs1/m);
    // The switch cost a bounded number of requests (each fails for at most 2 s), as in pair.test.ts.
    for (const [name, tally] of Object.entries({ tcp, udp })) expect(tally.failures, `${name} failed during the switch`).toBeLessThanOrEqual(Math.ceil(bound + 1) + 3);
    // The backup holds the VIP and serves through it with a configuration keepalived accepts: rs1
    // either raised there (the raise reached it) or left out again (the rollout stopped before).
    expect((await lab.exec('director2', sh`ip -o -4 addr show dev eth0 to ${lab.vip}/32`.text)).stdout).toContain(lab.vip);
    expect((await lab.exec('director2', 'keepalived --config-test -f /etc/keepalived/keepalived.conf')).code).toBe(0);
    expect([[], [1, 1]]).toContainEqual(await weights('director2', 'rs1'));
    const during = await servedAfter();
    for (const p of [during.tcp, during.udp]) expect(p.failures, `${p.protocol} through the backup`).toBe(0);

    await lab.powerOn();
    // preempt: the primary takes the VIP back once its keepalived runs
    let held = '';
    for (let i = 0; i < 60 && !held.includes(lab.vip); i++) {
      await sleep(500);
      held = (await lab.exec('director1', sh`ip -o -4 addr show dev eth0 to ${lab.vip}/32`.text).catch(() => ({ stdout: '' }))).stdout;
    }
    expect(held, 'director1 holds the VIP again').toContain(lab.vip);
    const again = await lvsdr('rollout', ...inv, '--add', 'rs1');
    expect(again.code, again.text).toBe(0);
    for (const d of DIRECTORS) expect(await weights(d, 'rs1')).toEqual([1, 1]);
    const after = await servedAfter();
    for (const p of [after.tcp, after.udp]) {
      expect(p.failures).toBe(0);
      expect(p.servedBy.rs1, `${p.protocol}: rs1 served`).toBeGreaterThan(0);
    }
  });
});
