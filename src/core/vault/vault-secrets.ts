/**
 * Reading vault passwords as ansible-playbook does (ansible/cli/__init__.py setup_vault_secrets,
 * parsing/vault get_file_vault_secret): `--vault-password-file FILE` and `--vault-id [LABEL@]SOURCE`
 * (SOURCE a file, an executable script, or `prompt`) and `--ask-vault-pass` (ansible.cfg and the
 * ANSIBLE_VAULT_* environment add to those: cli/ansible-config-defaults.ts). A file's password is
 * stripped of surrounding white space, a script's output of line ends; a script named `*-client`
 * (or `*-client.EXT`) is given `--vault-id LABEL`.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.ts';
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

function fromFile(id: string, file: string): Buffer {
  let isScript: boolean;
  try {
    isScript = statSync(file).isFile() && isExecutable(file);
  } catch (err) {
    throw new UserError({ message: `cannot read the vault password file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, hint: 'check the path given to --vault-password-file or --vault-id' });
  }
  if (!isScript) return strip(readFileSync(file), ' \t\n\r\f\v');
  const args = /-client(\.[^.]*)?$/.test(basename(file)) ? ['--vault-id', id] : [];
  try {
    return strip(execFileSync(file, args, { stdio: ['inherit', 'pipe', 'inherit'] }), '\r\n');
  } catch (err) {
    throw new UserError({ message: `the vault password script ${file} failed: ${(err as Error).message.split('\n')[0]}`, hint: 'run it by hand to see why; it must print the password' });
  }
}

/** Python's bytes.strip(chars): a file's password is stripped of white space, a script's of line ends. */
function strip(data: Buffer, chars: string): Buffer {
  const drop = new Set([...chars].map((c) => c.charCodeAt(0)));
  let start = 0;
  let end = data.length;
  while (start < end && drop.has(data[start])) start++;
  while (end > start && drop.has(data[end - 1])) end--;
  return data.subarray(start, end);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
