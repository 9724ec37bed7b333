/**
 * `lvs_iptables`: one rule (for LVS-DR, the guide's `-t nat -A PREROUTING -p tcp -d <vip> --dport <port>
 * -j REDIRECT` on a real server, `-t mangle -A PREROUTING ... -j MARK --set-mark N` on a director
 * for its fwmark service) at runtime, checked with `-C`, and in the saved rule set the
 * distribution's unit restores at boot. The saved file is rewritten whenever it differs from the
 * would-be runtime rules, which also repairs drift.
 *
 * An IPv6 destination (or `ip_version: ipv6`, Ansible's iptables argument) makes it an ip6tables
 * rule, saved where the distribution's unit restores IPv6 rules from (/etc/iptables/rules.v6 as
 * iptables-persistent saves it, /etc/sysconfig/ip6tables for iptables-services).
 */
import { parseIptablesSave, sameIptablesRuleSet } from '../facts/parsers/iptables-save.ts';
import { sh, type ShellText } from '../shell/quote.ts';
import { layoutFor, noLayoutMessage } from './layout.ts';
import { interfaceSchema, ipv4or6Schema, markSchema, persistedRuleProperties, portSchema, type PersistedRuleArgs } from './lvs-schema.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact, knownContent } from '../facts/file.ts';
import { ip6tablesCheckFact, ip6tablesRulesFact, ip6tablesTool, iptablesCheckFact, iptablesRulesFact, netfilterTool, type NetfilterTool, type RuleCheck } from '../facts/netfilter.ts';
import { familyOf } from './address-order.ts';
import { unitFact } from '../facts/unit.ts';
import { countRule, iptablesRule, iptablesRuleWords, renderIptablesSave, TABLE_CHAINS, withIptablesRule, withOneIptablesRule, withoutIptablesRule, type IptablesRuleArgs } from './iptables-rules.ts';
import { saveOutputChange } from './persisted-file-change.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';
import { enableUnitChange } from './unit-changes.ts';

