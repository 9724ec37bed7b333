/**
 * The LVS modules' facts under the names modules written before src/facts/ read them by. The vip
 * guard reads the very facts the arptables and sysctl modules write as effects, so in check mode a
 * VIP planned after its ARP suppression sees the suppression as in place, and one planned before
 * it fails.
 */
import { factKey, factProbe, type Probe } from '../facts/fact.ts';
import { interfacesFact } from '../facts/interfaces.ts';
import { arptablesRulesFact, iptablesRulesFact, type NetfilterTool } from '../facts/netfilter.ts';
import type { ArptablesRuleSet } from '../facts/parsers/arptables-save.ts';
import type { IptablesRuleSet } from '../facts/parsers/iptables-save.ts';
import { sysctlFact } from '../facts/sysctl.ts';
import type { NetInterface } from '../facts/types.ts';

export { checkResult, netfilterTool, type NetfilterTool } from '../facts/netfilter.ts';
export { serviceKey, unitStateProbe as unitProbe, type ServiceState } from '../facts/unit.ts';

export const sysctlKey = (name: string): string => factKey(sysctlFact, name);
export const sysctlProbe = (name: string): Probe<string | null> => factProbe(sysctlFact, name);

export const ARPTABLES_RUNTIME_KEY = factKey(arptablesRulesFact, undefined as unknown as NetfilterTool);
export const arptablesRuntimeProbe = (tool: NetfilterTool): Probe<ArptablesRuleSet> => factProbe(arptablesRulesFact, tool);
export const IPTABLES_RUNTIME_KEY = factKey(iptablesRulesFact, undefined as unknown as NetfilterTool);
export const iptablesRuntimeProbe = (tool: NetfilterTool): Probe<IptablesRuleSet> => factProbe(iptablesRulesFact, tool);

export const INTERFACES_KEY = factKey(interfacesFact, undefined);
export const interfacesProbe = (): Probe<NetInterface[]> => factProbe(interfacesFact, undefined);
