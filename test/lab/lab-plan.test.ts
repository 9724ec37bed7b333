/**
 * The lab's pure parts, no root needed: addresses and kernel object names, the inventory it
 * writes, and how the IPVS stand-in reads keepalived.conf.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { allHealthy } from '../../src/core/rollout/director-watch.ts';
import { ipvsServiceName, parseIpvsadm } from '../../src/facts/ipvsadm.ts';
import { parseKeepalivedCheckData } from '../../src/facts/keepalived-check-data.ts';
import { isIPv6 } from 'node:net';
import { parseVip } from '../../src/cli/lab-handler.ts';
import { inventoryDocument } from '../../src/lab/lab-inventory.ts';
import { chooseIpv6, withIpv6 } from '../../src/lab/lab-ipv6.ts';
import { systemdTree } from '../../src/lab/systemd-tree.ts';
import {
  MAX_REALSERVERS,
  REALSERVERS_FIRST_24,
  bridgeName,
  checkLabName,
  labSubnet,
  parseBridgeName,
  spanFor,
  lightVethName,
  machineName,
  planHosts,
  subnetPrefix,
  ipv6Of,
  labSubnet6,
  vip6Addresses,
} from '../../src/lab/lab-names.ts';
import type { VrrpRole } from '../../src/lab/lab-pair.ts';
import { LAB_VIRTUAL_ROUTER_ID, chooseDirectors, masterDownSeconds, pairKeepalivedConf } from '../../src/lab/lab-pair.ts';
import { labPaths } from '../../src/lab/lab-state.ts';
import { backVethName, chooseDirectorNics } from '../../src/lab/lab-two-nic.ts';
import { chooseTopology } from '../../src/lab/lab-topology.ts';
import { runCommand } from '../../src/lab/run-command.ts';

/** The message of the UserError `f` throws. */
function refused(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('not refused');
}

describe('lab addresses and names', () => {
  it('gives each subnet index its own /24 of 198.18.0.0/15', () => {
    expect(subnetPrefix(1)).toBe('198.18.1');
    expect(subnetPrefix(255)).toBe('198.18.255');
    expect(subnetPrefix(256)).toBe('198.19.0');
    expect(subnetPrefix(511)).toBe('198.19.255');
  });

  it('places real servers, director and client without touching the VIPs', () => {
    const hosts = planHosts(7, REALSERVERS_FIRST_24, 'light', true, true);
    const last = hosts.filter((h) => h.role === 'realserver').at(-1)!;
    expect(last).toMatchObject({ name: `rs${REALSERVERS_FIRST_24}`, address: '198.18.7.239', kind: 'light' });
    expect(hosts.find((h) => h.role === 'director')).toMatchObject({ address: '198.18.7.250', kind: 'systemd' });
    expect(new Set(hosts.map((h) => h.address)).size).toBe(hosts.length);
    expect(() => planHosts(7, MAX_REALSERVERS + 1, 'light', false, false, undefined, undefined, 16)).toThrow(UserError);
    expect(() => planHosts(7, REALSERVERS_FIRST_24 + 1, 'light', false, false)).toThrow(/do not fit in 1 \/24s/);
  });

  it('keeps every interface name within the kernel limit of 15 characters', () => {
    for (const host of [`rs${MAX_REALSERVERS}`, 'director', 'client']) {
      expect(lightVethName(511, host).length).toBeLessThanOrEqual(15);
      expect(`vb-${machineName(511, host)}`.length).toBeLessThanOrEqual(15);
    }
    expect(bridgeName(511).length).toBeLessThanOrEqual(15);
  });

  it('spans a wider block past 229 real servers, the first /24 laid out as before', () => {
    expect([1, 229, 230, 483, 484, 991, 992, 2007, 2008, MAX_REALSERVERS].map(spanFor)).toEqual([1, 1, 2, 2, 4, 4, 8, 8, 16, 16]);
    const hosts = planHosts(8, 1000, 'light', true, true, undefined, undefined, 8);
    const rs = (n: number) => hosts.find((h) => h.name === `rs${n}`);
    expect(rs(1)).toMatchObject({ address: '198.18.8.11', prefixLength: 21 });
    expect(rs(229)?.address).toBe('198.18.8.239');
    expect(rs(230)?.address).toBe('198.18.9.1');
    expect(rs(483)?.address).toBe('198.18.9.254');
    expect(rs(484)?.address).toBe('198.18.10.1');
    expect(rs(1000)?.address).toBe('198.18.12.9');
    expect(hosts.find((h) => h.role === 'director')).toMatchObject({ address: '198.18.8.250', prefixLength: 21 });
    expect(new Set(hosts.map((h) => h.address)).size).toBe(hosts.length);
    expect(labSubnet(8, 8)).toBe('198.18.8.0/21');
    expect(labSubnet(504, 8)).toBe('198.19.248.0/21');
    expect(bridgeName(8, 8)).toBe('lvbr-8-8');
    expect(bridgeName(496, 16).length).toBeLessThanOrEqual(15);
    expect(parseBridgeName('lvbr-8-8')).toEqual({ subnetIndex: 8, span: 8 });
    expect(parseBridgeName('lvbr-7')).toEqual({ subnetIndex: 7, span: 1 });
    expect(parseBridgeName('lvbr-x')).toBeUndefined();
    expect(lightVethName(511, `rs${MAX_REALSERVERS}`).length).toBeLessThanOrEqual(15);
    // a lab of one /24 keeps its plan: no prefix length written
    expect(planHosts(8, 3, 'light', false, false).every((h) => h.prefixLength === undefined)).toBe(true);
  });

  it('routes a routed wide lab\'s client to the whole block', () => {
    const client = planHosts(8, 300, 'light', true, true, 3, undefined, 2).find((h) => h.role === 'client');
    expect(client?.routes).toEqual([{ to: '198.18.8.0/23', via: '198.18.3.254' }]);
    expect(client?.prefixLength).toBeUndefined();
  });

  it('refuses lab names that would break object names', () => {
    expect(checkLabName('demo-1')).toBe('demo-1');
    for (const bad of ['', 'Demo', 'a_b', 'a b', '-x', 'x'.repeat(33)]) expect(() => checkLabName(bad)).toThrow(UserError);
  });
});

