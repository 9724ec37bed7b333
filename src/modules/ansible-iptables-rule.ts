/**
 * The rule words of ansible.builtin.iptables, built as its construct_rule builds them
 * (ansible/modules/iptables.py, ansible-core 2.14): the same options in the same order, so `-C`,
 * `-A`, `-I` and `-D` get exactly the words Ansible's module gives them, and the `rule` it returns.
 */

/** Ansible's `str` parameters: a number in YAML arrives as its text. */
export type AnsibleStr = string | number;

export interface AnsibleIptablesRuleArgs {
  ip_version?: 'ipv4' | 'ipv6';
  protocol?: AnsibleStr;
  source?: AnsibleStr;
  destination?: AnsibleStr;
  match?: string[];
  tcp_flags?: { flags?: string[]; flags_set?: string[] };
  jump?: string;
  gateway?: AnsibleStr;
  log_prefix?: AnsibleStr;
  log_level?: AnsibleStr;
  to_destination?: AnsibleStr;
  destination_ports?: string[];
  to_source?: AnsibleStr;
  goto?: AnsibleStr;
  in_interface?: AnsibleStr;
  out_interface?: AnsibleStr;
  fragment?: AnsibleStr;
  source_port?: AnsibleStr;
  destination_port?: AnsibleStr;
  to_ports?: AnsibleStr;
  set_dscp_mark?: AnsibleStr;
  set_dscp_mark_class?: AnsibleStr;
  syn?: 'ignore' | 'match' | 'negate';
  ctstate?: string[];
  src_range?: AnsibleStr;
  dst_range?: AnsibleStr;
  limit?: AnsibleStr;
  limit_burst?: AnsibleStr;
  uid_owner?: AnsibleStr;
  gid_owner?: AnsibleStr;
  reject_with?: AnsibleStr;
  icmp_type?: AnsibleStr;
  comment?: AnsibleStr;
  wait?: AnsibleStr;
}

/** append_param: a value starting with `!` negates the option. */
function param(rule: string[], value: AnsibleStr | undefined, flag: string): void {
  if (value === undefined) return;
  const v = String(value);
  if (v.startsWith('!')) rule.push('!', flag, v.slice(1));
  else rule.push(flag, v);
}

/** append_match_flag */
function matchFlag(rule: string[], value: string | undefined, flag: string, negatable: boolean): void {
  if (value === 'match') rule.push(flag);
  else if (negatable && value === 'negate') rule.push('!', flag);
}

function csv(rule: string[], values: string[] | undefined, flag: string): void {
  if (values && values.length > 0) rule.push(flag, values.join(','));
}

function match(rule: string[], given: unknown, name: string): void {
  if (given !== undefined && given !== '' && !(Array.isArray(given) && given.length === 0)) rule.push('-m', name);
}

export function ansibleIptablesWords(p: AnsibleIptablesRuleArgs): string[] {
  const rule: string[] = [];
  const matches = p.match ?? [];
  if (p.wait !== undefined && String(p.wait) !== '') rule.push('-w', String(p.wait));
  param(rule, p.protocol, '-p');
  param(rule, p.source, '-s');
  param(rule, p.destination, '-d');
  for (const m of matches) param(rule, m, '-m');
  if (p.tcp_flags?.flags && p.tcp_flags.flags_set) rule.push('--tcp-flags', p.tcp_flags.flags.join(','), p.tcp_flags.flags_set.join(','));
  param(rule, p.jump, '-j');
  if (p.jump?.toLowerCase() === 'tee') param(rule, p.gateway, '--gateway');
  param(rule, p.log_prefix, '--log-prefix');
  param(rule, p.log_level, '--log-level');
  param(rule, p.to_destination, '--to-destination');
  match(rule, p.destination_ports, 'multiport');
  csv(rule, p.destination_ports, '--dports');
  param(rule, p.to_source, '--to-source');
  param(rule, p.goto, '-g');
  param(rule, p.in_interface, '-i');
  param(rule, p.out_interface, '-o');
  param(rule, p.fragment, '-f');
  param(rule, p.source_port, '--source-port');
  param(rule, p.destination_port, '--destination-port');
  param(rule, p.to_ports, '--to-ports');
  param(rule, p.set_dscp_mark, '--set-dscp');
  param(rule, p.set_dscp_mark_class, '--set-dscp-class');
  matchFlag(rule, p.syn ?? 'ignore', '--syn', true);
  if (matches.includes('conntrack')) csv(rule, p.ctstate, '--ctstate');
  else if (matches.includes('state')) csv(rule, p.ctstate, '--state');
  else if (p.ctstate && p.ctstate.length > 0) {
    rule.push('-m', 'conntrack');
    csv(rule, p.ctstate, '--ctstate');
  }
  if (!matches.includes('iprange')) match(rule, p.src_range ?? p.dst_range, 'iprange');
  param(rule, p.src_range, '--src-range');
  param(rule, p.dst_range, '--dst-range');
  match(rule, p.limit ?? p.limit_burst, 'limit');
  param(rule, p.limit, '--limit');
  param(rule, p.limit_burst, '--limit-burst');
  owner(rule, p.uid_owner, '--uid-owner');
  owner(rule, p.gid_owner, '--gid-owner');
  if (p.jump === undefined && p.reject_with !== undefined) rule.push('-j', 'REJECT');
  param(rule, p.reject_with, '--reject-with');
  param(rule, p.icmp_type, (p.ip_version ?? 'ipv4') === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  match(rule, p.comment, 'comment');
  param(rule, p.comment, '--comment');
  return rule;
}

/** `-m owner`, then the option as append_match_flag and append_param both add it. */
function owner(rule: string[], value: AnsibleStr | undefined, flag: string): void {
  if (value === undefined) return;
  match(rule, value, 'owner');
  matchFlag(rule, String(value), flag, true);
  param(rule, value, flag);
}
