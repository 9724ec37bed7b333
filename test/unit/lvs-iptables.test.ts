import { probesRead } from '../support/fact-state.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/facts/parsers/iptables-save.ts';
import { iptablesModule, type IptablesArgs } from '../../src/modules/iptables.ts';
import { IP6TABLES_RUNTIME_KEY, IPTABLES_RUNTIME_KEY, serviceKey } from '../support/fact-keys.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import { absent, applyEffects, changesOf, commandsOf, ctxFor, files, HOSTILE, regular, SMUGGLED, stateOf, summaries, unit, validator } from './lvs-helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const VIP = '198.18.0.100';
const HTTP: IptablesArgs = { table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination: VIP, dport: 80, jump: 'REDIRECT' };
const layouts = {
  Debian: { file: '/etc/iptables/rules.v4', unit: 'netfilter-persistent.service' },
  RedHat: { file: '/etc/sysconfig/iptables', unit: 'iptables.service' },
} as const;
const checkKeyOf = (args: IptablesArgs) => probesRead(iptablesModule, args, ctxFor('Debian')).map((p) => p.key).find((k) => k.startsWith('iptables:check:'))!;

function fresh(family: 'Debian' | 'RedHat', args: IptablesArgs = HTTP): Record<string, unknown> {
  return { [IPTABLES_RUNTIME_KEY]: {}, [checkKeyOf(args)]: false, ...files({ [layouts[family].file]: absent }), [serviceKey(layouts[family].unit)]: unit(false) };
}
const plan = (args: IptablesArgs, values: Record<string, unknown>, family: 'Debian' | 'RedHat' = 'Debian') => iptablesModule.plan(args, stateOf(values), ctxFor(family));

