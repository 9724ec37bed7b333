import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpAddr } from '../../src/facts/ip-addr.ts';
import { parseIpOneline } from '../../src/facts/parsers/ip-oneline.ts';
import { interfacesProbe } from '../support/fact-keys.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const link = fixture('ip-o-link.txt');
const addr = fixture('ip-o-addr.txt');

describe('ip -o link / ip -o addr (iproute2 without -j)', () => {
  it('reads interfaces, including one without addresses, with labels and up state', () => {
    const interfaces = parseIpOneline(link, addr);
    expect(interfaces.map((i) => [i.name, i.up])).toEqual([['lo', true], ['lvsdrv1', false], ['lvsdrv0', true]]);
    expect(interfaces[0].addresses).toEqual([
      { family: 'inet', address: '127.0.0.1', prefixlen: 8, label: 'lo' },
      { family: 'inet', address: '198.18.0.100', prefixlen: 32, label: 'lo:0' },
      { family: 'inet6', address: '::1', prefixlen: 128 },
    ]);
    expect(interfaces[2].addresses).toContainEqual({ family: 'inet', address: '198.18.0.101', prefixlen: 32, label: 'lvsdrv0:1' });
    expect(interfaces[2].mac).toMatch(/^[0-9a-f:]{17}$/);
    expect(interfaces[0].mac).toBeUndefined();
  });

  it('gives the VIP module what ip -j gives it', () => {
    const strip = (list: ReturnType<typeof parseIpAddr>) => list.map((i) => ({ name: i.name, addresses: i.addresses.filter((a) => a.family === 'inet') }));
    const json = parseIpAddr(fixture('ip-addr.json')).filter((i) => i.name === 'lo');
    expect(strip(parseIpOneline(link, addr).filter((i) => i.name === 'lo'))).toEqual(strip(json));
  });

  it('the interfaces probe falls back to it when ip has no -j', () => {
    const probe = interfacesProbe();
    const stdout = `@@lvsdr-ip-oneline\n${link}@@lvsdr-ip-oneline\n${addr}`;
    expect(probe.parse({ code: 0, stdout, stderr: '' })).toEqual(parseIpOneline(link, addr));
    expect(probe.parse({ code: 0, stdout: fixture('ip-addr.json'), stderr: '' })).toEqual(parseIpAddr(fixture('ip-addr.json')));
  });
});
