/**
 * A director pair with real keepalived VRRP, behind the routed client: the directors are configured
 * by playbooks/director.yml from the lab inventory's lvs_vrrp, traffic runs from the client through
 * the VIP while the primary fails, and the test measures how long until the router holds the VIP at
 * the backup's MAC (its gratuitous ARP as it becomes master) and how many requests fail meanwhile.
 *
 * 1. keepalived stopped on the primary (it sends priority 0): the backup takes the VIP at once; the
 *    primary's keepalived started again takes it back (preempt, the default).
 * 2. With nopreempt (test/fixtures/pair/nopreempt.yml), the primary's power cut (no goodbye): the
 *    backup takes the VIP within advert_int × 3 + skew of the last advert; the primary powered on
 *    again stays BACKUP.
 * After each switch no request fails, and the router holds the VIP at the new holder's MAC.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';
import { TEST_LAB_STATE, labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';
import { labBridges } from '../../src/lab/lab-bridge.ts';
import { masterDownSeconds } from '../../src/lab/lab-pair.ts';
import type { ProbeTally } from '../../src/lab/lab-probe.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const services = path.join(root, 'test/fixtures/routed/inventory.yml');
const nopreempt = path.join(root, 'test/fixtures/pair/nopreempt.yml');
const DIRECTORS = ['director1', 'director2'] as const;
/** How late a takeover may be measured beyond VRRP's own bound: polling, and two busy cores. */
const MEASURE_SLACK_S = 1;
/** A request fails for at most its 2 s (curl -m 2), so a window of W s fails at most about W + 2 of them, one a second. */
const failedBound = (windowS: number) => Math.ceil(windowS) + 3;

const skip = labUnavailable();

