/**
 * `firewalld_direct`: a firewalld direct rule (the guide's `ipv4 nat PREROUTING 0 -d <vip> -p tcp
 * -m tcp --dport <port> -j REDIRECT`), in the runtime and the permanent configuration, which are
 * read and changed separately. Adding to each one that lacks the rule means a reload is never
 * needed — and a reload would drop every other runtime-only rule on the host.
 *
 * Rules are matched on their normalised meaning, then added or removed with firewalld's own text
 * of the rule: firewalld compares rule text literally, so `-d 1.2.3.4/32` would not remove a rule
 * stored as `-d 1.2.3.4`.
 *
 * An IPv6 destination makes it an `ipv6` rule (firewalld applies it with ip6tables and keeps it in
 * its permanent direct.xml, so it comes back at boot with firewalld).
 */
import { factEffect, factKey } from '../facts/fact.ts';
import { FIREWALLD_UNIT, firewalldDirectPermanentFact, firewalldDirectRuntimeFact } from '../facts/firewalld.ts';
import { firewalldDirectKey, type FirewalldDirectRule } from '../facts/parsers/firewalld-direct.ts';
import { unitFact } from '../facts/unit.ts';
import { sh, type ShellText } from '../shell/quote.ts';
import { canonicalAddress, familyOf } from './address-order.ts';
import { ipv4or6Schema, portSchema, stateSchema, type PresentAbsent } from './lvs-schema.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';
import { enableUnitChange } from './unit-changes.ts';