describe('iptables module', () => {
  for (const family of ['Debian', 'RedHat'] as const) {
    it(`${family}: adds the REDIRECT rule (checked with -C), saves the rules, enables the restore unit`, () => {
      const { file, unit: restoreUnit } = layouts[family];
      const p = plan(HTTP, fresh(family), family);
      expect(summaries(p)).toEqual([
        `add iptables rule -t nat PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT`,
        `save iptables rules to ${file} (not saved yet)`,
        `enable ${restoreUnit}`,
      ]);
      expect(commandsOf(p)[0]).toBe(`/usr/sbin/iptables -w -t nat -A PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT`);
      expect(commandsOf(p)[2]).toMatch(/^tmp=.*umask 0177 && out=\$\(\/usr\/sbin\/iptables-save\) && printf '%s\\n' "\$out" \| dd of="\$tmp" bs=65536 conv=excl,fsync status=none && mv/);
      const saved = changesOf(p)[1].effects[fileKey(file)] as RemoteFile;
      expect(saved.mode).toBe('600');
      const after = applyEffects(fresh(family), p);
      expect(plan(HTTP, after, family)).toEqual({
        kind: 'noop',
        reason: `iptables rule -t nat PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT present; saved in ${file}; ${restoreUnit} enabled`,
      });
    });
  }

  it('the -C probe uses the same words as the rule it would add', () => {
    const probe = probesRead(iptablesModule, HTTP, ctxFor('Debian')).find((p) => p.key.startsWith('iptables:check:'))!;
    expect(probe.command.text).toBe(`/usr/sbin/iptables -w -t nat -C PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT`);
    expect(probe.parse({ code: 1, stdout: '', stderr: 'iptables: Bad rule' })).toBe(false);
    expect(() => probe.parse({ code: 2, stdout: '', stderr: "Couldn't load match `tcp'" })).toThrow(/load match/);
  });

  it('no-op when the saved file matches the runtime rules semantically', () => {
    const runtime = parseIptablesSave(fixture('iptables-save-nft.txt'));
    const values = { [IPTABLES_RUNTIME_KEY]: runtime, [checkKeyOf(HTTP)]: true, ...files({ [layouts.Debian.file]: regular(fixture('iptables-save-nft.txt').replaceAll('[0:0]', '[12:720]')) }), [serviceKey(layouts.Debian.unit)]: unit(true) };
    expect(plan(HTTP, values).kind).toBe('noop');
  });

  it('repairs drift: rule running, saved file without it', () => {
    const runtime = parseIptablesSave(fixture('iptables-save-nft.txt'));
    const values = { [IPTABLES_RUNTIME_KEY]: runtime, [checkKeyOf(HTTP)]: true, ...files({ [layouts.RedHat.file]: regular('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n', '600') }), [serviceKey(layouts.RedHat.unit)]: unit(true) };
    const p = plan(HTTP, values, 'RedHat');
    expect(summaries(p)).toEqual([`save iptables rules to ${layouts.RedHat.file} (saved rules differ from the running ones)`]);
    // An existing file keeps its mode, as probed: created with it, no chmod.
    expect(commandsOf(p)[0]).toContain('umask 0177 ');
    expect(commandsOf(p)[0]).not.toContain('chmod');
  });

  it('REDIRECT to another port, and udp', () => {
    const dns: IptablesArgs = { ...HTTP, protocol: 'udp', dport: 53, to_ports: 5353 };
    const values = { [IPTABLES_RUNTIME_KEY]: parseIptablesSave(fixture('iptables-save-legacy.txt')), [checkKeyOf(dns)]: true, ...files({ [layouts.Debian.file]: regular(fixture('iptables-save-legacy.txt')) }), [serviceKey(layouts.Debian.unit)]: unit(true) };
    expect(plan(dns, values)).toMatchObject({ kind: 'noop' });
  });

  it('absent deletes every copy and saves', () => {
    const http = `-A PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT\n`;
    const twice = parseIptablesSave(fixture('iptables-save-legacy.txt').replace(http, `${http}${http}`));
    expect(twice.nat.rules).toHaveLength(3);
    const values = { [IPTABLES_RUNTIME_KEY]: twice, [checkKeyOf(HTTP)]: true, ...files({ [layouts.Debian.file]: regular(fixture('iptables-save-legacy.txt')) }), [serviceKey(layouts.Debian.unit)]: unit(true) };
    const p = plan({ ...HTTP, state: 'absent' }, values);
    expect(commandsOf(p).filter((c) => c.includes(' -D '))).toHaveLength(2);
    expect(summaries(p)[1]).toBe(`save iptables rules to ${layouts.Debian.file} (rules changed)`);
    expect((changesOf(p)[1].diff as { after: string }).after).toContain('-A PREROUTING -d 198.18.0.100/32 -p udp -m udp --dport 53 -j REDIRECT --to-ports 5353');
    expect((changesOf(p)[1].diff as { after: string }).after).not.toContain('--dport 80');
  });

  it('absent on a host that never saved rules writes no file', () => {
    expect(plan({ ...HTTP, state: 'absent' }, fresh('RedHat'), 'RedHat')).toEqual({
      kind: 'noop',
      reason: `iptables rule -t nat PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT absent; not in /etc/sysconfig/iptables`,
    });
  });

  it('fails with the package to install when the restore unit is missing', () => {
    const values = { ...fresh('Debian'), [serviceKey(layouts.Debian.unit)]: unit(false, false) };
    expect(plan(HTTP, values)).toEqual({
      kind: 'fail',
      message: 'netfilter-persistent.service, which restores /etc/iptables/rules.v4 at boot, is not installed: install it: apt-get install iptables-persistent netfilter-persistent',
    });
  });

  it('refuses a chain the table does not have and REDIRECT outside nat', () => {
    expect(plan({ ...HTTP, table: 'filter' }, fresh('Debian'))).toMatchObject({ kind: 'fail', message: 'the filter table has no PREROUTING chain (it has INPUT, FORWARD, OUTPUT)' });
    expect(plan({ ...HTTP, table: 'mangle' }, fresh('Debian'))).toMatchObject({ kind: 'fail', message: expect.stringMatching(/REDIRECT works only in the nat table/) });
  });

  it('schema: refuses hostile values, bad ports, to_ports without REDIRECT, dport without protocol', () => {
    const valid = validator(iptablesModule);
    expect(valid(HTTP)).toBe(true);
    expect(valid({ ...HTTP, to_ports: 8080 })).toBe(true);
    for (const h of [...HOSTILE, SMUGGLED]) {
      expect(valid({ ...HTTP, destination: h })).toBe(false);
      expect(valid({ ...HTTP, in_interface: h })).toBe(false);
      expect(valid({ ...HTTP, chain: h })).toBe(false);
      expect(valid({ ...HTTP, table: h })).toBe(false);
      expect(valid({ ...HTTP, unit: `${h}.service` })).toBe(false);
    }
    for (const port of [0, 65536, '80', 80.5, -1]) expect(valid({ ...HTTP, dport: port })).toBe(false);
    expect(valid({ ...HTTP, jump: 'ACCEPT', to_ports: 8080 })).toBe(false);
    const { protocol: _p, ...noProtocol } = HTTP;
    expect(valid(noProtocol)).toBe(false);
  });

  it("a director's fwmark rule: mangle PREROUTING MARK, in the words iptables-save prints, so a saved set compares equal", () => {
    const mark: IptablesArgs = { table: 'mangle', chain: 'PREROUTING', protocol: 'tcp', destination: '198.18.0.102', dport: 443, jump: 'MARK', set_mark: 7 };
    const p = plan(mark, fresh('Debian', mark));
    expect(summaries(p)).toEqual([
      'add iptables rule -t mangle PREROUTING -d 198.18.0.102/32 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x7/0xffffffff',
      `save iptables rules to ${layouts.Debian.file} (not saved yet)`,
      `enable ${layouts.Debian.unit}`,
    ]);
    const saved = fixture('iptables-save-mangle-mark.txt');
    const values = { [IPTABLES_RUNTIME_KEY]: parseIptablesSave(saved), [checkKeyOf(mark)]: true, ...files({ [layouts.Debian.file]: regular(saved) }), [serviceKey(layouts.Debian.unit)]: unit(true) };
    expect(plan(mark, values)).toMatchObject({ kind: 'noop' });
    expect(plan({ ...mark, dport: 53, protocol: 'udp', set_mark: 300, destination: '198.18.0.103' }, { ...values, [checkKeyOf({ ...mark, dport: 53, protocol: 'udp', set_mark: 300, destination: '198.18.0.103' })]: true })).toMatchObject({ kind: 'noop' });
    expect(plan({ ...mark, table: 'nat' }, fresh('Debian', { ...mark, table: 'nat' }))).toEqual({ kind: 'fail', message: 'MARK works only in the mangle table' });
    const valid = validator(iptablesModule);
    expect(valid(mark)).toBe(true);
    expect(valid({ ...mark, set_mark: undefined })).toBe(false);
    expect(valid({ ...mark, set_mark: 0 })).toBe(false);
    expect(valid({ ...HTTP, set_mark: 7 })).toBe(false);
  });
});

