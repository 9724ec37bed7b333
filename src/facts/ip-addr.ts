/** Parser of `ip -j addr` (iproute2's JSON), shared by fact gathering and the vip module. */
import type { NetInterface } from './types.ts';

interface IpAddrJson {
  ifname: string;
  address?: string;
  flags?: string[];
  mtu?: number;
  link_type?: string;
  addr_info?: { family: string; local: string; prefixlen: number; label?: string; broadcast?: string; scope?: string }[];
}

/** What Ansible's ansible_<iface> facts show beyond lvsdr's NetInterface: MTU, link type, flags, each address's broadcast and scope. */
export interface LinkDetails {
  name: string;
  mtu?: number;
  type?: string;
  flags: string[];
  mac?: string;
  addresses: { family: string; address: string; prefixlen: number; broadcast?: string; scope?: string }[];
}

export function parseLinkDetails(stdout: string): LinkDetails[] {
  const text = stdout.trim();
  if (text === '') return [];
  return (JSON.parse(text) as IpAddrJson[]).map((l) => ({
    name: l.ifname,
    ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
    ...(l.link_type ? { type: l.link_type } : {}),
    flags: l.flags ?? [],
    ...(l.address ? { mac: l.address } : {}),
    addresses: (l.addr_info ?? []).map((a) => ({ family: a.family, address: a.local, prefixlen: a.prefixlen, ...(a.broadcast ? { broadcast: a.broadcast } : {}), ...(a.scope ? { scope: a.scope } : {}) })),
  }));
}

export function parseIpAddr(stdout: string): NetInterface[] {
  const text = stdout.trim();
  if (text === '') return [];
  const links = JSON.parse(text) as IpAddrJson[];
  return links.map((l) => ({
    name: l.ifname,
    mac: l.address,
    up: (l.flags ?? []).includes('UP'),
    addresses: (l.addr_info ?? [])
      .filter((a) => a.family === 'inet' || a.family === 'inet6')
      .map((a) => ({
        family: a.family as 'inet' | 'inet6',
        address: a.local,
        prefixlen: a.prefixlen,
        ...(a.label ? { label: a.label } : {}),
      })),
  }));
}
