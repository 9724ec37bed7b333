import { describe, expect, it } from 'vitest';
import { parseIpvsadm } from '../../src/facts/ipvsadm.ts';
import { allDrained, allHealthy } from '../../src/core/rollout/director-watch.ts';
import type { CheckedService } from '../../src/facts/keepalived-check-data.ts';
import { realServerAddresses } from '../../src/core/rollout/director-members.ts';
import { realServerEndpoint } from '../../src/core/rollout/endpoints.ts';
import type { Inventory } from '../../src/core/inventory/types.ts';
import { parseListening } from '../../src/modules/listening.ts';
import { listeningModule } from '../../src/modules/listening.ts';

// As ipvsadm 1.31 prints it on a director with one healthy and one draining real server.
const IPVSADM = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  198.18.0.240:80 wlc
  -> 198.18.0.11:80               Route   1      3          10
  -> 198.18.0.12:80               Route   0      0          4
UDP  198.18.0.240:53 rr
  -> 198.18.0.11:53               Route   1      0          0
`;

describe('ipvsadm -Ln', () => {
  it('parses virtual and real servers with weights and connections', () => {
    const s = parseIpvsadm(IPVSADM);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ protocol: 'TCP', vip: '198.18.0.240', port: 80, scheduler: 'wlc' });
    expect(s[0].realServers).toEqual([
      { ip: '198.18.0.11', port: 80, forward: 'Route', weight: 1, activeConn: 3, inactiveConn: 10 },
      { ip: '198.18.0.12', port: 80, forward: 'Route', weight: 0, activeConn: 0, inactiveConn: 4 },
    ]);
    expect(s[1].realServers[0].port).toBe(53);
  });

  it('waits for healthy (alive in keepalived and listed) and drained real servers', () => {
    const services = parseIpvsadm(IPVSADM);
    const rs = (ip: string) => ({ host: ip, ip, services: [{ vip: '198.18.0.240', port: 80, protocol: 'tcp' as const }] });
    const checked: CheckedService[] = [{ vip: '198.18.0.240', port: 80, protocol: 'TCP', realServers: ['11', '12', '13'].map((n) => ({ ip: `198.18.0.${n}`, port: 80, weight: 1, alive: true })) }];
    expect(allHealthy([rs('198.18.0.11'), rs('198.18.0.12')])({ services, checked })).toBe(true);
    expect(allHealthy([rs('198.18.0.11')])({ services })).toBe(false);
    expect(allHealthy([rs('198.18.0.13')])({ services, checked })).toBe(false);
    expect(allDrained([rs('198.18.0.12')])({ services })).toBe(true);
    expect(allDrained([rs('198.18.0.11')])({ services })).toBe(false);
  });

  it('finds a real server of a fwmark VIP under its FWM service, and one of a UDP VIP only under UDP', () => {
    const services = parseIpvsadm(`TCP  198.18.0.240:80 wlc
  -> 198.18.0.11:80               Route   1      0          0
FWM  1 wlc
  -> 198.18.0.12:0                Route   1      0          0
`);
    const up = (ip: string, port: number) => ({ ip, port, weight: 1, alive: true });
    const checked: CheckedService[] = [
      { vip: '198.18.0.240', port: 80, protocol: 'TCP', realServers: [up('198.18.0.11', 80)] },
      { fwmark: 1, protocol: 'none', realServers: [up('198.18.0.12', 0)] },
    ];
    const view = { services, checked };
    const rs = (ip: string, service: object) => ({ host: ip, ip, services: [{ vip: '198.18.0.240', port: 80, protocol: 'tcp' as const, ...service }] });
    expect(allHealthy([rs('198.18.0.12', { fwmark: 1 })])(view)).toBe(true);
    expect(allHealthy([rs('198.18.0.11', { fwmark: 1 })])(view)).toBe(false);
    expect(allHealthy([rs('198.18.0.12', {})])(view)).toBe(false);
    expect(allHealthy([rs('198.18.0.11', { protocol: 'udp' })])(view)).toBe(false);
  });
});

describe('director membership', () => {
  it('reads the real servers of a keepalived.conf', () => {
    const conf = 'virtual_server 198.18.0.240 80 {\n    real_server 198.18.0.11 80 {\n        weight 1\n    }\n    real_server 198.18.0.12 80 {\n    }\n}\n';
    expect([...realServerAddresses(conf)]).toEqual(['198.18.0.11', '198.18.0.12']);
    expect(realServerAddresses('').size).toBe(0);
  });

  it('takes a real server’s address and VIP ports from its inventory variables, templates rendered', () => {
    const vars = { ansible_host: '198.18.0.13', lab_vip: '198.18.0.240', lvs_real_ip: '{{ ansible_host }}', lvs_vips: [{ vip: '{{ lab_vip }}', ports: [80, 443] }] };
    const inventory = { hosts: new Map([['rs3', { name: 'rs3', vars, groups: [] }]]) } as unknown as Inventory;
    expect(realServerEndpoint(inventory, 'rs3')).toEqual({
      host: 'rs3',
      ip: '198.18.0.13',
      services: [
        { vip: '198.18.0.240', port: 80, protocol: 'tcp' },
        { vip: '198.18.0.240', port: 443, protocol: 'tcp' },
      ],
    });
  });
});

describe('listening', () => {
  const ss = 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 5 198.18.0.240:80 0.0.0.0:*\nLISTEN 0 5 [::]:8080 [::]:*\nLISTEN 0 5 127.0.0.1%lo:25 0.0.0.0:*\n';
  const state = (out: string) => ({ get: () => { throw new Error('listening declares no probe'); }, fact: () => parseListening({ code: 0, stdout: out, stderr: '' }) as never });
  const ctx = {} as never;
  it('parses ss output', () => {
    expect(parseListening({ code: 0, stdout: ss, stderr: '' })).toEqual([
      { address: '0.0.0.0', port: 22 },
      { address: '198.18.0.240', port: 80 },
      { address: '[::]', port: 8080 },
      { address: '127.0.0.1', port: 25 },
    ]);
  });
  it('accepts the VIP itself or all addresses, and says where it did look', () => {
    expect(listeningModule.plan({ port: 80, addresses: ['198.18.0.240'] }, state(ss), ctx).kind).toBe('noop');
    expect(listeningModule.plan({ port: 8080 }, state(ss), ctx).kind).toBe('noop');
    expect(listeningModule.plan({ port: 80 }, state(ss), ctx)).toMatchObject({ kind: 'fail', message: expect.stringContaining('only at 198.18.0.240') });
    expect(listeningModule.plan({ port: 25 }, state(ss), ctx).kind).toBe('fail');
  });
});