describe('iptables module, IPv6: an ip6tables rule saved where IPv6 rules are restored from', () => {
  const VIP6 = 'fd00::198:18:0:240';
  const HTTP6: IptablesArgs = { ...HTTP, destination: VIP6 };
  const layouts6 = {
    Debian: { file: '/etc/iptables/rules.v6', unit: 'netfilter-persistent.service' },
    RedHat: { file: '/etc/sysconfig/ip6tables', unit: 'ip6tables.service' },
  } as const;
  const check6 = (args: IptablesArgs) => probesRead(iptablesModule, args, ctxFor('Debian')).map((p) => p.key).find((k) => k.startsWith('ip6tables:check:'))!;
  const fresh6 = (family: 'Debian' | 'RedHat'): Record<string, unknown> => ({
    [IP6TABLES_RUNTIME_KEY]: {},
    [check6(HTTP6)]: false,
    ...files({ [layouts6[family].file]: absent }),
    [serviceKey(layouts6[family].unit)]: unit(false),
  });

  for (const family of ['Debian', 'RedHat'] as const) {
    it(`${family}: ip6tables -A, ip6tables-save to ${layouts6[family].file}, its restore unit enabled; a second pass plans nothing`, () => {
      const { file, unit: restoreUnit } = layouts6[family];
      const p = plan(HTTP6, fresh6(family), family);
      expect(summaries(p)).toEqual([
        `add ip6tables rule -t nat PREROUTING -d ${VIP6}/128 -p tcp -m tcp --dport 80 -j REDIRECT`,
        `save ip6tables rules to ${file} (not saved yet)`,
        `enable ${restoreUnit}`,
      ]);
      expect(commandsOf(p)[0]).toBe(`/usr/sbin/ip6tables -w -t nat -A PREROUTING -d ${VIP6}/128 -p tcp -m tcp --dport 80 -j REDIRECT`);
      expect(commandsOf(p)[2]).toContain('out=$(/usr/sbin/ip6tables-save)');
      expect(plan(HTTP6, applyEffects(fresh6(family), p), family).kind).toBe('noop');
    });
  }

  it('the -C probe is ip6tables with the words ip6tables-save prints; a captured save with the rule is a no-op', () => {
    const probe = probesRead(iptablesModule, { ...HTTP6, destination: 'FD00:0::198:18:0:240' }, ctxFor('Debian')).find((p) => p.key.startsWith('ip6tables:check:'))!;
    expect(probe.command.text).toBe(`/usr/sbin/ip6tables -w -t nat -C PREROUTING -d ${VIP6}/128 -p tcp -m tcp --dport 80 -j REDIRECT`);
    const saved = fixture('ip6tables-save-nft.txt');
    const values = { [IP6TABLES_RUNTIME_KEY]: parseIptablesSave(saved), [check6(HTTP6)]: true, ...files({ '/etc/iptables/rules.v6': regular(saved) }), [serviceKey('netfilter-persistent.service')]: unit(true) };
    expect(plan(HTTP6, values)).toEqual({
      kind: 'noop',
      reason: `ip6tables rule -t nat PREROUTING -d ${VIP6}/128 -p tcp -m tcp --dport 80 -j REDIRECT present; saved in /etc/iptables/rules.v6; netfilter-persistent.service enabled`,
    });
  });

  it('leaves the IPv4 rules and rules.v4 alone', () => {
    const p = plan(HTTP6, fresh6('Debian'));
    expect(changesOf(p).flatMap((c) => Object.keys(c.effects))).not.toContain(IPTABLES_RUNTIME_KEY);
    expect(commandsOf(p).join('\n')).not.toMatch(/rules\.v4|sbin\/iptables(-save)?\b/);
  });

  it('ip_version: ipv6 without a destination is ip6tables; one that contradicts the destination is refused', () => {
    expect(probesRead(iptablesModule, { table: 'filter', chain: 'INPUT', jump: 'ACCEPT', ip_version: 'ipv6' }, ctxFor('Debian')).some((p) => p.key.startsWith('ip6tables:check:'))).toBe(true);
    expect(plan({ ...HTTP6, ip_version: 'ipv4' }, fresh6('Debian'))).toEqual({
      kind: 'fail',
      message: `ip_version ipv4 with destination ${VIP6}, an IPv6 address: one rule is of one family`,
    });
    expect(validator(iptablesModule)({ ...HTTP6, ip_version: 'ipv7' })).toBe(false);
    expect(validator(iptablesModule)({ ...HTTP6, destination: 'fd00::1 -j ACCEPT' })).toBe(false);
  });
});
