/**
 * Host keys on real lab hosts: an unknown host is refused with a message naming
 * --accept-new-host-keys (and recorded with it); a host whose key changed is refused, with or
 * without that flag, naming the known_hosts file and line — and the other hosts finish.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, recapOf, unreachableOf } from './run-helpers.ts';

const playbook = path.resolve('test/fixtures/reliability/marker.yml');
const HOSTS = ['rs1', 'rs2', 'rs3'];
const skip = labUnavailable();

describe.skipIf(skip)('host keys on lab hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-keys', realservers: 3, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });

  const markers = async () =>
    Promise.all(HOSTS.map(async (h) => (await lab.exec(h, 'cat /etc/lvsdr-rel/marker 2>/dev/null; true')).stdout));

  it('unknown hosts are refused naming --accept-new-host-keys; with it they are recorded once', { timeout: 120_000 }, async () => {
    const knownHosts = path.join(lab.info.stateDir, 'known_hosts.empty');
    writeFileSync(knownHosts, '');

    const refused = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--known-hosts', knownHosts, '--json');
    expect(refused.code).toBe(3);
    for (const h of HOSTS) {
      expect(unreachableOf(refused, h)).toMatch(/host key of \S+ is not known \(ssh-ed25519 SHA256:\S+; not in .*known_hosts\.empty\).*--accept-new-host-keys/);
    }
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
    expect(await markers()).toEqual(['', '', '']);

    const accepted = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--known-hosts', knownHosts, '--accept-new-host-keys', '--json');
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    const recorded = readFileSync(knownHosts, 'utf8').trim().split('\n').sort();
    // The same keys the lab itself recorded when it made the hosts: nothing else was accepted.
    expect(recorded).toEqual(readFileSync(lab.info.knownHosts, 'utf8').trim().split('\n').sort());
    expect(await markers()).toEqual(HOSTS.map((h) => `host=${h}\n`));

    const again = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--known-hosts', knownHosts, '--json');
    expect(again.code).toBe(0);
    expect(readFileSync(knownHosts, 'utf8').trim().split('\n')).toHaveLength(HOSTS.length);
  });

  it('a swapped host key is refused naming the known_hosts line, even with --accept-new-host-keys; the others finish', { timeout: 120_000 }, async () => {
    await Promise.all(HOSTS.map((h) => lab.exec(h, 'rm -rf /etc/lvsdr-rel')));
    const knownHosts = lab.info.knownHosts;
    const before = readFileSync(knownHosts, 'utf8');
    const rs2 = lab.hosts.find((h) => h.name === 'rs2')!;
    const line = before.split('\n').findIndex((l) => l.startsWith(`${rs2.address} `)) + 1;
    expect(line).toBeGreaterThan(0);

    // A new key, then SIGHUP: sshd re-executes itself and serves the new key from then on. A light
    // host's sshd keeps its pid in /run (the host's own tmpfs) under the lab's process marker.
    const key = '/etc/ssh/lvsdr_lab_host_ed25519_key';
    const swap = await lab.exec('rs2', `rm -f ${key} ${key}.pub && ssh-keygen -q -t ed25519 -N '' -f ${key} && kill -HUP "$(cat /run/lvsdr-lab_*.pid)"`);
    expect(swap.code).toBe(0);
    // The system ssh client sees the new key too, so the swap really happened. While sshd
    // re-executes itself, nothing listens: a refused connection means not yet.
    let seen = await lab.exec('rs2', 'true');
    for (let i = 0; i < 50 && (seen.code === 0 || /Connection refused/.test(seen.stderr)); i++) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await lab.exec('rs2', 'true');
    }
    expect(seen.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);

    for (const flags of [[], ['--accept-new-host-keys']]) {
      const r = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json', ...flags);
      expect(r.code).toBe(3);
      expect(unreachableOf(r, 'rs2')).toContain(`HOST KEY CHANGED for ${rs2.address}`);
      expect(unreachableOf(r, 'rs2')).toContain(`${knownHosts}:${line} holds a different ssh-ed25519 key`);
      expect(recapOf(r).stats.rs2).toMatchObject({ unreachable: 1, ok: 0, changed: 0 });
      for (const h of ['rs1', 'rs3']) expect(recapOf(r).stats[h]).toMatchObject({ unreachable: 0, failed: 0 });
      expect(readFileSync(knownHosts, 'utf8')).toBe(before);
    }
    for (const h of ['rs1', 'rs3']) expect((await lab.exec(h, 'cat /etc/lvsdr-rel/marker')).stdout).toBe(`host=${h}\n`);
  });
});
