/**
 * A fwmark service and the director's rule that marks its traffic: refused at validation without
 * one, installed only once the iptables module's rule is in place (in check mode: as that task
 * would leave it, through the same `iptables -C` state key).
 */
import { describe, expect, it } from 'vitest';
import { iptablesModule } from '../../src/modules/iptables.ts';
import { keepalivedDaemonKey } from '../../src/modules/keepalived-commands.ts';
import { markRuleArgs, type FwmarkRule } from '../../src/modules/keepalived-marks.ts';
import type { KeepalivedArgs } from '../../src/modules/keepalived-schema.ts';
import { keepalivedModule } from '../../src/modules/keepalived.ts';
import { probesRead } from '../support/fact-state.ts';
import { IPTABLES_RUNTIME_KEY, serviceKey } from '../support/fact-keys.ts';
import { absent, applyEffects, ctxFor, files, stateOf, summaries, unit } from './lvs-helpers.ts';

const RULE: FwmarkRule = { fwmark: 7, destination: '198.18.0.102', protocol: 'tcp', dport: 443 };
const args = (over: Partial<KeepalivedArgs> = {}): KeepalivedArgs => ({
  virtual_servers: [{ fwmark: 7, lvs_sched: 'wlc', real_servers: [{ ip: '198.18.0.11' }] }],
  fwmark_rules: [RULE],
  ...over,
});
const ctx = ctxFor('Debian');
const checkKey = probesRead(iptablesModule, markRuleArgs(RULE), ctx).find((p) => p.key.startsWith('iptables:check:'))!.key;
const director = (marked: boolean) => ({ ...files({ '/etc/keepalived/keepalived.conf': absent, '/etc/iptables/rules.v4': absent }), [keepalivedDaemonKey]: 'unit', [checkKey]: marked });

describe('fwmark services and their mark rules', () => {
  it('reads the rule as the iptables module does (same -C command, same state key)', () => {
    const known = Object.fromEntries(Object.entries(director(false)).filter(([k]) => k !== checkKey));
    const probe = probesRead(keepalivedModule, args(), ctx, known).find((p) => p.key === checkKey)!;
    expect(probe.command.text).toBe('/usr/sbin/iptables -w -t mangle -C PREROUTING -d 198.18.0.102/32 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x7/0xffffffff');
  });

  it('does not install a fwmark service until its traffic is marked; once the iptables task has run (or would have), it does', () => {
    expect(keepalivedModule.plan(args(), stateOf(director(false)), ctx)).toEqual({
      kind: 'fail',
      message: expect.stringMatching(/^the director does not mark this traffic yet, so its fwmark services would receive none: 198\.18\.0\.102 tcp\/443 → mark 7; put the iptables task/),
    });
    // The check-mode chain: the iptables task's effects are what the keepalived task plans on.
    const iptables = iptablesModule.plan(markRuleArgs(RULE), stateOf({ ...director(false), [IPTABLES_RUNTIME_KEY]: {}, [serviceKey('netfilter-persistent.service')]: unit(false) }), ctx);
    const after = applyEffects(director(false), iptables);
    expect(summaries(keepalivedModule.plan(args(), stateOf(after), ctx))[0]).toMatch(/^create \/etc\/keepalived\/keepalived\.conf/);
  });

  it('needs iptables on the director only when there are fwmark rules', () => {
    const bare = ctxFor('Debian', { tools: {} });
    expect(keepalivedModule.plan(args(), stateOf(director(true)), bare)).toMatchObject({ kind: 'fail', message: expect.stringContaining('install the iptables package') });
    expect(probesRead(keepalivedModule, { virtual_servers: [] }, bare)).toHaveLength(2);
  });

  it.each<[string, KeepalivedArgs, string, RegExp]>([
    ['a fwmark service no rule marks for', args({ fwmark_rules: [] }), '/virtual_servers/0/fwmark', /fwmark 7: no fwmark_rules entry marks traffic 7, so this service would receive nothing/],
    ['a group mark no rule marks for', args({ virtual_server_groups: [{ name: 'web', members: ['fwmark 9'] }], virtual_servers: [{ group: 'web', lvs_sched: 'rr', real_servers: [{ ip: '198.18.0.11' }] }], fwmark_rules: [] }), '/virtual_servers/0/group', /fwmark 9: no fwmark_rules entry/],
    ['a rule for a mark no service takes', args({ fwmark_rules: [RULE, { ...RULE, fwmark: 8 }] }), '/fwmark_rules/1/fwmark', /mark 8: no virtual_server takes mark 8/],
    ['an IPv6 fwmark service (iptables marks IPv4 only)', args({ virtual_servers: [{ fwmark: 7, lvs_sched: 'rr', real_servers: [{ ip: 'fd00::11' }] }] }), '/virtual_servers/0/fwmark', /its real servers are IPv6/],
  ])('refuses %s at validation, at the argument', (_name, a, path, message) => {
    const problems = keepalivedModule.argProblems!(a);
    expect(problems.map((p) => p.path)).toContain(path);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });
});
