/**
 * ansible.cfg and ANSIBLE_* settings as the defaults of lvsdr's flags (core/ansible-config/): a flag
 * given on the command line wins, then the environment, then ansible.cfg, then lvsdr's own default.
 * Runs before yargs validates the flags, so a value from the file is checked like a typed one.
 */
import type { Argv } from 'yargs';
import { DEFAULT_CONNECT_TIMEOUT_S } from './connection-options.ts';

/** lvsdr's own defaults of the flags ansible.cfg can set; yargs has none for them, so "not given" shows. */
export const FLAG_DEFAULTS: Record<string, unknown> = {
  forks: 50,
  timeout: DEFAULT_CONNECT_TIMEOUT_S,
  become: false,
  'accept-new-host-keys': false,
  diff: false,
  'ask-vault-pass': false,
  'ask-become-pass': false,
};

/** A yargs middleware; `warn` prints Ansible's warnings (a skipped world-writable ansible.cfg). */
export function ansibleConfigDefaults(warn: (line: string) => void) {
  return async (argv: Record<string, unknown>, yargs?: Argv): Promise<void> => {
    // yargs passes itself to a middleware; its getOptions() is not in the types.
    const options = new Set(Object.keys((yargs as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key));
    // Commands that read no inventory (lab, adopt-keepalived) read no ansible.cfg either.
    if (!options.has('inventory')) return;
    const { loadAnsibleConfig } = await import('../core/ansible-config/load-config.ts');
    const config = loadAnsibleConfig(process.cwd(), process.env);
    for (const w of config.warnings) warn(`[WARNING]: ${w}`);
    for (const d of config.defaults) {
      if (!options.has(d.flag)) continue;
      const given = argv[d.flag];
      if (d.list) argv[d.flag] = d.list === 'append' ? [...asList(given), d.value] : [...asList(d.value), ...asList(given)];
      else if (Array.isArray(given) ? given.length === 0 : given === undefined) argv[d.flag] = d.value;
    }
    for (const [flag, value] of Object.entries(FLAG_DEFAULTS)) {
      if (options.has(flag) && argv[flag] === undefined) argv[flag] = value;
    }
  };
}

function asList(v: unknown): unknown[] {
  return v === undefined ? [] : ([] as unknown[]).concat(v);
}
