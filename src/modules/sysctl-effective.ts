/**
 * For arp_ignore, arp_announce and rp_filter the kernel does not use the interface's value alone:
 * it uses max(conf.all.X, conf.<iface>.X). Setting eth0's arp_ignore to 1 while conf.all is 2
 * leaves the host at 2, and an operator who reads only the interface's value is misled.
 */
import { sysctlFact } from '../facts/sysctl.ts';
import type { StateView } from './types.ts';

const MAX_OF_ALL = new Set(['arp_ignore', 'arp_announce', 'rp_filter']);

/** The conf.all parameter the kernel takes the max with, for such a per-interface one. */
function allNameOf(name: string): string | undefined {
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(name);
  if (!m || m[1] === 'all' || m[1] === 'default' || !MAX_OF_ALL.has(m[2])) return undefined;
  return `net.ipv4.conf.all.${m[2]}`;
}

export interface SysctlRuntime {
  /** The parameter's runtime value; null when the kernel has no such key. */
  current: string | null;
  /** The value the kernel acts on when the parameter holds `value`; undefined when that is `value` itself. */
  effective(value: string | null): string | undefined;
  /** " (effective 2 because conf.all is 2)" when conf.all overrides `value`, else "". */
  note(value: string | null): string;
}

/** A parameter's runtime value and, read at once, the conf.all value that may override it. */
export function sysctlRuntime(name: string, state: StateView): SysctlRuntime {
  const current = state.fact(sysctlFact, name);
  const allName = allNameOf(name);
  const all = allName === undefined ? null : state.fact(sysctlFact, allName);
  const effective = (value: string | null) => (allName === undefined || value === null ? undefined : String(Math.max(Number(value), Number(all ?? 0))));
  return {
    current,
    effective,
    note(value) {
      const e = effective(value);
      return e === undefined || e === value ? '' : ` (effective ${e} because conf.all is ${all})`;
    },
  };
}
