/**
 * The guard of the vip module: a real server that holds the VIP while it still answers ARP for it
 * steals the VIP's traffic from the director for the whole segment. So a VIP task says which ARP
 * suppression it relies on, and fails unless that suppression is in place at runtime and persisted
 * for boot — as probed, or as earlier tasks left it in check mode (they write the same state keys).
 */
import { parseArptablesSave } from '../facts/parsers/arptables-save.ts';
import { sysctlConfValues } from '../facts/parsers/sysctl-conf.ts';
import { dropsArpFor } from './arptables-rules.ts';
import { layoutFor } from './layout.ts';
import { fileFact, knownContent } from '../facts/file.ts';
import { arptablesRulesFact, netfilterTool } from '../facts/netfilter.ts';
import { sysctlFact } from '../facts/sysctl.ts';
import { unitFact } from '../facts/unit.ts';
import type { ModuleContext, StateView } from './types.ts';

export type ArpGuard = 'arptables' | 'sysctl' | 'none';

export interface GuardArgs {
  arp_guard?: ArpGuard;
  /** The interface ARP requests arrive on (sysctl method); default (also for null): the default route's. */
  arp_interface?: string | null;
  /** Where the suppression is persisted, when not the layout's default file. */
  arp_guard_file?: string;
  /** The unit restoring saved arptables rules, when not the layout's default. */
  arp_guard_unit?: string;
}

/** The kernel's minimums: arp_ignore 1 answers only for addresses on the asking interface, arp_announce 2 never uses the VIP as ARP source. */
const SYSCTL_MINIMUM = { arp_ignore: 1, arp_announce: 2 } as const;

function guardPlaces(args: GuardArgs, ctx: ModuleContext) {
  const layout = layoutFor(ctx.facts.osFamily);
  const method = args.arp_guard ?? 'none';
  return {
    arpInterface: args.arp_interface ?? ctx.facts.defaultInterface,
    file: args.arp_guard_file ?? (method === 'arptables' ? layout?.arptablesFile : layout?.sysctlFile),
    unit: args.arp_guard_unit ?? layout?.arptablesUnit.name,
  };
}

const sysctlNames = (iface: string) =>
  Object.keys(SYSCTL_MINIMUM).flatMap((p) => [`net.ipv4.conf.all.${p}`, `net.ipv4.conf.${iface.replaceAll('.', '/')}.${p}`]);

/** Why the VIP must not come up yet, or undefined when its ARP suppression is in place. */
export function guardFailure(args: GuardArgs, vip: string, device: string, state: StateView, ctx: ModuleContext, persist: boolean): string | undefined {
  const { arpInterface, file, unit } = guardPlaces(args, ctx);
  const refuse = (missing: string[], fix: string) =>
    missing.length === 0 ? undefined : `refusing to add VIP ${vip} to ${device}: ARP for it is not suppressed (${args.arp_guard}) — ${missing.join('; ')}. ${fix}`;

  if (args.arp_guard === 'arptables') {
    const tool = netfilterTool(ctx.facts, 'arptables');
    if (!tool) return refuse(['arptables is not installed'], 'Install arptables.');
    const missing: string[] = [];
    if (!dropsArpFor(state.fact(arptablesRulesFact, tool), vip)) missing.push(`no running arptables rule INPUT -d ${vip} -j DROP`);
    if (persist) {
      if (!file || !unit) missing.push('no known place where arptables rules are saved on this OS (set arp_guard_file and arp_guard_unit)');
      else {
        const saved = knownContent(state.fact(fileFact, file));
        if (saved === null || !dropsArpFor(parseArptablesSave(saved), vip)) missing.push(`the DROP rule is not saved in ${file}`);
        if (!state.fact(unitFact, unit).enabled) missing.push(`${unit} is not enabled to restore it at boot`);
      }
    }
    return refuse(missing, `Put an arptables task (chain: IN, destination: ${vip}, target: DROP) before this one.`);
  }

  if (args.arp_guard === 'sysctl') {
    if (!arpInterface) return refuse(['this host has no default route to take the ARP interface from'], 'Set arp_interface.');
    if (arpInterface === device) {
      return refuse([`the VIP would be on ${device}, the interface ARP requests arrive on, where arp_ignore does not hide it`], 'Put the VIP on lo.');
    }
    const [allIgnore, ifIgnore, allAnnounce, ifAnnounce] = sysctlNames(arpInterface);
    const missing: string[] = [];
    const runtime = (n: string) => Number(state.fact(sysctlFact, n) ?? 0);
    const check = (param: keyof typeof SYSCTL_MINIMUM, all: string, iface: string) => {
      const min = SYSCTL_MINIMUM[param];
      const effective = Math.max(runtime(all), runtime(iface));
      if (effective < min) missing.push(`effective ${param} on ${arpInterface} is ${effective}, needs ${min} (set ${all} or ${iface})`);
      if (persist && file) {
        const content = knownContent(state.fact(fileFact, file));
        const saved = Math.max(...[all, iface].map((n) => Number(sysctlConfValues(content, n).at(-1) ?? 0)));
        if (saved < min) missing.push(`${file} does not persist ${param} >= ${min} for ${arpInterface}`);
      }
    };
    check('arp_ignore', allIgnore, ifIgnore);
    check('arp_announce', allAnnounce, ifAnnounce);
    if (persist && !file) missing.push('no known sysctl.d file on this OS (set arp_guard_file)');
    return refuse(missing, 'Put sysctl tasks for arp_ignore and arp_announce before this one.');
  }
  return undefined;
}
