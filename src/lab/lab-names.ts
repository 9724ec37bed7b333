/**
 * Every kernel object, mount and process the lab makes carries a name derived here, so `down` can
 * find them again without any state file (state may be half-written or deleted).
 *
 * Addresses: each lab gets one /24 of 198.18.0.0/15 (RFC 2544, benchmarking), index 1..511, or for
 * more than 229 real servers an aligned block of 2, 4, 8 or 16 of them (a /23 to a /20) whose first
 * /24 is laid out as a lab's only one, rs230 on at .1–.254 of the next /24s (`realserverAddress`).
 * In a lab's /24: .1 is the bridge (the machine's side), rsN is .(10+N), the VIPs are .240–.243,
 * the director is .250 (a pair: director1 .250, director2 .252) and the client .251. A routed lab has a second /24 for the client's segment
 * (the client .251 there) and a router at .254 on both segments. A two-NIC director adds a front
 * /24 (router .254, director .250, the VIPs .240–.243 there).
 */
import { UserError } from '../core/errors.ts';
import type { VrrpRole } from './lab-pair.ts';

export type HostKind = 'systemd' | 'light';
export type HostFlavor = 'debian' | 'el';
export type HostRole = 'realserver' | 'director' | 'client';
/** flat: every host on one segment. routed: the client on its own segment, behind a router. */
export type LabTopology = 'flat' | 'routed';
export const TOPOLOGIES: readonly LabTopology[] = ['flat', 'routed'];

/** Prefix of every network namespace, mount source and process marker the lab makes. */
export const OBJECT_PREFIX = 'lvsdr-lab_';
/** Prefix of every bridge the lab makes; the bridge's alias names the lab. */
export const BRIDGE_PREFIX = 'lvbr-';
/** Real servers in a lab's first /24 (.11–.239), and in each further /24 of a wider lab (.1–.254). */
export const REALSERVERS_FIRST_24 = 229;
export const REALSERVERS_NEXT_24 = 254;
/** The widest lab: 16 /24s, a /20. */
export const MAX_SPAN = 16;
export const MAX_REALSERVERS = REALSERVERS_FIRST_24 + (MAX_SPAN - 1) * REALSERVERS_NEXT_24;

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function checkLabName(name: string): string {
  if (!LAB_NAME.test(name)) {
    throw new UserError({
      message: `lab name '${name}' is not usable`,
      hint: 'use 1–32 lower-case letters, digits or dashes, starting with a letter or digit',
    });
  }
  return name;
}

/** The network namespace, mount source and process marker of one host: `lvsdr-lab_NAME_HOST`. */
export function hostObjectName(lab: string, host: string): string {
  return `${OBJECT_PREFIX}${lab}_${host}`;
}

export function labObjectPrefix(lab: string): string {
  return `${OBJECT_PREFIX}${lab}_`;
}

/**
 * Interface names are limited to 15 characters, so they use the subnet index, not the lab name. A
 * wider lab's bridge names its span too (`lvbr-8-4`: 198.18.8.0/22), so a lab claiming a /24 sees
 * the whole block taken from the name alone, before the bridge has an address or an alias.
 */
export function bridgeName(subnetIndex: number, span = 1): string {
  return `${BRIDGE_PREFIX}${subnetIndex}${span > 1 ? `-${span}` : ''}`;
}

/** The subnet index and span a bridge's name carries; undefined for a name not of this form. */
export function parseBridgeName(ifname: string): { subnetIndex: number; span: number } | undefined {
  const m = /^lvbr-(\d+)(?:-(\d+))?$/.exec(ifname);
  return m ? { subnetIndex: Number(m[1]), span: Number(m[2] ?? 1) } : undefined;
}

/** How many /24s a lab of this many real servers spans: 1, or the smallest power of two that holds them. */
export function spanFor(realservers: number): number {
  let span = 1;
  while (REALSERVERS_FIRST_24 + (span - 1) * REALSERVERS_NEXT_24 < realservers) span *= 2;
  return span;
}

/** The prefix length of a lab's own segment: 24 for one /24, 22 for four. */
export function prefixLength(span: number): number {
  return 24 - Math.log2(span);
}

