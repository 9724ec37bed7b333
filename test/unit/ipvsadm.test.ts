/** `ipvsadm -Ln` as ipvsadm 1.31 prints it (fixtures written with its format strings: test/fixtures/ipvsadm/make.sh). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipvsServiceName, parseIpvsadm } from '../../src/facts/ipvsadm.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ipvsadm/${name}`, import.meta.url), 'utf8');

describe('ipvsadm -Ln', () => {
  it('reads every service shape with its own real servers', () => {
    const s = parseIpvsadm(fixture('every-shape.txt'));
    expect(s.map(ipvsServiceName)).toEqual([
      'TCP 198.18.0.240:80',
      'UDP 198.18.0.240:53',
      'FWM 1',
      'TCP 198.18.0.241:443',
      'FWM 2 IPv6',
      'TCP [fd00:198:18::240]:80',
    ]);
    expect(s[0]).toMatchObject({ family: 'inet', scheduler: 'wlc', persistent: { timeout: 300, mask: '255.255.255.0' }, onePacket: false });
    expect(s[0].realServers).toEqual([
      { ip: '198.18.0.11', port: 80, forward: 'Route', weight: 1, activeConn: 3, inactiveConn: 10 },
      { ip: '198.18.0.12', port: 80, forward: 'Route', weight: 0, activeConn: 0, inactiveConn: 4 },
    ]);
    expect(s[1]).toMatchObject({ protocol: 'UDP', scheduler: 'rr', onePacket: true, schedulerFlags: [] });
    expect(s[1]).not.toHaveProperty('persistent');
    expect(s[2]).toMatchObject({ protocol: 'FWM', fwmark: 1, family: 'inet', scheduler: 'wlc' });
    expect(s[2].realServers.map((r) => [r.ip, r.port, r.weight])).toEqual([['198.18.0.11', 0, 1], ['198.18.0.13', 0, 2]]);
    expect(s[3]).toMatchObject({ scheduler: 'sh', schedulerFlags: ['sh-fallback', 'sh-port'] });
    expect(s[4]).toMatchObject({ protocol: 'FWM', fwmark: 2, family: 'inet6', scheduler: 'wrr', persistent: { timeout: 60 } });
    expect(s[4].realServers.map((r) => r.ip)).toEqual(['fd00:198:18::11']);
    expect(s[5]).toMatchObject({ protocol: 'TCP', vip: 'fd00:198:18::240', port: 80, family: 'inet6' });
    // A long IPv6 address overflows its column (ipvsadm does not cut IPv6 names): still one real server.
    expect(s[5].realServers.map((r) => [r.ip, r.port, r.weight, r.activeConn])).toEqual([
      ['fd00:198:18::11', 80, 1, 1],
      ['fd00:198:18:0:ffff:ffff:ffff:12', 80, 0, 0],
    ]);
  });

  it('a real server under an FWM service is not counted under the service before it', () => {
    const [tcp, fwm] = parseIpvsadm(fixture('fwm-after-tcp.txt'));
    expect(tcp.realServers.map((r) => r.ip)).toEqual(['198.18.0.11']);
    expect(fwm.realServers.map((r) => r.ip)).toEqual(['198.18.0.12']);
  });

  it('no service: an empty list', () => {
    expect(parseIpvsadm(fixture('empty.txt'))).toEqual([]);
  });

  it('a line it cannot read is an error naming it, not skipped', () => {
    const odd = fixture('fwm-after-tcp.txt').replace('FWM  1 wlc', 'XYZ  1 wlc');
    expect(() => parseIpvsadm(odd)).toThrow(/a line lvsdr does not read: 'XYZ {2}1 wlc'/);
    expect(() => parseIpvsadm('TCP  198.18.0.240:80 wlc weird\n')).toThrow(/service line lvsdr does not read/);
    expect(() => parseIpvsadm('TCP  www.example.org:http wlc\n')).toThrow(/not an address and port/);
  });
});
