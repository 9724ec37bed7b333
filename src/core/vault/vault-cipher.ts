/**
 * Ansible Vault's format, read with Node's crypto (ansible/parsing/vault/__init__.py, ansible-core
 * 2.14): an envelope `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;LABEL`, the vault id) then hex lines.
 * The hex is `hex(salt) \n hex(hmac) \n hex(ciphertext)`, hexed once more. PBKDF2-HMAC-SHA256 of the
 * password with the salt, 10000 rounds, gives 80 bytes: the AES-256 key, the HMAC-SHA256 key and
 * the CTR counter block. The plaintext was PKCS#7-padded before CTR encryption.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/** What `$ANSIBLE_VAULT;1.1;AES256` text starts with (b_HEADER). */
export const VAULT_HEADER = '$ANSIBLE_VAULT';

/** One password and the vault id it was given under (`default` without a label). */
export interface VaultSecret {
  id: string;
  password: Buffer;
  /** Where it came from, for messages: a file, a script, "prompt". */
  source: string;
}

export interface VaultEnvelope {
  version: string;
  cipher: string;
  /** The label a 1.2 envelope names. */
  id?: string;
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

export class VaultFormatError extends Error {}

/** Whether text is vault-encrypted, as Ansible's is_encrypted decides: it starts with the header. */
export function isVaultText(text: string): boolean {
  return text.startsWith(VAULT_HEADER);
}

/** The parts of vault text, or a VaultFormatError saying what is wrong with it. */
export function parseVaultEnvelope(text: string): VaultEnvelope {
  // As _parse_vaulttext_envelope: the header line stripped, the hex lines joined as they are.
  const lines = text.split(/\r?\n/);
  const header = lines[0].trim().split(';').map((p) => p.trim());
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError('the first line is not a vault header ($ANSIBLE_VAULT;1.1;AES256)');
  const [, version, cipher, id] = header;
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`vault format ${version} is not one Ansible writes (1.1 or 1.2)`);
  if (cipher !== 'AES256') throw new VaultFormatError(`cipher ${cipher} is not supported: Ansible encrypts with AES256`);
  const outer = unhex(lines.slice(1).join(''), 'the encrypted text').toString('latin1');
  const parts = outer.split('\n');
  if (parts.length !== 3) throw new VaultFormatError('the encrypted text is not salt, HMAC and ciphertext');
  return {
    version,
    cipher,
    id: version === '1.2' ? id : undefined,
    salt: unhex(parts[0], 'the salt'),
    hmac: unhex(parts[1], 'the HMAC'),
    ciphertext: unhex(parts[2], 'the ciphertext'),
  };
}

/** The plaintext if `password` opens the envelope (its HMAC matches), else undefined. */
export function openVault(envelope: VaultEnvelope, password: Buffer): Buffer | undefined {
  const derived = pbkdf2Sync(password, envelope.salt, 10000, 80, 'sha256');
  const [key, hmacKey, counter] = [derived.subarray(0, 32), derived.subarray(32, 64), derived.subarray(64, 80)];
  const hmac = createHmac('sha256', hmacKey).update(envelope.ciphertext).digest();
  if (hmac.length !== envelope.hmac.length || !timingSafeEqual(hmac, envelope.hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', key, counter);
  const padded = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultFormatError('the decrypted text has no valid padding');
  return padded.subarray(0, padded.length - pad);
}

/**
 * The secrets in the order Ansible tries them (VaultLib.decrypt_and_get_vault_id, with
 * DEFAULT_VAULT_ID_MATCH off): those whose id the envelope names first, then every other.
 */
export function trialOrder(envelope: VaultEnvelope, secrets: VaultSecret[]): VaultSecret[] {
  const named = secrets.filter((s) => envelope.id !== undefined && s.id === envelope.id);
  return [...named, ...secrets.filter((s) => !named.includes(s))];
}

function unhex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new VaultFormatError(`${what} is not hexadecimal`);
  return Buffer.from(text, 'hex');
}
