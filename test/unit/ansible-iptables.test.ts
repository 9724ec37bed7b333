import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/facts/parsers/iptables-save.ts';
import { ansibleIptablesWords } from '../../src/modules/ansible-iptables-rule.ts';
import { ansibleIptablesModule, type AnsibleIptablesArgs } from '../../src/modules/ansible-iptables.ts';
import { iptablesModule, type IptablesArgs } from '../../src/modules/iptables.ts';
import { probesRead } from '../support/fact-state.ts';
import { IPTABLES_RUNTIME_KEY } from '../support/fact-keys.ts';
import { getModule } from '../../src/modules/registry.ts';
import { applyEffects, commandsOf, ctxFor, stateOf, summaries, validator } from './lvs-helpers.ts';

const VIP = '198.18.0.240';
const REDIRECT: AnsibleIptablesArgs = { table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination: VIP, destination_port: 80, jump: 'REDIRECT', to_ports: 8080, comment: 'lvs vip' };
const ctx = ctxFor('Debian');
const readOf = (a: AnsibleIptablesArgs) => probesRead(ansibleIptablesModule, a, ctx);
const keysOf = (a: AnsibleIptablesArgs) => readOf(a).map((p) => p.key);
const checkKeyOf = (a: AnsibleIptablesArgs) => keysOf(a).find((k) => /^ip6?tables:check:/.test(k))!;
const plan = (a: AnsibleIptablesArgs, values: Record<string, unknown>) => ansibleIptablesModule.plan(a, stateOf(values), ctx);
const problems = (a: Record<string, unknown>) => ansibleIptablesModule.argProblems!(a as AnsibleIptablesArgs).map((p) => p.message);

