import { describe, expect, it } from 'vitest';
import { normalizeSysctlName, setSysctlConfLine, sysctlConfValues } from '../../src/facts/parsers/sysctl-conf.ts';

const file = '# ARP for LVS-DR\nnet.ipv4.conf.all.arp_ignore=1\n; old\n-net.ipv4.conf.eth0.arp_ignore = 2\nkernel.panic = 10\n';

describe('sysctl.d files', () => {
  it('reads every value of a key in order, with or without the ignore-errors dash', () => {
    expect(sysctlConfValues(file, 'net.ipv4.conf.all.arp_ignore')).toEqual(['1']);
    expect(sysctlConfValues(file, 'net.ipv4.conf.eth0.arp_ignore')).toEqual(['2']);
    expect(sysctlConfValues(null, 'kernel.panic')).toEqual([]);
  });

  it('replaces only its own line, keeping comments and other keys', () => {
    expect(setSysctlConfLine(file, 'net.ipv4.conf.all.arp_ignore', '2')).toBe(
      '# ARP for LVS-DR\nnet.ipv4.conf.all.arp_ignore = 2\n; old\n-net.ipv4.conf.eth0.arp_ignore = 2\nkernel.panic = 10\n',
    );
  });

  it('appends a new key, removes duplicates, removes a key', () => {
    expect(setSysctlConfLine(null, 'a.b', '1')).toBe('a.b = 1\n');
    expect(setSysctlConfLine('x.y = 1', 'a.b', '1')).toBe('x.y = 1\na.b = 1\n');
    expect(setSysctlConfLine('a.b = 1\nx.y = 1\na.b=3\n', 'a.b', '2')).toBe('a.b = 2\nx.y = 1\n');
    expect(setSysctlConfLine(file, 'kernel.panic', null)).toBe(file.replace('kernel.panic = 10\n', ''));
    expect(setSysctlConfLine('a.b = 1\n', 'a.b', null)).toBe('');
  });

  it('understands slash-separated names, where a dot belongs to the interface name', () => {
    expect(normalizeSysctlName('net/ipv4/conf/eth0.100/arp_ignore')).toBe('net.ipv4.conf.eth0/100.arp_ignore');
    expect(normalizeSysctlName('net.ipv4.conf.eth0/100.arp_ignore')).toBe('net.ipv4.conf.eth0/100.arp_ignore');
    expect(sysctlConfValues('net/ipv4/conf/all/arp_announce = 2\n', 'net.ipv4.conf.all.arp_announce')).toEqual(['2']);
  });
});
