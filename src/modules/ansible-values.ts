/**
 * Ansible's argument types where they differ from JSON's (booleans: ansible-args.ts): an `int` also
 * takes its digits as a string (a task written as `key=value` gives strings), and a `list` also takes
 * one comma-separated string (AnsibleModule's check_type_int, check_type_list).
 */

export const ansibleIntSchema = (minimum = 0, maximum?: number) =>
  ({ anyOf: [{ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) }, { type: 'string', pattern: '^[0-9]{1,10}$' }] }) as const;

export const toInt = (v: number | string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** A list of strings, or one string of comma-separated items. */
export const ansibleListSchema = (item: object) => ({ anyOf: [{ type: 'array', items: item }, { type: 'string' }] }) as const;

export function toList(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  return (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter(Boolean);
}
