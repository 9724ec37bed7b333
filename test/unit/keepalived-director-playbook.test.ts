/**
 * playbooks/director.yml as the executor sees it: loaded and validated against an inventory, its
 * keepalived arguments rendered with the director's variables, checked by the module's schema —
 * and the resulting file accepted by the real `keepalived --config-test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { formatProblem, UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import type { Playbook } from '../../src/core/playbook/types.ts';
import { checkModuleArgs, loadValidPlaybook } from '../../src/core/playbook/validate.ts';
import { evalCondition, renderValue } from '../../src/core/templating.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import type { HostFacts } from '../../src/facts/types.ts';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import type { KeepalivedArgs } from '../../src/modules/keepalived-schema.ts';

const PLAYBOOK = new URL('../../playbooks/director.yml', import.meta.url).pathname;
const INVENTORY = new URL('../fixtures/keepalived/inventory.yml', import.meta.url).pathname;

const facts: HostFacts = {
  hostname: 'dir1', osFamily: 'Debian', distribution: 'debian', distributionVersion: '12', systemdRunning: true,
  interfaces: [], defaultInterface: 'eth0', tools: {},
};

/**
 * The director's keepalived arguments, rendered, and the problems lvsdr reports about them — before
 * connecting (validation) or right before the task runs (the executor's check), whichever finds them.
 */
function directorArgs(extraVars: Record<string, unknown> = {}): { args?: KeepalivedArgs; problems: string[] } {
  const inventory = loadInventory([INVENTORY]);
  let playbook: Playbook;
  try {
    playbook = loadValidPlaybook(PLAYBOOK, inventory, { extraVars });
  } catch (err) {
    if (err instanceof UserError) return { args: undefined, problems: err.problems.map(formatProblem) };
    throw err;
  }
  const play = playbook.plays[0];
  // The second keepalived task writes an adopted configuration (`when: lvs_keepalived is defined`).
  const task = leafTasks(play.tasks).filter((t) => t.module === 'keepalived')[extraVars.lvs_keepalived === undefined ? 0 : 1];
  const host = inventory.hosts.get('dir1')!;
  const vars = buildHostVars({ inventory, host, play, extraVars, facts, registered: {}, checkMode: true, playbookDir: playbook.dir });
  const args = renderValue(task.args, vars) as KeepalivedArgs;
  return { args, problems: checkModuleArgs(task, args).map(formatProblem) };
}

