/**
 * The engine against real hosts (lab light hosts, real sshd): a dry run that tells the truth, a
 * first run that changes, a second that does not, and unreachable hosts that do not stop the others.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { changedTasks, lvsdr, type CliRun } from '../support/cli.ts';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';

const playbook = path.resolve('test/fixtures/engine/site.yml');

const recapOf = (r: CliRun) => r.events.find((e) => e.type === 'recap')!;

const skip = labUnavailable();

describe.skipIf(skip)('engine on lab hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'engine', realservers: 3, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });

  it('check changes nothing and predicts the first run exactly; the second run changes nothing', { timeout: 120_000 }, async () => {
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    for (const host of ['rs1', 'rs2', 'rs3']) {
      const after = await lab.exec(host, 'ls /etc/lvsdr-engine /etc/systemd/system/lvsdr-engine.service 2>&1; true');
      expect(after.stdout).toMatch(/No such file/);
    }

    const first = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(first.code).toBe(0);
    // Check mode predicts every change but the handler's: a shell command without creates/removes,
    // which check mode does not run and reports skipped, as Ansible's command module does.
    const handler = (r: CliRun) => r.events.filter((e) => e.type === 'task:result' && e.task === 'record change').map((e) => `${e.host} ${e.status}`);
    expect(handler(check).sort()).toEqual(['rs1 skipped', 'rs2 skipped', 'rs3 skipped']);
    expect(changedTasks(first).filter((t) => !t.includes(' | record change | '))).toEqual(changedTasks(check));
    expect(changedTasks(first).length).toBeGreaterThanOrEqual(3 * 8);

    const second = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    expect(changedTasks(second)).toEqual([]);
    for (const stats of Object.values(recapOf(second).stats) as { changed: number; failed: number }[]) {
      expect(stats).toMatchObject({ changed: 0, failed: 0 });
    }

    const rs2 = await lab.exec('rs2', 'cat /etc/lvsdr-engine/app.conf /etc/lvsdr-engine/handler.log; stat -c %a /etc/lvsdr-engine/app.conf; readlink /etc/systemd/system/multi-user.target.wants/lvsdr-engine.service');
    expect(rs2.stdout).toBe(`host=rs2\nvip=${lab.vip}\nchanged\n640\n/etc/systemd/system/lvsdr-engine.service\n`);
  });

  it('a check after a real run reports changed=0 too', async () => {
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(check.code).toBe(0);
    expect(changedTasks(check)).toEqual([]);
  });

  it('an unreachable host ends as unreachable, the others finish, exit code 3', async () => {
    const inventory = readFileSync(lab.inventoryPath, 'utf8').replace(
      /(rs3:\n\s+ansible_host: \S+\n)/,
      '$1          ansible_port: 2\n',
    );
    expect(inventory).toContain('ansible_port: 2');
    const broken = path.join(path.dirname(lab.inventoryPath), 'inventory-rs3-down.yml');
    writeFileSync(broken, inventory);
    const r = await lvsdr('run', playbook, '-i', broken, '--json');
    expect(r.code).toBe(3);
    const stats = recapOf(r).stats;
    expect(stats.rs3).toMatchObject({ unreachable: 1, ok: 0 });
    expect(stats.rs1).toMatchObject({ unreachable: 0, failed: 0 });
    expect(stats.rs2.ok).toBeGreaterThan(5);
    expect(r.events.find((e) => e.type === 'host:unreachable')?.host).toBe('rs3');
  });

  it('facts come back from every host in one round trip each', async () => {
    let out = '';
    const code = await runCli(['facts', '-i', lab.inventoryPath], { stdout: (t) => (out += t), stderr: () => {} });
    expect(code).toBe(0);
    const facts = JSON.parse(out);
    expect(Object.keys(facts)).toEqual(['rs1', 'rs2', 'rs3']);
    expect(facts.rs1.hostname).toBe('rs1');
    expect(facts.rs1.interfaces.map((i: { name: string }) => i.name)).toContain('eth0');
  });
});
