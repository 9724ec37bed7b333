/** What a change's commands can alter of the probe cache: only that is read again after it. */
import { describe, expect, it } from 'vitest';
import type { CachedRead } from '../../src/core/executor/fact-reads.ts';
import { forgetTouched, reaches } from '../../src/core/executor/state-reach.ts';
import { factKey, type Fact } from '../../src/facts/fact.ts';
import { fileFact, type RemoteFile } from '../../src/facts/file.ts';
import { interfacesFact } from '../../src/facts/interfaces.ts';
import { arptablesRulesFact, iptablesCheckFact, iptablesRulesFact, type NetfilterTool } from '../../src/facts/netfilter.ts';
import { sysctlFact } from '../../src/facts/sysctl.ts';
import { unitFact } from '../../src/facts/unit.ts';
import { sh } from '../../src/shell/quote.ts';

/** A fact as the cache holds it: its key, and what can change it. */
function read<P, T>(fact: Fact<P, T>, param: P, value: T): [string, CachedRead] {
  const changed = fact.changedByWriting?.(param);
  return [factKey(fact, param), { value, ...(changed ? { changedByWriting: (w: string) => changed(w, value) } : {}) }];
}
const reach = (scope: string, [key, cached]: [string, CachedRead]) => reaches(scope, key, cached);

const regular: RemoteFile = { exists: true, type: 'regular file', content: 'x=1\n' };
const link: RemoteFile = { exists: true, type: 'symbolic link' };
const file = (p: string, f = regular) => read(fileFact, p, f);
const tool: NetfilterTool = { command: 'iptables', save: 'iptables-save', restore: 'iptables-restore', variant: 'nft' };
const unit = read(unitFact, 'netfilter-persistent', { exists: true, enabled: true, active: true });
const sysctl = read(sysctlFact, 'net.ipv4.conf.all.arp_ignore', '1');

describe('reaches', () => {
  it('a key reaches itself, a kind every key of it, and nothing else', () => {
    expect(reach('net:interfaces', read(interfacesFact, undefined, []))).toBe(true);
    expect(reach('sysctl:*', read(sysctlFact, 'net.ipv4.conf.eth0.arp_ignore', '1'))).toBe(true);
    expect(reach('sysctl:*', read(iptablesRulesFact, tool, {}))).toBe(false);
    expect(reach('iptables:*', read(iptablesCheckFact, { id: 'nat PREROUTING x', command: sh`true` }, true))).toBe(true);
    expect(reach('net:interfaces', sysctl)).toBe(false);
  });

  it('a file reaches itself, the files above and below it, and its other possible names', () => {
    const written = 'file:/etc/sysctl.d/90-lvsdr.conf';
    expect(reach(written, file('/etc/sysctl.d/90-lvsdr.conf'))).toBe(true);
    expect(reach(written, file('/etc/sysctl.d'))).toBe(true);
    expect(reach('file:/etc/sysctl.d', file('/etc/sysctl.d/90-lvsdr.conf'))).toBe(true);
    expect(reach('file:/etc/sysctl.d/', file('/etc/sysctl.d//90-lvsdr.conf'))).toBe(true);
    // /lib and /usr/lib are one directory on a merged-/usr system.
    expect(reach('file:/usr/lib/systemd/system/x.service', file('/lib/systemd/system/x.service'))).toBe(true);
    // A link may point at the written file; a relative path may be it.
    expect(reach(written, file('/etc/lvs.conf', link))).toBe(true);
    expect(reach(written, file('lvs.conf'))).toBe(true);
    expect(reach('file:conf/x', file('/etc/arptables.rules'))).toBe(true);
    // A sibling, or a file that merely starts with the same name, is another file.
    expect(reach(written, file('/etc/sysctl.d/10-other.conf'))).toBe(false);
    expect(reach(written, file('/etc/arptables.rules'))).toBe(false);
    expect(reach('file:/etc/sysctl', file('/etc/sysctl.d/90-lvsdr.conf'))).toBe(false);
  });

  it('a file reaches the facts read from files of its sort, and facts that do not say', () => {
    for (const unitFile of ['/etc/systemd/system/x.service', '/etc/systemd/system/x.service.d/override.conf', '/opt/app/app.service', '/etc/init.d/app', '/etc/systemd/system']) {
      expect(reach(`file:${unitFile}`, unit)).toBe(true);
    }
    expect(reach('file:/etc/sysctl.d/90-lvsdr.conf', unit)).toBe(false);
    for (const kept of [sysctl, read(iptablesRulesFact, tool, {}), read(arptablesRulesFact, tool, { policies: {}, rules: [] }), read(interfacesFact, undefined, [])]) {
      expect(reach('file:/etc/iptables/rules.v4', kept)).toBe(false);
    }
    for (const unknown of ['daemon:keepalived', 'wait_for:path /run/x', 'novel:kind']) {
      expect(reaches('file:/etc/iptables/rules.v4', unknown, { value: 1 })).toBe(true);
    }
  });
});

describe('forgetTouched', () => {
  const cached = () =>
    new Map<string, CachedRead>(
      [sysctl, file('/etc/sysctl.d/90-lvsdr.conf'), file('/etc/arptables.rules'), read(iptablesRulesFact, tool, {}), unit].map(([key, r]) => [`${key}\0cmd`, r]),
    );
  const keys = (m: Map<string, CachedRead>) => [...m.keys()].map((id) => id.split('\0')[0]);

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
