/**
 * keepalived's checker data (its DATA dump; fixtures written with keepalived 2.2.7's format strings:
 * test/fixtures/keepalived-check-data/make.sh) as the rollout's health signal, in both
 * configurations: with inhibit_on_failure a failed real server stays in IPVS at weight 0, without it
 * keepalived removes it — neither is healthy; a new server added at weight 0 whose check passes is.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allHealthy } from '../../src/core/rollout/director-watch.ts';
import { parseIpvsadm } from '../../src/facts/ipvsadm.ts';
import { parseKeepalivedCheckData } from '../../src/facts/keepalived-check-data.ts';

const dump = readFileSync(new URL('../fixtures/keepalived-check-data/two-configurations.txt', import.meta.url), 'utf8');

// What ipvsadm -Ln lists meanwhile: rs2 kept at weight 0 on :80 (inhibit_on_failure), gone from :53.
const services = parseIpvsadm(`TCP  198.18.0.240:80 wlc
  -> 198.18.0.11:80               Route   1      0          0
  -> 198.18.0.12:80               Route   0      0          0
  -> 198.18.0.13:80               Route   0      0          0
UDP  198.18.0.240:53 wlc
  -> 198.18.0.11:53               Route   1      0          0
`);

const endpoint = (n: number, protocol: 'tcp' | 'udp', port: number) => ({ host: `rs${n}`, ip: `198.18.0.1${n}`, services: [{ vip: '198.18.0.240', port, protocol }] });

describe("keepalived's checker data", () => {
  it('reads each service with its real servers, their weights and whether keepalived holds them alive', () => {
    const checked = parseKeepalivedCheckData(dump);
    expect(checked.map((c) => [c.vip ?? `fwmark ${c.fwmark}`, c.port, c.protocol])).toEqual([
      ['198.18.0.240', 80, 'TCP'],
      ['198.18.0.240', 53, 'UDP'],
      ['fwmark 7', undefined, 'none'],
      ['fd00:198:18::240', 80, 'TCP'],
    ]);
    expect(checked[0].realServers).toEqual([
      { ip: '198.18.0.11', port: 80, weight: 1, alive: true },
      { ip: '198.18.0.12', port: 80, weight: 1, alive: false },
      { ip: '198.18.0.13', port: 80, weight: 0, alive: true },
    ]);
    expect(checked[2].realServers).toEqual([{ ip: '198.18.0.11', port: 0, weight: 1, alive: true }]);
    expect(checked[3].realServers.map((r) => r.ip)).toEqual(['fd00:198:18::11']);
    expect(parseKeepalivedCheckData('')).toEqual([]);
  });

  it('inhibit_on_failure: a failed real server listed at weight 0 is not healthy; a new one at weight 0 that passes is', () => {
    const view = { services, checked: parseKeepalivedCheckData(dump) };
    expect(allHealthy([endpoint(2, 'tcp', 80)])(view)).toBe(false);
    expect(allHealthy([endpoint(3, 'tcp', 80)])(view)).toBe(true);
    expect(allHealthy([endpoint(1, 'tcp', 80)])(view)).toBe(true);
  });

  it('without inhibit_on_failure: a failed real server is neither listed nor alive; keepalived alive but not in IPVS is not healthy either', () => {
    const checked = parseKeepalivedCheckData(dump);
    expect(allHealthy([endpoint(2, 'udp', 53)])({ services, checked })).toBe(false);
    expect(allHealthy([endpoint(1, 'udp', 53)])({ services, checked })).toBe(true);
    expect(allHealthy([endpoint(1, 'udp', 53)])({ services: [], checked })).toBe(false);
  });
});