/** The lab's own segment as CIDR: `198.18.8.0/22`. */
export function labSubnet(subnetIndex: number, span = 1): string {
  return `${subnetPrefix(subnetIndex)}.0/${prefixLength(span)}`;
}

/** rsN's address: .(10+N) of the first /24, past rs229 .1–.254 of the next ones. */
export function realserverAddress(subnetIndex: number, n: number): string {
  if (n <= REALSERVERS_FIRST_24) return `${subnetPrefix(subnetIndex)}.${10 + n}`;
  const past = n - REALSERVERS_FIRST_24 - 1;
  return `${subnetPrefix(subnetIndex + 1 + Math.floor(past / REALSERVERS_NEXT_24))}.${1 + (past % REALSERVERS_NEXT_24)}`;
}

/** A segment besides the lab's own: a routed lab's client segment, a two-NIC director's front segment. */
export type Segment = 'client' | 'front';
export const SEGMENTS: readonly Segment[] = ['client', 'front'];

/** A lab's own bridge is aliased `lvsdr-lab_NAME`; a routed lab's client segment `lvsdr-lab_NAME_client`, a front segment `…_front`. */
export function bridgeAlias(lab: string, segment?: Segment): string {
  return `${OBJECT_PREFIX}${lab}${segment ? `_${segment}` : ''}`;
}

/** The machine's side of a light host's veth pair. */
export function lightVethName(subnetIndex: number, host: string): string {
  return `lv${subnetIndex}-${host}`.slice(0, 15);
}

/** nspawn names the machine's veth `vb-MACHINE`; short machine names keep it whole and findable. */
export function machineName(subnetIndex: number, host: string): string {
  const short = host.startsWith('director') ? `dir${host.slice('director'.length)}` : host === 'client' ? 'cli' : host;
  return `lv${subnetIndex}-${short}`;
}

export function subnetPrefix(subnetIndex: number): string {
  const second = 18 + Math.floor(subnetIndex / 256);
  return `198.${second}.${subnetIndex % 256}`;
}

export function bridgeAddress(subnetIndex: number): string {
  return `${subnetPrefix(subnetIndex)}.1`;
}

/** A host's eth0 address with its prefix length, as `ip addr` takes it. */
export function hostCidr(host: Pick<HostPlan, 'address' | 'prefixLength'>): string {
  return `${host.address}/${host.prefixLength ?? 24}`;
}

export function vipAddresses(subnetIndex: number): string[] {
  return [240, 241, 242, 243].map((n) => `${subnetPrefix(subnetIndex)}.${n}`);
}

/**
 * A lab address's IPv6 twin (labs made with --ipv6): fd00:: and the IPv4 address's four numbers as
 * its last groups, so 198.18.5.11 is fd00::198:18:5:11 — read at a glance beside it, and inside
 * fd00::/8 like every lab address. A lab's /24 is its /112 (`labSubnet6`): octets 0–255 written as
 * groups stay below 0x256.
 */
export function ipv6Of(ipv4: string): string {
  return `fd00::${ipv4.split('.').join(':')}`;
}

export const IPV6_PREFIX_LENGTH = 112;

/** The lab's IPv6 segment as CIDR: `fd00::198:18:5:0/112`. */
export function labSubnet6(subnetIndex: number): string {
  return `${ipv6Of(`${subnetPrefix(subnetIndex)}.0`)}/${IPV6_PREFIX_LENGTH}`;
}

/** The IPv6 VIPs: the IPv4 VIPs' twins. */
export function vip6Addresses(subnetIndex: number): string[] {
  return vipAddresses(subnetIndex).map(ipv6Of);
}

export function checkRealservers(realservers: number): void {
  if (!Number.isInteger(realservers) || realservers < 0 || realservers > MAX_REALSERVERS) {
    throw new UserError({
      message: `--realservers ${realservers} is out of range`,
      hint: `give a whole number from 0 to ${MAX_REALSERVERS} (a lab spans at most a /20)`,
    });
  }
}

