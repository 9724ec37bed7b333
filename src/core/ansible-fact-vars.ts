/**
 * The fact variables under Ansible's names and in Ansible's shapes (ansible-core 2.14's setup module
 * on Debian 12: counts are integers, a prefix is a string, MTUs are integers), built from lvsdr's
 * HostFacts and limited to the play's gather_subset: `min` (distribution, os_family, pkg_mgr,
 * service_mgr, hostname, nodename, fqdn, lsb, date_time, env), `hardware` (processor_*,
 * memtotal_mb), `network` (default_ipv4/6, all_ipv4/6_addresses, interfaces, ansible_<iface>).
 * Not gathered at all: virtual, dmi, devices, mounts, selinux, python, user, dns and the others
 * `ansible -m setup` prints beyond these.
 */
import type { HostFacts } from '../facts/types.ts';
import type { LinkDetails } from '../facts/ip-addr.ts';
import { ALL_SUBSETS } from '../facts/gather-subset.ts';

/** os-release IDs as Ansible names the distribution. */
const DISTRIBUTION_NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  rhel: 'RedHat',
  centos: 'CentOS',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  fedora: 'Fedora',
  ol: 'OracleLinux',
  amzn: 'Amazon',
};

/** The fact names `min` and `hardware` define; `network` adds these and one per interface. */
export const MIN_FACT_NAMES = [
  'distribution', 'distribution_version', 'distribution_major_version', 'distribution_release', 'os_family', 'pkg_mgr',
  'service_mgr', 'hostname', 'nodename', 'fqdn', 'domain', 'lsb', 'date_time', 'env',
];
export const HARDWARE_FACT_NAMES = ['processor', 'processor_cores', 'processor_count', 'processor_vcpus', 'processor_threads_per_core', 'processor_nproc', 'memtotal_mb'];
export const NETWORK_FACT_NAMES = ['default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses', 'interfaces'];

/** Variables that exist once facts are gathered (plays with `gather_facts: true`); ansible_<iface> besides. */
export const FACT_VAR_NAMES: readonly string[] = ['ansible_facts', ...[...MIN_FACT_NAMES, ...HARDWARE_FACT_NAMES, ...NETWORK_FACT_NAMES].map((n) => `ansible_${n}`)];

/**
 * Whether a name can be an interface's fact (ansible_eth0): which interfaces a host has is known
 * only once its facts are read, so a check before any host is contacted lets these through.
 */
export const isInterfaceFactName = (name: string): boolean => /^ansible_(lo|eth|en|wl|bond|br|team|vlan|veth|virbr|tun|tap|ib|docker|lv)[A-Za-z0-9_]*$|^ansible_host0$/.test(name);

/** Facts are data read from the host: a `{{` in one (an environment variable) is never rendered. */
export const isFactVarName = (name: string): boolean => FACT_VAR_NAMES.includes(name) || isInterfaceFactName(name);

/** The fact name of an interface, without `ansible_` (`-` and `:` become `_`: ansible_lv1_rs1). */
export const interfaceFactName = (iface: string): string => iface.replace(/[-:.]/g, '_');

function ipv4Mask(prefix: number): number[] {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255);
}

function ipv4Facts(a: { address: string; prefixlen: number; broadcast?: string }): Record<string, string> {
  const mask = ipv4Mask(a.prefixlen);
  const network = a.address.split('.').map((o, i) => Number(o) & mask[i]);
  return { address: a.address, broadcast: a.broadcast ?? '', netmask: mask.join('.'), network: network.join('.'), prefix: String(a.prefixlen) };
}

function interfaceFacts(l: LinkDetails, speed: number | undefined): Record<string, unknown> {
  const v4 = l.addresses.filter((a) => a.family === 'inet');
  const v6 = l.addresses.filter((a) => a.family === 'inet6');
  return {
    device: l.name,
    active: l.flags.includes('UP'),
    type: l.type ?? 'unknown',
    ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
    ...(l.type === 'ether' && l.mac ? { macaddress: l.mac } : {}),
    promisc: l.flags.includes('PROMISC'),
    ...(speed !== undefined ? { speed } : {}),
    ...(v4.length > 0 ? { ipv4: ipv4Facts(v4[0]) } : {}),
    ...(v4.length > 1 ? { ipv4_secondaries: v4.slice(1).map(ipv4Facts) } : {}),
    ...(v6.length > 0 ? { ipv6: v6.map((a) => ({ address: a.address, prefix: String(a.prefixlen), scope: a.scope ?? 'global' })) } : {}),
  };
}