describe('a routed lab', () => {
  it('puts the client on its own /24 and routes each segment to the other through the router at .254', () => {
    const hosts = planHosts(3, 1, 'light', true, true, 9);
    expect(hosts).toEqual([
      { name: 'rs1', role: 'realserver', kind: 'light', address: '198.18.3.11', routes: [{ to: '198.18.9.0/24', via: '198.18.3.254' }] },
      { name: 'director', role: 'director', kind: 'systemd', address: '198.18.3.250', routes: [{ to: '198.18.9.0/24', via: '198.18.3.254' }] },
      { name: 'client', role: 'client', kind: 'systemd', address: '198.18.9.251', segment: 'client', routes: [{ to: '198.18.3.0/24', via: '198.18.9.254' }] },
    ]);
    expect(lightVethName(511, 'router').length).toBeLessThanOrEqual(15);
  });

  it('keeps a flat lab as it was: no routes, no segment', () => {
    for (const h of planHosts(3, 2, 'systemd', true, true)) expect(Object.keys(h).sort()).toEqual(['address', 'kind', 'name', 'role']);
  });

  it('refuses a topology that makes no sense, or one that would reshape an existing lab, with the fix', () => {
    const flat = { name: 'x', subnetIndex: 3, kind: 'systemd' as const, flavor: 'debian' as const, hosts: [] };
    expect(refused(() => chooseTopology('x', { topology: 'routed', client: false }, undefined, false))).toMatch(/--no-client.*\n.*fix: leave out --no-client/);
    expect(refused(() => chooseTopology('x', { topology: 'star' }, undefined, false))).toMatch(/--topology star.*\n.*flat, routed/);
    expect(refused(() => chooseTopology('x', { topology: 'routed' }, flat, false))).toMatch(/exists with topology flat.*\n.*lvsdr lab down --name x/);
    expect(chooseTopology('x', { topology: 'routed' }, undefined, false)).toEqual({ topology: 'routed', client: true });
    expect(chooseTopology('x', {}, { ...flat, topology: 'routed', clientSubnetIndex: 4 }, true)).toEqual({ topology: 'routed', client: true });
    expect(chooseTopology('x', {}, flat, false)).toEqual({ topology: 'flat', client: false });
  });
});

