/**
 * Argument conventions of Ansible's modules (AnsibleModule): boolean words and aliases. A module that
 * takes Ansible's arguments accepts what Ansible accepts, so `enabled=yes` in key=value form (a
 * string) and `enabled: True` (a boolean) mean the same, as they do to ansible-playbook.
 */

/**
 * The words Ansible's boolean() reads (module_utils/parsing/convert_bool.py), compared lowercased
 * with surrounding whitespace stripped; 1 and 0 as numbers too.
 */
const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f'];

/** Each letter of a word as a class of both cases: JSON Schema patterns have no `i` flag. */
const anyCase = (word: string): string => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');

export const boolSchema = {
  anyOf: [
    { type: 'boolean' },
    { enum: [0, 1] },
    { type: 'string', pattern: `^\\s*(${[...TRUE_WORDS, ...FALSE_WORDS].map(anyCase).join('|')})\\s*$` },
  ],
} as const;

/** What the schema accepted, in Ansible's boolean(); undefined stays undefined (not given). */
export function ansibleBool(v: boolean | number | string | undefined): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  const word = v.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new Error(`internal: '${v}' is not a boolean word (the schema should have refused it)`);
}

export type AnsibleBool = boolean | number | string;

/**
 * Arguments written under an alias, under their own name: `{ dest: x }` → `{ path: x }` with
 * `aliases = { dest: 'path' }`. Giving a name and its alias both is refused by aliasProblems.
 */
export function withoutAliases<T extends object>(args: T, aliases: Readonly<Record<string, string>>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[aliases[k] ?? k] = v;
  return out as T;
}

/** An argument given twice, under its name and an alias (or two aliases): Ansible warns and takes one; lvsdr refuses. */
export function aliasProblems(args: object, aliases: Readonly<Record<string, string>>): { path: string; message: string }[] {
  const given = Object.keys(args);
  const problems: { path: string; message: string }[] = [];
  for (const alias of given.filter((k) => aliases[k] !== undefined)) {
    const other = given.find((k) => k !== alias && (k === aliases[alias] || aliases[k] === aliases[alias]));
    if (other && given.indexOf(other) < given.indexOf(alias)) {
      problems.push({ path: `/${alias}`, message: `'${alias}' and '${other}' are the same argument (${aliases[alias]}); give it once` });
    }
  }
  return problems;
}