function expectConfigTestAccepts(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-director-'));
  try {
    const file = path.join(dir, 'keepalived.conf');
    writeFileSync(file, text);
    const r = spawnSync('keepalived', ['--config-test', '-f', file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function acceptedArgs(extraVars: Record<string, unknown> = {}): KeepalivedArgs {
  const { args, problems } = directorArgs(extraVars);
  expect(problems).toEqual([]);
  return args!;
}

const realServers = (text: string) => [...text.matchAll(/real_server (\S+) (\d+) \{\n\s+weight (\d+)/g)].map((m) => `${m[1]}:${m[2]} w${m[3]}`);

describe('playbooks/director.yml', () => {
  it("fails on a real server's lvs_health_check, the name an earlier lvsdr read, instead of ignoring it", () => {
    const run = (rs3Vars: string) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-director-'));
      const file = path.join(dir, 'inventory.yml');
      writeFileSync(file, readFileSync(INVENTORY, 'utf8').replace('ansible_host: 198.18.0.13', `ansible_host: 198.18.0.13\n          ${rs3Vars}`));
      const inventory = loadInventory([file]);
      rmSync(dir, { recursive: true, force: true });
      const extraVars = {};
      const playbook = loadValidPlaybook(PLAYBOOK, inventory, { extraVars });
      const play = playbook.plays[0];
      const task = leafTasks(play.tasks).find((t) => t.name.startsWith('an inventory written for an earlier lvsdr'))!;
      const vars = buildHostVars({ inventory, host: inventory.hosts.get('dir1')!, play, extraVars, facts, registered: {}, checkMode: true, playbookDir: playbook.dir });
      const items = renderValue(task.loop, vars) as string[];
      expect(items.length).toBeGreaterThan(0);
      return items.filter((item) => task.when.every((c) => evalCondition(c, { ...vars, item })));
    };
    expect(run('lvs_weight: 1')).toEqual([]);
    expect(run('lvs_health_check: {type: HTTP_GET, path: /}')).toEqual(['rs3']);
  });

  it('renders one DR virtual server per VIP and port, each with every real server', () => {
    const args = acceptedArgs();
    const text = renderKeepalivedConfig(args);
    expect([...text.matchAll(/virtual_server (\S+ \d+) \{\n\s+protocol (\w+)\n\s+lvs_sched (\w+)\n\s+lvs_method DR\n\s+delay_loop 6\n/g)].map((m) => [m[1], m[3], m[2]].join(' '))).toEqual([
      '198.18.0.100 80 wrr TCP',
      '198.18.0.100 443 wrr TCP',
      '198.18.0.101 53 rr UDP',
    ]);
    expect(realServers(text).slice(0, 3)).toEqual(['198.18.0.11:80 w1', '198.18.0.12:80 w3', '198.18.1.13:80 w1']);
    expect(text).toContain('path /healthz');
    expect(args.vrrp_instances).toEqual([]);
    expect(args.global_defs).toEqual({ router_id: 'dir1' });
    expect(args.state).toBe('started');
  });

  it('takes rollout weights and exclusions from extra vars', () => {
    const args = acceptedArgs({ lvs_director_weights: { rs3: 0 }, lvs_director_exclude: ['rs1'] });
    expect(realServers(renderKeepalivedConfig(args)).slice(0, 2)).toEqual(['198.18.0.12:80 w3', '198.18.1.13:80 w0']);
  });

  it('refuses a typo in lvs_lb_algo before anything reaches the director, listing the schedulers', () => {
    const { problems } = directorArgs({ lvs_lb_algo: 'wrrr' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/director\.yml:\d+:\d+: argument 'virtual_servers\.0\.lvs_sched' must be one of "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "mh", "sed", "nq", "fo", "ovf", "twos", not "wrrr"/);
  });

  it('gives a UDP VIP its own checker, IPv6 VIPs the real servers\' IPv6 addresses and an instance of their own, and fwmark entries one service', () => {
    const iface = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up');
    const args = acceptedArgs({
      lvs_vips: [
        { vip: '198.18.0.100', ports: [80], options: { quorum: 2, sorry_server: { ip: '198.18.0.50', port: 80 }, inhibit_on_failure: true } },
        { vip: 'fd00::100', ports: [80] },
        { fwmark: 7, vip: '198.18.0.102', ports: [80, 443] },
        { vip: '198.18.0.101', ports: [53], protocol: 'udp', health_checks: [{ DNS_CHECK: { type: 'A', name: 'lab.example' } }] },
      ],
      lvs_vrrp: { state: 'MASTER', priority: 150, virtual_router_id: 51, interface: iface },
      lvs_vrrp6: { state: 'MASTER', priority: 150, virtual_router_id: 52, interface: iface },
    });
    const text = renderKeepalivedConfig(args);
    expect([...text.matchAll(/^virtual_server (.+) \{/gm)].map((m) => m[1])).toEqual(['198.18.0.100 80', '198.18.0.101 53', 'fd00::100 80', 'fwmark 7']);
    expect(args.virtual_servers.find((v) => v.vip === 'fd00::100')?.real_servers.map((r) => r.ip)).toEqual(['fd00::11']);
    expect(args.virtual_servers.find((v) => v.port === 53)?.real_servers[1].health_checks).toEqual([{ DNS_CHECK: { type: 'A', name: 'lab.example' } }]);
    expect(args.vrrp_instances?.map((v) => [v.name, v.virtual_ipaddress])).toEqual([['VI_LVS', ['198.18.0.100', '198.18.0.102', '198.18.0.101']], ['VI_LVS6', ['fd00::100']]]);
    expect(text).toContain('    quorum 2\n    sorry_server 198.18.0.50 80\n    inhibit_on_failure\n');
    expect(args.fwmark_rules).toEqual([
      { fwmark: 7, destination: '198.18.0.102', protocol: 'tcp', dport: 80 },
      { fwmark: 7, destination: '198.18.0.102', protocol: 'tcp', dport: 443 },
    ]);
    expectConfigTestAccepts(text);
  });

  it("marks each fwmark VIP port's traffic on the director, and refuses a fwmark entry with nothing to mark", () => {
    const inventory = loadInventory([INVENTORY]);
    const extraVars = { lvs_vips: [{ fwmark: 7, vip: '198.18.0.102', ports: [80, 443] }] };
    const playbook = loadValidPlaybook(PLAYBOOK, inventory, { extraVars });
    const play = playbook.plays[0];
    const task = leafTasks(play.tasks).find((t) => t.module === 'lvs_iptables')!;
    const vars = buildHostVars({ inventory, host: inventory.hosts.get('dir1')!, play, extraVars, facts, registered: {}, checkMode: true, playbookDir: playbook.dir });
    const rules = (renderValue(task.loop, vars) as object[]).map((item) => renderValue(task.args, { ...vars, item }));
    expect(rules).toEqual([80, 443].map((dport) => ({ table: 'mangle', chain: 'PREROUTING', destination: '198.18.0.102', protocol: 'tcp', dport, jump: 'MARK', set_mark: 7 })));
    for (const entry of [{ fwmark: 7, vip: '198.18.0.102' }, { fwmark: 7, ports: [80] }]) {
      const { problems } = directorArgs({ lvs_vips: [entry] });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^\S+director\.yml:\d+:\d+: argument 'virtual_servers\.0\.fwmark': fwmark 7: no fwmark_rules entry marks traffic 7, so this service would receive nothing; add one/);
      expect(problems[0]).toContain('give the lvs_vips entry its vip and ports');
    }
  });

  it('refuses at validation, before connecting, what keepalived would refuse or silently change', () => {
    const { problems } = directorArgs({
      lvs_vrrp: { state: 'MASTER', priority: 100, virtual_router_id: 51 },
      lvs_vips: [{ vip: '198.18.0.100', ports: [80], options: { quorum: 50, sorry_server: { ip: '198.18.0.12', port: 80 } } }],
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^\S+director\.yml:\d+:\d+: argument 'virtual_servers\.0\.sorry_server': virtual_server 198\.18\.0\.100 80: sorry server 198\.18\.0\.12 is also one of the real servers/);
    expect(problems[1]).toMatch(/argument 'virtual_servers\.0\.quorum': .*quorum 50 is above the total weight of the real servers \(5\)/);
  });

  it('refuses an IPv6 virtual server with an IPv4 real server (mixed families) at its file:line:col, with the fix', () => {
    const { problems } = directorArgs({
      lvs_keepalived: { virtual_servers: [{ vip: 'fd00::198:18:0:240', port: 80, lvs_sched: 'rr', lvs_method: 'DR', real_servers: [{ ip: '198.18.0.11' }] }] },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^\S+director\.yml:\d+:\d+: argument 'virtual_servers\.0\.real_servers\.0\.ip': .*real server 198\.18\.0\.11 is IPv4 but the service is not; one virtual server forwards within one address family/,
    );
  });

  it('writes an adopted configuration (lvs_keepalived) as it is, and refuses rollout weights on it', () => {
    const adopted = { virtual_servers: [{ vip: '198.18.0.200', port: 80, lvs_sched: 'rr', lvs_method: 'NAT', real_servers: [{ ip: '10.0.0.1', port: 8080 }] }] };
    expect(acceptedArgs({ lvs_keepalived: adopted }).virtual_servers).toEqual(adopted.virtual_servers);
    const inventory = loadInventory([INVENTORY]);
    const playbook = loadValidPlaybook(PLAYBOOK, inventory, { extraVars: { lvs_keepalived: adopted } });
    const guard = leafTasks(playbook.plays[0].tasks).find((t) => t.module === 'fail')!;
    expect(guard.when?.join(' ')).toContain('lvs_director_weights is defined');
  });

  it('produces a file keepalived --config-test accepts, VRRP pair included', () => {
    const iface = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up');
    const args = acceptedArgs({ lvs_vrrp: { state: 'BACKUP', priority: 100, virtual_router_id: 51, interface: iface, auth_pass: 'lab-pass' } });
    expect(args.vrrp_instances).toMatchObject([{ name: 'VI_LVS', state: 'BACKUP', virtual_ipaddress: ['198.18.0.100', '198.18.0.101'] }]);
    expectConfigTestAccepts(renderKeepalivedConfig(args));
  });
});
