/** Parser of `ip -j addr` (iproute2's JSON), shared by fact gathering and the vip module. */
import type { NetInterface } from './types.ts';

interface IpAddrJson {
  ifname: string;
  address?: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number; label?: string }[];
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
