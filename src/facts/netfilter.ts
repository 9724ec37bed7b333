/**
 * Netfilter rules at runtime: the arptables, iptables and ip6tables rule sets (`arptables:runtime`,
 * `iptables:runtime`, `ip6tables:runtime`, as their -save tools print them) and whether `-C` finds one rule
 * (`arptables:check:…`, `iptables:check:…`). Kernel state: no file holds it.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh, type ShellText } from '../shell/quote.ts';
import { READ_FROM_NO_FILE, type Fact } from './fact.ts';
import { parseArptablesSave, type ArptablesRuleSet } from './parsers/arptables-save.ts';
import { parseIptablesSave, type IptablesRuleSet } from './parsers/iptables-save.ts';
import { stdoutOf } from './stdout-of.ts';
import type { HostFacts } from './types.ts';

export interface NetfilterTool {
  command: string;
  save: string;
  restore: string;
  variant: 'nft' | 'legacy';
}

/** The arptables or iptables binaries the host uses, from facts; undefined when not installed. */
export function netfilterTool(facts: HostFacts, which: 'arptables' | 'iptables'): NetfilterTool | undefined {
  const tool = facts.tools[which];
  if (!tool) return undefined;
  const save = (which === 'arptables' ? facts.tools.arptablesSave : facts.tools.iptablesSave)?.path ?? `${tool.path}-save`;
  return { command: tool.path, save, restore: save.replace(/-save$/, '-restore'), variant: tool.variant ?? 'nft' };
}

/** ip6tables comes with iptables (one package on Debian and RHEL), beside it: the same tool for IPv6. */
export function ip6tablesTool(tool: NetfilterTool): NetfilterTool {
  const six = (p: string) => p.replace(/iptables(?=[^/]*$)/, 'ip6tables');
  return { ...tool, command: six(tool.command), save: six(tool.save), restore: six(tool.restore) };
}

function ruleSetFact<T>(kind: string, parse: (text: string) => T): Fact<NetfilterTool, T> {
  return {
    kind,
    id: () => 'runtime',
    read: { command: (tool) => sh`${tool.save}` },
    parse: (r) => parse(stdoutOf(`${kind}-save`, r)),
    unread: parse(''),
    changedByWriting: READ_FROM_NO_FILE,
  };
}

export const arptablesRulesFact: Fact<NetfilterTool, ArptablesRuleSet> = ruleSetFact('arptables', parseArptablesSave);
export const iptablesRulesFact: Fact<NetfilterTool, IptablesRuleSet> = ruleSetFact('iptables', parseIptablesSave);
/** Read with ip6tablesTool(tool). */
export const ip6tablesRulesFact: Fact<NetfilterTool, IptablesRuleSet> = ruleSetFact('ip6tables', parseIptablesSave);

/** One rule, as `-C` is asked about it: `id` names it in the state key. */
export interface RuleCheck {
  id: string;
  command: ShellText;
}

/** Whether `<tool> -C …` finds the rule: exit 0 yes, 1 no, anything else is an error worth showing. */
export function checkResult(what: string, r: ExecResult): boolean {
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
}

function ruleCheckFact(kind: string): Fact<RuleCheck, boolean> {
  return {
    kind,
    id: (rule) => `check:${rule.id}`,
    read: { command: (rule) => rule.command },
    parse: (r) => checkResult(`${kind} -C`, r),
    unread: false,
    changedByWriting: READ_FROM_NO_FILE,
  };
}

export const arptablesCheckFact = ruleCheckFact('arptables');
export const iptablesCheckFact = ruleCheckFact('iptables');
export const ip6tablesCheckFact = ruleCheckFact('ip6tables');
