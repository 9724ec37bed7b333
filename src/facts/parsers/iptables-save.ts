/** `iptables-save` output (iptables-nft and legacy print the same format). */
import { canonicalKey, groupOptions, splitRuleWords, withPrefix, type OptionGroup } from './rule-words.ts';

export interface IptablesRule {
  table: string;
  chain: string;
  groups: OptionGroup[];
  key: string;
  /** The rule's words after `-A CHAIN`, as the tool printed them. */
  text: string;
}

export interface IptablesTable {
  /** Chain → policy; user-defined chains have the policy '-'. */
  chains: Record<string, string>;
  rules: IptablesRule[];
}

/** Table name → its chains and rules. */
export type IptablesRuleSet = Record<string, IptablesTable>;

const ALIASES: Record<string, string> = {
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--protocol': '-p',
  '--match': '-m',
  '--jump': '-j',
  '--goto': '-g',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--destination-port': '--dport',
  '--source-port': '--sport',
  '--to-port': '--to-ports',
};

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp' };

/**
 * Normalises one rule's words (without `-A CHAIN`). `-p tcp --dport 80` loads the tcp match
 * implicitly and iptables-save prints it as `-p tcp -m tcp --dport 80`, so `-m <protocol>` is
 * dropped before comparing.
 */
export function normalizeIptablesArgs(words: readonly string[]): { groups: OptionGroup[]; key: string } {
  const groups = groupOptions(words, ALIASES).map((g) => {
    if ((g.option === '-s' || g.option === '-d') && g.values.length === 1) return { ...g, values: [withPrefix(g.values[0])] };
    if (g.option === '-p' && g.values.length === 1) {
      const p = g.values[0].toLowerCase();
      return { ...g, values: [PROTOCOL_NUMBERS[p] ?? p] };
    }
    return g;
  });
  const protocol = groups.find((g) => g.option === '-p' && !g.negated)?.values[0];
  const kept = groups.filter((g) => !(g.option === '-m' && g.values.length === 1 && g.values[0] === protocol));
  return { groups: kept, key: canonicalKey(kept) };
}

export function parseIptablesSave(text: string): IptablesRuleSet {
  const set: IptablesRuleSet = {};
  let table: IptablesTable | undefined;
  let tableName = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      tableName = line.slice(1);
      table = set[tableName] = { chains: {}, rules: [] };
    } else if (line === 'COMMIT') {
      table = undefined;
    } else if (!table) {
      throw new Error(`iptables-save line outside a table: ${line}`);
    } else if (line.startsWith(':')) {
      const [chain, policy] = line.slice(1).split(/\s+/);
      table.chains[chain] = policy;
    } else {
      const words = splitRuleWords(line);
      if (words[0] !== '-A' || words.length < 2) throw new Error(`unexpected line in iptables-save output: ${line}`);
      const rest = words.slice(2);
      table.rules.push({ table: tableName, chain: words[1], ...normalizeIptablesArgs(rest), text: rest.join(' ') });
    }
  }
  return set;
}

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** A table that holds nothing but built-in chains accepting everything is the same as no table. */
function tableSignature(t: IptablesTable | undefined): string {
  if (!t) return '';
  const chains = Object.entries(t.chains)
    .filter(([c, p]) => !(BUILTIN_CHAINS.has(c) && p === 'ACCEPT'))
    .map(([c, p]) => `${c}:${p}`)
    .sort();
  const byChain = new Map<string, string[]>();
  for (const r of t.rules) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r.key]);
  const rules = [...byChain.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, keys]) => `${c}=${keys.join('|')}`);
  return [...chains, ...rules].join('\n');
}

/** Same rules in the same order per chain, same policies and user chains; counters ignored. */
export function sameIptablesRuleSet(a: IptablesRuleSet, b: IptablesRuleSet): boolean {
  const tables = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...tables].every((t) => tableSignature(a[t]) === tableSignature(b[t]));
}
