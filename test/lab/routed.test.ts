/**
 * The RHEL guide's network, not one segment: the client on its own subnet behind a router, the
 * real servers' way back to it through the router. For each of the four ARP methods (both real
 * servers on that method, systemd hosts: firewalld needs its unit), requests through the director
 * are served by both real servers, and after the traffic the router still holds the VIP at the
 * director's MAC (read without flushing it). The negative control shows that this check can fail:
 * with arp_announce=0 a real server asks the router for its MAC with the VIP as sender, and the
 * router learns the VIP at that real server's MAC — every later request bypasses the director.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr } from '../support/cli.ts';
import { allHealthy as allHealthyOf } from '../support/director-health.ts';
import { TEST_LAB_STATE, labUnavailable, sh, startLab, type Lab } from '../support/lab.ts';
import { installBypassCounters, readBypassCounters } from '../support/bypass-counters.ts';
import { labBridges } from '../../src/lab/lab-bridge.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const services = path.join(root, 'test/fixtures/routed/inventory.yml');
const METHODS = ['sysctl', 'arptables', 'iptables', 'firewalld'] as const;
const REAL_SERVERS = ['rs1', 'rs2'];

const skip = labUnavailable();

describe.skipIf(skip)('a client behind a router', () => {
  let lab: Lab;
  let inv: string[];
  const mac: Record<string, string> = {};

  /** The router's neighbour entry for the VIP, as it is (no flush, no lookup that would refresh it). */
  const routerNeighbour = async (): Promise<string | undefined> => {
    const r = await lab.onRouter(sh`ip neigh show ${lab.vip} dev eth0`.text);
    return /lladdr ([0-9a-f:]{17})/.exec(r.stdout)?.[1];
  };
  /** A real server forgets the router's MAC, so its next reply makes it ask for it (with which sender?). */
  const realServersForgetRouter = () =>
    Promise.all(REAL_SERVERS.map((h) => lab.exec(h, sh`ip neigh flush dev eth0 to ${lab.info.router!.address}`.text)));

  /**
   * The firewalld method's removal leaves firewalld running and the service port open (it may have
   * been open before lvsdr came); the next round starts from a host without firewalld, as the lab's.
   */
  const stopFirewalld = (method: string) =>
    method === 'firewalld' ? Promise.all(REAL_SERVERS.map((h) => lab.exec(h, 'systemctl disable --now firewalld'))) : undefined;

  beforeAll(async () => {
    lab = await startLab({ name: 'routed', realservers: 2, director: true, topology: 'routed' });
    inv = ['-i', lab.inventoryPath, '-i', services];
    for (const h of [...REAL_SERVERS, 'director']) mac[h] = (await lab.exec(h, 'cat /sys/class/net/eth0/address')).stdout.trim();
    const d = await lvsdr('run', director, ...inv);
    expect(d.code, d.text).toBe(0);
    // replies go from the real servers to the router, never to the director (frames the bridge
    // floods for a MAC it has not learned reach its NIC too, but are not sent to it)
    await installBypassCounters(lab, 'director', ['eth0']);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('the client is on its own subnet and reaches the real servers only through the router', async () => {
    const client = lab.hosts.find((h) => h.name === 'client')!;
    expect(client.address.split('.').slice(0, 3)).not.toEqual(lab.vip.split('.').slice(0, 3));
    const route = await lab.exec('client', sh`ip -o route get ${lab.vip}`.text);
    expect(route.stdout).toContain(`via ${lab.info.router!.clientAddress}`);
    const back = await lab.exec('rs1', sh`ip -o route get ${client.address}`.text);
    expect(back.stdout).toContain(`via ${lab.info.router!.address}`);
  });

  it.each(METHODS)('%s: both real servers serve the routed client; the router keeps the director\'s MAC for the VIP', { timeout: 240_000 }, async (method) => {
    try {
      const on = await lvsdr('run', realserver, ...inv, '-e', `lvs_arp_method=${method}`);
      expect(on.code, on.text).toBe(0);
      await allHealthy();
      await realServersForgetRouter();
      const probe = await lab.probe({ requests: 40 });
      expect(probe.failures, `${method}: failed requests`).toBe(0);
      for (const h of REAL_SERVERS) expect(probe.servedBy[h], `${method}: ${h} served`).toBeGreaterThan(0);
      expect(probe.arp.map((a) => a.host)).toEqual(['director']);
      expect(await routerNeighbour(), `${method}: the router's entry for the VIP`).toBe(mac.director);
      expect((await readBypassCounters(lab, 'director')).sentToIt, `${method}: replies sent to the director`).toBe(0);
    } finally {
      // the next method starts from a clean host even when this one failed
      const off = await lvsdr('run', realserver, ...inv, '-e', `lvs_arp_method=${method}`, '-e', 'lvs_state=absent');
      expect(off.code, off.text).toBe(0);
      await stopFirewalld(method);
    }
  });

  const allHealthy = () => allHealthyOf(lab);

  /** keepalived.conf written by hand: the TCP service, UDP 80 with keepalived 2.2's UDP_CHECK, UDP 81 unchecked. */
  const udpDirector = async () => {
    const [rs1, rs2] = REAL_SERVERS.map((h) => lab.hosts.find((x) => x.name === h)!.address);
    const vs = (port: number, protocol: string, check: string) => `virtual_server ${lab.vip} ${port} {
    delay_loop 2
    lb_algo wlc
    lb_kind DR
    protocol ${protocol}
${[rs1, rs2].map((ip) => `    real_server ${ip} ${port} {\n        weight 1\n${check}    }\n`).join('')}}
`;
    const conf = [
      vs(80, 'TCP', '        TCP_CHECK {\n            connect_timeout 2\n        }\n'),
      vs(80, 'UDP', '        UDP_CHECK {\n            connect_timeout 2\n            require_reply\n        }\n'),
      vs(81, 'UDP', ''),
    ].join('\n');
    const w = await lab.exec('director', 'cat > /etc/keepalived/keepalived.conf && systemctl reload keepalived', { input: conf });
    expect(w.code, w.stderr).toBe(0);
    await allHealthy();
  };

  it.each(METHODS)('%s: UDP through the VIP is served by both real servers, every reply from the VIP', { timeout: 240_000 }, async (method) => {
    const udpInv = ['-i', lab.inventoryPath, '-i', path.join(root, 'test/fixtures/routed/udp.yml')];
    try {
      const on = await lvsdr('run', realserver, ...udpInv, '-e', `lvs_arp_method=${method}`);
      expect(on.code, on.text).toBe(0);
      await udpDirector();
      const probe = await lab.probe({ requests: 40, protocol: 'udp' });
      expect(probe.wrongSource, `${method}: replies not from the VIP`).toEqual({});
      expect(probe.failures, `${method}: failed requests`).toBe(0);
      for (const h of REAL_SERVERS) expect(probe.servedBy[h], `${method}: ${h} served`).toBeGreaterThan(0);
      expect((await readBypassCounters(lab, 'director')).sentToIt, `${method}: replies sent to the director`).toBe(0);
      if (method === 'sysctl') {
        // UDP's trap, and proof the probe sees it: with the VIP on the host, a plain sendto answers
        // from the real IP, and the client drops every such reply
        const naive = `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("0.0.0.0", 81))\nwhile True:\n    d, a = s.recvfrom(2048)\n    s.sendto(socket.gethostname().encode(), a)\n`;
        for (const h of REAL_SERVERS) {
          await lab.exec(h, 'cat > /run/naive-udp.py && systemd-run --unit lvsdr-test-naive-udp python3 -S /run/naive-udp.py', { input: naive });
        }
        const trap = await lab.probe({ port: 81, requests: 10, protocol: 'udp' });
        for (const h of REAL_SERVERS) await lab.exec(h, 'systemctl stop lvsdr-test-naive-udp');
        expect(trap.failures).toBe(10);
        expect(Object.values(trap.wrongSource).reduce((a, b) => a + b, 0)).toBe(10);
      }
    } finally {
      const off = await lvsdr('run', realserver, ...udpInv, '-e', `lvs_arp_method=${method}`, '-e', 'lvs_state=absent');
      expect(off.code, off.text).toBe(0);
      await stopFirewalld(method);
    }
  });

  /**
   * A reboot brings it all back, for each method: two rounds, a different method on each real server
   * (per-host `lvs_arp_method`, as an operator moving a cluster from one method to another has),
   * TCP and UDP on the VIP, both real servers rebooted for real, then served without a run.
   */
  it.each([
    ['arptables', 'iptables'],
    ['firewalld', 'sysctl'],
  ])('rs1 on %s, rs2 on %s: after a real reboot both serve TCP and UDP, replies bypass the director, the router keeps its MAC', { timeout: 400_000 }, async (m1, m2) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-routed-reboot-'));
    const perHost = path.join(dir, 'methods.yml');
    await writeFile(
      perHost,
      JSON.stringify({
        all: {
          hosts: { rs1: { lvs_arp_method: m1 }, rs2: { lvs_arp_method: m2 } },
          vars: {
            lvs_vips: [
              { vip: '{{ lab_vip }}', ports: [80], protocol: 'tcp' },
              { vip: '{{ lab_vip }}', ports: [80, 81], protocol: 'udp' },
            ],
          },
        },
      }),
    );
    const both = [...inv, '-i', perHost];
    try {
      const on = await lvsdr('run', realserver, ...both);
      expect(on.code, on.text).toBe(0);
      await udpDirector();
      // one at a time: two systemd boots at once crowd a two-core machine past the reboot timeout
      for (const h of REAL_SERVERS) {
        const boot = await lab.reboot(h);
        expect(boot.newBootId, `${h} booted again`).not.toBe(boot.oldBootId);
      }
      await allHealthy();
      await realServersForgetRouter();
      for (const protocol of ['tcp', 'udp'] as const) {
        const probe = await lab.probe({ requests: 40, protocol });
        expect(probe.failures, `${protocol}: failed requests after the reboot`).toBe(0);
        expect(probe.wrongSource, `${protocol}: replies not from the VIP`).toEqual({});
        for (const h of REAL_SERVERS) expect(probe.servedBy[h], `${protocol}: ${h} served after the reboot`).toBeGreaterThan(0);
      }
      expect(await routerNeighbour(), "the router's entry for the VIP after the reboot").toBe(mac.director);
      expect((await readBypassCounters(lab, 'director')).sentToIt, 'replies sent to the director').toBe(0);
      const again = await lvsdr('run', realserver, ...both, '--json');
      expect(again.code, again.text).toBe(0);
      expect(changedTasks(again), 'a run after the reboot').toEqual([]);
    } finally {
      const off = await lvsdr('run', realserver, ...both, '-e', 'lvs_state=absent');
      expect(off.code, off.text).toBe(0);
      await stopFirewalld('firewalld');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bad input: a routed lab without a client is refused before anything is made (exit 4)', async () => {
    const r = await lvsdr('lab', 'up', '--name', 'routed-bad', '--topology', 'routed', '--no-client', '--state-dir', TEST_LAB_STATE);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/--no-client[^]*fix: leave out --no-client/);
    expect((await labBridges()).filter((b) => b.lab === 'routed-bad')).toEqual([]);
    expect(existsSync(path.join(TEST_LAB_STATE, 'routed-bad'))).toBe(false);
  });

  it('negative control: with arp_announce=0 the router learns the VIP at a real server and the director is bypassed', { timeout: 240_000 }, async () => {
    const on = await lvsdr('run', realserver, ...inv, '-e', 'lvs_arp_method=sysctl');
    expect(on.code, on.text).toBe(0);
    await allHealthy();
    // what the guide's arp_announce=2 prevents: the VIP as the sender of a real server's ARP requests
    for (const h of REAL_SERVERS) await lab.exec(h, 'sysctl -q -w net.ipv4.conf.all.arp_announce=0 net.ipv4.conf.eth0.arp_announce=0');
    await realServersForgetRouter();
    const probe = await lab.probe({ requests: 20 });
    expect(probe.failures).toBe(0);
    const learned = await routerNeighbour();
    const poisoner = REAL_SERVERS.find((h) => mac[h] === learned);
    expect(poisoner, `the router holds the VIP at ${learned}, not at a real server's MAC`).toBeDefined();
    // the first request went through the director; every later one went straight to that real server
    expect(probe.servedBy).toEqual({ [poisoner!]: 20 });
  });

  it('lab down removes both bridges, the router and its veths', { timeout: 120_000 }, async () => {
    const { bridge, clientBridge, router } = lab.info;
    await lab.down();
    expect((await labBridges()).filter((b) => b.lab === 'routed')).toEqual([]);
    for (const gone of [bridge, clientBridge!, `lv${bridge.slice(5)}-router`, `lv${clientBridge!.slice(5)}-router`]) {
      expect(existsSync(`/sys/class/net/${gone}`), gone).toBe(false);
    }
    expect(existsSync(`/run/netns/${router!.namespace}`)).toBe(false);
  });
});
