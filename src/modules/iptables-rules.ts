/** The iptables rule a task asks for, and rule sets as they will be once it is applied. */
import { canonicalAddress } from './address-order.ts';
import { keepLastCopy } from './rule-copies.ts';
import { withPrefix } from '../facts/parsers/rule-words.ts';
import { normalizeIptablesArgs, type IptablesRule, type IptablesRuleSet } from '../facts/parsers/iptables-save.ts';

export type IptablesTableName = 'filter' | 'nat' | 'mangle' | 'raw';
export type IptablesChainName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface IptablesRuleArgs {
  table?: IptablesTableName;
  chain: IptablesChainName;
  protocol?: 'tcp' | 'udp';
  destination?: string;
  dport?: number;
  in_interface?: string;
  jump: 'REDIRECT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'MARK';
  to_ports?: number;
  /** MARK's value (a director's `virtual_server fwmark N` takes the traffic marked N). */
  set_mark?: number;
}

/** The built-in chains of each table; a rule in any other pairing is refused before it is sent. */
export const TABLE_CHAINS: Record<IptablesTableName, IptablesChainName[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

/** The rule's words in iptables-save's own order, so the predicted saved file reads like the real one. */
export function iptablesRuleWords(args: IptablesRuleArgs): string[] {
  return [
    // ip6tables-save prints an IPv6 address as the kernel does, /128 after it
    ...(args.destination ? ['-d', withPrefix(canonicalAddress(args.destination))] : []),
    ...(args.in_interface ? ['-i', args.in_interface] : []),
    ...(args.protocol ? ['-p', args.protocol, '-m', args.protocol] : []),
    ...(args.dport !== undefined ? ['--dport', String(args.dport)] : []),
    '-j',
    args.jump,
    ...(args.to_ports !== undefined ? ['--to-ports', String(args.to_ports)] : []),
    // `--set-mark N` is saved as `--set-xmark 0xN/0xffffffff`: written that way, -C and the saved file compare alike.
    ...(args.set_mark !== undefined ? ['--set-xmark', `0x${args.set_mark.toString(16)}/0xffffffff`] : []),
  ];
}

export function iptablesRule(args: IptablesRuleArgs): IptablesRule {
  return ruleFromWords(args.table ?? 'filter', args.chain, iptablesRuleWords(args));
}

/** A rule from the words a command gives it; `-w [SECONDS]` is how the command waits, not part of the rule. */
export function ruleFromWords(table: string, chain: string, words: readonly string[]): IptablesRule {
  const wait = words[0] === '-w' ? (/^\d+$/.test(words[1] ?? '') ? 2 : 1) : 0;
  const rest = words.slice(wait);
  return { table, chain, ...normalizeIptablesArgs(rest), text: rest.join(' ') };
}

const same = (a: IptablesRule, b: IptablesRule): boolean => a.table === b.table && a.chain === b.chain && a.key === b.key;

export function countRule(set: IptablesRuleSet, rule: IptablesRule): number {
  return (set[rule.table]?.rules ?? []).filter((r) => same(r, rule)).length;
}

export function withIptablesRule(set: IptablesRuleSet, rule: IptablesRule): IptablesRuleSet {
  return withIptablesRuleAt(set, rule, undefined);
}

/** The set with `rule` at index `at` of its chain's rules (`-I CHAIN at+1`), or after them (`-A`). */
export function withIptablesRuleAt(set: IptablesRuleSet, rule: IptablesRule, at: number | undefined): IptablesRuleSet {
  const table = set[rule.table] ?? {
    chains: Object.fromEntries((TABLE_CHAINS[rule.table as IptablesTableName] ?? []).map((c) => [c, 'ACCEPT'])),
    rules: [],
  };
  const inChain = table.rules.filter((r) => r.chain === rule.chain);
  const before = at === undefined || at >= inChain.length ? undefined : inChain[at];
  const index = before === undefined ? table.rules.length : table.rules.indexOf(before);
  return { ...set, [rule.table]: { chains: table.chains, rules: [...table.rules.slice(0, index), rule, ...table.rules.slice(index)] } };
}

/** The set after one `-D`: the first copy of `rule` gone. */
export function withOneCopyLess(set: IptablesRuleSet, rule: IptablesRule): IptablesRuleSet {
  const table = set[rule.table];
  const first = table?.rules.findIndex((r) => same(r, rule)) ?? -1;
  if (!table || first < 0) return set;
  return { ...set, [rule.table]: { chains: table.chains, rules: table.rules.filter((_, i) => i !== first) } };
}

/** The set with one copy of `rule`, where `-D` leaves it. */
export function withOneIptablesRule(set: IptablesRuleSet, rule: IptablesRule): IptablesRuleSet {
  const table = set[rule.table];
  if (!table) return set;
  return { ...set, [rule.table]: { chains: table.chains, rules: keepLastCopy(table.rules, (r) => same(r, rule)) } };
}

export function withoutIptablesRule(set: IptablesRuleSet, rule: IptablesRule): IptablesRuleSet {
  const table = set[rule.table];
  if (!table) return set;
  return { ...set, [rule.table]: { chains: table.chains, rules: table.rules.filter((r) => !same(r, rule)) } };
}

/** What iptables-save prints for the set, without its comments: the predicted saved file. */
export function renderIptablesSave(set: IptablesRuleSet): string {
  const lines: string[] = [];
  for (const [name, table] of Object.entries(set)) {
    lines.push(`*${name}`);
    for (const [chain, policy] of Object.entries(table.chains)) lines.push(`:${chain} ${policy} [0:0]`);
    const chains = [...new Set([...Object.keys(table.chains), ...table.rules.map((r) => r.chain)])];
    for (const chain of chains) {
      for (const r of table.rules.filter((x) => x.chain === chain)) lines.push(`-A ${chain} ${r.text}`);
    }
    lines.push('COMMIT');
  }
  return `${lines.join('\n')}\n`;
}