/** default_ipv4/6: the default route's interface, its first address of the family, the gateway. */
function defaultAddress(link: LinkDetails | undefined, family: 'inet' | 'inet6', gateway: string | undefined): Record<string, unknown> {
  if (!link) return {};
  const a = link.addresses.find((x) => x.family === family && (family === 'inet' || x.scope === 'global'));
  if (!a) return {};
  const common = {
    interface: link.name,
    ...(gateway ? { gateway } : {}),
    ...(l2(link)),
  };
  if (family === 'inet') return { ...ipv4Facts(a), alias: link.name, ...common };
  return { address: a.address, prefix: String(a.prefixlen), scope: a.scope ?? 'global', ...common };
}

const l2 = (link: LinkDetails) => ({
  ...(link.type === 'ether' && link.mac ? { macaddress: link.mac } : {}),
  ...(link.mtu !== undefined ? { mtu: link.mtu } : {}),
  type: link.type ?? 'unknown',
});

/** The PID 1 command as Ansible's service_mgr reads it: a shell or plain `init` says nothing. */
function serviceMgr(facts: HostFacts): string {
  const pid1 = facts.ansible?.pid1;
  if (pid1 && pid1 !== 'init' && !pid1.endsWith('sh')) return pid1 === 'runit-init' ? 'runit' : pid1 === 'openrc-init' ? 'openrc' : pid1;
  return facts.systemdRunning ? 'systemd' : 'sysvinit';
}

function distributionFacts(facts: HostFacts): Record<string, unknown> {
  const rel = facts.ansible?.osRelease ?? {};
  const distribution = DISTRIBUTION_NAMES[facts.distribution] ?? rel.NAME ?? facts.distribution;
  // Debian's point release is in /etc/debian_version (os-release says only "12").
  const version = distribution === 'Debian' && facts.ansible?.debianVersion && /^\d+(\.\d+)*$/.test(facts.ansible.debianVersion) ? facts.ansible.debianVersion : facts.distributionVersion;
  const release = rel.VERSION_CODENAME || /\(([^)]+)\)/.exec(rel.VERSION ?? '')?.[1] || '';
  return {
    distribution,
    distribution_version: version,
    distribution_major_version: version.split('.')[0],
    distribution_release: release,
  };
}

/** Ansible's fact names (without the `ansible_` prefix) for the subsets gathered. */
export function ansibleFacts(facts: HostFacts): Record<string, unknown> {
  const a = facts.ansible;
  const subsets = a?.subsets ?? ALL_SUBSETS;
  const out: Record<string, unknown> = {};
  if (subsets.min) {
    const [short, ...domain] = facts.hostname.split('.');
    Object.assign(out, distributionFacts(facts), {
      os_family: facts.osFamily,
      pkg_mgr: facts.pkgMgr ?? 'unknown',
      service_mgr: serviceMgr(facts),
      hostname: short,
      nodename: facts.hostname,
      fqdn: a?.fqdn ?? facts.hostname,
      domain: (a?.fqdn ?? facts.hostname).split('.').slice(1).join('.') || domain.join('.'),
      lsb: a?.lsb ?? {},
      ...(a?.dateTime ? { date_time: a.dateTime } : {}),
      ...(a?.env ? { env: a.env } : {}),
    });
  }
  if (subsets.hardware && a?.processor) {
    Object.assign(out, {
      processor: a.processor.list,
      processor_cores: a.processor.cores,
      processor_count: a.processor.count,
      processor_vcpus: a.processor.vcpus,
      processor_threads_per_core: a.processor.threadsPerCore,
      processor_nproc: a.processor.nproc,
    });
  }
  if (subsets.hardware && a?.memTotalMb !== undefined) out.memtotal_mb = a.memTotalMb;
  if (subsets.network) {
    // Facts made by hand (tests) have no link details: their interfaces stand in.
    const links = a?.links ?? facts.interfaces.map((i): LinkDetails => ({ name: i.name, flags: i.up ? ['UP'] : [], ...(i.mac ? { mac: i.mac, type: 'ether' } : {}), addresses: i.addresses }));
    const byName = (n: string | undefined) => links.find((l) => l.name === n);
    const all = links.flatMap((l) => l.addresses);
    Object.assign(out, {
      default_ipv4: defaultAddress(byName(facts.defaultInterface), 'inet', a?.gateway4),
      default_ipv6: defaultAddress(byName(a?.route6?.dev), 'inet6', a?.route6?.gateway),
      all_ipv4_addresses: all.filter((x) => x.family === 'inet' && !x.address.startsWith('127.')).map((x) => x.address),
      all_ipv6_addresses: all.filter((x) => x.family === 'inet6' && x.address !== '::1').map((x) => x.address),
      interfaces: facts.interfaces.map((i) => i.name),
    });
    for (const l of links) out[interfaceFactName(l.name)] = interfaceFacts(l, a?.speeds?.[l.name]);
  }
  return out;
}
