/**
 * A role-based playbook (test/fixtures/roles, modelled on a real keepalived role) against real
 * hosts: pre_tasks, a role with a dependency, defaults, vars, templates, files and handlers, an
 * import_role and post_tasks reach the end state Ansible reaches, with handlers run where Ansible
 * flushes them; check mode predicts the first run; the second run changes nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr, type CliRun } from '../support/cli.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const playbook = path.resolve('test/fixtures/roles/site.yml');
const skip = labUnavailable();

const statsOf = (r: CliRun) => r.events.find((e) => e.type === 'recap')!.stats as Record<string, { changed: number; failed: number }>;

describe.skipIf(skip)('a role-based playbook on lab hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'roles', realservers: 2, kind: 'light' });
  }, LAB_TEST_TIMEOUT);
  afterAll(async () => {
    await lab?.down();
  }, LAB_TEST_TIMEOUT);

  it('check predicts the first run, which reaches the end state with handlers flushed after pre_tasks and after the roles; the second run changes nothing', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(check.code).toBe(0);
    expect((await lab.exec('rs1', 'ls /etc/lvsdr-roles 2>&1; true')).stdout).toMatch(/No such file/);

    const first = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(changedTasks(first).filter((t) => t.startsWith('rs1 |')).map((t) => t.split(' | ')[1])).toEqual([
      'Base directory',
      'Post marker',
      'Pre-task marker',
      'arp_tuning : Announce the best local address',
      'arp_tuning : Answer ARP only for addresses on the asking interface',
      'log pre',
      'lvs_realserver : Health check script',
      'lvs_realserver : Real server configuration',
      'lvs_realserver : Report',
      'lvs_realserver : Where the role came from',
      'lvs_realserver : restart realserver',
    ]);
    for (const stats of Object.values(statsOf(first))) expect(stats).toMatchObject({ changed: 11, failed: 0 });
    // Check mode predicts every change but the handlers': shell commands without creates/removes,
    // which check mode does not run and reports skipped, as Ansible's command module does.
    const handlers = ['log pre', 'lvs_realserver : restart realserver'];
    const ran = (r: CliRun) => r.events.filter((e) => e.type === 'task:result' && handlers.includes(e.task)).map((e) => `${e.host} ${e.task} ${e.status}`);
    expect(ran(check).sort()).toEqual(['rs1', 'rs2'].flatMap((h) => handlers.map((t) => `${h} ${t} skipped`)).sort());
    expect(changedTasks(first).filter((t) => !handlers.includes(t.split(' | ')[1]))).toEqual(changedTasks(check));

    const state = await lab.exec(
      'rs2',
      'cd /etc/lvsdr-roles && cat order.log realserver.conf role.txt && ls && stat -c %a check.sh && cat imported.txt && sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce',
    );
    expect(state.stdout).toBe(
      [
        'pre-handler',
        'restarted',
        '# Ansible managed',
        'host=rs2',
        `vip=${lab.vip}`,
        'port=80',
        'lvs_realserver lvs_realserver',
        // The import_role's vars reach every task of the play (Ansible exports an imported role's vars):
        // the role's own report.yml writes imported.txt too, and main.txt is never written.
        'check.sh',
        'imported.txt',
        'order.log',
        'post',
        'pre.txt',
        'realserver.conf',
        'role.txt',
        '755',
        `vip=${lab.vip} port=80`,
        '1',
        '2',
        '',
      ].join('\n'),
    );

    const second = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    expect(changedTasks(second)).toEqual([]);
    for (const stats of Object.values(statsOf(second))) expect(stats).toMatchObject({ changed: 0, failed: 0 });
  });
});
