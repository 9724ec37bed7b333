/**
 * keepalived.conf from the module's arguments. The output depends only on what the arguments say,
 * not on the order the inventory listed things in: virtual servers, real servers and addresses are
 * sorted, so reordering hosts in an inventory changes nothing on the director.
 */
import {
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_DELAY_LOOP,
  type HealthCheck,
  type KeepalivedArgs,
  type RealServer,
  type VirtualServer,
  type VrrpInstance,
} from './keepalived-schema.ts';

export const MANAGED_HEADER = '! managed by lvsdr: edits made here are replaced on its next run';

const indent = (depth: number) => '    '.repeat(depth);

function block(depth: number, head: string, body: string[]): string[] {
  return [`${indent(depth)}${head} {`, ...body, `${indent(depth)}}`];
}

const line = (depth: number, text: string) => `${indent(depth)}${text}`;

/** Dotted quads compared as numbers, so 198.18.0.9 sorts before 198.18.0.10. */
function ipOrder(a: string, b: string): number {
  const n = (ip: string) => ip.split(/[./]/).map(Number);
  const [x, y] = [n(a), n(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

const protocolOf = (vs: VirtualServer) => vs.protocol ?? 'TCP';

function healthCheck(hc: HealthCheck): string[] {
  const common = [
    line(3, `connect_timeout ${hc.connect_timeout ?? DEFAULT_CONNECT_TIMEOUT}`),
    ...(hc.retry !== undefined ? [line(3, `retry ${hc.retry}`)] : []),
    ...(hc.delay_before_retry !== undefined ? [line(3, `delay_before_retry ${hc.delay_before_retry}`)] : []),
  ];
  if (hc.type === 'TCP_CHECK') return block(2, 'TCP_CHECK', common);
  const url = block(3, 'url', [line(4, `path ${hc.path}`), line(4, `status_code ${hc.status_code ?? 200}`)]);
  return block(2, 'HTTP_GET', [...url, ...common]);
}

function realServer(vs: VirtualServer, rs: RealServer): string[] {
  return block(1, `real_server ${rs.ip} ${vs.port}`, [
    line(2, `weight ${rs.weight ?? 1}`),
    ...healthCheck(rs.health_check ?? { type: 'TCP_CHECK' }),
  ]);
}

function virtualServer(vs: VirtualServer): string[] {
  const servers = [...vs.real_servers].sort((a, b) => ipOrder(a.ip, b.ip));
  return block(0, `virtual_server ${vs.vip} ${vs.port}`, [
    line(1, `delay_loop ${vs.delay_loop ?? DEFAULT_DELAY_LOOP}`),
    line(1, `lb_algo ${vs.lb_algo}`),
    line(1, 'lb_kind DR'),
    line(1, `protocol ${protocolOf(vs)}`),
    ...(vs.persistence_timeout !== undefined ? [line(1, `persistence_timeout ${vs.persistence_timeout}`)] : []),
    ...servers.flatMap((rs) => ['', ...realServer(vs, rs)]),
  ]);
}

function vrrpInstance(v: VrrpInstance): string[] {
  return block(0, `vrrp_instance ${v.name}`, [
    line(1, `state ${v.state}`),
    line(1, `interface ${v.interface}`),
    line(1, `virtual_router_id ${v.virtual_router_id}`),
    line(1, `priority ${v.priority}`),
    line(1, `advert_int ${v.advert_int ?? 1}`),
    ...(v.auth_pass !== undefined ? block(1, 'authentication', [line(2, 'auth_type PASS'), line(2, `auth_pass ${v.auth_pass}`)]) : []),
    ...block(1, 'virtual_ipaddress', [...v.virtual_ipaddresses].sort(ipOrder).map((a) => line(2, a))),
  ]);
}

function virtualServerOrder(a: VirtualServer, b: VirtualServer): number {
  return ipOrder(a.vip, b.vip) || a.port - b.port || protocolOf(a).localeCompare(protocolOf(b));
}

export function renderKeepalivedConfig(args: KeepalivedArgs): string {
  const sections: string[][] = [[MANAGED_HEADER]];
  if (args.global_defs?.router_id) sections.push(block(0, 'global_defs', [line(1, `router_id ${args.global_defs.router_id}`)]));
  if (args.vrrp) sections.push(vrrpInstance(args.vrrp));
  for (const vs of [...args.virtual_servers].sort(virtualServerOrder)) sections.push(virtualServer(vs));
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}

/**
 * What keepalived would refuse or silently change, found before anything reaches the director.
 * `keepalived --config-test` catches these too, but only on the host and in its own words.
 */
export function keepalivedConfigProblems(args: KeepalivedArgs): string[] {
  const problems: string[] = [];
  if (args.vrrp?.interface === 'lo') problems.push('vrrp: keepalived cannot run VRRP on the loopback interface; name the interface that faces the clients');
  const seen = new Set<string>();
  for (const vs of args.virtual_servers) {
    const name = `virtual_server ${vs.vip} ${vs.port} ${protocolOf(vs)}`;
    if (seen.has(name)) problems.push(`${name} is listed twice; merge its real_servers into one entry`);
    seen.add(name);
    const ips = new Set<string>();
    for (const rs of vs.real_servers) {
      if (ips.has(rs.ip)) problems.push(`${name}: real server ${rs.ip} is listed twice`);
      ips.add(rs.ip);
      if (rs.port !== undefined && rs.port !== vs.port) {
        problems.push(`${name}: real server ${rs.ip} has port ${rs.port}, but lb_kind DR keeps the destination port; the real server must serve port ${vs.port} (drop its port)`);
      }
      const hc = rs.health_check;
      if (hc?.type === 'TCP_CHECK' && (hc.path !== undefined || hc.status_code !== undefined)) {
        problems.push(`${name}: real server ${rs.ip} has a TCP_CHECK with path/status_code, which only HTTP_GET uses`);
      }
    }
    // keepalived --config-test rejects this ("quorum 1 ... exceeds total weight of real servers 0").
    if (vs.real_servers.every((rs) => (rs.weight ?? 1) === 0)) {
      problems.push(`${name}: every real server has weight 0; keepalived refuses a virtual server that can take no traffic — give at least one a weight above 0`);
    }
  }
  return problems;
}
