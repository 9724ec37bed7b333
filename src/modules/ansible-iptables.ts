/**
 * ansible.builtin.iptables (bare `iptables`, as Ansible resolves it) with its arguments and meaning
 * (ansible/modules/iptables.py): the rule words built as Ansible builds them, `iptables -C` decides,
 * then one `-A` (action append), `-I [rule_num]` (insert) or `-D` (absent: one copy, as Ansible
 * deletes one); `policy` sets a built-in chain's policy. Runtime only, as Ansible's module: saving
 * the rules is community.general.iptables_state's job (or lvs_iptables's, which saves for boot).
 * The check key and the runtime rule set are the ones lvs_iptables reads, so each sees the other's
 * check-mode effects.
 */
import { factEffect, factKey, READ_FROM_NO_FILE, type Fact } from '../facts/fact.ts';
import { ip6tablesCheckFact, ip6tablesRulesFact, ip6tablesTool, iptablesCheckFact, iptablesRulesFact, netfilterTool, type NetfilterTool, type RuleCheck } from '../facts/netfilter.ts';
import { stdoutOf } from '../facts/stdout-of.ts';
import { sh, type ShellText } from '../shell/quote.ts';
import { ansibleIptablesWords, type AnsibleIptablesRuleArgs, type AnsibleStr } from './ansible-iptables-rule.ts';
import { ansibleListSchema, toList } from './ansible-values.ts';
import { countRule, ruleFromWords, withIptablesRuleAt, withOneCopyLess } from './iptables-rules.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';

export interface AnsibleIptablesArgs extends Omit<AnsibleIptablesRuleArgs, 'match' | 'destination_ports' | 'ctstate'> {
  table?: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
  chain?: string;
  state?: 'present' | 'absent';
  action?: 'append' | 'insert';
  rule_num?: AnsibleStr;
  policy?: 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';
  match?: AnsibleList;
  destination_ports?: AnsibleList;
  ctstate?: AnsibleList;
}

type AnsibleList = string | AnsibleStr[];
/** A list of `str` elements: numbers in it are their text. */
const strings = (v: AnsibleList | undefined): string[] => toList(typeof v === 'string' || v === undefined ? v : v.map(String));

const str = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const strList = ansibleListSchema({ anyOf: [{ type: 'string' }, { type: 'number' }] });
const RULE_STR_ARGS = [
  'protocol', 'source', 'destination', 'jump', 'gateway', 'log_prefix', 'to_destination', 'to_source', 'goto', 'in_interface', 'out_interface',
  'fragment', 'source_port', 'destination_port', 'to_ports', 'set_dscp_mark', 'set_dscp_mark_class', 'src_range', 'dst_range', 'limit', 'limit_burst',
  'uid_owner', 'gid_owner', 'reject_with', 'icmp_type', 'comment', 'wait',
];
const LOG_LEVELS = ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

/** Ansible's arguments lvsdr does not take, and why: refused by name before any host is contacted. */
const REFUSED: Record<string, string> = {
  flush: 'flush is not supported: it deletes every rule of the chain, which the plan cannot list',
  chain_management: 'chain_management is not supported: lvsdr does not create or delete user chains',
  match_set: 'match_set is not supported (ipset matches)',
  match_set_flags: 'match_set_flags is not supported (ipset matches)',
  set_counters: 'set_counters is not supported: counters make -C depend on traffic',
};

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    table: { enum: ['filter', 'nat', 'mangle', 'raw', 'security'] },
    chain: { type: 'string', pattern: '^[^\\s!]{1,28}$' },
    state: { enum: ['present', 'absent'] },
    action: { enum: ['append', 'insert'] },
    ip_version: { enum: ['ipv4', 'ipv6'] },
    rule_num: str,
    policy: { enum: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'] },
    match: strList,
    destination_ports: strList,
    ctstate: strList,
    tcp_flags: {
      type: 'object',
      additionalProperties: false,
      properties: { flags: ansibleListSchema({ type: 'string' }), flags_set: ansibleListSchema({ type: 'string' }) },
    },
    syn: { enum: ['ignore', 'match', 'negate'] },
    log_level: { anyOf: [{ enum: LOG_LEVELS }, { enum: [0, 1, 2, 3, 4, 5, 6, 7] }] },
    ...Object.fromEntries(RULE_STR_ARGS.map((a) => [a, str])),
    ...Object.fromEntries(Object.entries(REFUSED).map(([a, why]) => [a, { description: why }])),
  },
};

