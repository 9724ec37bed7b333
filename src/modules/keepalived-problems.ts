/**
 * What keepalived would refuse, or accept and silently do differently, found in the arguments
 * before anything reaches the director. `keepalived --config-test` catches some of these too, but
 * only on the host and in its own words; others (an address of the wrong family in a VRRP
 * instance, a protocol on a fwmark service) it merely warns about and ignores.
 */
import { familyOf } from './address-order.ts';
import { virtualServerName } from './keepalived-config.ts';
import type { HealthCheck, KeepalivedConfig, VirtualServer, VrrpInstance } from './keepalived-schema.ts';

/** A problem at an argument, by JSON pointer (`/virtual_servers/0/quorum`), so it can be positioned. */
export interface ArgProblem {
  path: string;
  message: string;
}

const methodOf = (vs: VirtualServer) => vs.lvs_method ?? vs.lb_kind ?? 'DR';
const protocolOf = (vs: VirtualServer) => vs.protocol ?? 'TCP';
const checkerTypes = (hc: HealthCheck) => Object.keys(hc);

/** The families a service's addresses are in: its VIP, or its group's lines. */
function serviceFamilies(vs: VirtualServer, config: KeepalivedConfig): Set<string> {
  if (vs.vip !== undefined) return new Set([familyOf(vs.vip)]);
  const group = config.virtual_server_groups?.find((g) => g.name === vs.group);
  return new Set((group?.members ?? []).filter((m) => !m.startsWith('fwmark ')).map((m) => familyOf(m.split(' ')[0])));
}

function virtualServerProblems(vs: VirtualServer, at: string, config: KeepalivedConfig): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path: `${at}${path}`, message: `virtual_server ${virtualServerName(vs)}: ${message}` });
  if (vs.lvs_sched !== undefined && vs.lb_algo !== undefined) add('/lb_algo', 'give lvs_sched or its older name lb_algo, not both');
  if (vs.lvs_method !== undefined && vs.lb_kind !== undefined) add('/lb_kind', 'give lvs_method or its older name lb_kind, not both');
  if (vs.fwmark !== undefined && vs.protocol !== undefined) add('/protocol', 'keepalived ignores protocol on a fwmark service (the mark chooses the traffic); drop protocol');
  if (vs.group !== undefined && !config.virtual_server_groups?.some((g) => g.name === vs.group)) {
    add('/group', `no virtual_server_groups entry is named ${vs.group}; add it or name one that exists`);
  }
  if (vs.ops && protocolOf(vs) !== 'UDP') add('/ops', 'ops (one-packet scheduling) is for UDP services only; drop it or set protocol: UDP');
  const group = config.virtual_server_groups?.find((g) => g.name === vs.group);
  const marked = vs.fwmark !== undefined || (group?.members ?? []).some((m) => m.startsWith('fwmark '));
  const families = serviceFamilies(vs, config);
  const family = families.size === 1 ? [...families][0] : undefined;
  if (families.size > 1) add('/group', `group ${vs.group} mixes IPv4 and IPv6 lines; keepalived needs one family per virtual server — split it into two groups`);
  const granularity = vs.persistence_granularity;
  if (granularity !== undefined && family !== undefined && (typeof granularity === 'number') !== (family === 'inet6')) {
    add('/persistence_granularity', family === 'inet6' ? 'an IPv6 service takes a prefix length (e.g. 64), not a netmask' : 'an IPv4 service takes a netmask (e.g. 255.255.255.0), not a prefix length');
  }
  const seen = new Set<string>();
  vs.real_servers.forEach((rs, i) => {
    const rsAt = `/real_servers/${i}`;
    const key = `${rs.ip} ${rs.port ?? vs.port ?? ''}`;
    if (seen.has(key)) add(`${rsAt}/ip`, `real server ${key.trim()} is listed twice`);
    seen.add(key);
    if (family !== undefined && familyOf(rs.ip) !== family) add(`${rsAt}/ip`, `real server ${rs.ip} is ${familyOf(rs.ip) === 'inet6' ? 'IPv6' : 'IPv4'} but the service is not; one virtual server forwards within one address family`);
    // keepalived --config-test: "fwmark virtual server ..., real server ... has port specified - clearing" (or "- port will be ignored" in a group).
    // (With NAT the port is where the director sends the packet, so it is used.)
    if (marked && methodOf(vs) !== 'NAT' && rs.port !== undefined) add(`${rsAt}/port`, `real server ${rs.ip}: keepalived ignores a real server's port on a fwmark service (the packet keeps its port); drop port`);
    if ((methodOf(vs) === 'DR' || methodOf(vs) === 'TUN') && vs.port !== undefined && rs.port !== undefined && rs.port !== vs.port) {
      add(`${rsAt}/port`, `real server ${rs.ip} has port ${rs.port}, but lvs_method ${methodOf(vs)} keeps the destination port; the real server must serve port ${vs.port} (drop its port)`);
    }
    (rs.health_checks ?? []).forEach((hc, j) => {
      const [type] = checkerTypes(hc);
      const options = hc[type as keyof HealthCheck] ?? {};
      if (protocolOf(vs) === 'UDP' && vs.fwmark === undefined && (type === 'HTTP_GET' || type === 'SSL_GET') && options.connect_port === undefined) {
        add(`${rsAt}/health_checks/${j}`, `real server ${rs.ip}: ${type} speaks TCP to the service port, which is UDP here; use UDP_CHECK, DNS_CHECK or MISC_CHECK, or give connect_port`);
      }
    });
  });
  if (vs.sorry_server && vs.real_servers.some((rs) => rs.ip === vs.sorry_server!.ip && (rs.port ?? vs.port) === (vs.sorry_server!.port ?? vs.port))) {
    add('/sorry_server', `sorry server ${vs.sorry_server.ip} is also one of the real servers; it stands in when they are down, so name another host`);
  }
  if (vs.sorry_server && family !== undefined && familyOf(vs.sorry_server.ip) !== family) add('/sorry_server', 'the sorry server is not in the address family of the service');
  // keepalived --config-test: "quorum N for virtual server ... exceeds total weight of real servers W".
  const total = vs.real_servers.reduce((sum, rs) => sum + (rs.weight ?? 1), 0);
  const quorum = vs.quorum ?? 1;
  if (quorum > total) {
    add(vs.quorum !== undefined ? '/quorum' : '/real_servers', `quorum ${quorum} is above the total weight of the real servers (${total}); keepalived refuses a service that can never reach its quorum — lower quorum or raise weights`);
  }
  return problems;
}

