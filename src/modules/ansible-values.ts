/**
 * Ansible's argument types where they differ from JSON's: a `bool` also takes the words
 * yes/no/on/off/true/false/y/n/t/f/1/0 in any case (a task written as `key=value` gives strings),
 * an `int` also takes its digits as a string, and a `list` also takes one comma-separated string
 * (AnsibleModule's check_type_bool, check_type_int, check_type_list).
 */

const TRUE_WORDS = ['yes', 'on', '1', 'true', 'y', 't'];
const FALSE_WORDS = ['no', 'off', '0', 'false', 'n', 'f'];

/** Case-insensitive, as a JSON Schema pattern (ajv has no `i` flag for patterns). */
const anyCase = (word: string): string => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');

export const ansibleBoolSchema = {
  anyOf: [{ type: 'boolean' }, { enum: [0, 1] }, { type: 'string', pattern: `^(${[...TRUE_WORDS, ...FALSE_WORDS].map(anyCase).join('|')})$` }],
} as const;

export type AnsibleBool = boolean | 0 | 1 | string;

/** A value ansibleBoolSchema accepted, as a boolean (undefined stays undefined). */
export function toBool(v: AnsibleBool | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  return TRUE_WORDS.includes(String(v).toLowerCase());
}

export const ansibleIntSchema = (minimum = 0) => ({ anyOf: [{ type: 'integer', minimum }, { type: 'string', pattern: '^[0-9]{1,10}$' }] }) as const;

export const toInt = (v: number | string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** A list of strings, or one string of comma-separated items. */
export const ansibleListSchema = (item: object) => ({ anyOf: [{ type: 'array', items: item }, { type: 'string' }] }) as const;

export function toList(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  return (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter(Boolean);
}