describe.skipIf(skip)('a director pair: real keepalived VRRP moves the VIP, the stand-in forwards on its holder', () => {
  let lab: Lab;
  const mac: Record<string, string> = {};
  const figures: string[] = [];

  const holders = async (): Promise<string[]> => {
    const held: string[] = [];
    for (const d of DIRECTORS) {
      const r = await lab.exec(d, sh`ip -o -4 addr show dev eth0 to ${lab.vip}/32`.text);
      if (r.stdout.includes(lab.vip)) held.push(d);
    }
    return held;
  };
  /** Waits (bounded) until exactly `holder` holds the VIP. */
  const waitForHolder = async (holder: string, seconds: number) => {
    const deadline = Date.now() + seconds * 1000;
    let now: string[] = [];
    while (Date.now() < deadline) {
      now = await holders();
      if (now.length === 1 && now[0] === holder) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`after ${seconds} s the VIP is on [${now.join(', ')}], not on ${holder} alone`);
  };
  /**
   * When the network sees `host` take the VIP: the router's neighbour entry for the VIP turns to its
   * MAC (the new master's gratuitous ARP). Polled in the router's namespace from this machine, whose
   * clock the lab shares; started before the failure, resolves to the epoch in ms.
   */
  const vipArrival = (host: string) =>
    lab
      .onRouter(
        sh`end=$(( $(date +%s) + 30 )); until ip neigh show ${lab.vip} dev eth0 | grep -q ${mac[host]}; do [ "$(date +%s)" -lt "$end" ] || exit 1; sleep 0.02; done; date +%s%3N`.text,
      )
      .then(async (r) => {
        if (r.code === 0) return Number(r.stdout.trim());
        const log = await lab.exec(host, 'journalctl -u keepalived --no-pager | tail -20');
        throw new Error(`the router never saw the VIP at ${host} (exit ${r.code}: ${r.stderr}); its keepalived log:\n${log.stdout}`);
      });
  const routerNeighbour = async (): Promise<string | undefined> => {
    const r = await lab.onRouter(sh`ip neigh show ${lab.vip} dev eth0`.text);
    return /lladdr ([0-9a-f:]{17})/.exec(r.stdout)?.[1];
  };
  const noFailuresThrough = async (holder: string) => {
    const after = await lab.probe({ requests: 30 });
    expect(after.failures, `requests failed after the switch to ${holder}`).toBe(0);
    for (const h of ['rs1', 'rs2']) expect(after.servedBy[h], `${h} served`).toBeGreaterThan(0);
    expect(after.arp.map((a) => a.host)).toEqual([holder]);
    expect(await routerNeighbour(), "the router's entry for the VIP").toBe(mac[holder]);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Runs `fail` under a stream of requests; returns when the VIP reached `to`, and the stream's tally. */
  const switchUnderTraffic = async (to: string, fail: () => Promise<unknown>): Promise<{ takeoverS: number; tally: ProbeTally }> => {
    const stream = lab.probeStream({ maxSeconds: 60 });
    const arrival = vipArrival(to);
    await sleep(2000); // the stream and the watcher are running
    const failedAt = Date.now();
    const [arrivedAt] = await Promise.all([arrival, fail()]);
    await sleep(4000); // requests after the switch, still in the stream
    const tally = await stream.stop();
    return { takeoverS: (arrivedAt - failedAt) / 1000, tally };
  };

  beforeAll(async () => {
    lab = await startLab({ name: 'pair', realservers: 2, topology: 'routed', directors: 2, vrrpPriority: [150, 100] });
    for (const d of DIRECTORS) mac[d] = (await lab.exec(d, 'cat /sys/class/net/eth0/address')).stdout.trim();
    const inv = ['-i', lab.inventoryPath, '-i', services];
    const rs = await lvsdr('run', realserver, ...inv, '-e', 'lvs_arp_method=sysctl');
    expect(rs.code, rs.text).toBe(0);
    const d = await lvsdr('run', director, ...inv);
    expect(d.code, d.text).toBe(0);
  }, 300_000);
  afterAll(async () => {
    if (figures.length) console.log(`\nfailover figures:\n  ${figures.join('\n  ')}\n`);
    await lab?.down();
  });

  it('bad input: a pair without VRRP settings, or two MASTERs of one priority, is refused before anything is made (exit 4)', async () => {
    const base = ['lab', 'up', '--name', 'pair-bad', '--state-dir', TEST_LAB_STATE, '--topology', 'routed', '--directors', '2'];
    const none = await lvsdr(...base);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/needs its VRRP settings[^]*fix: give --vrrp-priority/);
    const tie = await lvsdr(...base, '--vrrp-priority', '100,100', '--vrrp-state', 'MASTER,MASTER');
    expect(tie.code).toBe(4);
    expect(tie.stderr).toMatch(/both directors are MASTER with priority 100[^]*fix: give the primary the higher priority/);
    expect((await labBridges()).filter((b) => b.lab === 'pair-bad')).toEqual([]);
    expect(existsSync(path.join(TEST_LAB_STATE, 'pair-bad'))).toBe(false);
  });

  it('the primary holds the VIP; each director runs keepalived for VRRP with the lab inventory\'s settings', { timeout: 60_000 }, async () => {
    await waitForHolder('director1', 10);
    for (const [d, priority] of [['director1', 150], ['director2', 100]] as const) {
      const conf = (await lab.exec(d, 'cat /etc/keepalived/keepalived.conf')).stdout;
      expect(conf).toMatch(new RegExp(`priority ${priority}\\b`));
      expect(conf).toContain('virtual_server');
      // the real keepalived, VRRP alone, beside the stand-in
      const ps = await lab.exec(d, 'pgrep -a keepalived');
      expect(ps.stdout).toMatch(/keepalived --dont-fork --vrrp/);
    }
    await noFailuresThrough('director1');
  });

  it('keepalived stopped on the primary: the backup takes the VIP at once; started again, the primary takes it back (preempt)', { timeout: 120_000 }, async () => {
    const { takeoverS, tally } = await switchUnderTraffic('director2', () => lab.exec('director1', 'systemctl stop keepalived'));
    figures.push(`keepalived stopped on the primary: VIP on the backup after ${takeoverS.toFixed(2)} s; ${tally.failures} of ${tally.requests} requests failed`);
    expect(takeoverS).toBeLessThan(masterDownSeconds({ state: 'BACKUP', priority: 100, virtualRouterId: 51, advertInt: 1, nopreempt: false }) + MEASURE_SLACK_S);
    expect(tally.failures).toBeLessThanOrEqual(failedBound(takeoverS));
    await noFailuresThrough('director2');

    const back = await switchUnderTraffic('director1', () => lab.exec('director1', 'systemctl start keepalived'));
    figures.push(`primary's keepalived started again (preempt): VIP back after ${back.takeoverS.toFixed(2)} s; ${back.tally.failures} of ${back.tally.requests} requests failed`);
    await waitForHolder('director1', 10);
    expect(back.tally.failures).toBeLessThanOrEqual(failedBound(back.takeoverS));
    await noFailuresThrough('director1');
  });

  it('nopreempt: the primary\'s power cut moves the VIP within advert_int × 3 + skew; powered on again, it stays BACKUP', { timeout: 240_000 }, async () => {
    const d = await lvsdr('run', director, '-i', lab.inventoryPath, '-i', services, '-i', nopreempt);
    expect(d.code, d.text).toBe(0);
    expect((await lab.exec('director1', 'cat /etc/keepalived/keepalived.conf')).stdout).toContain('nopreempt');
    await waitForHolder('director1', 10);

    const bound = masterDownSeconds({ state: 'BACKUP', priority: 100, virtualRouterId: 51, advertInt: 1, nopreempt: true });
    const { takeoverS, tally } = await switchUnderTraffic('director2', () => lab.powerOff('director1', true));
    figures.push(`primary's power cut: VIP on the backup after ${takeoverS.toFixed(2)} s (bound ${bound.toFixed(2)} s); ${tally.failures} of ${tally.requests} requests failed`);
    expect(takeoverS).toBeLessThan(bound + MEASURE_SLACK_S);
    expect(tally.failures).toBeGreaterThan(0); // the VIP really was nowhere for a while: the count can fail
    expect(tally.failures).toBeLessThanOrEqual(failedBound(takeoverS));
    await noFailuresThrough('director2');

    const stream = lab.probeStream({ maxSeconds: 60 });
    await lab.powerOn();
    // up again, it hears director2's adverts; nopreempt keeps it BACKUP though its priority is higher
    const up = await lab.exec('director1', 'for i in $(seq 100); do systemctl is-active -q keepalived && exit 0; sleep 0.2; done; exit 1');
    expect(up.code, 'keepalived active on director1 after the power-on').toBe(0);
    await sleep((bound + 2) * 1000);
    const held = await holders();
    const tally2 = await stream.stop();
    figures.push(`primary powered on again (nopreempt): VIP stays on [${held.join(', ')}]; ${tally2.failures} of ${tally2.requests} requests failed`);
    expect(held).toEqual(['director2']);
    expect(tally2.failures).toBe(0);
    await noFailuresThrough('director2');
  });
});
