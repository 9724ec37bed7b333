import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MANAGED_HEADER, renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import { keepalivedConfigProblems } from '../../src/modules/keepalived-problems.ts';
import type { KeepalivedArgs, VirtualServer } from '../../src/modules/keepalived-schema.ts';
import { fullArgs, minimalArgs } from './keepalived-args.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keepalived/${name}`, import.meta.url), 'utf8');

describe('renderKeepalivedConfig', () => {
  it.each([
    ['full.conf', fullArgs()],
    ['minimal.conf', minimalArgs()],
  ])('renders %s exactly', (name, args) => {
    expect(renderKeepalivedConfig(args)).toBe(fixture(name));
  });

  it("starts with the managed-by header and writes keepalived's current names: lvs_sched, lvs_method DR by default", () => {
    const text = renderKeepalivedConfig({ virtual_servers: [{ vip: '198.18.0.100', port: 80, lb_algo: 'wlc', real_servers: [{ ip: '198.18.0.11' }] }, { vip: '198.18.0.100', port: 81, lb_algo: 'wlc', lb_kind: 'TUN', real_servers: [{ ip: '198.18.0.11' }] }] });
    expect(text.split('\n')[0]).toBe(MANAGED_HEADER);
    expect(text).toContain('    lvs_sched wlc\n    lvs_method DR\n');
    expect(text).toContain('    lvs_sched wlc\n    lvs_method TUN\n');
    expect(text).not.toMatch(/lb_algo|lb_kind/);
  });

  it('does not depend on the order virtual servers, real servers and addresses are listed in', () => {
    const args = fullArgs();
    const reversed: KeepalivedArgs = {
      ...args,
      vrrp_instances: args.vrrp_instances!.map((v) => ({ ...v, virtual_ipaddress: [...v.virtual_ipaddress!].reverse() })),
      virtual_servers: [...args.virtual_servers].reverse().map((vs) => ({ ...vs, real_servers: [...vs.real_servers].reverse() })),
    };
    expect(renderKeepalivedConfig(reversed)).toBe(renderKeepalivedConfig(args));
  });

  it('sorts addresses as numbers, IPv4 before IPv6, then fwmark and group services', () => {
    const rs = (ip: string) => ({ ip });
    const text = renderKeepalivedConfig({
      virtual_servers: [
        { group: 'web', lvs_sched: 'rr', real_servers: [rs('198.18.0.11')] },
        { fwmark: 2, lvs_sched: 'rr', real_servers: [rs('198.18.0.11')] },
        { vip: 'fd00::10', port: 80, lvs_sched: 'rr', real_servers: [rs('fd00::a'), rs('fd00::9'), rs('fd00::1:0')] },
        { vip: '198.18.0.100', port: 80, lvs_sched: 'rr', real_servers: [rs('198.18.0.10'), rs('198.18.0.9'), rs('198.18.1.2')] },
      ],
    });
    expect([...text.matchAll(/^virtual_server (.+) \{/gm)].map((m) => m[1])).toEqual(['198.18.0.100 80', 'fd00::10 80', 'fwmark 2', 'group web']);
    expect([...text.matchAll(/real_server (\S+)/g)].map((m) => m[1]).slice(0, 6)).toEqual(['198.18.0.9', '198.18.0.10', '198.18.1.2', 'fd00::9', 'fd00::a', 'fd00::1:0']);
  });

  it('renders a weight of 0, no checker when none is given, and the real server on the service port', () => {
    const text = renderKeepalivedConfig({ virtual_servers: [{ vip: '198.18.0.100', port: 8080, lvs_sched: 'wlc', protocol: 'UDP', real_servers: [{ ip: '198.18.0.11', weight: 0 }, { ip: '198.18.0.12' }] }] });
    expect(text).toContain('    real_server 198.18.0.11 8080 {\n        weight 0\n    }\n');
    expect(text).toContain('    protocol UDP\n');
  });

  it('quotes a script with arguments, writes flags bare and leaves false flags out', () => {
    const text = renderKeepalivedConfig({
      virtual_servers: [{ vip: '198.18.0.100', port: 80, lvs_sched: 'wlc', alpha: true, omega: false, quorum_up: '/usr/local/bin/up.sh web', quorum_down: '/usr/local/bin/down.sh', real_servers: [{ ip: '198.18.0.11' }] }],
    });
    expect(text).toContain('    alpha\n    quorum_up "/usr/local/bin/up.sh web"\n    quorum_down /usr/local/bin/down.sh\n');
    expect(text).not.toContain('omega');
  });
});

describe('keepalivedConfigProblems', () => {
  const vs = (over: Partial<VirtualServer>): VirtualServer => ({ vip: '198.18.0.100', port: 80, lvs_sched: 'rr', real_servers: [{ ip: '198.18.0.11' }], ...over });
  const only = (over: Partial<VirtualServer>): KeepalivedArgs => ({ virtual_servers: [vs(over)] });
  it.each<[string, KeepalivedArgs, string, RegExp]>([
    ['a virtual server listed twice', { virtual_servers: [vs({}), vs({})] }, '/virtual_servers/1', /virtual_server 198\.18\.0\.100 80 TCP is listed twice/],
    ['a real server listed twice', only({ real_servers: [{ ip: '198.18.0.11' }, { ip: '198.18.0.11', weight: 2 }] }), '/virtual_servers/0/real_servers/1/ip', /real server 198\.18\.0\.11 80 is listed twice/],
    ['a real server port that DR cannot reach', only({ real_servers: [{ ip: '198.18.0.11', port: 8080 }] }), '/virtual_servers/0/real_servers/0/port', /port 8080, but lvs_method DR keeps the destination port/],
    ['only weight-0 servers (quorum 1 cannot be reached)', only({ real_servers: [{ ip: '198.18.0.11', weight: 0 }] }), '/virtual_servers/0/real_servers', /quorum 1 is above the total weight of the real servers \(0\)/],
    ['a quorum above the sum of weights', only({ quorum: 3, real_servers: [{ ip: '198.18.0.11', weight: 2 }] }), '/virtual_servers/0/quorum', /quorum 3 is above the total weight of the real servers \(2\)/],
    ['mixed address families', only({ real_servers: [{ ip: 'fd00::11' }] }), '/virtual_servers/0/real_servers/0/ip', /real server fd00::11 is IPv6 but the service is not/],
    ['a sorry server that is also a real server', only({ sorry_server: { ip: '198.18.0.11', port: 80 } }), '/virtual_servers/0/sorry_server', /sorry server 198\.18\.0\.11 is also one of the real servers/],
    ['a UDP service with an HTTP_GET check', only({ protocol: 'UDP', real_servers: [{ ip: '198.18.0.11', health_checks: [{ HTTP_GET: { url: [{ path: '/' }] } }] }] }), '/virtual_servers/0/real_servers/0/health_checks/0', /HTTP_GET speaks TCP/],
    ['ops on a TCP service', only({ ops: true }), '/virtual_servers/0/ops', /ops \(one-packet scheduling\) is for UDP/],
    ['a protocol on a fwmark service', { virtual_servers: [{ fwmark: 1, protocol: 'TCP', lvs_sched: 'rr', real_servers: [{ ip: '198.18.0.11' }] }] }, '/virtual_servers/0/protocol', /keepalived ignores protocol on a fwmark service/],
    ['a group that is not defined', { virtual_servers: [{ group: 'web', lvs_sched: 'rr', real_servers: [{ ip: '198.18.0.11' }] }] }, '/virtual_servers/0/group', /no virtual_server_groups entry is named web/],
    ['both lvs_sched and lb_algo', only({ lb_algo: 'wrr' }), '/virtual_servers/0/lb_algo', /give lvs_sched or its older name lb_algo, not both/],
    ['a netmask on an IPv6 service', { virtual_servers: [{ vip: 'fd00::1', port: 80, lvs_sched: 'rr', persistence_granularity: '255.255.255.0', real_servers: [{ ip: 'fd00::11' }] }] }, '/virtual_servers/0/persistence_granularity', /takes a prefix length/],
    ['VRRP on loopback', { ...minimalArgs(), vrrp_instances: [{ ...fullArgs().vrrp_instances![0], interface: 'lo' }] }, '/vrrp_instances/0/interface', /loopback/],
    ['IPv4 and IPv6 in one VRRP instance', { ...minimalArgs(), vrrp_instances: [{ ...fullArgs().vrrp_instances![0], virtual_ipaddress: ['198.18.0.100', 'fd00::100'] }] }, '/vrrp_instances/0/virtual_ipaddress', /an instance of their own/],
    ['a track_script with no vrrp_script', { ...minimalArgs(), vrrp_instances: [{ ...fullArgs().vrrp_instances![0], track_script: ['chk_web'] }] }, '/vrrp_instances/0/track_script/0', /no vrrp_scripts entry is named chk_web/],
    ['a sync group member that is not an instance', { ...minimalArgs(), vrrp_sync_groups: [{ name: 'G', group: ['VI_X'] }] }, '/vrrp_sync_groups/0/group/0', /no vrrp_instances entry is named VI_X/],
    ['lvs_sync_daemon following no instance', { ...minimalArgs(), global_defs: { lvs_sync_daemon: 'eth0 VI_X id 5' } }, '/global_defs/lvs_sync_daemon', /follows vrrp_instance VI_X/],
  ])('refuses %s, at the argument', (_name, args, path, message) => {
    const problems = keepalivedConfigProblems(args);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
    expect(problems.map((p) => p.path)).toContain(path);
  });

  it('accepts the same VIP and port over TCP and UDP, a real server port equal to the VIP port, and a NAT port change', () => {
    expect(keepalivedConfigProblems({ virtual_servers: [vs({ protocol: 'UDP' }), vs({ real_servers: [{ ip: '198.18.0.11', port: 80 }] })] })).toEqual([]);
    expect(keepalivedConfigProblems(only({ lvs_method: 'NAT', real_servers: [{ ip: '198.18.0.11', port: 8080 }] }))).toEqual([]);
    expect(keepalivedConfigProblems(fullArgs())).toEqual([]);
  });
});
