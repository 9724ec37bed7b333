/**
 * `arptables-save` output, from arptables-nft and from legacy arptables (same line format; nft adds
 * `# Generated …` comments and prints nothing at all while the arp table does not exist yet).
 */
import { canonicalKey, groupOptions, splitRuleWords, withPrefix, type OptionGroup } from './rule-words.ts';

export interface ArptablesRule {
  chain: string;
  groups: OptionGroup[];
  /** Comparison key (see rule-words.ts): equal keys mean the same rule. */
  key: string;
  /** The rule's words after `-A CHAIN`, as the tool printed them. */
  text: string;
}

export interface ArptablesRuleSet {
  /** Built-in chain → policy, e.g. { INPUT: 'ACCEPT', OUTPUT: 'ACCEPT' }. */
  policies: Record<string, string>;
  rules: ArptablesRule[];
}

const ALIASES: Record<string, string> = {
  '--source-ip': '-s',
  '--destination-ip': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--jump': '-j',
};

/** arptables-nft prints opcodes as numbers even when they were given by name. */
const OPCODES: Record<string, string> = {
  request: '1',
  reply: '2',
  request_reverse: '3',
  reply_reverse: '4',
  drarp_request: '5',
  drarp_reply: '6',
  drarp_error: '7',
  inarp_request: '8',
  arp_nak: '9',
};

/**
 * The RHEL 7 guide says `-A IN` / `-A OUT` (the chain names of the old arptables_jf); both
 * arptables-nft and legacy arptables only know INPUT and OUTPUT and refuse `IN`.
 */
export function arptablesChain(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'IN') return 'INPUT';
  if (upper === 'OUT') return 'OUTPUT';
  return upper;
}

/** Normalises one rule's words (without `-A CHAIN`) into option groups and a comparison key. */
export function normalizeArptablesArgs(words: readonly string[]): { groups: OptionGroup[]; key: string } {
  const groups = groupOptions(words, ALIASES).map((g) => {
    if ((g.option === '-s' || g.option === '-d') && g.values.length === 1) return { ...g, values: [withPrefix(g.values[0])] };
    if (g.option === '--opcode' && g.values.length === 1) return { ...g, values: [OPCODES[g.values[0].toLowerCase()] ?? g.values[0]] };
    return g;
  });
  return { groups, key: canonicalKey(groups) };
}

export function parseArptablesSave(text: string): ArptablesRuleSet {
  const set: ArptablesRuleSet = { policies: {}, rules: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('*')) continue;
    if (line.startsWith(':')) {
      const [chain, policy] = line.slice(1).split(/\s+/);
      set.policies[arptablesChain(chain)] = policy;
      continue;
    }
    const words = splitRuleWords(line);
    if (words[0] !== '-A' || words.length < 2) throw new Error(`unexpected line in arptables-save output: ${line}`);
    const rest = words.slice(2);
    set.rules.push({ chain: arptablesChain(words[1]), ...normalizeArptablesArgs(rest), text: rest.join(' ') });
  }
  return set;
}

/** Two rule sets hold the same rules in the same order in each chain, with the same policies. */
export function sameArptablesRuleSet(a: ArptablesRuleSet, b: ArptablesRuleSet): boolean {
  const chains = new Set([...Object.keys(a.policies), ...Object.keys(b.policies), ...a.rules.map((r) => r.chain), ...b.rules.map((r) => r.chain)]);
  const keys = (s: ArptablesRuleSet, c: string) => s.rules.filter((r) => r.chain === c).map((r) => r.key).join('\n');
  return [...chains].every((c) => (a.policies[c] ?? 'ACCEPT') === (b.policies[c] ?? 'ACCEPT') && keys(a, c) === keys(b, c));
}