describe('a director pair', () => {
  const primary = { state: 'MASTER', priority: 150, virtualRouterId: LAB_VIRTUAL_ROUTER_ID, advertInt: 1, nopreempt: false } as const;

  it('is director1 and director2, each with its VRRP part; the higher priority starts MASTER', () => {
    const roles = chooseDirectors('x', { directors: 2, vrrpPriority: [150, 100] }, undefined);
    expect(roles).toEqual([primary, { ...primary, state: 'BACKUP', priority: 100 }]);
    const hosts = planHosts(3, 1, 'light', roles, false);
    expect(hosts.filter((h) => h.role === 'director').map((h) => [h.name, h.address, h.vrrp?.priority])).toEqual([
      ['director1', '198.18.3.250', 150],
      ['director2', '198.18.3.252', 100],
    ]);
    expect(machineName(511, 'director2')).toBe('lv511-dir2');
    // with nopreempt both start BACKUP: nopreempt works only from there
    expect(chooseDirectors('x', { directors: 2, vrrpPriority: [150, 100], vrrpNopreempt: true }, undefined)).toMatchObject([
      { state: 'BACKUP', nopreempt: true },
      { state: 'BACKUP', nopreempt: true },
    ]);
  });

  it('keeps what the lab has; one director stays `director`', () => {
    const roles = chooseDirectors('x', { directors: 2, vrrpPriority: [150, 100] }, undefined) as VrrpRole[];
    expect(chooseDirectors('x', {}, roles)).toEqual(roles);
    expect(chooseDirectors('x', { director: true }, undefined)).toBe(true);
    expect(chooseDirectors('x', {}, [undefined])).toBe(true);
    expect(chooseDirectors('x', {}, undefined)).toBe(false);
  });

  it('refuses a pair without VRRP settings, two MASTERs of one priority, and VRRP flags without a pair, with the fix', () => {
    expect(refused(() => chooseDirectors('x', { directors: 2 }, undefined))).toMatch(/needs its VRRP settings[^]*fix: give --vrrp-priority/);
    expect(refused(() => chooseDirectors('x', { directors: 2, vrrpPriority: [100, 100], vrrpState: ['MASTER', 'MASTER'] }, undefined))).toMatch(
      /both directors are MASTER with priority 100[^]*fix: give the primary the higher priority/,
    );
    expect(refused(() => chooseDirectors('x', { directors: 2, vrrpPriority: [150, 255] }, undefined))).toMatch(/1 to 254/);
    expect(refused(() => chooseDirectors('x', { directors: 2, vrrpPriority: [150] }, undefined))).toMatch(/two priorities/);
    expect(refused(() => chooseDirectors('x', { directors: 2, vrrpPriority: [150, 100], vrrpNopreempt: true, vrrpState: ['MASTER', 'BACKUP'] }, undefined))).toMatch(
      /nopreempt works only from the initial state BACKUP/,
    );
    expect(refused(() => chooseDirectors('x', { director: true, vrrpPriority: [150, 100] }, undefined))).toMatch(/fix: add --directors 2/);
    expect(refused(() => chooseDirectors('x', { directors: 3 }, undefined))).toMatch(/--directors 0, 1 or 2/);
    const roles = chooseDirectors('x', { directors: 2, vrrpPriority: [150, 100] }, undefined) as VrrpRole[];
    expect(refused(() => chooseDirectors('x', { directors: 1 }, roles))).toMatch(/exists with a director pair/);
    expect(refused(() => chooseDirectors('x', { vrrpPriority: [200, 100] }, roles))).toMatch(/exists with other VRRP settings/);
  });

  it('boots each director with a keepalived.conf that keepalived accepts, and says when a silent master is replaced', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-pair-'));
    const file = path.join(dir, 'keepalived.conf');
    // keepalived checks that the interface exists (and is not lo): one of this machine's
    const iface = (await readdir('/sys/class/net')).find((n) => n !== 'lo')!;
    await writeFile(file, pairKeepalivedConf('director1', { ...primary, nopreempt: true, state: 'BACKUP' }, iface, '198.18.3.240'));
    const r = await runCommand('keepalived', ['--config-test', '-f', file]);
    await rm(dir, { recursive: true });
    expect(r.code, r.stderr).toBe(0);
    // RFC 3768: 3 × advert_int + (256 − priority) / 256
    expect(masterDownSeconds({ ...primary, priority: 100 })).toBeCloseTo(3.609, 3);
  });
});

