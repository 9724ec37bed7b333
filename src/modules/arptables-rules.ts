/** The arptables rule a task asks for, and rule sets as they will be once it is applied. */
import { canonicalKey } from '../facts/parsers/rule-words.ts';
import { keepLastCopy } from './rule-copies.ts';
import { arptablesChain, normalizeArptablesArgs, type ArptablesRule, type ArptablesRuleSet } from '../facts/parsers/arptables-save.ts';

export interface ArptablesRuleArgs {
  chain: 'IN' | 'OUT' | 'INPUT' | 'OUTPUT';
  destination?: string;
  source?: string;
  in_interface?: string;
  out_interface?: string;
  target: 'DROP' | 'ACCEPT' | 'mangle';
  mangle_ip_s?: string;
}

/** The rule's words in the guide's order (`-d VIP -j DROP`), ready for `-A`, `-C` and `-D`. */
export function arptablesRuleWords(args: ArptablesRuleArgs, mangleSource: string | undefined): string[] {
  return [
    ...(args.in_interface ? ['-i', args.in_interface] : []),
    ...(args.out_interface ? ['-o', args.out_interface] : []),
    ...(args.source ? ['-s', args.source] : []),
    ...(args.destination ? ['-d', args.destination] : []),
    '-j',
    args.target,
    ...(args.target === 'mangle' && mangleSource ? ['--mangle-ip-s', mangleSource] : []),
  ];
}

export function arptablesRule(args: ArptablesRuleArgs, mangleSource: string | undefined): ArptablesRule {
  const words = arptablesRuleWords(args, mangleSource);
  return { chain: arptablesChain(args.chain), ...normalizeArptablesArgs(words), text: words.join(' ') };
}

export const sameRule = (a: ArptablesRule, b: ArptablesRule): boolean => a.chain === b.chain && a.key === b.key;

export function withRule(set: ArptablesRuleSet, rule: ArptablesRule): ArptablesRuleSet {
  return { policies: { INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', ...set.policies }, rules: [...set.rules, rule] };
}

/** The set with one copy of `rule`, where `-D` leaves it: it deletes the first copy each time. */
export function withOneRule(set: ArptablesRuleSet, rule: ArptablesRule): ArptablesRuleSet {
  return { policies: set.policies, rules: keepLastCopy(set.rules, (r) => sameRule(r, rule)) };
}

export function withoutRule(set: ArptablesRuleSet, rule: ArptablesRule): ArptablesRuleSet {
  return { policies: set.policies, rules: set.rules.filter((r) => !sameRule(r, rule)) };
}

export function isEmptyRuleSet(set: ArptablesRuleSet): boolean {
  return set.rules.length === 0 && Object.values(set.policies).every((p) => p === 'ACCEPT');
}

/** What arptables-save prints for the set (without its date comments): the predicted saved file. */
export function renderArptablesSave(set: ArptablesRuleSet): string {
  const chains = Object.keys(set.policies).length > 0 ? Object.keys(set.policies) : ['INPUT', 'OUTPUT'];
  const extra = [...new Set(set.rules.map((r) => r.chain))].filter((c) => !chains.includes(c));
  const lines = ['*filter', ...chains.map((c) => `:${c} ${set.policies[c] ?? 'ACCEPT'}`)];
  for (const chain of [...chains, ...extra]) {
    for (const r of set.rules.filter((x) => x.chain === chain)) lines.push(`-A ${chain} ${r.text}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An INPUT rule that drops ARP for `vip`, whatever interface it is limited to. */
export function dropsArpFor(set: ArptablesRuleSet, vip: string): boolean {
  const wanted = normalizeArptablesArgs(['-d', vip, '-j', 'DROP']).key;
  return set.rules.some((r) => r.chain === 'INPUT' && canonicalKey(r.groups.filter((g) => g.option !== '-i')) === wanted);
}
