/**
 * Issue 4's proof, on systemd hosts of both flavors, one real server per ARP-suppression method:
 * --check predicts the first run exactly and changes nothing; the second run changes nothing; after
 * a real reboot the state is back, ARP for the VIP is answered by the director alone and the VIP is
 * served; a third run changes nothing; lvs_state=absent removes everything, persisted files included.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks as changed, lvsdr } from '../support/cli.ts';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const methods = path.join(root, 'test/fixtures/methods/inventory.yml');
const METHOD = { rs1: 'arptables', rs2: 'sysctl', rs3: 'iptables', rs4: 'firewalld' } as const;
type Rs = keyof typeof METHOD;
const HOSTS = Object.keys(METHOD) as Rs[];

const skip = labUnavailable();

describe.skipIf(skip).each(['debian', 'el'] as const)('the four methods on %s hosts', (flavor) => {
  let lab: Lab;
  let inv: string[];
  /** The state each method leaves on its host, read the way an operator would check it. */
  const stateOf = async (host: Rs): Promise<string> => {
    const vip = lab.vip;
    const checks: Record<Rs, string> = {
      rs1: `ip -4 -o addr show dev eth0 | grep -c ${vip}; arptables-save | grep -c -- "-d ${vip}"`,
      rs2: `ip -4 -o addr show dev lo | grep -c ${vip}; sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce`,
      rs3: `iptables-save -t nat | grep -c -- "-d ${vip}/32 -p tcp -m tcp --dport 80 -j REDIRECT"`,
      rs4: `firewall-cmd --direct --get-all-rules | grep -c ${vip}`,
    };
    return (await lab.exec(host, `${checks[host]}; true`)).stdout.trim().replace(/\s+/g, ' ');
  };
  const present: Record<Rs, string> = { rs1: '1 1', rs2: '1 1 2', rs3: '1', rs4: '1' };

  beforeAll(async () => {
    lab = await startLab({ name: `methods-${flavor}`, realservers: 4, director: true, client: true, flavor });
    inv = ['-i', lab.inventoryPath, '-i', methods];
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('--check predicts the first run exactly and changes nothing; the second run changes nothing', { timeout: 300_000 }, async () => {
    const check = await lvsdr('run', realserver, ...inv, '--check', '--json');
    expect(check.code, check.text).toBe(0);
    for (const h of HOSTS) expect(await stateOf(h)).not.toBe(present[h]);
    const first = await lvsdr('run', realserver, ...inv, '--json');
    expect(first.code, first.text).toBe(0);
    expect(changed(first)).toEqual(changed(check));
    for (const h of HOSTS) expect(await stateOf(h), `${h} (${METHOD[h]})`).toBe(present[h]);
    const second = await lvsdr('run', realserver, ...inv, '--json');
    expect(second.code).toBe(0);
    expect(changed(second)).toEqual([]);
  });

  it('the director serves the VIP through every real server; only the director answers ARP', { timeout: 180_000 }, async () => {
    const r = await lvsdr('run', director, ...inv);
    expect(r.code, r.text).toBe(0);
    const probe = await lab.probe({ requests: 60 });
    expect(probe.failures).toBe(0);
    for (const h of HOSTS) expect(probe.servedBy[h], `${h} (${METHOD[h]}) served`).toBeGreaterThan(0);
    expect(probe.arp.map((a) => a.host)).toEqual(['director']);
  });

  it('after a real reboot the state is back, ARP stays with the director, and a third run changes nothing', { timeout: 400_000 }, async () => {
    // One at a time: four systemd boots at once crowd a two-core machine past the reboot timeout.
    for (const h of HOSTS) {
      const boot = await lab.reboot(h);
      expect(boot.newBootId, `${h} booted again`).not.toBe(boot.oldBootId);
    }
    const arp = await lab.probe({ requests: 40 });
    expect(arp.arp.map((a) => a.host)).toEqual(['director']);
    for (const h of HOSTS) expect(await stateOf(h), `${h} (${METHOD[h]}) after reboot`).toBe(present[h]);
    expect(arp.failures).toBe(0);
    const third = await lvsdr('run', realserver, ...inv, '--json');
    expect(third.code).toBe(0);
    expect(changed(third)).toEqual([]);
  });

  it('lvs_state=absent removes everything, persisted files included; a second absent run changes nothing', { timeout: 300_000 }, async () => {
    const gone = await lvsdr('run', realserver, ...inv, '-e', 'lvs_state=absent', '--json');
    expect(gone.code, gone.text).toBe(0);
    expect(changed(gone).length).toBeGreaterThan(0);
    for (const h of HOSTS) expect(await stateOf(h)).not.toBe(present[h]);
    const files = await Promise.all(
      HOSTS.map((h) => lab.exec(h, 'ls /etc/sysctl.d/90-lvsdr.conf /etc/systemd/system/lvsdr-vip-* 2>/dev/null; true')),
    );
    expect(files.map((f) => f.stdout)).toEqual(['', '', '', '']);
    const again = await lvsdr('run', realserver, ...inv, '-e', 'lvs_state=absent', '--json');
    expect(changed(again)).toEqual([]);
  });
});