export interface FirewalldDirectArgs {
  table?: 'nat' | 'filter' | 'mangle' | 'raw';
  chain?: 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
  priority?: number;
  destination: string;
  protocol?: 'tcp' | 'udp';
  dport: number;
  jump?: 'REDIRECT' | 'ACCEPT' | 'DROP' | 'REJECT';
  to_ports?: number;
  state?: PresentAbsent;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['destination', 'dport'],
  properties: {
    table: { enum: ['nat', 'filter', 'mangle', 'raw'], default: 'nat' },
    chain: { enum: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'], default: 'PREROUTING' },
    priority: { type: 'integer', minimum: -32768, maximum: 32767, default: 0 },
    destination: { ...ipv4or6Schema, description: 'An IPv4 address (an ipv4 rule) or an IPv6 one (an ipv6 rule).' },
    protocol: { enum: ['tcp', 'udp'], default: 'tcp' },
    dport: portSchema,
    jump: { enum: ['REDIRECT', 'ACCEPT', 'DROP', 'REJECT'], default: 'REDIRECT' },
    to_ports: portSchema,
    state: stateSchema,
  },
  if: { required: ['to_ports'] },
  then: { properties: { jump: { const: 'REDIRECT' } } },
};

/** Where the effects of a change of the rules go. */
const RUNTIME = factKey(firewalldDirectRuntimeFact, undefined);
const PERMANENT = factKey(firewalldDirectPermanentFact, undefined);

interface WantedRule {
  ipv: 'ipv4' | 'ipv6';
  table: string;
  chain: string;
  priority: number;
  args: string[];
  key: string;
}

function wantedRule(a: FirewalldDirectArgs): WantedRule {
  const protocol = a.protocol ?? 'tcp';
  const destination = canonicalAddress(a.destination);
  const ipv = familyOf(destination) === 'inet6' ? 'ipv6' : 'ipv4';
  const args = ['-d', destination, '-p', protocol, '-m', protocol, '--dport', String(a.dport), '-j', a.jump ?? 'REDIRECT', ...(a.to_ports !== undefined ? ['--to-ports', String(a.to_ports)] : [])];
  const table = a.table ?? 'nat';
  const chain = a.chain ?? 'PREROUTING';
  const priority = a.priority ?? 0;
  return { ipv, table, chain, priority, args, key: firewalldDirectKey(ipv, table, chain, priority, args) };
}

const ruleWords = (r: { ipv: string; table: string; chain: string; priority: number; args: string[] }) => [r.ipv, r.table, r.chain, String(r.priority), ...r.args];

export function planFirewalldDirect(args: FirewalldDirectArgs, state: StateView, ctx: ModuleContext): Plan {
  const rule = wantedRule(args);
  const shown = ruleWords(rule).join(' ');
  const unit = state.fact(unitFact, FIREWALLD_UNIT);
  let runtime = state.fact(firewalldDirectRuntimeFact, undefined);
  let permanent = state.fact(firewalldDirectPermanentFact, undefined);
  const changes: Change[] = [];

  if ((args.state ?? 'present') === 'absent') {
    const tool = runtime === null ? sh`firewall-offline-cmd` : sh`firewall-cmd --permanent`;
    for (const r of permanent.filter((x) => x.key === rule.key)) {
      changes.push(change(`remove direct rule ${ruleWords(r).join(' ')} (permanent)`, sh`${tool} --direct --remove-rule ${ruleWords(r)}`, { [PERMANENT]: permanent.filter((x) => x.key !== rule.key) }));
    }
    for (const r of (runtime ?? []).filter((x) => x.key === rule.key)) {
      changes.push(change(`remove direct rule ${ruleWords(r).join(' ')} (runtime)`, sh`firewall-cmd --direct --remove-rule ${ruleWords(r)}`, { [RUNTIME]: (runtime ?? []).filter((x) => x.key !== rule.key) }));
    }
    return changes.length > 0 ? { kind: 'change', changes } : { kind: 'noop', reason: `direct rule ${shown} absent (runtime and permanent)` };
  }

  if (!unit.exists) return { kind: 'fail', message: 'firewalld is not installed on this host (install the firewalld package)' };
  const enable = enableUnitChange(FIREWALLD_UNIT, unit);
  if (enable) changes.push(enable);
  if (runtime === null) {
    if (!ctx.facts.systemdRunning) return { kind: 'fail', message: 'firewalld is not running, and systemd is not running on this host to start it' };
    // Once started, firewalld's runtime configuration is its permanent one.
    runtime = permanent;
    changes.push(change('start firewalld', sh`systemctl start ${FIREWALLD_UNIT}`, { ...factEffect(unitFact, FIREWALLD_UNIT, { exists: true, enabled: true, active: true }), ...factEffect(firewalldDirectRuntimeFact, undefined, permanent) }));
  }
  const withRule = (rules: FirewalldDirectRule[]) => [...rules, rule];
  // firewalld refuses the very same rule twice, but takes it again at another priority: the rule
  // twice all the same (two runs that raced, or a hand edit), so drift, and only the wanted one stays.
  const copies = (r: FirewalldDirectRule) => r.key !== rule.key && firewalldDirectKey(r.ipv, r.table, r.chain, rule.priority, r.args) === rule.key;
  const withoutCopies = (where: string, rules: FirewalldDirectRule[], key: string, tool: ShellText): FirewalldDirectRule[] => {
    const kept = rules.filter((r) => !copies(r));
    for (const r of rules.filter(copies)) {
      changes.push(change(`remove duplicate direct rule ${ruleWords(r).join(' ')} (${where})`, sh`${tool} --direct --remove-rule ${ruleWords(r)}`, { [key]: kept }));
    }
    return kept;
  };
  permanent = withoutCopies('permanent', permanent, PERMANENT, sh`firewall-cmd --permanent`);
  runtime = withoutCopies('runtime', runtime, RUNTIME, sh`firewall-cmd`);
  if (!permanent.some((r) => r.key === rule.key)) {
    changes.push(change(`add direct rule ${shown} (permanent)`, sh`firewall-cmd --permanent --direct --add-rule ${ruleWords(rule)}`, { [PERMANENT]: withRule(permanent) }));
  }
  if (!runtime.some((r) => r.key === rule.key)) {
    changes.push(change(`add direct rule ${shown} (runtime)`, sh`firewall-cmd --direct --add-rule ${ruleWords(rule)}`, { [RUNTIME]: withRule(runtime) }));
  }
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `direct rule ${shown} present (runtime and permanent); firewalld enabled and running` };
}

function change(summary: string, command: ShellText, effects: Record<string, unknown>): Change {
  return { summary, commands: [{ command }], effects };
}

export const firewalldDirectModule: ModuleDef<FirewalldDirectArgs> = {
  name: 'firewalld_direct',
  summary: 'A firewalld direct rule (e.g. REDIRECT for a VIP), runtime and permanent; firewalld enabled and running',
  schema,
  plan: planFirewalldDirect,
};
