/**
 * The rules that mark a fwmark service's traffic on the director. keepalived only programs
 * `virtual_server fwmark N` into IPVS; no packet reaches that service until a mangle PREROUTING
 * rule marks it N, and keepalived neither writes nor checks such a rule. So the keepalived module
 * takes the rules as `fwmark_rules` (the iptables module's words: fwmark, destination, protocol,
 * dport): a fwmark service no rule marks for is refused at validation, and the configuration is
 * installed only once every rule is in place at runtime (`iptables -C`, as the iptables module reads
 * it: in check mode, as that module's earlier task would leave it). The iptables module writes and
 * persists them (playbooks/director.yml does both from `lvs_vips`).
 */
import { iptablesCheckFact, netfilterTool } from '../facts/netfilter.ts';
import { iptablesRuleCheck } from './iptables.ts';
import type { IptablesRuleArgs } from './iptables-rules.ts';
import { familyOf } from './address-order.ts';
import type { ArgProblem } from './keepalived-problems.ts';
import { ipv4Schema, markSchema, portSchema } from './lvs-schema.ts';
import type { KeepalivedConfig } from './keepalived-schema.ts';
import type { ModuleContext, StateView } from './types.ts';

/** One VIP port's traffic marked: a rule for all of a VIP's ports would mark the director's own traffic to it too. */
export interface FwmarkRule {
  fwmark: number;
  destination: string;
  protocol: 'tcp' | 'udp';
  dport: number;
}

export const fwmarkRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fwmark', 'destination', 'protocol', 'dport'],
  properties: { fwmark: markSchema, destination: ipv4Schema, protocol: { enum: ['tcp', 'udp'] }, dport: portSchema },
};

/** The iptables rule: `-t mangle -A PREROUTING -d VIP -p P --dport N -j MARK --set-mark M`. */
export const markRuleArgs = (r: FwmarkRule): IptablesRuleArgs => ({
  table: 'mangle',
  chain: 'PREROUTING',
  destination: r.destination,
  protocol: r.protocol,
  dport: r.dport,
  jump: 'MARK',
  set_mark: r.fwmark,
});

const describeRule = (r: FwmarkRule) => `${r.destination} ${r.protocol}/${r.dport} → mark ${r.fwmark}`;

/** Every mark a service takes: `virtual_server fwmark N`, and `fwmark N` lines of the groups services name. */
function servicesByMark(config: KeepalivedConfig): Map<number, { at: string; ipv6: boolean }> {
  const marks = new Map<number, { at: string; ipv6: boolean }>();
  config.virtual_servers.forEach((vs, i) => {
    const ipv6 = vs.real_servers.some((rs) => familyOf(rs.ip) === 'inet6');
    if (vs.fwmark !== undefined) marks.set(vs.fwmark, { at: `/virtual_servers/${i}/fwmark`, ipv6 });
    const group = config.virtual_server_groups?.find((g) => g.name === vs.group);
    for (const m of group?.members ?? []) {
      if (m.startsWith('fwmark ')) marks.set(Number(m.slice('fwmark '.length)), { at: `/virtual_servers/${i}/group`, ipv6 });
    }
  });
  return marks;
}

export function fwmarkRuleProblems(config: KeepalivedConfig, rules: FwmarkRule[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const services = servicesByMark(config);
  for (const [mark, { at, ipv6 }] of services) {
    if (ipv6) {
      problems.push({ path: at, message: `fwmark ${mark}: its real servers are IPv6, and lvsdr writes mark rules with iptables (IPv4) only; serve this VIP with a virtual_server by address and port` });
    } else if (!rules.some((r) => r.fwmark === mark)) {
      problems.push({
        path: at,
        message: `fwmark ${mark}: no fwmark_rules entry marks traffic ${mark}, so this service would receive nothing; add one, e.g. {fwmark: ${mark}, destination: VIP, protocol: tcp, dport: PORT} (playbooks/director.yml: give the lvs_vips entry its vip and ports)`,
      });
    }
  }
  rules.forEach((r, i) => {
    if (!services.has(r.fwmark)) {
      problems.push({ path: `/fwmark_rules/${i}/fwmark`, message: `fwmark_rules: ${describeRule(r)}: no virtual_server takes mark ${r.fwmark}; add the fwmark service or drop the rule` });
    }
  });
  return problems;
}

/** Why the configuration cannot be installed yet: a rule missing at runtime, or no iptables to mark with. */
export function missingFwmarkRules(rules: FwmarkRule[], state: StateView, ctx: ModuleContext): string | undefined {
  if (rules.length === 0) return undefined;
  const tool = netfilterTool(ctx.facts, 'iptables');
  if (!tool) return 'the fwmark services need iptables on the director to mark their traffic; install the iptables package';
  const missing = rules.filter((r) => !state.fact(iptablesCheckFact, iptablesRuleCheck(tool, markRuleArgs(r))));
  if (missing.length === 0) return undefined;
  return `the director does not mark this traffic yet, so its fwmark services would receive none: ${missing.map(describeRule).join(', ')}; put the iptables task that adds the mangle PREROUTING MARK rule before this one`;
}