function vrrpInstanceProblems(v: VrrpInstance, at: string, config: KeepalivedConfig): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path: `${at}${path}`, message: `vrrp_instance ${v.name}: ${message}` });
  if (v.interface === 'lo') add('/interface', 'keepalived cannot run VRRP on the loopback interface; name the interface that faces the clients');
  // keepalived takes an instance's family from its first address and ignores the others, with a warning.
  const families = new Set((v.virtual_ipaddress ?? []).map(familyOf));
  if (families.size > 1) add('/virtual_ipaddress', 'mixes IPv4 and IPv6 addresses; keepalived ignores those of the other family — put the IPv6 addresses in an instance of their own');
  const peers = [...(v.unicast_peer ?? []), ...(v.unicast_src_ip ? [v.unicast_src_ip] : [])];
  if (new Set(peers.map(familyOf)).size > 1) add('/unicast_peer', 'unicast_src_ip and unicast_peer must be of one address family');
  // What keepalived --config-test resets or ignores, with a message, rather than refuse.
  if (v.nopreempt && v.preempt_delay !== undefined) add('/preempt_delay', 'preempt_delay means nothing with nopreempt (keepalived resets it); drop one of them');
  (v.track_interface ?? []).forEach((t, i) => {
    if (t.split(' ')[0] === v.interface) add(`/track_interface/${i}`, `the instance's own interface ${v.interface} is tracked already (keepalived ignores this line); drop it`);
  });
  const synced = (config.vrrp_sync_groups ?? []).some((g) => g.group.includes(v.name));
  (v.track_script ?? []).forEach((t, i) => {
    const [name, , weight] = t.split(' ');
    const script = config.vrrp_scripts?.find((s) => s.name === name);
    if (!script) add(`/track_script/${i}`, `no vrrp_scripts entry is named ${name}; add it or name one that exists`);
    else if (synced && Number(weight ?? script.weight ?? 0) !== 0) {
      add(`/track_script/${i}`, `${name} has a weight, which keepalived ignores for an instance in a vrrp_sync_group; give it weight 0 (a failure then faults the group)`);
    }
  });
  return problems;
}

/** Names given twice in one list (two vrrp_instances VI_1, ...), which keepalived refuses or merges. */
function duplicateNames(list: { name: string }[] | undefined, at: string, what: string): ArgProblem[] {
  const seen = new Set<string>();
  return (list ?? []).flatMap((item, i) => {
    const dup = seen.has(item.name);
    seen.add(item.name);
    return dup ? [{ path: `${at}/${i}/name`, message: `${what} ${item.name} is defined twice; give each its own name` }] : [];
  });
}

export function keepalivedConfigProblems(config: KeepalivedConfig): ArgProblem[] {
  const problems: ArgProblem[] = [
    ...duplicateNames(config.vrrp_instances, '/vrrp_instances', 'vrrp_instance'),
    ...duplicateNames(config.vrrp_scripts, '/vrrp_scripts', 'vrrp_script'),
    ...duplicateNames(config.vrrp_sync_groups, '/vrrp_sync_groups', 'vrrp_sync_group'),
    ...duplicateNames(config.virtual_server_groups, '/virtual_server_groups', 'virtual_server_group'),
  ];
  const seen = new Set<string>();
  config.virtual_servers.forEach((vs, i) => {
    const name = `virtual_server ${virtualServerName(vs)}${vs.fwmark === undefined ? ` ${protocolOf(vs)}` : ''}`;
    if (seen.has(name)) problems.push({ path: `/virtual_servers/${i}`, message: `${name} is listed twice; merge its real_servers into one entry` });
    seen.add(name);
    problems.push(...virtualServerProblems(vs, `/virtual_servers/${i}`, config));
  });
  const instances = new Set((config.vrrp_instances ?? []).map((v) => v.name));
  (config.vrrp_instances ?? []).forEach((v, i) => problems.push(...vrrpInstanceProblems(v, `/vrrp_instances/${i}`, config)));
  (config.vrrp_sync_groups ?? []).forEach((g, i) =>
    g.group.forEach((member, j) => {
      if (!instances.has(member)) problems.push({ path: `/vrrp_sync_groups/${i}/group/${j}`, message: `vrrp_sync_group ${g.name}: no vrrp_instances entry is named ${member}` });
    }),
  );
  const sync = config.global_defs?.lvs_sync_daemon?.split(' ');
  const syncInstance = sync?.[1] === 'inst' ? sync[2] : sync?.[1] !== undefined && !['id', 'maxlen', 'port', 'ttl', 'group'].includes(sync[1]) ? sync[1] : undefined;
  if (syncInstance !== undefined && !instances.has(syncInstance)) {
    problems.push({ path: '/global_defs/lvs_sync_daemon', message: `lvs_sync_daemon follows vrrp_instance ${syncInstance}, which is not defined; add it or name one that exists` });
  }
  return problems;
}