describe('a two-NIC director', () => {
  it('has eth0 on the front /24 (the VIPs there) and eth1 with the real servers; the client routes to both through the router', () => {
    const hosts = planHosts(3, 1, 'light', true, true, 9, 10);
    expect(hosts.find((h) => h.role === 'director')).toEqual({
      name: 'director',
      role: 'director',
      kind: 'systemd',
      address: '198.18.10.250',
      segment: 'front',
      back: { address: '198.18.3.250' },
      routes: [{ to: '198.18.9.0/24', via: '198.18.10.254' }],
    });
    expect(hosts.find((h) => h.name === 'rs1')?.routes).toEqual([{ to: '198.18.9.0/24', via: '198.18.3.254' }]);
    expect(hosts.find((h) => h.role === 'client')?.routes).toEqual([
      { to: '198.18.3.0/24', via: '198.18.9.254' },
      { to: '198.18.10.0/24', via: '198.18.9.254' },
    ]);
    expect(backVethName(511).length).toBeLessThanOrEqual(15);
  });

  it('refuses a two-NIC director without a back segment, without a director, or as a pair, with the fix', () => {
    expect(chooseDirectorNics('x', 2, undefined, 'routed', true)).toBe(true);
    expect(chooseDirectorNics('x', undefined, true, 'routed', true)).toBe(true);
    expect(chooseDirectorNics('x', undefined, undefined, 'flat', true)).toBe(false);
    expect(refused(() => chooseDirectorNics('x', 2, undefined, 'flat', true))).toMatch(/a flat lab has no router and one segment[^]*fix: add --topology routed/);
    expect(refused(() => chooseDirectorNics('x', 2, undefined, 'routed', false))).toMatch(/has none[^]*fix: add --director/);
    expect(refused(() => chooseDirectorNics('x', 2, undefined, 'routed', []))).toMatch(/has a pair/);
    expect(refused(() => chooseDirectorNics('x', 3, undefined, 'routed', true))).toMatch(/--director-nics 1 or 2/);
    expect(refused(() => chooseDirectorNics('x', 1, true, 'routed', true))).toMatch(/exists with a director of two NICs/);
  });
});

describe('lab inventory', () => {
  it('has the three groups, the connection vars per host and the VIP as a group var', () => {
    const hosts = planHosts(3, 2, 'systemd', true, false);
    const doc = inventoryDocument({ name: 'x', subnetIndex: 3, kind: 'systemd', flavor: 'el', hosts }, labPaths('/s', 'x')) as {
      all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, Record<string, unknown>> }> };
    };
    expect(Object.keys(doc.all.children)).toEqual(['realservers', 'directors', 'clients']);
    expect(doc.all.vars).toMatchObject({ lab_vip: '198.18.3.240', lab_flavor: 'el' });
    expect(doc.all.children.realservers.hosts.rs2).toEqual({
      ansible_host: '198.18.3.12',
      ansible_user: 'root',
      ansible_ssh_private_key_file: '/s/x/id_ed25519',
      lvsdr_known_hosts_file: '/s/x/known_hosts',
    });
    expect(Object.keys(doc.all.children.directors.hosts)).toEqual(['director']);
  });
});

