/**
 * What a `meta` task may say. Ansible's strategy runs meta itself, outside its TaskExecutor, so a
 * loop, register, notify, ignore_errors, become or connection on one has no effect there; lvsdr
 * refuses them rather than accept them unread, as it refuses a `when` on noop (Ansible warns and
 * ignores it) and the actions it does not take.
 */
import type { Pair } from 'yaml';
import { META_ACTIONS, REFUSED_META_ACTIONS } from '../../modules/meta.ts';
import type { Reader } from './yaml-read.ts';

/** The keywords a meta task honours: its name and tags, and `vars` and `when` for the actions that evaluate a condition. */
const META_KEYWORDS = ['name', 'when', 'tags', 'vars'];

/** False when the action itself is refused (the task is then left out, so its arguments are not checked again). */
export function checkMetaTask(r: Reader, pairs: Map<string, Pair>, modulePair: Pair, args: Record<string, unknown>, isHandler: boolean): boolean {
  const action = args.free_form;
  const at = r.src.posOf(modulePair.value ?? modulePair.key);
  if (typeof action === 'string' && REFUSED_META_ACTIONS[action]) {
    r.problems.add({ pos: at, message: `meta: ${action} is not supported: ${REFUSED_META_ACTIONS[action]}`, hint: `lvsdr takes meta: ${META_ACTIONS.join(', ')}` });
    return false;
  }
  if (isHandler && action === 'flush_handlers') {
    r.problems.add({ pos: at, message: 'meta: flush_handlers cannot be used as a handler', hint: 'Ansible refuses it there too: put it among the tasks' });
  }
  for (const [key, pair] of pairs) {
    if (pair === modulePair || META_KEYWORDS.includes(key) || (isHandler && key === 'listen')) continue;
    r.problems.add({
      pos: r.src.posOf(pair.key),
      message: `'${key}' has no effect on a meta task`,
      hint: `Ansible's strategy runs meta itself and reads only ${META_KEYWORDS.join(', ')}: remove '${key}'`,
    });
  }
  const when = pairs.get('when');
  if (when && action === 'noop') {
    r.problems.add({ pos: r.src.posOf(when.key), message: "meta: noop does not evaluate 'when'", hint: 'Ansible ignores the condition with a warning: remove it' });
  }
  return true;
}
