/**
 * A task's `loop_control`, with Ansible's meaning: `loop_var` names the loop variable (for loops in
 * imported tasks that would shadow an outer `item`), `index_var` the 0-based index, `label` what is
 * shown for each item, `pause` the seconds between items, `extended` adds `ansible_loop`.
 */
import { isMap } from 'yaml';
import type { LoopControl } from './types.ts';
import { closestName } from '../errors.ts';
import { describe, keyName, readBool, readNumber, readString, type Reader } from './yaml-read.ts';

const LOOP_CONTROL_KEYS = ['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems'];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readLoopControl(r: Reader, node: unknown): LoopControl {
  const out: LoopControl = { loopVar: 'item', extended: false };
  if (!isMap(node)) {
    r.problems.add({ pos: r.src.posOf(node), message: `'loop_control' must be a mapping, not ${describe(node)}`, hint: `keys: ${LOOP_CONTROL_KEYS.join(', ')}` });
    return out;
  }
  for (const pair of node.items) {
    const key = keyName(pair);
    const value = pair.value;
    const name = (): string | undefined => {
      const v = readString(r, value, `loop_control.${key}`);
      if (v === undefined || VAR_NAME.test(v)) return v;
      r.problems.add({ pos: r.src.posOf(value), message: `'loop_control.${key}' must be a variable name, not ${JSON.stringify(v)}`, hint: 'use letters, digits and _, not starting with a digit' });
      return undefined;
    };
    switch (key) {
      case 'loop_var':
        out.loopVar = name() ?? 'item';
        break;
      case 'index_var': {
        const v = name();
        if (v !== undefined) out.indexVar = v;
        break;
      }
      case 'label': {
        const v = readString(r, value, 'loop_control.label');
        if (v !== undefined) out.label = v;
        break;
      }
      case 'pause': {
        const v = readNumber(r, value, 'loop_control.pause', 0, 3600);
        if (v !== undefined) out.pause = v;
        break;
      }
      case 'extended':
        out.extended = readBool(r, value, 'loop_control.extended') ?? false;
        break;
      case 'extended_allitems':
        if (readBool(r, value, 'loop_control.extended_allitems') === false) out.allItems = false;
        break;
      default: {
        const near = closestName(key, LOOP_CONTROL_KEYS);
        r.problems.add({ pos: r.src.posOf(pair.key), message: `unknown loop_control key '${key}'`, hint: near ? `did you mean '${near}'?` : `keys: ${LOOP_CONTROL_KEYS.join(', ')}` });
      }
    }
  }
  return out;
}

/** The variables each run of a looping task defines, as Ansible's TaskExecutor sets them. */
export function loopVarNames(control: LoopControl | undefined): string[] {
  const c = control ?? { loopVar: 'item', extended: false };
  return [c.loopVar, 'ansible_loop_var', ...(c.indexVar ? [c.indexVar, 'ansible_index_var'] : []), ...(c.extended ? ['ansible_loop'] : [])];
}