describe('a lab with IPv6 (--ipv6)', () => {
  it('gives every host the IPv6 twin of its IPv4 address, in fd00::/8, and the inventory exposes them', () => {
    const hosts = withIpv6(planHosts(5, 2, 'systemd', true, true));
    expect(hosts.map((h) => h.address6)).toEqual(['fd00::198:18:5:11', 'fd00::198:18:5:12', 'fd00::198:18:5:250', 'fd00::198:18:5:251']);
    expect(labSubnet6(5)).toBe('fd00::198:18:5:0/112');
    expect(ipv6Of('198.19.255.254')).toBe('fd00::198:19:255:254');
    for (const a of [...hosts.map((h) => h.address6!), ...vip6Addresses(5)]) expect(isIPv6(a) && a.startsWith('fd')).toBe(true);
    const doc = inventoryDocument({ name: 'x', subnetIndex: 5, kind: 'systemd', flavor: 'debian', hosts, ipv6: true }, labPaths('/s', 'x')) as {
      all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, Record<string, unknown>> }> };
    };
    expect(doc.all.vars).toMatchObject({ lab_vip6: 'fd00::198:18:5:240', lab_subnet6: 'fd00::198:18:5:0/112' });
    expect(doc.all.children.realservers.hosts.rs1).toMatchObject({ lab_ip6: 'fd00::198:18:5:11', lvs_real_ip6: 'fd00::198:18:5:11' });
    expect(doc.all.children.directors.hosts.director).toMatchObject({ lab_ip6: 'fd00::198:18:5:250' });
    expect(doc.all.children.directors.hosts.director.lvs_real_ip6).toBeUndefined();
  });

  it('sets the addresses at every boot, nodad, the director its IPv6 VIP too', () => {
    const [rs1, director] = withIpv6(planHosts(5, 1, 'systemd', true, false));
    const setup = (h: typeof rs1) => systemdTree(h, '198.18.5.240', 'fd00::198:18:5:240').files.find((f) => f.path.endsWith('net-setup.sh'))!.content;
    expect(setup(rs1)).toContain('ip -6 addr replace fd00::198:18:5:11/112 dev eth0 nodad\n');
    expect(setup(rs1)).not.toContain('fd00::198:18:5:240');
    expect(setup(director)).toContain('ip -6 addr replace fd00::198:18:5:240/128 dev eth0 nodad preferred_lft 0\n');
    expect(systemdTree(planHosts(5, 1, 'systemd', true, false)[0], '198.18.5.240').files.find((f) => f.path.endsWith('net-setup.sh'))!.content).not.toContain('ip -6');
  });

  it('is kept as the lab has it; refused where it is not built, with the reason and the fix', () => {
    const flat = { topology: 'flat' as const, kind: 'systemd' as const, span: 1 };
    expect(chooseIpv6('x', true, undefined, flat)).toBe(true);
    expect(chooseIpv6('x', undefined, undefined, flat)).toBe(false);
    const had = { name: 'x', subnetIndex: 5, kind: 'systemd' as const, flavor: 'debian' as const, hosts: [], ipv6: true };
    expect(chooseIpv6('x', undefined, had, flat)).toBe(true);
    expect(() => chooseIpv6('x', false, had, flat)).toThrow(/lab x exists with IPv6, and --no-ipv6 asks otherwise/);
    expect(() => chooseIpv6('x', true, { ...had, ipv6: undefined }, flat)).toThrow(/lab x exists without IPv6/);
    expect(() => chooseIpv6('x', true, undefined, { ...flat, topology: 'routed' })).toThrow(/--ipv6 is not available for a routed lab/);
    expect(() => chooseIpv6('x', true, undefined, { ...flat, kind: 'light' })).toThrow(/light real servers/);
    expect(() => chooseIpv6('x', true, undefined, { ...flat, span: 2 })).toThrow(/wider than one \/24/);
  });

  it('lab probe takes an IPv6 VIP, bare or in brackets with a port', () => {
    expect(parseVip('fd00::198:18:5:240', 'x')).toEqual({ vip: 'fd00::198:18:5:240', port: 80 });
    expect(parseVip('[fd00::198:18:5:240]:8080', 'x')).toEqual({ vip: 'fd00::198:18:5:240', port: 8080 });
    expect(parseVip('198.18.5.240:81', 'x')).toEqual({ vip: '198.18.5.240', port: 81 });
    expect(() => parseVip('fd00:::1', 'x')).toThrow(/is not VIP\[:PORT\]/);
    expect(() => parseVip('fd00::1:80', 'x')).not.toThrow();
  });
});

