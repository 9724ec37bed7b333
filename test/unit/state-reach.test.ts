/** What a change's commands can alter of the probe cache: only that is read again after it. */
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../src/connection/types.ts';
import { forgetTouched, reaches } from '../../src/core/executor/state-reach.ts';
import { sh } from '../../src/shell/quote.ts';

const file: ExecResult = { code: 0, stdout: 'regular file|644|root|root|3\ninline\nx=1\n', stderr: '' };
const link: ExecResult = { code: 0, stdout: 'symbolic link|777|root|root|12\ninline\nx=1\n', stderr: '' };
const other: ExecResult = { code: 0, stdout: '1\n', stderr: '' };

describe('reaches', () => {
  it('a key reaches itself, a kind every key of it, and nothing else', () => {
    expect(reaches('net:interfaces', 'net:interfaces', other)).toBe(true);
    expect(reaches('sysctl:*', 'sysctl:net.ipv4.conf.eth0.arp_ignore', other)).toBe(true);
    expect(reaches('sysctl:*', 'iptables:runtime', other)).toBe(false);
    expect(reaches('iptables:*', 'iptables:check:nat PREROUTING x', other)).toBe(true);
    expect(reaches('net:interfaces', 'sysctl:net.ipv4.conf.all.arp_ignore', other)).toBe(false);
  });

  it('a file reaches itself, the files above and below it, and its other possible names', () => {
    const written = 'file:/etc/sysctl.d/90-lvsdr.conf';
    expect(reaches(written, 'file:/etc/sysctl.d/90-lvsdr.conf', file)).toBe(true);
    expect(reaches(written, 'file:/etc/sysctl.d', file)).toBe(true);
    expect(reaches('file:/etc/sysctl.d', 'file:/etc/sysctl.d/90-lvsdr.conf', file)).toBe(true);
    expect(reaches('file:/etc/sysctl.d/', 'file:/etc/sysctl.d//90-lvsdr.conf', file)).toBe(true);
    // /lib and /usr/lib are one directory on a merged-/usr system.
    expect(reaches('file:/usr/lib/systemd/system/x.service', 'file:/lib/systemd/system/x.service', file)).toBe(true);
    // A link may point at the written file; a relative path may be it.
    expect(reaches(written, 'file:/etc/lvs.conf', link)).toBe(true);
    expect(reaches(written, 'file:lvs.conf', file)).toBe(true);
    expect(reaches('file:conf/x', 'file:/etc/arptables.rules', file)).toBe(true);
    // A sibling, or a file that merely starts with the same name, is another file.
    expect(reaches(written, 'file:/etc/sysctl.d/10-other.conf', file)).toBe(false);
    expect(reaches(written, 'file:/etc/arptables.rules', file)).toBe(false);
    expect(reaches('file:/etc/sysctl', 'file:/etc/sysctl.d/90-lvsdr.conf', file)).toBe(false);
  });

  it('a file reaches the state read from files of its sort, and state of kinds it cannot say', () => {
    for (const unitFile of ['/etc/systemd/system/x.service', '/etc/systemd/system/x.service.d/override.conf', '/opt/app/app.service', '/etc/init.d/app', '/etc/systemd/system']) {
      expect(reaches(`file:${unitFile}`, 'service:netfilter-persistent', other)).toBe(true);
    }
    expect(reaches('file:/etc/sysctl.d/90-lvsdr.conf', 'service:netfilter-persistent', other)).toBe(false);
    expect(reaches('file:/etc/firewalld/direct.xml', 'firewalld:direct:permanent', other)).toBe(true);
    expect(reaches('file:/etc/iptables/rules.v4', 'firewalld:direct:permanent', other)).toBe(false);
    for (const kept of ['sysctl:net.ipv4.conf.all.arp_ignore', 'iptables:runtime', 'arptables:runtime', 'net:interfaces', 'listening:tcp']) {
      expect(reaches('file:/etc/iptables/rules.v4', kept, other)).toBe(false);
    }
    for (const unknown of ['daemon:keepalived', 'wait_for:path /run/x', 'novel:kind']) {
      expect(reaches('file:/etc/iptables/rules.v4', unknown, other)).toBe(true);
    }
  });
});

describe('forgetTouched', () => {
  const cached = () =>
    new Map<string, ExecResult>([
      ['sysctl:net.ipv4.conf.all.arp_ignore\0sysctl -e …', other],
      ['file:/etc/sysctl.d/90-lvsdr.conf\0find …', file],
      ['file:/etc/arptables.rules\0find …', file],
      ['iptables:runtime\0iptables-save', other],
      ['service:netfilter-persistent\0systemctl …', other],
    ]);
  const keys = (m: Map<string, ExecResult>) => [...m.keys()].map((id) => id.split('\0')[0]);

  it('drops what the commands can reach and keeps the rest', () => {
    const cache = cached();
    forgetTouched(cache, [
      { command: sh`sysctl -w x=1`, touches: ['sysctl:*'] },
      { command: sh`dd …`, stdin: 'x', touches: ['file:/etc/sysctl.d/90-lvsdr.conf'] },
    ]);
    expect(keys(cache)).toEqual(['file:/etc/arptables.rules', 'iptables:runtime', 'service:netfilter-persistent']);
  });

  it('drops everything when a command does not say what it touches', () => {
    const cache = cached();
    forgetTouched(cache, [{ command: sh`iptables -A x`, touches: ['iptables:*'] }, { command: sh`systemctl restart x` }]);
    expect(cache.size).toBe(0);
  });
});
