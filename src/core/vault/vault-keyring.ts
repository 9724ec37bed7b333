/**
 * The vault secrets of this command, and decryption with them wherever Ansible decrypts: whole YAML
 * files, `!vault` values, and the files copy and template read. One keyring per command, set by the
 * CLI before anything is loaded (as Ansible's DataLoader gets its secrets once), so the many
 * readers of YAML need no secrets passed down to them.
 */
import { readFileSync } from 'node:fs';
import type { Problem } from '../errors.ts';
import { isVaultText, openVault, parseVaultEnvelope, trialOrder, VaultFormatError, type VaultSecret } from './vault-cipher.ts';

let secrets: VaultSecret[] = [];

export function useVaultSecrets(given: VaultSecret[]): void {
  secrets = given;
}

export class VaultProblem extends Error {
  readonly problem: Omit<Problem, 'pos'>;
  constructor(problem: Omit<Problem, 'pos'>) {
    super(problem.message);
    this.problem = problem;
  }
}

/** The plaintext of vault text, or a VaultProblem saying why it cannot be had. */
export function decryptVault(text: string, what: string): string {
  let envelope;
  try {
    envelope = parseVaultEnvelope(text);
  } catch (err) {
    if (!(err instanceof VaultFormatError)) throw err;
    throw new VaultProblem({ message: `${what} is not valid vault text: ${err.message}`, hint: 'encrypt it again with ansible-vault' });
  }
  if (secrets.length === 0) {
    throw new VaultProblem({
      message: `${what} is vault-encrypted and no vault password was given`,
      hint: 'give one with --vault-password-file FILE, --vault-id [LABEL@]FILE, or --ask-vault-pass (-J) on a terminal',
    });
  }
  for (const secret of trialOrder(envelope, secrets)) {
    const plain = openVault(envelope, secret.password);
    if (plain) return plain.toString('utf8');
  }
  const tried = secrets.map((s) => `${s.id} from ${s.source}`).join(', ');
  throw new VaultProblem({
    message: `no vault password given opens ${what}${envelope.id ? ` (vault id ${envelope.id})` : ''}`,
    hint: `check the password: tried ${tried}`,
  });
}

/** A controller file's text as Ansible's loader reads it: decrypted when it is vault-encrypted. */
export function readControllerText(file: string): string {
  const text = readFileSync(file, 'utf8');
  return isVaultText(text) ? decryptVault(text, file) : text;
}