describe('ansible.builtin.iptables', () => {
  it('builds the words construct_rule of ansible-core 2.14 builds (printed by its own code)', () => {
    expect(ansibleIptablesWords({ ...REDIRECT, match: undefined, destination_ports: undefined, ctstate: undefined, destination_port: '80', to_ports: '8080' })).toEqual(['-p', 'tcp', '-d', VIP, '-j', 'REDIRECT', '--destination-port', '80', '--to-ports', '8080', '-m', 'comment', '--comment', 'lvs vip']);
    expect(ansibleIptablesWords({ protocol: 'tcp', source: '!10.0.0.0/8', destination_ports: ['80', '443'], ctstate: ['NEW', 'ESTABLISHED'], jump: 'ACCEPT', syn: 'match' })).toEqual(
      ['-p', 'tcp', '!', '-s', '10.0.0.0/8', '-j', 'ACCEPT', '-m', 'multiport', '--dports', '80,443', '--syn', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED'],
    );
    expect(ansibleIptablesWords({ match: ['state'], ctstate: ['RELATED'], jump: 'ACCEPT', in_interface: 'eth0', wait: '5' })).toEqual(['-w', '5', '-m', 'state', '-j', 'ACCEPT', '-i', 'eth0', '--state', 'RELATED']);
    expect(
      ansibleIptablesWords({ protocol: 'icmp', icmp_type: 'echo-request', reject_with: 'icmp-host-prohibited', limit: '5/sec', limit_burst: '10', src_range: '1.1.1.1-1.1.1.9', uid_owner: '!0', tcp_flags: { flags: ['SYN', 'ACK'], flags_set: ['SYN'] } }),
    ).toEqual(['-p', 'icmp', '--tcp-flags', 'SYN,ACK', 'SYN', '-m', 'iprange', '--src-range', '1.1.1.1-1.1.1.9', '-m', 'limit', '--limit', '5/sec', '--limit-burst', '10', '-m', 'owner', '!', '--uid-owner', '0', '-j', 'REJECT', '--reject-with', 'icmp-host-prohibited', '--icmp-type', 'echo-request']);
    expect(ansibleIptablesWords({ ip_version: 'ipv6', protocol: 'ipv6-icmp', icmp_type: 'echo-request', jump: 'ACCEPT', log_prefix: 'x' })).toEqual(['-p', 'ipv6-icmp', '-j', 'ACCEPT', '--log-prefix', 'x', '--icmpv6-type', 'echo-request']);
  });

  it('bare iptables and ansible.builtin.iptables are Ansible’s module; lvsdr’s own is lvs_iptables', () => {
    expect(getModule('iptables')).toBe(ansibleIptablesModule);
    expect(getModule('lvs_iptables')).toBe(iptablesModule);
  });

  it('appends after -C says the rule is missing; a second plan on the effects changes nothing', () => {
    const fresh = { [IPTABLES_RUNTIME_KEY]: {}, [checkKeyOf(REDIRECT)]: false };
    const p = plan(REDIRECT, fresh);
    expect(commandsOf(p)).toEqual([`/usr/sbin/iptables -w -t nat -A PREROUTING -p tcp -d ${VIP} -j REDIRECT --destination-port 80 --to-ports 8080 -m comment --comment 'lvs vip'`]);
    expect(p.kind === 'change' && p.result).toMatchObject({ rule: `-p tcp -d ${VIP} -j REDIRECT --destination-port 80 --to-ports 8080 -m comment --comment lvs vip`, table: 'nat', chain: 'PREROUTING', state: 'present' });
    expect(plan(REDIRECT, applyEffects(fresh, p)).kind).toBe('noop');
    const probe = readOf(REDIRECT).find((x) => x.key === checkKeyOf(REDIRECT))!;
    expect(probe.command.text).toContain('-t nat -C PREROUTING -p tcp');
  });

  it('the runtime rule set it leaves is the one lvs_iptables would leave for the same rule (shared check key)', () => {
    const ours: IptablesArgs = { table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination: VIP, dport: 80, jump: 'REDIRECT', persist: false };
    const same: AnsibleIptablesArgs = { table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination: VIP, destination_port: 80, jump: 'REDIRECT' };
    const lvsKey = probesRead(iptablesModule, ours, ctx).map((p) => p.key).find((k) => k.startsWith('iptables:check:'));
    expect(checkKeyOf(same)).toBe(lvsKey);
    const after = applyEffects({ [IPTABLES_RUNTIME_KEY]: {}, [checkKeyOf(same)]: false }, plan(same, { [IPTABLES_RUNTIME_KEY]: {}, [checkKeyOf(same)]: false }));
    const saved = parseIptablesSave(`*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -d ${VIP}/32 -p tcp -m tcp --dport 80 -j REDIRECT\nCOMMIT\n`);
    expect((after[IPTABLES_RUNTIME_KEY] as typeof saved).nat.rules.map((r) => r.key)).toEqual(saved.nat.rules.map((r) => r.key));
  });

  it('insert goes first (or at rule_num); absent deletes one copy, as Ansible does', () => {
    const runtime = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n');
    const web: AnsibleIptablesArgs = { chain: 'INPUT', protocol: 'tcp', destination_port: 80, jump: 'ACCEPT' };
    const dns: AnsibleIptablesArgs = { chain: 'INPUT', protocol: 'udp', destination_port: 53, jump: 'ACCEPT', action: 'insert', rule_num: 2 };
    const ins = plan(dns, { [IPTABLES_RUNTIME_KEY]: runtime, [checkKeyOf(dns)]: false });
    expect(commandsOf(ins)).toEqual(['/usr/sbin/iptables -w -t filter -I INPUT 2 -p udp -j ACCEPT --destination-port 53']);
    const rules = (applyEffects({ [IPTABLES_RUNTIME_KEY]: runtime }, ins)[IPTABLES_RUNTIME_KEY] as typeof runtime).filter.rules.map((r) => r.text);
    expect(rules[1]).toBe('-p udp -j ACCEPT --destination-port 53');
    const del = plan({ ...web, state: 'absent' }, { [IPTABLES_RUNTIME_KEY]: runtime, [checkKeyOf(web)]: true });
    expect(commandsOf(del)).toHaveLength(1);
    const after = applyEffects({ [IPTABLES_RUNTIME_KEY]: runtime, [checkKeyOf(web)]: true }, del);
    expect(after[checkKeyOf(web)]).toBe(true);
    expect(plan({ ...web, state: 'absent' }, after).kind).toBe('change');
  });

  it('policy: read from -L, set with -P; ip_version ipv6 runs ip6tables', () => {
    const drop: AnsibleIptablesArgs = { chain: 'FORWARD', policy: 'DROP' };
    const key = keysOf(drop).find((k) => k.includes(':policy:'))!;
    const p = plan(drop, { [IPTABLES_RUNTIME_KEY]: {}, [key]: 'ACCEPT' });
    expect(summaries(p)).toEqual(['iptables -t filter FORWARD policy ACCEPT → DROP']);
    expect(plan(drop, applyEffects({ [IPTABLES_RUNTIME_KEY]: {}, [key]: 'ACCEPT' }, p)).kind).toBe('noop');
    const six: AnsibleIptablesArgs = { chain: 'INPUT', ip_version: 'ipv6', protocol: 'tcp', destination_port: 22, jump: 'ACCEPT' };
    expect(readOf(six).map((x) => x.command.text)).toEqual(['/usr/sbin/ip6tables-save', '/usr/sbin/ip6tables -w -t filter -C INPUT -p tcp -j ACCEPT --destination-port 22']);
  });

  it('refuses by name what it does not do, and what Ansible refuses', () => {
    const valid = validator(ansibleIptablesModule);
    expect(valid(REDIRECT)).toBe(true);
    expect(valid({ ...REDIRECT, dport: 80 })).toBe(false);
    expect(problems({ chain: 'INPUT', flush: true })).toEqual([expect.stringMatching(/^flush is not supported/)]);
    expect(problems({ chain: 'INPUT', jump: 'ACCEPT', chain_management: true })).toEqual([expect.stringMatching(/^chain_management is not supported/)]);
    expect(problems({ chain: 'FOO', state: 'absent' })).toEqual([expect.stringMatching(/chain deletion/)]);
    expect(problems({ jump: 'ACCEPT' })).toEqual(['Either chain or flush parameter must be specified.']);
    expect(problems({ chain: 'INPUT', jump: 'ACCEPT', log_prefix: 'x' })).toEqual(['Logging options can only be used with the LOG jump target.']);
  });
});
