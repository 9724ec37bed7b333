/** The state keys and reads of the LVS modules' facts, by the names the planner tables use. */
import { factKey, factProbe } from '../../src/facts/fact.ts';
import { interfacesFact } from '../../src/facts/interfaces.ts';
import { arptablesRulesFact, ip6tablesRulesFact, iptablesRulesFact, type NetfilterTool } from '../../src/facts/netfilter.ts';
import { sysctlFact } from '../../src/facts/sysctl.ts';

export { serviceKey } from '../../src/facts/unit.ts';

/** A rule set's key does not depend on the tool that reads it. */
const anyTool = {} as NetfilterTool;

export const sysctlKey = (name: string): string => factKey(sysctlFact, name);
export const sysctlProbe = (name: string) => factProbe(sysctlFact, name);
export const ARPTABLES_RUNTIME_KEY = factKey(arptablesRulesFact, anyTool);
export const IPTABLES_RUNTIME_KEY = factKey(iptablesRulesFact, anyTool);
export const IP6TABLES_RUNTIME_KEY = factKey(ip6tablesRulesFact, anyTool);
export const INTERFACES_KEY = factKey(interfacesFact, undefined);
export const interfacesProbe = () => factProbe(interfacesFact, undefined);
