import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { loadCheckedInputs } from '../../src/cli/checked-inputs.ts';
import { evalCondition, renderValue } from '../../src/core/templating.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import type { HostFacts } from '../../src/facts/types.ts';

const PLAYBOOKS = ['realserver', 'realserver-arptables', 'realserver-sysctl', 'realserver-iptables', 'realserver-firewalld'];
const INVENTORY = 'inventories/production.yml';

/** The shipped real-server playbooks load and check against the example inventory, either state. */
describe('shipped real-server playbooks', () => {
  for (const name of PLAYBOOKS) {
    for (const state of ['present', 'absent']) {
      it(`${name}.yml validates (lvs_state=${state})`, () => {
        const { playbook } = loadCheckedInputs(`playbooks/${name}.yml`, [INVENTORY], [`lvs_state=${state}`]);
        const modules = new Set(playbook.plays.flatMap((p) => leafTasks(p.tasks).map((t) => t.module)));
        expect(modules.size).toBeGreaterThan(0);
      });
    }
  }

  it('realserver.yml covers every method', () => {
    const { playbook } = loadCheckedInputs('playbooks/realserver.yml', [INVENTORY], []);
    const modules = new Set(playbook.plays.flatMap((p) => leafTasks(p.tasks).map((t) => t.module)));
    expect([...modules].sort()).toEqual(['arptables', 'assert', 'firewalld_direct', 'firewalld_port', 'lvs_iptables', 'lvs_sysctl', 'package', 'vip']);
  });
});

/** What each real-server task of a method would loop over for a host with an IPv4 and an IPv6 VIP. */
describe('real-server playbooks with IPv4 and IPv6 VIPs together', () => {
  const V4 = { vip: '198.18.10.100', ports: [80] };
  const V6 = { vip: 'fd00::198:18:10:100', ports: [80, 443] };
  const facts: HostFacts = {
    hostname: 'web01', osFamily: 'Debian', distribution: 'debian', distributionVersion: '12', systemdRunning: true,
    interfaces: [], defaultInterface: 'eth0', tools: {},
  };
  /** Each task's rendered module arguments per loop item, for the tasks that run (their `when` true). */
  function planned(method: string, vips = [V4, V6]): { module: string; args: Record<string, unknown> }[] {
    const extraVars = { lvs_vips: vips, lvs_arp_method: method };
    const { playbook, inventory } = loadCheckedInputs('playbooks/realserver.yml', [INVENTORY], [JSON.stringify(extraVars)]);
    const play = playbook.plays[0];
    const host = inventory.hosts.get('web01.example.com')!;
    const out: { module: string; args: Record<string, unknown> }[] = [];
    for (const task of leafTasks(play.tasks)) {
      const vars = buildHostVars({ inventory, host, play, task, extraVars, facts, registered: {}, checkMode: true, playbookDir: playbook.dir });
      const items = task.loop === undefined ? [undefined] : (renderValue(task.loop, vars) as unknown[]);
      for (const item of items) {
        const v = item === undefined ? vars : { ...vars, item };
        if (task.when.every((w) => evalCondition(w, v)) && !['assert', 'package'].includes(task.module)) out.push({ module: task.module, args: renderValue(task.args, v) as Record<string, unknown> });
      }
    }
    return out;
  }
  // Without gathered facts the real interface (ansible_default_ipv4) renders as none: shown as `-`.
  const brief = (tasks: ReturnType<typeof planned>) =>
    tasks.map((t) => [t.module, t.args.address ?? t.args.destination ?? t.args.source ?? t.args.name, ...(t.module === 'vip' ? [t.args.device ?? '-', t.args.arp_guard] : [])].join(' '));

  it('arptables: ARP rules and the real interface for the IPv4 VIP only; the IPv6 VIP on lo with no ARP guard', () => {
    expect(brief(planned('arptables'))).toEqual([
      'arptables 198.18.10.100',
      'arptables 198.18.10.100',
      'vip 198.18.10.100 - arptables',
      'vip fd00::198:18:10:100 lo none',
    ]);
    expect(planned('arptables').at(-1)!.args).toEqual({ address: 'fd00::198:18:10:100', device: 'lo', arp_guard: 'none' });
  });

  it('sysctl: arp_ignore/arp_announce and lo for the IPv4 VIP; the IPv6 VIP on lo', () => {
    expect(brief(planned('sysctl'))).toEqual([
      'lvs_sysctl net.ipv4.conf.all.arp_ignore',
      'lvs_sysctl net.ipv4.conf.all.arp_announce',
      'vip 198.18.10.100 lo sysctl',
      'vip fd00::198:18:10:100 lo none',
    ]);
    // IPv6 alone: nothing IPv4-only is written for it
    expect(brief(planned('sysctl', [V6]))).toEqual(['vip fd00::198:18:10:100 lo none']);
    expect(brief(planned('arptables', [V6]))).toEqual(['vip fd00::198:18:10:100 lo none']);
  });

  it('iptables and firewalld: one REDIRECT per VIP and port, the IPv6 ones for ip6tables / ipv6 direct rules (the modules take the family from the address)', () => {
    expect(brief(planned('iptables'))).toEqual(['lvs_iptables 198.18.10.100', 'lvs_iptables fd00::198:18:10:100', 'lvs_iptables fd00::198:18:10:100']);
    expect(planned('iptables').map((t) => t.args.dport)).toEqual([80, 80, 443]);
    expect(brief(planned('firewalld')).filter((b) => b.startsWith('firewalld_direct'))).toEqual([
      'firewalld_direct 198.18.10.100',
      'firewalld_direct fd00::198:18:10:100',
      'firewalld_direct fd00::198:18:10:100',
    ]);
  });
});
