/**
 * `firewall-cmd [--permanent] --direct --get-all-rules`: one rule a line,
 * `<ipv> <table> <chain> <priority> <args…>`. firewalld matches `--query-rule` and `--remove-rule`
 * on the exact argument text (checked: `-d 1.2.3.4/32` does not find a rule added as
 * `-d 1.2.3.4`), so each rule keeps its words for removal and a normalised key for comparison.
 */
import { splitRuleWords } from './rule-words.ts';
import { normalizeIptablesArgs } from './iptables-save.ts';

export interface FirewalldDirectRule {
  ipv: string;
  table: string;
  chain: string;
  priority: number;
  /** The rule's arguments exactly as firewalld stores them. */
  args: string[];
  /** Comparison key: ipv, table, chain, priority and the normalised arguments. */
  key: string;
}

export function firewalldDirectKey(ipv: string, table: string, chain: string, priority: number, args: readonly string[]): string {
  return `${ipv} ${table} ${chain} ${priority} ${normalizeIptablesArgs(args).key}`;
}

export function parseFirewalldDirectRules(text: string): FirewalldDirectRule[] {
  const rules: FirewalldDirectRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const [ipv, table, chain, priorityText, ...args] = splitRuleWords(line);
    const priority = Number(priorityText);
    if (!Number.isInteger(priority) || args.length === 0) throw new Error(`unexpected line in firewalld direct rules: ${line}`);
    rules.push({ ipv, table, chain, priority, args, key: firewalldDirectKey(ipv, table, chain, priority, args) });
  }
  return rules;
}