const BIN = { ipv4: 'iptables', ipv6: 'ip6tables' } as const;

/** Ansible's module with its lists made lists, and LOG as the jump its log options imply. */
function ruleArgs(a: AnsibleIptablesArgs): AnsibleIptablesRuleArgs {
  const tcp = a.tcp_flags && { flags: strings(a.tcp_flags.flags), flags_set: strings(a.tcp_flags.flags_set) };
  const logs = a.log_prefix !== undefined || a.log_level !== undefined;
  return { ...a, match: strings(a.match), destination_ports: strings(a.destination_ports), ctstate: strings(a.ctstate), tcp_flags: a.tcp_flags && tcp, jump: a.jump ?? (logs ? 'LOG' : undefined) };
}

/** A chain of a table, and the binary that lists it. */
interface ChainOf {
  path: string;
  table: string;
  chain: string;
}

/** get_chain_policy: the policy in the header line of `-L CHAIN`. Kernel state, as the rules. */
function policyFact(bin: 'iptables' | 'ip6tables'): Fact<ChainOf, string | null> {
  return {
    kind: bin,
    id: (c) => `policy:${c.table} ${c.chain}`,
    read: { command: (c) => sh`${c.path} -t ${c.table} -n -L ${c.chain}` },
    parse: (r) => /\(policy ([A-Z]+)\)/.exec(stdoutOf(`${bin} -L`, r).split('\n')[0])?.[1] ?? null,
    unread: null,
    changedByWriting: READ_FROM_NO_FILE,
  };
}

const FACTS = {
  iptables: { rules: iptablesRulesFact, check: iptablesCheckFact, policy: policyFact('iptables') },
  ip6tables: { rules: ip6tablesRulesFact, check: ip6tablesCheckFact, policy: policyFact('ip6tables') },
};

interface Target {
  bin: 'iptables' | 'ip6tables';
  tool: NetfilterTool;
  facts: (typeof FACTS)['iptables'];
  path: string;
  table: string;
  chain: string;
  words: string[];
}

function target(a: AnsibleIptablesArgs, ctx: ModuleContext): Target | undefined {
  const found = netfilterTool(ctx.facts, 'iptables');
  if (!found) return undefined;
  const bin = BIN[a.ip_version ?? 'ipv4'];
  const tool = bin === 'iptables' ? found : ip6tablesTool(found);
  return { bin, tool, facts: FACTS[bin], path: tool.command, table: a.table ?? 'filter', chain: a.chain!, words: ansibleIptablesWords(ruleArgs(a)) };
}

const chainOf = (t: Target): ChainOf => ({ path: t.path, table: t.table, chain: t.chain });
const ruleCheck = (t: Target): RuleCheck => ({ id: `${t.table} ${t.chain} ${ruleFromWords(t.table, t.chain, t.words).key}`, command: command(t, '-C') });

/** The command Ansible's push_arguments builds; `-w` added when the task gave none, so a held xtables lock is waited for. */
function command(t: Target, op: string, extra: string[] = []): ShellText {
  const wait = t.words[0] === '-w' ? [] : ['-w'];
  return sh`${t.path} ${[...wait, '-t', t.table, op, t.chain, ...extra, ...t.words]}`;
}

