/**
 * `delegate_to`, as far as lvsdr takes it: to a host it reaches over a local connection — Ansible's
 * implicit localhost (`localhost`, `127.0.0.1`, `::1` when the inventory does not name them) or an
 * inventory host with `ansible_connection: local`. The task runs on this machine with the original
 * host's variables (inventory_hostname stays the host's), the connection and become settings taken
 * from the delegate's variables, as Ansible's TaskExecutor takes them. Only modules that plan from
 * what they read where they run may be delegated: the others plan from the original host's facts.
 * A templated delegate, a remote one and `delegate_facts: true` are refused by name.
 */
import type { Pair } from 'yaml';
import type { Problem } from '../errors.ts';
import type { Inventory } from '../inventory/types.ts';
import { IMPLICIT_LOCALHOST_NAMES } from '../inventory/patterns.ts';
import { isTemplate } from '../templating.ts';
import type { Task } from './types.ts';
import { readBool, readString, type Reader } from './yaml-read.ts';

/** Modules whose plan reads only what their probes read where they run (not the host's facts). */
export const DELEGABLE_MODULES = ['command', 'shell', 'copy', 'template', 'file', 'lineinfile', 'blockinfile', 'replace', 'stat', 'wait_for', 'listening', 'debug', 'assert', 'fail', 'set_fact', 'include_vars', 'group'];

export function readDelegateTo(r: Reader, pairs: Map<string, Pair>, module: string | undefined): Pick<Task, 'delegateTo'> {
  const facts = pairs.get('delegate_facts');
  if (facts && readBool(r, facts.value, 'delegate_facts') === true) {
    r.problems.add({ pos: r.src.posOf(facts.value), message: "'delegate_facts: true' is not supported: lvsdr's hostvars hold the inventory's variables only", hint: "set the fact on the task's own host, or run a play for the other host" });
  }
  const pair = pairs.get('delegate_to');
  if (!pair) return {};
  const name = readString(r, pair.value, 'delegate_to');
  if (name === undefined) return {};
  if (isTemplate(name)) {
    r.problems.add({ pos: r.src.posOf(pair.value), message: `delegate_to ${JSON.stringify(name)}: a templated delegate is not supported`, hint: 'lvsdr delegates only to this machine: write delegate_to: localhost' });
    return {};
  }
  if (module !== undefined && !DELEGABLE_MODULES.includes(module)) {
    r.problems.add({ pos: r.src.posOf(pair.key), message: `module '${module}' cannot be delegated: it plans from its host's facts, not the delegate's`, hint: `delegable modules: ${DELEGABLE_MODULES.join(', ')}` });
  }
  return { delegateTo: name };
}

/** The delegate must be a host of the inventory (or the implicit localhost) reached over a local connection. */
export function delegateProblems(task: Task, inventory: Inventory): Problem[] {
  const name = task.delegateTo;
  if (name === undefined) return [];
  const pos = task.keywordPos?.get('delegate_to') ?? task.pos;
  const host = inventory.hosts.get(name);
  if (!host && !IMPLICIT_LOCALHOST_NAMES.includes(name)) {
    return [{ pos, message: `delegate_to ${JSON.stringify(name)} is not a host of the inventory`, hint: 'name a host of the inventory, or localhost' }];
  }
  // An inventory host without ansible_connection is reached over ssh; the implicit localhost, locally.
  const connection = host ? (host.vars.ansible_connection ?? 'ssh') : 'local';
  if (connection !== 'local') {
    return [{ pos, message: `delegate_to ${JSON.stringify(name)}: lvsdr delegates only to a host it reaches over a local connection, and this one has ansible_connection ${JSON.stringify(connection)}`, hint: 'delegate to localhost, or run a play for that host' }];
  }
  return [];
}
