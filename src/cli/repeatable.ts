/**
 * A flag given once per value, like Ansible's `-i a -i b` and `-e x=1 -e y=2`. yargs' `array: true`
 * would also take the words after the flag, so `lvsdr validate -i inv.yml site.yml` would read the
 * playbook as a second inventory; repeated plain flags collect into a list instead.
 */
export function repeatable(describe: string, alias?: string) {
  return {
    ...(alias ? { alias } : {}),
    type: 'string' as const,
    describe,
    default: [] as string[],
    defaultDescription: 'none',
    coerce: (v: unknown): string[] => ([] as unknown[]).concat(v ?? []).map(String),
  };
}