function plan(a: AnsibleIptablesArgs, state: StateView, ctx: ModuleContext): Plan {
  const t = target(a, ctx);
  if (!t) return { kind: 'fail', message: 'iptables is not installed on this host (install the iptables package)' };
  const wantPresent = (a.state ?? 'present') === 'present';
  // Ansible's `rule` is built before its module makes LOG the jump of log options.
  const rule = ansibleIptablesWords({ ...ruleArgs(a), jump: a.jump }).join(' ');
  const result = { ip_version: a.ip_version ?? 'ipv4', table: t.table, chain: t.chain, flush: false, rule, state: a.state ?? 'present', chain_management: false };
  const runtimeKey = factKey(t.facts.rules, t.tool);
  const runtime = state.fact(t.facts.rules, t.tool);
  const touches = [`${t.bin}:*`];
  if (a.policy) {
    const current = state.fact(t.facts.policy, chainOf(t));
    if (!current) return { kind: 'fail', message: "Can't detect current policy" };
    if (current === a.policy) return { kind: 'noop', reason: `${t.bin} -t ${t.table} ${t.chain} policy already ${current}`, result };
    const table = runtime[t.table];
    const after = table ? { ...runtime, [t.table]: { ...table, chains: { ...table.chains, [t.chain]: a.policy } } } : runtime;
    const change: Change = {
      summary: `${t.bin} -t ${t.table} ${t.chain} policy ${current} → ${a.policy}`,
      commands: [{ command: sh`${t.path} -w -t ${t.table} -P ${t.chain} ${a.policy}`, touches }],
      diff: { kind: 'value', name: `${t.bin} ${t.table} ${t.chain} policy`, before: current, after: a.policy },
      effects: { ...factEffect(t.facts.policy, chainOf(t), a.policy), [runtimeKey]: after },
    };
    return { kind: 'change', changes: [change], result };
  }
  const present = state.fact(t.facts.check, ruleCheck(t));
  const shown = `-t ${t.table} ${t.chain} ${t.words.join(' ')}`;
  if (present === wantPresent) return { kind: 'noop', reason: `${t.bin} rule ${shown} ${wantPresent ? 'present' : 'absent'}`, result };
  const parsed = ruleFromWords(t.table, t.chain, t.words);
  let change: Change;
  if (wantPresent) {
    const insert = a.action === 'insert';
    const at = insert ? Math.max(Number(a.rule_num ?? 1), 1) - 1 : undefined;
    change = {
      summary: `${insert ? 'insert' : 'append'} ${t.bin} rule ${shown}`,
      commands: [{ command: insert ? command(t, '-I', a.rule_num !== undefined ? [String(a.rule_num)] : []) : command(t, '-A'), touches }],
      effects: { [runtimeKey]: withIptablesRuleAt(runtime, parsed, at), ...factEffect(t.facts.check, ruleCheck(t), true) },
    };
  } else {
    // One -D deletes one copy; a rule there twice is still there after it, as after Ansible's run.
    const after = withOneCopyLess(runtime, parsed);
    change = {
      summary: `delete ${t.bin} rule ${shown}`,
      commands: [{ command: command(t, '-D'), touches }],
      effects: { [runtimeKey]: after, ...factEffect(t.facts.check, ruleCheck(t), countRule(runtime, parsed) > 1) },
    };
  }
  return { kind: 'change', changes: [change], result };
}

export const ansibleIptablesModule: ModuleDef<AnsibleIptablesArgs> = {
  name: 'iptables',
  summary: 'an iptables rule at runtime (or a chain policy), as ansible.builtin.iptables: not saved',
  schema,
  argProblems(a) {
    const problems = Object.keys(REFUSED).filter((k) => k in a).map((k) => ({ path: `/${k}`, message: REFUSED[k] }));
    if (a.chain === undefined) problems.push({ path: '', message: 'Either chain or flush parameter must be specified.' });
    const ruleGiven = ansibleIptablesWords(ruleArgs(a)).length > 0;
    if (a.policy === undefined && a.state === 'absent' && !ruleGiven) {
      problems.push({ path: '/state', message: "state: absent without rule arguments (Ansible's chain deletion) is not supported: lvsdr does not delete chains" });
    }
    if ((a.jump ?? '').toLowerCase() === 'tee' && a.gateway === undefined) problems.push({ path: '/jump', message: 'jump is TEE but all of the following are missing: gateway' });
    if (a.set_dscp_mark !== undefined && a.set_dscp_mark_class !== undefined) problems.push({ path: '/set_dscp_mark_class', message: 'parameters are mutually exclusive: set_dscp_mark|set_dscp_mark_class' });
    if ((a.log_prefix !== undefined || a.log_level !== undefined) && a.jump !== undefined && a.jump !== 'LOG') problems.push({ path: '/jump', message: 'Logging options can only be used with the LOG jump target.' });
    return problems;
  },
  plan,
};
