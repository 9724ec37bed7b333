import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keepalivedConfigProblems, MANAGED_HEADER, renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import type { KeepalivedArgs, VirtualServer } from '../../src/modules/keepalived-schema.ts';
import { fullArgs, minimalArgs } from './keepalived-args.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keepalived/${name}`, import.meta.url), 'utf8');

describe('renderKeepalivedConfig', () => {
  it.each([
    ['full.conf', fullArgs()],
    ['minimal.conf', minimalArgs()],
  ])('renders %s exactly', (name, args) => {
    expect(renderKeepalivedConfig(args)).toBe(fixture(name));
  });

  it('starts with the managed-by header and always says lb_kind DR', () => {
    const text = renderKeepalivedConfig({ ...minimalArgs(), virtual_servers: [{ ...minimalArgs().virtual_servers[0], lb_kind: 'DR' }] });
    expect(text.split('\n')[0]).toBe(MANAGED_HEADER);
    expect(text).toContain('managed by lvsdr');
    expect(text.match(/lb_kind DR/g)).toHaveLength(1);
  });

  it('does not depend on the order virtual servers, real servers and addresses are listed in', () => {
    const args = fullArgs();
    const reversed: KeepalivedArgs = {
      ...args,
      vrrp: { ...args.vrrp!, virtual_ipaddresses: [...args.vrrp!.virtual_ipaddresses].reverse() },
      virtual_servers: [...args.virtual_servers].reverse().map((vs) => ({ ...vs, real_servers: [...vs.real_servers].reverse() })),
    };
    expect(renderKeepalivedConfig(reversed)).toBe(renderKeepalivedConfig(args));
  });

  it('sorts addresses as numbers, not text', () => {
    const vs: VirtualServer = { vip: '198.18.0.100', port: 80, lb_algo: 'rr', real_servers: [{ ip: '198.18.0.10' }, { ip: '198.18.0.9' }, { ip: '198.18.1.2' }] };
    const order = [...renderKeepalivedConfig({ virtual_servers: [vs] }).matchAll(/real_server (\S+)/g)].map((m) => m[1]);
    expect(order).toEqual(['198.18.0.9', '198.18.0.10', '198.18.1.2']);
  });

  it('renders a weight of 0 and the real server on the virtual server port', () => {
    const text = renderKeepalivedConfig({ virtual_servers: [{ vip: '198.18.0.100', port: 8080, lb_algo: 'wlc', protocol: 'UDP', real_servers: [{ ip: '198.18.0.11', weight: 0 }, { ip: '198.18.0.12' }] }] });
    expect(text).toContain('    real_server 198.18.0.11 8080 {\n        weight 0\n');
    expect(text).toContain('    protocol UDP\n');
  });
});

describe('keepalivedConfigProblems', () => {
  const vs = (over: Partial<VirtualServer>): VirtualServer => ({ vip: '198.18.0.100', port: 80, lb_algo: 'rr', real_servers: [{ ip: '198.18.0.11' }], ...over });
  it.each<[string, KeepalivedArgs, RegExp]>([
    ['a virtual server listed twice', { virtual_servers: [vs({}), vs({})] }, /virtual_server 198\.18\.0\.100 80 TCP is listed twice/],
    ['a real server listed twice', { virtual_servers: [vs({ real_servers: [{ ip: '198.18.0.11' }, { ip: '198.18.0.11', weight: 2 }] })] }, /real server 198\.18\.0\.11 is listed twice/],
    ['a real server port that DR cannot reach', { virtual_servers: [vs({ real_servers: [{ ip: '198.18.0.11', port: 8080 }] })] }, /port 8080, but lb_kind DR keeps the destination port/],
    ['only weight-0 servers', { virtual_servers: [vs({ real_servers: [{ ip: '198.18.0.11', weight: 0 }] })] }, /every real server has weight 0/],
    ['an HTTP path on a TCP check', { virtual_servers: [vs({ real_servers: [{ ip: '198.18.0.11', health_check: { type: 'TCP_CHECK', path: '/' } }] })] }, /TCP_CHECK with path/],
    ['VRRP on loopback', { ...minimalArgs(), vrrp: { ...fullArgs().vrrp!, interface: 'lo' } }, /loopback/],
  ])('refuses %s', (_name, args, message) => {
    expect(keepalivedConfigProblems(args).join('\n')).toMatch(message);
  });

  it('accepts the same VIP and port over TCP and UDP, and a real server port equal to the VIP port', () => {
    expect(keepalivedConfigProblems({ virtual_servers: [vs({ protocol: 'UDP' }), vs({ real_servers: [{ ip: '198.18.0.11', port: 80 }] })] })).toEqual([]);
    expect(keepalivedConfigProblems(fullArgs())).toEqual([]);
  });
});
