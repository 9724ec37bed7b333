/**
 * `environment` on a play, block, import line or task: a mapping of variable names to values, or a
 * template giving one (`environment: "{{ proxy_env }}"`). Each level's is kept as written, outermost
 * first, and merged at run time with the innermost winning (executor/task-access.ts), as Ansible's
 * action plugins merge the list (_compute_environment_string).
 */
import { isMap, isScalar, type Pair } from 'yaml';
import { isTemplate } from '../templating.ts';
import { describe, keyName, toJS, type Reader } from './yaml-read.ts';

/** A name Ansible can put before the command as NAME=value (it does not quote names). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readEnvironment(r: Reader, node: unknown): unknown[] {
  if (isScalar(node) && isTemplate(node.value)) return [node.value];
  if (isScalar(node) && node.value === null) return [];
  if (!isMap(node)) {
    r.problems.add({ pos: r.src.posOf(node), message: `'environment' must be a mapping of variable names to values, or a template giving one, not ${describe(node)}`, hint: 'write e.g. environment: { http_proxy: "http://proxy:3128" }' });
    return [];
  }
  let ok = true;
  for (const pair of node.items as Pair[]) {
    const name = keyName(pair);
    if (!ENV_NAME.test(name)) {
      ok = false;
      r.problems.add({ pos: r.src.posOf(pair.key), message: `environment variable name ${JSON.stringify(name)} is not valid`, hint: 'use letters, digits and _, not starting with a digit' });
    }
    if (pair.value !== null && !isScalar(pair.value)) {
      ok = false;
      r.problems.add({ pos: r.src.posOf(pair.value), message: `environment variable ${name} must be a string, number or boolean, not ${describe(pair.value)}`, hint: 'Ansible would pass the Python text of the structure: give the text you mean' });
    }
  }
  return ok ? [toJS(r, node)] : [];
}
