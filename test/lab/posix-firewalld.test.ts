/**
 * ansible.posix.firewalld against a running firewalld (the el flavor's real firewalld.service):
 * immediate and permanent settings, each read and changed on its own; check mode lists exactly what
 * the run then changes, and the second run changes nothing. (With firewalld stopped, the
 * differential corpus entry firewalld-permanent holds it to ansible-playbook.)
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr } from '../support/cli.ts';
import type { Lab } from '../support/lab.ts';
import { labUnavailable, startLab } from '../support/lab.ts';

const skip = labUnavailable();

const PLAYBOOK = `
- hosts: realservers
  gather_facts: false
  tasks:
    - name: the service port, now and at boot
      firewalld: { port: 8080/tcp, permanent: true, immediate: true, state: enabled }
    - name: http now only
      ansible.posix.firewalld: { service: http, state: enabled }
    - name: health checks from the director, at boot only
      ansible.posix.firewalld:
        rich_rule: rule family="ipv4" source address="198.18.0.250" port port="80" protocol="tcp" accept
        permanent: true
        state: enabled
    - name: no masquerading in the dmz
      ansible.posix.firewalld: { masquerade: true, zone: dmz, immediate: true, permanent: true, state: disabled }
`;

describe.skipIf(skip)('ansible.posix.firewalld with firewalld running', () => {
  let lab: Lab;
  let playbook: string;
  beforeAll(async () => {
    lab = await startLab({ name: 'posix-firewalld', realservers: 1, flavor: 'el' });
    const r = await lab.exec('rs1', 'systemctl start firewalld && firewall-cmd --zone=dmz --add-masquerade && firewall-cmd --permanent --zone=dmz --add-masquerade', { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    playbook = path.join(await mkdtemp(path.join(tmpdir(), 'lvsdr-posix-firewalld-')), 'site.yml');
    await writeFile(playbook, PLAYBOOK);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('check lists the changes, the run makes exactly them, the second run none', { timeout: 300_000 }, async () => {
    const run = (...extra: string[]) => lvsdr('run', playbook, '-i', lab.inventoryPath, '--json', ...extra);
    const check = await run('--check');
    expect(check.code, check.text).toBe(0);
    const first = await run();
    expect(first.code, first.text).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    expect(changedTasks(first)).toEqual([
      'rs1 | health checks from the director, at boot only | enable rich-rule rule family="ipv4" source address="198.18.0.250" port port="80" protocol="tcp" accept in the default zone (permanent)',
      'rs1 | http now only | enable service http in the default zone (runtime)',
      'rs1 | no masquerading in the dmz | disable masquerade in zone dmz (permanent); disable masquerade in zone dmz (runtime)',
      'rs1 | the service port, now and at boot | enable port 8080/tcp in the default zone (permanent); enable port 8080/tcp in the default zone (runtime)',
    ]);
    const q = async (cmd: string) => (await lab.exec('rs1', `${cmd} || true`)).stdout.trim();
    expect(await q('firewall-cmd --query-port=8080/tcp; firewall-cmd --permanent --query-port=8080/tcp')).toBe('yes\nyes');
    expect(await q('firewall-cmd --query-service=http; firewall-cmd --permanent --query-service=http')).toBe('yes\nno');
    expect(await q('firewall-cmd --zone=dmz --query-masquerade; firewall-cmd --permanent --zone=dmz --query-masquerade')).toBe('no\nno');
    expect(changedTasks(await run())).toEqual([]);
    expect(changedTasks(await run('--check'))).toEqual([]);
  });
});
