/**
 * A two-NIC director, the RHEL guide's "incoming requests are handled by one NIC and routed packets
 * to real servers on the other": eth0 on a front segment between the router and the director (the
 * VIP there), eth1 on the real servers' segment. The routed client is served by every real server,
 * the replies go from the real servers through the router, never through the director (no packet
 * from the VIP is sent to either of its NICs; test/support/bypass-counters.ts), and the router holds
 * the VIP at the director's front MAC.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';
import { TEST_LAB_STATE, labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';
import { installBypassCounters, readBypassCounters } from '../support/bypass-counters.ts';
import { labBridges } from '../../src/lab/lab-bridge.ts';
import { backVethName } from '../../src/lab/lab-two-nic.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const services = path.join(root, 'test/fixtures/routed/inventory.yml');
const REAL_SERVERS = ['rs1', 'rs2', 'rs3'];

const skip = labUnavailable();

describe.skipIf(skip)('a two-NIC director', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ name: 'two-nic', realservers: 3, director: true, directorNics: 2, topology: 'routed' });
    const inv = ['-i', lab.inventoryPath, '-i', services];
    const rs = await lvsdr('run', realserver, ...inv, '-e', 'lvs_arp_method=sysctl');
    expect(rs.code, rs.text).toBe(0);
    const d = await lvsdr('run', director, ...inv);
    expect(d.code, d.text).toBe(0);
    await installBypassCounters(lab, 'director', ['eth0', 'eth1']);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('has the VIP on its front NIC, on a segment of its own, and its back NIC with the real servers', async () => {
    const director = lab.hosts.find((h) => h.name === 'director')!;
    const rs1 = lab.hosts.find((h) => h.name === 'rs1')!;
    const addrs = (await lab.exec('director', 'ip -o -4 addr show dev eth0; echo BACK; ip -o -4 addr show dev eth1')).stdout;
    const [front, back] = addrs.split('BACK');
    expect(front).toContain(` ${lab.vip}/32`);
    expect(front).toContain(` ${director.address}/24`);
    expect(back).toContain(` ${director.back!.address}/24`);
    // the VIP's segment is not the real servers'
    expect(lab.vip.split('.').slice(0, 3)).not.toEqual(rs1.address.split('.').slice(0, 3));
    expect(director.back!.address.split('.').slice(0, 3)).toEqual(rs1.address.split('.').slice(0, 3));
    // the director reaches the real servers through eth1, which is where it forwards to them
    expect((await lab.exec('director', sh`ip -o route get ${rs1.address}`.text)).stdout).toContain('dev eth1');
    expect((await lab.exec('director', 'nft list chain netdev lvsdr_lvs ingress')).stdout).toMatch(/fwd ip to [\d.]+ device "eth1"/);
  });

  it('serves the routed client from every real server, replies bypassing the director; the router holds the VIP at its front MAC', async () => {
    const probe = await lab.probe({ requests: 60 });
    expect(probe.failures).toBe(0);
    for (const h of REAL_SERVERS) expect(probe.servedBy[h], `${h} served`).toBeGreaterThan(0);
    expect(probe.arp.map((a) => a.host)).toEqual(['director']);
    const frontMac = (await lab.exec('director', 'cat /sys/class/net/eth0/address')).stdout.trim();
    const neigh = await lab.onRouter(sh`ip neigh show ${lab.vip} dev ${lab.info.router!.vipInterface}`.text);
    expect(neigh.stdout).toContain(frontMac);
    const seen = await readBypassCounters(lab, 'director');
    console.log(`packets from the VIP at the director: ${seen.sentToIt} sent to it, ${seen.flooded} flooded by the bridge`);
    expect(seen.sentToIt, 'replies sent to the director').toBe(0);
  });

  it('a reboot of the director brings both NICs back: its back NIC is on the real servers\' bridge again and every real server serves', { timeout: 180_000 }, async () => {
    await lab.reboot('director');
    // keepalived (the stand-in) back and every real server checked healthy through eth1 (bounded)
    const healthy = await lab.exec(
      'director',
      `for i in $(seq 100); do lvsdr-lab-ipvsadm --json 2>/dev/null | python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if s["virtual_servers"] and all(r["healthy"] for v in s["virtual_servers"] for r in v["real_servers"]) else 1)' && exit 0; sleep 0.3; done; exit 1`,
    );
    expect(healthy.code, 'every real server healthy after the reboot').toBe(0);
    const probe = await lab.probe({ requests: 30 });
    expect(probe.failures).toBe(0);
    for (const h of REAL_SERVERS) expect(probe.servedBy[h], `${h} served after the reboot`).toBeGreaterThan(0);
  });

  it('bad input: a two-NIC director without a back segment (a flat lab) is refused before anything is made (exit 4)', async () => {
    const r = await lvsdr('lab', 'up', '--name', 'two-nic-bad', '--director', '--director-nics', '2', '--state-dir', TEST_LAB_STATE);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/one segment[^]*fix: add --topology routed/);
    expect((await labBridges()).filter((b) => b.lab === 'two-nic-bad')).toEqual([]);
    expect(existsSync(path.join(TEST_LAB_STATE, 'two-nic-bad'))).toBe(false);
  });

  it('lab down removes the front segment and the back NIC with the rest', { timeout: 120_000 }, async () => {
    const subnet = Number(lab.info.bridge.slice('lvbr-'.length));
    const { vipBridge } = lab.info;
    await lab.down();
    expect((await labBridges()).filter((b) => b.lab === 'two-nic')).toEqual([]);
    for (const gone of [vipBridge, backVethName(subnet)]) expect(existsSync(`/sys/class/net/${gone}`), gone).toBe(false);
  });
});
