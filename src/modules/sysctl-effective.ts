/**
 * For arp_ignore, arp_announce and rp_filter the kernel does not use the interface's value alone:
 * it uses max(conf.all.X, conf.<iface>.X). Setting eth0's arp_ignore to 1 while conf.all is 2
 * leaves the host at 2, and an operator who reads only the interface's value is misled.
 */
import { sysctlKey } from './lvs-state.ts';
import type { StateView } from './types.ts';

const MAX_OF_ALL = new Set(['arp_ignore', 'arp_announce', 'rp_filter']);

export interface EffectiveSysctl {
  allName: string;
  /** The value the kernel acts on, given the interface's and conf.all's values. */
  effective(ifaceValue: string, allValue: string | null): string;
}

export function effectiveSysctl(name: string): EffectiveSysctl | undefined {
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(name);
  if (!m || m[1] === 'all' || m[1] === 'default' || !MAX_OF_ALL.has(m[2])) return undefined;
  return {
    allName: `net.ipv4.conf.all.${m[2]}`,
    effective: (ifaceValue, allValue) => String(Math.max(Number(ifaceValue), Number(allValue ?? 0))),
  };
}

/** " (effective 2 because conf.all is 2)" when conf.all overrides the value, else "". */
export function effectiveNote(name: string, value: string | null, state: StateView): string {
  const related = effectiveSysctl(name);
  if (!related || value === null) return '';
  const all = state.get<string | null>(sysctlKey(related.allName));
  const effective = related.effective(value, all);
  return effective === value ? '' : ` (effective ${effective} because conf.all is ${all})`;
}
