/**
 * set_fact (ansible.builtin.set_fact): host variables from the task's arguments, from this task on
 * and in later plays of the run, at the level of registered results (plugins/action/set_fact.py).
 * As there, a string `true`/`false`/`yes`/`no` becomes a boolean, a name must be a Python
 * identifier, and `cacheable` only adds the values to the fact cache — lvsdr keeps facts for one
 * run, so it changes nothing here. Nothing is read from or done on the host.
 */
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import type { ModuleDef, Plan } from './types.ts';

type SetFactArgs = Record<string, unknown> & { cacheable?: AnsibleBool };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no'];

export const setFactModule: ModuleDef<SetFactArgs> = {
  name: 'set_fact',
  summary: 'set host variables for the rest of the run (changes nothing on the host)',
  schema: {
    type: 'object',
    properties: { cacheable: boolSchema },
    minProperties: 1,
    additionalProperties: true,
  },
  argProblems(args) {
    const names = Object.keys(args).filter((k) => k !== 'cacheable');
    const problems = names.filter((k) => !IDENTIFIER.test(k)).map((k) => ({ path: `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `the variable name '${k}' is not valid: use letters, digits and _ (not starting with a digit)` }));
    if (names.length === 0) problems.push({ path: '', message: 'No key/value pairs provided, at least one is required for this action to succeed' });
    return problems;
  },
  setsVars: 'set_fact',
  definesVars: (args) => Object.keys(args).filter((k) => k !== 'cacheable'),
  plan(args): Plan {
    const facts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      if (k === 'cacheable') continue;
      facts[k] = typeof v === 'string' && BOOLEAN_WORDS.includes(v.toLowerCase()) ? ansibleBool(v) : v;
    }
    return { kind: 'noop', reason: Object.keys(facts).join(', '), result: { ansible_facts: facts, changed: false } };
  },
};