export interface IptablesArgs extends IptablesRuleArgs, PersistedRuleArgs {
  /** Default: the destination's family, else ipv4. */
  ip_version?: 'ipv4' | 'ipv6';
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['chain', 'jump'],
  properties: {
    table: { enum: Object.keys(TABLE_CHAINS), default: 'filter' },
    chain: { enum: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] },
    protocol: { enum: ['tcp', 'udp'] },
    destination: ipv4or6Schema,
    ip_version: { enum: ['ipv4', 'ipv6'], description: "iptables or ip6tables. Default: the destination's family, else ipv4." },
    dport: portSchema,
    in_interface: interfaceSchema,
    jump: { enum: ['REDIRECT', 'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'MARK'] },
    to_ports: portSchema,
    set_mark: markSchema,
    ...persistedRuleProperties,
  },
  dependencies: { dport: ['protocol'] },
  allOf: [
    { if: { required: ['to_ports'] }, then: { properties: { jump: { const: 'REDIRECT' } } } },
    { if: { required: ['set_mark'] }, then: { properties: { jump: { const: 'MARK' } } } },
    { if: { properties: { jump: { const: 'MARK' } }, required: ['jump'] }, then: { required: ['set_mark'] } },
  ],
};

/** `-w`: wait for the xtables lock instead of failing when another tool holds it. */
const run = (tool: NetfilterTool, table: string, op: string, chain: string, words: string[]): ShellText => sh`${tool.command} -w -t ${table} ${op} ${chain} ${words}`;

/** The rule as `iptables -C` asks for it (iptablesCheckFact): what this module reads, and what a module relying on the rule reads too. */
export function iptablesRuleCheck(tool: NetfilterTool, args: IptablesRuleArgs): RuleCheck {
  const rule = iptablesRule(args);
  return { id: `${rule.table} ${rule.chain} ${rule.key}`, command: run(tool, rule.table, '-C', rule.chain, iptablesRuleWords(args)) };
}

/** The rule's family: what the task says, else its destination's; one that contradicts the other is refused. */
function ipVersion(args: IptablesArgs): { six: boolean } | { fail: string } {
  const fromAddress = args.destination === undefined ? undefined : familyOf(args.destination) === 'inet6' ? 'ipv6' : 'ipv4';
  if (args.ip_version && fromAddress && args.ip_version !== fromAddress) {
    return { fail: `ip_version ${args.ip_version} with destination ${args.destination}, an ${fromAddress === 'ipv6' ? 'IPv6' : 'IPv4'} address: one rule is of one family` };
  }
  return { six: (args.ip_version ?? fromAddress) === 'ipv6' };
}

/** What the plan works with for one family: the tool, its rule facts, where its rules are saved. */
interface Family {
  tool: NetfilterTool;
  name: 'iptables' | 'ip6tables';
  rules: typeof iptablesRulesFact;
  check: typeof iptablesCheckFact;
  layoutFile: 'iptablesFile' | 'ip6tablesFile';
  layoutUnit: 'iptablesUnit' | 'ip6tablesUnit';
}

function familyOfRule(tool: NetfilterTool, six: boolean): Family {
  return six
    ? { tool: ip6tablesTool(tool), name: 'ip6tables', rules: ip6tablesRulesFact, check: ip6tablesCheckFact, layoutFile: 'ip6tablesFile', layoutUnit: 'ip6tablesUnit' }
    : { tool, name: 'iptables', rules: iptablesRulesFact, check: iptablesCheckFact, layoutFile: 'iptablesFile', layoutUnit: 'iptablesUnit' };
}

function persistTarget(args: IptablesArgs, fam: Family, ctx: ModuleContext): { file: string; unit: string; installHint: string } | undefined {
  const layout = layoutFor(ctx.facts.osFamily);
  const file = args.file ?? layout?.[fam.layoutFile];
  const unit = args.unit ?? layout?.[fam.layoutUnit].name;
  if (!file || !unit) return undefined;
  return { file, unit, installHint: args.unit ? `install the package that provides ${unit}` : layout![fam.layoutUnit].installHint };
}

export function planIptables(args: IptablesArgs, state: StateView, ctx: ModuleContext): Plan {
  const found = netfilterTool(ctx.facts, 'iptables');
  if (!found) return { kind: 'fail', message: 'iptables is not installed on this host (install the iptables package)' };
  const version = ipVersion(args);
  if ('fail' in version) return { kind: 'fail', message: version.fail };
  const fam = familyOfRule(found, version.six);
  const tool = fam.tool;
  const table = args.table ?? 'filter';
  if (!TABLE_CHAINS[table].includes(args.chain)) {
    return { kind: 'fail', message: `the ${table} table has no ${args.chain} chain (it has ${TABLE_CHAINS[table].join(', ')})` };
  }
  if (args.jump === 'REDIRECT' && (table !== 'nat' || !['PREROUTING', 'OUTPUT'].includes(args.chain))) {
    return { kind: 'fail', message: 'REDIRECT works only in the nat table, chain PREROUTING or OUTPUT' };
  }
  if (args.jump === 'MARK' && table !== 'mangle') return { kind: 'fail', message: 'MARK works only in the mangle table' };
  const p = args.persist === false ? undefined : persistTarget(args, fam, ctx);
  if (args.persist !== false && !p) return { kind: 'fail', message: noLayoutMessage(ctx.facts.osFamily, ['file', 'unit']) };

  const rule = iptablesRule(args);
  const words = iptablesRuleWords(args);
  const shown = `-t ${table} ${args.chain} ${words.join(' ')}`;
  const runtime = state.fact(fam.rules, tool);
  const check = iptablesRuleCheck(tool, args);
  const present = state.fact(fam.check, check);
  const touches = [`${fam.name}:*`];
  const wantPresent = (args.state ?? 'present') === 'present';
  const changes: Change[] = [];
  let after = runtime;
  const copies = countRule(runtime, rule);
  if (wantPresent && present && copies > 1) {
    // A rule present twice (two runs that raced, or a hand edit) is drift: one copy stays.
    after = withOneIptablesRule(runtime, rule);
    changes.push({
      summary: `remove ${copies - 1} duplicate(s) of ${fam.name} rule ${shown}`,
      commands: Array.from({ length: copies - 1 }, () => ({ command: run(tool, table, '-D', args.chain, words), touches })),
      effects: { ...factEffect(fam.rules, tool, after), ...factEffect(fam.check, check, true) },
    });
  } else if (wantPresent !== present) {
    after = wantPresent ? withIptablesRule(runtime, rule) : withoutIptablesRule(runtime, rule);
    // `-D` removes one copy per call; a rule added twice is deleted twice.
    const commands = wantPresent ? [run(tool, table, '-A', args.chain, words)] : Array.from({ length: Math.max(copies, 1) }, () => run(tool, table, '-D', args.chain, words));
    changes.push({
      summary: `${wantPresent ? 'add' : 'delete'} ${fam.name} rule ${shown}`,
      commands: commands.map((command) => ({ command, touches })),
      effects: { ...factEffect(fam.rules, tool, after), ...factEffect(fam.check, check, wantPresent) },
    });
  }
  if (p) {
    const file = state.fact(fileFact, p.file);
    const content = knownContent(file);
    const saved = content === null ? undefined : parseIptablesSave(content);
    // Removing a rule from a host that never saved any leaves nothing to persist.
    const nothingSaved = !wantPresent && !file.exists;
    if (!nothingSaved && (!saved || !sameIptablesRuleSet(saved, after))) {
      const why = !file.exists ? 'not saved yet' : changes.length === 0 ? 'saved rules differ from the running ones' : 'rules changed';
      // New files get 0600 like RHEL's /etc/sysconfig/iptables: rule sets describe the host's defences.
      changes.push(saveOutputChange(`save ${fam.name} rules to ${p.file} (${why})`, tool.save, p.file, file, renderIptablesSave(after), file.exists ? {} : { mode: '0600' }));
    }
    const unit = state.fact(unitFact, p.unit);
    if (!unit.exists && wantPresent) return { kind: 'fail', message: `${p.unit}, which restores ${p.file} at boot, is not installed: ${p.installHint}` };
    const enable = unit.exists && wantPresent ? enableUnitChange(p.unit, unit) : undefined;
    if (enable) changes.push(enable);
  }
  if (changes.length > 0) return { kind: 'change', changes };
  const where = !p ? '' : wantPresent ? `; saved in ${p.file}; ${p.unit} enabled` : `; not in ${p.file}`;
  return { kind: 'noop', reason: `${fam.name} rule ${shown} ${wantPresent ? 'present' : 'absent'}${where}` };
}

export const iptablesModule: ModuleDef<IptablesArgs> = {
  name: 'lvs_iptables',
  summary: 'An iptables or ip6tables rule (e.g. nat PREROUTING REDIRECT for a VIP, mangle PREROUTING MARK for a fwmark service) at runtime and saved for boot',
  schema,
  plan: planIptables,
};
