/**
 * Issue 18's IPv6, end to end on systemd hosts (a lab made with --ipv6, addresses from fd00::/8):
 * one real server per method, each with an IPv4 and an IPv6 VIP in one run. All four methods apply
 * to IPv6: arptables and sysctl put the IPv6 VIP on lo as /128 (IPv6 has no ARP, and neighbour
 * discovery answers only for addresses of the asking interface, so no arptables rule and no
 * arp_ignore is written for it); iptables and firewalld REDIRECT it with ip6tables / an ipv6 direct
 * rule. --check predicts the first run exactly, the second changes nothing; the director (the lab's
 * stand-in for IPVS, nft `fwd ip6 to`) serves the IPv6 VIP through every real server, and only the
 * director answers neighbour solicitations for it; after a real reboot of every real server the
 * state is back and served, and a third run changes nothing.
 *
 * Debian hosts only: the el flavor's emulated iptables-services ships iptables.service, not ip6tables.service.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks as changed, lvsdr } from '../support/cli.ts';
import { allHealthy } from '../support/director-health.ts';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const methods = path.join(root, 'test/fixtures/ipv6/inventory.yml');
const METHOD = { rs1: 'arptables', rs2: 'sysctl', rs3: 'iptables', rs4: 'firewalld' } as const;
type Rs = keyof typeof METHOD;
const HOSTS = Object.keys(METHOD) as Rs[];

const skip = labUnavailable();

describe.skipIf(skip)('IPv6 VIPs beside IPv4 ones, the four methods, through the director', () => {
  let lab: Lab;
  let inv: string[];
  let vip6: string;
  /** Each method's IPv6 state, read as an operator would (and that nothing IPv4-only names the IPv6 VIP). */
  const stateOf = async (host: Rs): Promise<string> => {
    const checks: Record<Rs, string> = {
      rs1: `ip -6 -o addr show dev lo | grep -c ' ${vip6}/128 '; arptables-save | grep -c -- ${vip6}; ip -4 -o addr show dev eth0 | grep -c ' ${lab.vip}/32 '`,
      rs2: `ip -6 -o addr show dev lo | grep -c ' ${vip6}/128 '; ip -4 -o addr show dev lo | grep -c ' ${lab.vip}/32 '`,
      rs3: `ip6tables-save -t nat | grep -c -- '-d ${vip6}/128 -p tcp -m tcp --dport 80 -j REDIRECT'; grep -c -- '-d ${vip6}/128' /etc/iptables/rules.v6; grep -c -- ${vip6} /etc/iptables/rules.v4`,
      rs4: `firewall-cmd --direct --get-all-rules | grep -c '^ipv6 nat PREROUTING 0 -d ${vip6} '; firewall-cmd --permanent --direct --get-all-rules | grep -c '^ipv6 nat PREROUTING 0 -d ${vip6} '`,
    };
    return (await lab.exec(host, `${checks[host]}; true`)).stdout.trim().replace(/\s+/g, ' ');
  };
  const present: Record<Rs, string> = { rs1: '1 0 1', rs2: '1 1', rs3: '1 1 0', rs4: '1 1' };
  const expectServed = async (vip: string, what: string) => {
    await allHealthy(lab);
    const probe = await lab.probe({ vip, requests: 40 });
    expect(probe.failures, `${what}: ${JSON.stringify(probe.answers)}`).toBe(0);
    for (const h of HOSTS) expect(probe.servedBy[h], `${what}: ${h} (${METHOD[h]}) served ${vip}`).toBeGreaterThan(0);
    expect(probe.arp.map((a) => a.host), `${what}: who answers for ${vip}`).toEqual(['director']);
  };

  beforeAll(async () => {
    lab = await startLab({ name: 'ipv6', realservers: 4, director: true, client: true, ipv6: true });
    vip6 = lab.vip6!;
    inv = ['-i', lab.inventoryPath, '-i', methods];
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('--check predicts the first run exactly and changes nothing; the second run changes nothing', { timeout: 300_000 }, async () => {
    expect(vip6).toMatch(/^fd/);
    const check = await lvsdr('run', realserver, ...inv, '--check', '--json');
    expect(check.code, check.text).toBe(0);
    for (const h of HOSTS) expect(await stateOf(h)).not.toBe(present[h]);
    const first = await lvsdr('run', realserver, ...inv, '--json');
    expect(first.code, first.text).toBe(0);
    expect(changed(first)).toEqual(changed(check));
    for (const h of HOSTS) expect(await stateOf(h), `${h} (${METHOD[h]})`).toBe(present[h]);
    const second = await lvsdr('run', realserver, ...inv, '--json');
    expect(second.code, second.text).toBe(0);
    expect(changed(second)).toEqual([]);
  });

  it('the director serves the IPv6 VIP (and the IPv4 one) through every real server; only the director answers for them', { timeout: 240_000 }, async () => {
    const r = await lvsdr('run', director, ...inv);
    expect(r.code, r.text).toBe(0);
    const conf = await lab.exec('director', 'cat /etc/keepalived/keepalived.conf');
    expect(conf.stdout).toContain(`virtual_server ${vip6} 80 {`);
    await expectServed(vip6, 'IPv6');
    await expectServed(lab.vip, 'IPv4');
  });

  it('after a real reboot of every real server the IPv6 state is back and served; a third run changes nothing', { timeout: 400_000 }, async () => {
    // One at a time: four systemd boots at once crowd a two-core machine past the reboot timeout.
    for (const h of HOSTS) {
      const boot = await lab.reboot(h);
      expect(boot.newBootId, `${h} booted again`).not.toBe(boot.oldBootId);
    }
    for (const h of HOSTS) expect(await stateOf(h), `${h} (${METHOD[h]}) after reboot`).toBe(present[h]);
    await expectServed(vip6, 'IPv6 after reboot');
    const third = await lvsdr('run', realserver, ...inv, '--json');
    expect(third.code, third.text).toBe(0);
    expect(changed(third)).toEqual([]);
  });
});
