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
    .option('ask-vault-pass', { alias: ['J', 'ask-vault-password'], type: 'boolean', default: false, describe: 'ask for the vault password on the terminal' });
}

/** Reads the secrets the flags and ANSIBLE_VAULT_* environment name into the command's keyring. */
export async function loadVaultSecrets(argv: Record<string, unknown>): Promise<void> {
  const { useVaultSecrets } = await import('../core/vault/vault-keyring.ts');
  // Commands that read no YAML (lab, adopt-keepalived) have no vault flags and need no secrets.
  if (!('vault-id' in argv)) return useVaultSecrets([]);
  const { readVaultSecrets, vaultIdsFrom } = await import('../core/vault/vault-secrets.ts');
  const { hiddenPrompt } = await import('./terminal-prompt.ts');
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const ids = vaultIdsFrom({ vaultIds: list(argv['vault-id']), passwordFiles: list(argv['vault-password-file']) }, process.env);
  useVaultSecrets(await readVaultSecrets({ ids, askVaultPass: argv['ask-vault-pass'] === true, prompt: hiddenPrompt() }));
}
