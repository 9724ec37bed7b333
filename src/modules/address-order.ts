/**
 * Addresses compared as numbers, not text (198.18.0.9 before 198.18.0.10, fd00::9 before fd00::10),
 * IPv4 before IPv6, a prefix length after the address it belongs to.
 */
import { isIPv6 } from 'node:net';

export type AddressFamily = 'inet' | 'inet6';

/** The family of an address, with or without a prefix length, a range suffix or options after it (`dev eth0`). */
export function familyOf(address: string): AddressFamily {
  return address.split(' ')[0].includes(':') ? 'inet6' : 'inet';
}

/**
 * An address as the kernel prints it (`ip addr`, ip6tables-save): IPv6 lower-case with its longest
 * run of zero groups as `::` (RFC 5952, which the URL standard's serializer follows); IPv4 as given.
 * So `fd00:0:0::0001` and `fd00::1` name one VIP, one unit, one rule.
 */
export function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** An IPv6 address as its eight 16-bit groups (`::` expanded, an embedded IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  if (!isIPv6(address)) return [];
  let text = address;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16));
}

function numbers(address: string): number[] {
  const [ip, prefix] = address.split(' ')[0].split('/');
  const parts = familyOf(ip) === 'inet6' ? ipv6Groups(ip) : ip.split('.').map(Number);
  return prefix === undefined ? parts : [...parts, Number(prefix)];
}

export function addressOrder(a: string, b: string): number {
  const family = (familyOf(a) === 'inet' ? 0 : 1) - (familyOf(b) === 'inet' ? 0 : 1);
  if (family !== 0) return family;
  const [x, y] = [numbers(a), numbers(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
