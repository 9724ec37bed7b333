/**
 * `delegate_to` and `delegate_facts` on a task, read with ansible-core 2.14's meaning: the task
 * runs on the delegate — any host, reached as the delegate's variables say (executor/delegation.ts)
 * — with the original host's variables. The name may be a template (rendered per loop item); a name
 * the inventory does not list is reached at that name, as Ansible does (it is not an error there
 * either). `delegate_facts` without `delegate_to` does nothing, as in Ansible.
 */
import type { Pair } from 'yaml';
import type { Task } from './types.ts';
import { readBool, readString, type Reader } from './yaml-read.ts';

export function readDelegateTo(r: Reader, pairs: Map<string, Pair>): Pick<Task, 'delegateTo' | 'delegateFacts'> {
  const facts = pairs.get('delegate_facts');
  const delegateFacts = facts ? readBool(r, facts.value, 'delegate_facts') : undefined;
  const pair = pairs.get('delegate_to');
  const name = pair ? readString(r, pair.value, 'delegate_to') : undefined;
  if (pair && name !== undefined && name.trim() === '') {
    r.problems.add({ pos: r.src.posOf(pair.value), message: "'delegate_to' is empty", hint: 'name the host the task runs on, or leave delegate_to out' });
    return {};
  }
  return { ...(name !== undefined ? { delegateTo: name } : {}), ...(delegateFacts !== undefined ? { delegateFacts } : {}) };
}
