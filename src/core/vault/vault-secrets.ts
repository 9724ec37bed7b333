/**
 * Reading vault passwords as ansible-playbook does (ansible/cli/__init__.py setup_vault_secrets,
 * parsing/vault get_file_vault_secret): `--vault-password-file FILE` and `--vault-id [LABEL@]SOURCE`
 * (SOURCE a file, an executable script, or `prompt`) and `--ask-vault-pass` (ansible.cfg and the
 * ANSIBLE_VAULT_* environment add to those: cli/ansible-config-defaults.ts). A file's password is
 * stripped of surrounding white space, a script's output of line ends; a script named `*-client`
 * (or `*-client.EXT`) is given `--vault-id LABEL`.
 */
import { basename } from 'node:path';
import { UserError } from '../errors.ts';
import { passwordFromFile } from '../password-file.ts';
import type { VaultSecret } from './vault-cipher.ts';

export interface VaultSources {
  /** `[LABEL@]SOURCE`, in the order given: --vault-id values and --vault-password-file files. */
  ids: string[];
  askVaultPass: boolean;
  /** Reads a password from the terminal without echo; undefined when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
}

const DEFAULT_ID = 'default';

export async function readVaultSecrets(sources: VaultSources): Promise<VaultSecret[]> {
  const ids = [...sources.ids];
  if (sources.askVaultPass) ids.push('prompt');
  const secrets: VaultSecret[] = [];
  for (const spec of ids) {
    const at = spec.indexOf('@');
    const id = at === -1 ? DEFAULT_ID : spec.slice(0, at);
    const source = at === -1 ? spec : spec.slice(at + 1);
    const password = source === 'prompt' || source === 'prompt_ask_vault_pass' ? await prompted(id, sources) : fromFile(id, source);
    if (password.length === 0) {
      throw new UserError({ message: `the vault password from ${source} is empty`, hint: 'put the password in the file (one line), or give another source' });
    }
    secrets.push({ id, password, source });
  }
  return secrets;
}

async function prompted(id: string, sources: VaultSources): Promise<Buffer> {
  if (!sources.prompt) {
    throw new UserError({
      message: 'a vault password prompt needs a terminal, and there is none',
      hint: 'give the password with --vault-password-file FILE or --vault-id LABEL@FILE instead',
    });
  }
  const question = id === DEFAULT_ID ? 'Vault password: ' : `Vault password (${id}): `;
  return Buffer.from((await sources.prompt(question)).trim(), 'utf8');
}

/** A vault password file; a script named `*-client` (or `*-client.EXT`) is asked for the vault id. */
function fromFile(id: string, file: string): Buffer {
  const args = /-client(\.[^.]*)?$/.test(basename(file)) ? ['--vault-id', id] : [];
  return passwordFromFile(file, 'vault password', args);
}
