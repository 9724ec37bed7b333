/**
 * A fresh server reaches a working one in one run of the shipped playbooks: the packages a method
 * needs (and keepalived on the director) are installed first, from the lab's local repository, and
 * the tasks after them find the tools (the package modules' changesTools). Debian flavor: the lab
 * host starts with the tools, so they are removed from it first (rs1 is left with the arptables
 * package's legacy arptables alone once it is installed again).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr } from '../support/cli.ts';
import type { Lab } from '../support/lab.ts';
import { labUnavailable, startLab } from '../support/lab.ts';

const root = path.resolve(import.meta.dirname, '../..');
const realserver = path.join(root, 'playbooks/realserver.yml');
const director = path.join(root, 'playbooks/director.yml');
const skip = labUnavailable();

describe.skipIf(skip)('a fresh Debian host, from nothing to serving in one run', () => {
  let lab: Lab;
  let inv: string[];
  beforeAll(async () => {
    lab = await startLab({ name: 'fresh-host', realservers: 1, director: true, client: true });
    const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-fresh-'));
    const extra = path.join(dir, 'inventory.yml');
    await writeFile(
      extra,
      JSON.stringify({
        all: {
          vars: { lvs_vips: [{ vip: '{{ lab_vip }}', ports: [80], protocol: 'tcp' }], lvs_interface: '{{ lab_interface }}', lvs_real_ip: '{{ ansible_host }}' },
          children: { realservers: { hosts: { rs1: { lvs_arp_method: 'arptables' } } } },
        },
      }),
    );
    inv = ['-i', lab.inventoryPath, '-i', extra];
    // Debian's iptables package links /usr/sbin/arptables to arptables-nft: it goes too.
    for (const [host, packages, tool] of [['rs1', 'arptables iptables', 'arptables'], ['director', 'keepalived', 'keepalived']]) {
      const r = await lab.exec(host, `DEBIAN_FRONTEND=noninteractive apt-get remove -y -q ${packages} && ! command -v ${tool}`, { timeoutMs: 120_000 });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    }
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('check mode lists the install; the run installs, applies, and serves; the second run changes nothing', { timeout: 300_000 }, async () => {
    const check = await lvsdr('run', realserver, ...inv, '--check', '--json');
    expect(check.code, check.text).toBe(0);
    expect(changedTasks(check)).toEqual([expect.stringMatching(/^rs1 \| the packages the arptables method needs are installed \| install arptables 0\.0\.5/)]);
    const notPlanned = check.events.filter((e) => e.type === 'task:result' && e.status === 'skipped' && /installs or removes software first/.test(e.reason ?? ''));
    expect([...new Set(notPlanned.map((e) => e.task))]).toEqual([
      'ARP requests for the VIP are dropped (IPv4 VIPs)',
      "this host's ARP packets never carry the VIP as source (IPv4 VIPs)",
      'VIP up on the real interface, now and at boot (after the ARP rules)',
    ]);
    expect((await lab.exec('rs1', 'command -v arptables || echo none')).stdout.trim()).toBe('none');

    const first = await lvsdr('run', realserver, ...inv, '--json');
    expect(first.code, first.text).toBe(0);
    expect((await lab.exec('rs1', 'arptables-save')).stdout).toContain(`-d ${lab.vip}`);
    const dir = await lvsdr('run', director, ...inv, '--json');
    expect(dir.code, dir.text).toBe(0);
    expect(changedTasks(dir)).toContainEqual(expect.stringMatching(/^director \| keepalived is installed \| install keepalived /));
    const probe = await lab.probe({ requests: 10 });
    expect(probe.failures).toBe(0);
    expect(probe.servedBy).toEqual({ rs1: 10 });
    expect(probe.arp.map((a) => a.host)).toEqual(['director']);

    expect(changedTasks(await lvsdr('run', realserver, ...inv, '--json'))).toEqual([]);
    expect(changedTasks(await lvsdr('run', director, ...inv, '--json'))).toEqual([]);
  });
});
