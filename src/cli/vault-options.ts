/**
 * ansible-playbook's vault flags, for every command that reads playbooks, inventories or vars files.
 * The secrets are read once, before the command loads anything (main.ts), into the command's
 * keyring (core/vault/vault-keyring.ts).
 */
import type { Argv } from 'yargs';
import { repeatable } from './repeatable.ts';

export function withVaultOptions(y: Argv): Argv {
  return y
    .option('vault-password-file', { ...repeatable('file holding the vault password, or a script printing it (repeat for several)'), alias: 'vault-pass-file' })
    .option('vault-id', repeatable('vault password as [LABEL@]FILE or [LABEL@]prompt (repeat for several)'))
    .option('ask-vault-pass', { alias: ['J', 'ask-vault-password'], type: 'boolean', defaultDescription: 'false, or ansible.cfg', describe: 'ask for the vault password on the terminal' });
}

/**
 * Reads the secrets the flags name (with ansible.cfg's and ANSIBLE_VAULT_*'s, which
 * ansible-config-defaults.ts added) into the command's keyring, in Ansible's order
 * (cli/__init__.py build_vault_ids): vault ids, then password files, then the prompt.
 */
export async function loadVaultSecrets(argv: Record<string, unknown>): Promise<void> {
  const { useVaultSecrets } = await import('../core/vault/vault-keyring.ts');
  // Commands that read no YAML (lab, adopt-keepalived) have no vault flags and need no secrets.
  if (!('vault-id' in argv)) return useVaultSecrets([]);
  const { readVaultSecrets } = await import('../core/vault/vault-secrets.ts');
  const { hiddenPrompt } = await import('./terminal-prompt.ts');
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const ids = [...list(argv['vault-id']), ...list(argv['vault-password-file']).map((file) => `default@${file}`)];
  useVaultSecrets(await readVaultSecrets({ ids, askVaultPass: argv['ask-vault-pass'] === true, prompt: hiddenPrompt() }));
}
