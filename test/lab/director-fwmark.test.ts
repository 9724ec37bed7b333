/**
 * A fwmark virtual server's mark rule on a real lab director: playbooks/director.yml writes
 * `iptables -t mangle -A PREROUTING -d VIP -p tcp --dport P -j MARK --set-mark N` for each port of a
 * fwmark `lvs_vips` entry, saved for boot; check mode lists exactly what the run changes (the
 * keepalived task plans on the rules the iptables task would add); the second run changes nothing;
 * after a real reboot the rules are back. The lab's IPVS stand-in forwards at the NIC's ingress,
 * before any mangle rule marks a packet, so it cannot honour the mark: the traffic itself is not
 * proven here, the rule and its persistence are (the stand-in says it does not forward the service).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr } from '../support/cli.ts';
import type { Lab } from '../support/lab.ts';
import { labUnavailable, sh, startLab } from '../support/lab.ts';

const director = path.resolve(import.meta.dirname, '../../playbooks/director.yml');
const skip = labUnavailable();

describe.skipIf(skip)('a fwmark service on a lab director', () => {
  let lab: Lab;
  let dir: string;
  let inv: string[];
  let markedVip: string;
  const marked = (port: number) => sh`iptables -w -t mangle -C PREROUTING -d ${`${markedVip}/32`} -p tcp -m tcp --dport ${port} -j MARK --set-xmark 0x7/0xffffffff`.text;

  beforeAll(async () => {
    lab = await startLab({ name: 'i18-fwmark', realservers: 1, director: true });
    markedVip = lab.vip.replace(/\.\d+$/, '.241');
    dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-fwmark-'));
    const extra = path.join(dir, 'inventory.yml');
    const vips = [{ vip: '{{ lab_vip }}', ports: [80] }, { fwmark: 7, vip: markedVip, ports: [443, 8443] }];
    await writeFile(extra, JSON.stringify({ all: { vars: { lvs_vips: vips, lvs_real_ip: '{{ ansible_host }}' } } }));
    inv = ['-i', lab.inventoryPath, '-i', extra];
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('check lists the mark rules; the run adds and saves them; the second run changes nothing; a reboot restores them', { timeout: 400_000 }, async () => {
    const check = await lvsdr('run', director, ...inv, '--check', '--json');
    expect(check.code, check.text).toBe(0);
    const planned = changedTasks(check);
    for (const port of [443, 8443]) {
      expect(planned).toContainEqual(expect.stringContaining(`add iptables rule -t mangle PREROUTING -d ${markedVip}/32 -p tcp -m tcp --dport ${port} -j MARK --set-xmark 0x7/0xffffffff`));
    }
    expect(planned).toContainEqual(expect.stringMatching(/^director \| keepalived\.conf has the virtual servers, checked and reloaded \| (create|update) \/etc\/keepalived\/keepalived\.conf/));
    expect((await lab.exec('director', marked(443))).code).toBe(1);

    const run = await lvsdr('run', director, ...inv, '--json');
    expect(run.code, run.text).toBe(0);
    expect(changedTasks(run)).toEqual(planned);
    for (const port of [443, 8443]) expect((await lab.exec('director', marked(port))).code).toBe(0);
    const saved = await lab.exec('director', 'cat /etc/iptables/rules.v4 && grep -A3 "^virtual_server fwmark 7" /etc/keepalived/keepalived.conf');
    expect(saved.stdout).toContain(`-A PREROUTING -d ${markedVip}/32 -p tcp -m tcp --dport 8443 -j MARK --set-xmark 0x7/0xffffffff`);
    expect(saved.stdout).toMatch(/virtual_server fwmark 7 \{\n\s+lvs_sched wlc\n\s+lvs_method DR/);
    const status = JSON.parse((await lab.exec('director', 'lvsdr-lab-ipvsadm --json')).stdout) as { errors: string[] };
    expect(status.errors).toContain('virtual_server fwmark 7: the lab stand-in forwards only TCP or UDP to an address and port; not forwarded');

    expect(changedTasks(await lvsdr('run', director, ...inv, '--json'))).toEqual([]);

    const boot = await lab.reboot('director');
    expect(boot.newBootId).not.toBe(boot.oldBootId);
    for (const port of [443, 8443]) expect((await lab.exec('director', marked(port))).code, `mark rule for ${port} after reboot`).toBe(0);
    expect(changedTasks(await lvsdr('run', director, ...inv, '--json'))).toEqual([]);
  });
});