/** The router's address on each segment it joins (a routed lab's only gateway). */
export function routerAddress(subnetIndex: number): string {
  return `${subnetPrefix(subnetIndex)}.254`;
}

export interface Route {
  to: string;
  via: string;
}

export interface HostPlan {
  name: string;
  role: HostRole;
  kind: HostKind;
  address: string;
  /** The prefix length of eth0's address where it is not 24: a host on a wider lab's segment. */
  prefixLength?: number;
  /** Which bridge the host's eth0 is on: the lab's own (absent), a routed lab's client segment, or a two-NIC director's front. */
  segment?: Segment;
  /** A two-NIC director's back NIC, eth1, on the lab's own segment with the real servers. */
  back?: { address: string; prefixLength?: number };
  /** Routes set at every boot, after the address (a routed lab's way through its router). */
  routes?: Route[];
  /** A director of a pair: its VRRP part (the VIP is keepalived's to move, not on eth0 at boot). */
  vrrp?: VrrpRole;
  /** eth0's IPv6 address (a lab made with --ipv6): `ipv6Of(address)`, prefix IPV6_PREFIX_LENGTH. */
  address6?: string;
}

/**
 * Director and client always boot systemd: they need real units (keepalived reload, sshd). A
 * director pair (`director` given as the two VRRP roles) is director1 and director2. With
 * `clientSubnetIndex` (a routed lab) the client sits on that /24 and every host routes to the
 * other segment through the router. `span` /24s make the lab's own segment (`spanFor`).
 */
export function planHosts(
  subnetIndex: number,
  realservers: number,
  kind: HostKind,
  director: boolean | readonly VrrpRole[],
  client: boolean,
  clientSubnetIndex?: number,
  frontSubnetIndex?: number,
  span = 1,
): HostPlan[] {
  checkRealservers(realservers);
  if (spanFor(realservers) > span) throw new Error(`${realservers} real servers do not fit in ${span} /24s`);
  const prefix = subnetPrefix(subnetIndex);
  const wide = span > 1 ? { prefixLength: prefixLength(span) } : {};
  const hosts: HostPlan[] = [];
  for (let i = 1; i <= realservers; i++) {
    hosts.push({ name: `rs${i}`, role: 'realserver', kind, address: realserverAddress(subnetIndex, i), ...wide });
  }
  if (director === true) hosts.push({ name: 'director', role: 'director', kind: 'systemd', address: `${prefix}.250`, ...wide });
  if (typeof director !== 'boolean') {
    director.forEach((vrrp, i) => hosts.push({ name: `director${i + 1}`, role: 'director', kind: 'systemd', address: `${prefix}.${[250, 252][i]}`, ...wide, vrrp }));
  }
  if (clientSubnetIndex === undefined) {
    if (client) hosts.push({ name: 'client', role: 'client', kind: 'systemd', address: `${prefix}.251`, ...wide });
    return hosts;
  }
  const toClients = [{ to: `${subnetPrefix(clientSubnetIndex)}.0/24`, via: routerAddress(subnetIndex) }];
  for (const h of hosts) h.routes = toClients;
  const twoNic = hosts.find((h) => h.role === 'director');
  if (frontSubnetIndex !== undefined && twoNic) {
    // eth0 on the front segment with the VIP, eth1 on the real servers' segment; the way back to the
    // clients is through the router's front leg
    twoNic.back = { address: twoNic.address, ...wide };
    twoNic.address = `${subnetPrefix(frontSubnetIndex)}.250`;
    delete twoNic.prefixLength;
    twoNic.segment = 'front';
    twoNic.routes = [{ to: `${subnetPrefix(clientSubnetIndex)}.0/24`, via: routerAddress(frontSubnetIndex) }];
  }
  if (client) {
    hosts.push({
      name: 'client',
      role: 'client',
      kind: 'systemd',
      address: `${subnetPrefix(clientSubnetIndex)}.251`,
      segment: 'client',
      routes: [labSubnet(subnetIndex, span), ...(frontSubnetIndex !== undefined ? [labSubnet(frontSubnetIndex)] : [])].map((to) => ({ to, via: routerAddress(clientSubnetIndex) })),
    });
  }
  return hosts;
}
