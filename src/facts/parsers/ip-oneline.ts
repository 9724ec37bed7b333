/**
 * `ip -o link show` and `ip -o addr show`: what iproute2 before 4.13 (RHEL 7's) prints, where
 * `ip -j` does not exist. Links come from `link` (an interface without addresses is still there),
 * addresses and their labels from `addr`.
 */
import type { InterfaceAddress, NetInterface } from '../types.ts';

const LINK = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(?:.*link\/(\S+)\s+([0-9a-f:]{17}))?/;
const ADDR = /^\d+:\s+(\S+)\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)\s+([^\\]*)/;

export function parseIpOneline(linkText: string, addrText: string): NetInterface[] {
  const byName = new Map<string, NetInterface>();
  for (const line of linkText.split('\n')) {
    const m = LINK.exec(line.trim());
    if (!m) continue;
    const mac = m[3] === 'ether' ? m[4] : undefined;
    byName.set(m[1], { name: m[1], ...(mac ? { mac } : {}), up: m[2].split(',').includes('UP'), addresses: [] });
  }
  for (const line of addrText.split('\n')) {
    const m = ADDR.exec(line.trim());
    if (!m) continue;
    const iface = byName.get(m[1]) ?? { name: m[1], up: false, addresses: [] };
    byName.set(m[1], iface);
    const address: InterfaceAddress = { family: m[2] as 'inet' | 'inet6', address: m[3], prefixlen: Number(m[4]) };
    // For IPv4 the last word before the `\` is the label (`lo:0`, or the interface name itself).
    const label = m[2] === 'inet' ? m[5].trim().split(/\s+/).at(-1) : undefined;
    iface.addresses.push(label ? { ...address, label } : address);
  }
  return [...byName.values()];
}