describe('the IPVS stand-in reading keepalived.conf', () => {
  const standIn = fileURLToPath(new URL('../../src/lab/director/lvs-standin.py', import.meta.url));
  const parse = async (conf: string) => {
    const script = [
      'import importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("standin", sys.argv[1])',
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'tree = m.parse_conf(sys.stdin.read())',
      'vs, vs_errors = m.virtual_servers(tree)',
      'vips, vip_errors = m.vrrp_addresses(tree)',
      'print(json.dumps({"vs": vs, "vips": vips, "errors": vs_errors + vip_errors}))',
    ].join('\n');
    const r = await runCommand('python3', ['-S', '-c', script, standIn], { input: conf });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('reads virtual servers, real servers, weights and both kinds of health check', async () => {
    const parsed = await parse(`! Configuration File for keepalived
vrrp_instance VI_1 {
    virtual_ipaddress {
        198.18.1.240/32 dev eth0
    }
}
virtual_server 198.18.1.240 80 {   # the web VIP
    delay_loop 3
    lb_kind DR
    real_server 198.18.1.11 80 {
        weight 3
        TCP_CHECK { connect_timeout 2 }
    }
    real_server 198.18.1.12 80
    {
        weight 0
        HTTP_GET {
            url {
                path /health
                status_code 204
            }
            connect_port 8080
        }
    }
}
`);
    expect(parsed.vips).toEqual(['198.18.1.240']);
    expect(parsed.errors).toEqual([]);
    expect(parsed.vs).toEqual([
      {
        vip: '198.18.1.240',
        port: 80,
        protocol: 'TCP',
        lb_kind: 'DR',
        delay_loop: 3,
        real_servers: [
          { ip: '198.18.1.11', port: 80, weight: 3, inhibit: false, checks: [{ type: 'TCP_CHECK', port: 80, timeout: 2, path: '/', status: 200 }] },
          { ip: '198.18.1.12', port: 80, weight: 0, inhibit: false, checks: [{ type: 'HTTP_GET', port: 8080, timeout: 5, path: '/health', status: 204 }] },
        ],
      },
    ]);
  });

  it('forwards nothing it does not emulate, and says so: fwmark, group, mixed families, other checkers, sorry_server', async () => {
    const parsed = await parse(`vrrp_instance VI_6 {
    virtual_ipaddress {
        fd00::100/128
    }
}
virtual_server fwmark 1 {
    lvs_method DR
    real_server 198.18.1.11 {
    }
}
virtual_server group web {
    real_server 198.18.1.11 80 {
    }
}
virtual_server fd00::100 80 {
    real_server 198.18.1.11 80 {
    }
}
virtual_server 198.18.1.240 443 {
    lvs_method DR
    sorry_server 198.18.1.50 443
    real_server 198.18.1.11 443 {
        SSL_GET {
            url {
                path /
            }
        }
    }
}
`);
    expect(parsed.vips).toEqual(['fd00::100']);
    expect(parsed.vs.map((v: { vip: string; port: number }) => `${v.vip} ${v.port}`)).toEqual(['fd00::100 80', '198.18.1.240 443']);
    expect(parsed.vs[0].real_servers).toEqual([]);
    expect(parsed.vs[1].real_servers[0].checks).toEqual([{ type: 'SSL_GET', unsupported: true }]);
    expect(parsed.errors).toEqual([
      'virtual_server fwmark 1: the lab stand-in forwards only TCP or UDP to an address and port; not forwarded',
      'virtual_server group web: the lab stand-in forwards only TCP or UDP to an address and port; not forwarded',
      'virtual_server fd00::100 80: real_server 198.18.1.11 is not of the service\'s address family; not forwarded to',
      'virtual_server 198.18.1.240 443: sorry_server is not emulated by the lab stand-in',
      'virtual_server 198.18.1.240 443: real_server 198.18.1.11: SSL_GET is not run by the lab stand-in; the real server counts as down',
    ]);
  });

  it('reads an IPv6 virtual service, its addresses as the kernel prints them', async () => {
    const parsed = await parse(`virtual_server fd00:0::198:18:1:240 80 {
    lvs_method DR
    real_server FD00::198:18:1:11 80 {
        TCP_CHECK { connect_timeout 2 }
    }
}
`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.vs).toEqual([
      {
        vip: 'fd00::198:18:1:240',
        port: 80,
        protocol: 'TCP',
        lb_kind: 'DR',
        delay_loop: 60,
        real_servers: [{ ip: 'fd00::198:18:1:11', port: 80, weight: 1, inhibit: false, checks: [{ type: 'TCP_CHECK', port: 80, timeout: 2, path: '/', status: 200 }] }],
      },
    ]);
  });

  it('reads a UDP virtual service and keepalived 2.2\'s UDP_CHECK (payload and require_reply as hex)', async () => {
    const parsed = await parse(`virtual_server 198.18.1.240 53 {
    lb_kind DR
    protocol UDP
    real_server 198.18.1.11 53 {
        UDP_CHECK {
            connect_timeout 2
            payload 6c7673
            require_reply 6f6b
        }
    }
    real_server 198.18.1.12 53 {
        UDP_CHECK {
            connect_port 5353
        }
    }
}
`);
    const [a, b] = parsed.vs[0].real_servers;
    expect(parsed.errors).toEqual([]);
    expect(parsed.vs[0].protocol).toBe('UDP');
    expect(a.checks).toEqual([{ type: 'UDP_CHECK', port: 53, timeout: 2, payload: '6c7673', require_reply: '6f6b' }]);
    expect(b.checks).toEqual([{ type: 'UDP_CHECK', port: 5353, timeout: 5, payload: '', require_reply: null }]);
  });

  it("emulates inhibit_on_failure in ipvsadm -Ln, and writes keepalived's checker data as lvsdr reads it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-standin-'));
    try {
      const conf = `virtual_server 198.18.1.240 80 {
    lvs_method DR
    inhibit_on_failure
    real_server 198.18.1.11 80 {
    }
    real_server 198.18.1.12 80 {
    }
}
virtual_server 198.18.1.240 53 {
    lvs_method DR
    protocol UDP
    real_server 198.18.1.11 53 {
    }
    real_server 198.18.1.12 53 {
        inhibit_on_failure
    }
    real_server 198.18.1.13 53 {
    }
}
`;
      // rs2 (.12) fails its checks everywhere; the others pass.
      const script = [
        'import importlib.util, json, sys',
        'spec = importlib.util.spec_from_file_location("standin", sys.argv[1])',
        'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
        'm.CHECK_DATA = sys.argv[2] + "/check.data"; m.STATUS_FILE = sys.argv[2] + "/status.json"; m.STATUS_DIR = sys.argv[2]',
        'services, errors = m.virtual_servers(m.parse_conf(sys.stdin.read()))',
        'assert errors == [], errors',
        's = m.StandIn(); s.services = services',
        's.health = {m.health_key(v, rs): not rs["ip"].endswith(".12") for v in services for rs in v["real_servers"]}',
        's.write_status(); s.write_check_data()',
        'print("@@ipvsadm"); m.print_ipvsadm()',
        'print("@@data"); print(open(m.CHECK_DATA).read())',
      ].join('\n');
      const r = await runCommand('python3', ['-S', '-c', script, standIn, dir], { input: conf });
      expect(r.code, r.stderr).toBe(0);
      const [ipvsadm, data] = r.stdout.split('@@data\n');
      const services = parseIpvsadm(ipvsadm.replace('@@ipvsadm\n', ''));
      expect(services.map((v) => [ipvsServiceName(v), v.realServers.map((x) => `${x.ip} w${x.weight}`)])).toEqual([
        ['TCP 198.18.1.240:80', ['198.18.1.11 w1', '198.18.1.12 w0']],
        ['UDP 198.18.1.240:53', ['198.18.1.11 w1', '198.18.1.12 w0', '198.18.1.13 w1']],
      ]);
      const checked = parseKeepalivedCheckData(data);
      expect(checked.map((c) => [c.vip, c.port, c.protocol, c.realServers.map((x) => `${x.ip} ${x.alive ? 'alive' : 'down'}`)])).toEqual([
        ['198.18.1.240', 80, 'TCP', ['198.18.1.11 alive', '198.18.1.12 down']],
        ['198.18.1.240', 53, 'UDP', ['198.18.1.11 alive', '198.18.1.12 down', '198.18.1.13 alive']],
      ]);
      const endpoint = (ip: string) => ({ host: ip, ip, services: [{ vip: '198.18.1.240', port: 80, protocol: 'tcp' as const }] });
      expect(allHealthy([endpoint('198.18.1.11')])({ services, checked })).toBe(true);
      expect(allHealthy([endpoint('198.18.1.12')])({ services, checked })).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
