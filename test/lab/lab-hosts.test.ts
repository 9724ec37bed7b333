/**
 * Issue 3's "done when", on real systemd hosts: SSH from outside with strict host key checking,
 * systemd as PID 1, each host's own hostname / sysctl / iptables / arptables, and a real reboot.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/lab/run-command.ts';
import { sshArgs } from '../../src/lab/lab-ssh.ts';
import type { Lab } from '../support/lab.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, sh, startLab } from '../support/lab.ts';

const skip = labUnavailable();

describe.skipIf(skip)('lab systemd hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'hosts-test', realservers: 2, director: true, client: true });
  });
  afterAll(async () => {
    await lab?.down();
  });

  const out = async (host: string, command: string) => {
    const r = await lab.exec(host, command);
    expect(r.code, `${host}: ${command}\n${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  it('answers SSH from outside with the lab key and known_hosts, strict checking on', async () => {
    for (const h of lab.hosts) {
      const target = { address: h.address, privateKey: lab.info.privateKey, knownHosts: lab.info.knownHosts };
      const r = await runCommand('ssh', [...sshArgs(target), '--', 'hostname'], { timeoutMs: 20_000 });
      expect(r.stdout.trim(), r.stderr).toBe(h.name);
    }
    const empty = path.join(await mkdtemp(path.join(tmpdir(), 'lvsdr-kh-')), 'known_hosts');
    await writeFile(empty, '');
    const rs1 = lab.hosts.find((h) => h.name === 'rs1')!;
    const strict = await runCommand('ssh', [...sshArgs({ address: rs1.address, privateKey: lab.info.privateKey, knownHosts: empty }), '--', 'true'], { timeoutMs: 20_000 });
    expect(strict.code).toBe(255);
    expect(strict.stderr).toMatch(/Host key verification failed/);
  }, LAB_TEST_TIMEOUT);

  it('runs systemd as PID 1 with sshd and dbus as real units, firewalld installed but not started', async () => {
    for (const h of lab.hosts) {
      expect(await out(h.name, 'cat /proc/1/comm')).toBe('systemd');
      expect(await out(h.name, 'systemctl is-active ssh.service dbus.service')).toBe('active\nactive');
    }
    expect(await out('rs1', 'systemctl is-enabled firewalld.service || true')).toBe('disabled');
  }, LAB_TEST_TIMEOUT);

  it('gives each host its own hostname, machine-id, sysctl, iptables and arptables', async () => {
    const ids = await Promise.all(lab.hosts.map((h) => out(h.name, 'cat /etc/machine-id')));
    expect(new Set(ids).size).toBe(lab.hosts.length);
    await out('rs1', 'sysctl -qw net.ipv4.conf.eth0.arp_ignore=1');
    await out('rs1', sh`iptables -A INPUT -d ${lab.vip} -p tcp --dport 81 -j REJECT`.text);
    await out('rs1', sh`arptables -A INPUT -d ${lab.vip} -j DROP`.text);
    expect(await out('rs1', 'sysctl -n net.ipv4.conf.eth0.arp_ignore')).toBe('1');
    expect(await out('rs2', 'sysctl -n net.ipv4.conf.eth0.arp_ignore')).toBe('0');
    expect(await out('rs1', 'iptables-save')).toContain('--dport 81');
    expect(await out('rs2', 'iptables-save')).not.toContain('--dport 81');
    expect(await out('rs1', 'arptables-save')).toContain(`-d ${lab.vip}`);
    expect(await out('rs2', 'arptables-save')).not.toContain(`-d ${lab.vip}`);
  }, LAB_TEST_TIMEOUT);

  it('reboots for real: new boot id, runtime state gone, /etc kept and applied at boot', async () => {
    await out('rs1', 'sysctl -qw net.ipv4.conf.all.arp_ignore=1');
    await out('rs1', 'echo net.ipv4.conf.eth0.arp_announce=2 > /etc/sysctl.d/90-lab-test.conf');
    await out('rs1', 'echo kept > /etc/lab-test-file');
    // flavor debian: netfilter-persistent restores /etc/iptables/rules.v4 at boot
    await out('rs1', sh`iptables -A INPUT -d ${lab.vip} -p tcp --dport 82 -j REJECT && iptables-save > /etc/iptables/rules.v4`.text);
    const r = await lab.reboot('rs1');
    expect(r.newBootId).not.toBe(r.oldBootId);
    expect(await out('rs1', 'sysctl -n net.ipv4.conf.all.arp_ignore')).toBe('0');
    expect(await out('rs1', 'sysctl -n net.ipv4.conf.eth0.arp_announce')).toBe('2');
    expect(await out('rs1', 'cat /etc/lab-test-file')).toBe('kept');
    expect(await out('rs1', 'arptables-save')).not.toContain(lab.vip);
    expect(await out('rs1', 'iptables-save')).toContain('--dport 82');
    expect(await out('rs1', 'ip -br addr show eth0')).toContain(lab.hosts.find((h) => h.name === 'rs1')!.address);
  }, LAB_TEST_TIMEOUT);
});
