/**
 * State keys and probes shared by the LVS modules. The vip guard reads the very keys the
 * arptables and sysctl modules write as effects, so in check mode a VIP planned after its ARP
 * suppression sees the suppression as in place, and one planned before it fails.
 */
import type { ExecResult } from '../connection/types.ts';
import type { HostFacts, NetInterface } from '../facts/types.ts';
import { parseArptablesSave, type ArptablesRuleSet } from '../facts/parsers/arptables-save.ts';
import { parseIpAddr } from '../facts/ip-addr.ts';
import { parseIpOneline } from '../facts/parsers/ip-oneline.ts';
import { parseIptablesSave, type IptablesRuleSet } from '../facts/parsers/iptables-save.ts';
import { normalizeSysctlName, normalizeSysctlValue } from '../facts/parsers/sysctl-conf.ts';
import { marker } from '../shell/marker.ts';
import { sh } from '../shell/quote.ts';
import { SHARED_READS } from './shared-reads.ts';
import type { Probe } from './types.ts';

export function stdoutOf(what: string, r: ExecResult): string {
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

/** Runtime value of a sysctl, whitespace-normalised; null when the key does not exist. */
export const sysctlKey = (name: string): string => `sysctl:${normalizeSysctlName(name)}`;

export function sysctlProbe(name: string): Probe<string | null> {
  return {
    key: sysctlKey(name),
    // -e: a missing key (an interface that is not there) prints nothing instead of failing.
    command: SHARED_READS.sysctl.command([name]),
    shared: { kind: 'sysctl', arg: name },
    parse: (r) => {
      const v = normalizeSysctlValue(stdoutOf(`sysctl ${name}`, r));
      return v === '' ? null : v;
    },
  };
}

/**
 * A unit's enabled/active state, read exactly as the systemd and service modules read it (same key,
 * same probe), so a `service` task and these modules see each other's check-mode effects.
 */
export { serviceKey, unitStateProbe as unitProbe, type ServiceState } from './unit-state.ts';

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

export const ARPTABLES_RUNTIME_KEY = 'arptables:runtime';

export function arptablesRuntimeProbe(tool: NetfilterTool): Probe<ArptablesRuleSet> {
  return { key: ARPTABLES_RUNTIME_KEY, command: sh`${tool.save}`, parse: (r) => parseArptablesSave(stdoutOf('arptables-save', r)) };
}

export const IPTABLES_RUNTIME_KEY = 'iptables:runtime';

export function iptablesRuntimeProbe(tool: NetfilterTool): Probe<IptablesRuleSet> {
  return { key: IPTABLES_RUNTIME_KEY, command: sh`${tool.save}`, parse: (r) => parseIptablesSave(stdoutOf('iptables-save', r)) };
}

/** Whether `<tool> -C …` finds the rule: exit 0 yes, 1 no, anything else is an error worth showing. */
export function checkResult(what: string, r: ExecResult): boolean {
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
}

export const INTERFACES_KEY = 'net:interfaces';

const ONELINE_MARK = marker('ip-oneline');

/** `ip -j addr`, or on iproute2 without JSON (RHEL 7) its one-line output. */
export function interfacesProbe(): Probe<NetInterface[]> {
  return {
    key: INTERFACES_KEY,
    command: sh`ip -j addr show 2>/dev/null || { echo ${ONELINE_MARK}; ip -o link show; echo ${ONELINE_MARK}; ip -o addr show; }`,
    parse: (r) => {
      const out = stdoutOf('ip addr show', r);
      if (!out.includes(ONELINE_MARK)) return parseIpAddr(out);
      const [, links = '', addrs = ''] = out.split(`${ONELINE_MARK}\n`);
      return parseIpOneline(links, addrs);
    },
  };
}
