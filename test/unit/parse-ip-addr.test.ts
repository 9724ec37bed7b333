import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpAddr } from '../../src/facts/ip-addr.ts';

const fixture = readFileSync(new URL('../fixtures/captured/ip-addr.json', import.meta.url), 'utf8');

describe('parseIpAddr on captured ip -j addr', () => {
  it('reads interfaces, VIPs and their labels', () => {
    const interfaces = parseIpAddr(fixture);
    expect(interfaces.map((i) => i.name)).toEqual(['lo', 'lvsdrv1', 'lvsdrv0']);
    const lo = interfaces[0];
    expect(lo.up).toBe(true);
    expect(lo.addresses).toContainEqual({ family: 'inet', address: '198.18.0.100', prefixlen: 32, label: 'lo:0' });
    expect(interfaces[2].addresses.filter((a) => a.family === 'inet')).toEqual([
      { family: 'inet', address: '198.18.0.10', prefixlen: 24, label: 'lvsdrv0' },
      { family: 'inet', address: '198.18.0.101', prefixlen: 32, label: 'lvsdrv0:1' },
    ]);
  });
});
