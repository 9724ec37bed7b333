/**
 * SSH material of a lab: one client key pair for root on every host, one host key per host (made
 * here, so known_hosts records each host's real key before it first boots), and known_hosts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from './lab-state.ts';
import { runChecked } from './run-command.ts';

/** Makes an ed25519 key pair at `file` unless one is there; returns the public key line. */
export async function ensureKeyPair(file: string, comment: string): Promise<string> {
  if (!(await pathExists(file))) {
    await mkdir(path.dirname(file), { recursive: true });
    await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

/**
 * Makes the missing ed25519 key pairs among `files` with one shell running ssh-keygen per file
 * (the paths are its arguments, not shell text): one process start instead of one per host.
 * Returns each file's public key line.
 */
export async function ensureKeyPairs(files: readonly string[], comment: string): Promise<string[]> {
  const missing: string[] = [];
  for (const f of files) if (!(await pathExists(f))) missing.push(f);
  for (const f of missing) await mkdir(path.dirname(f), { recursive: true });
  if (missing.length > 0) {
    const loop = 'c=$1; shift; for f in "$@"; do ssh-keygen -q -t ed25519 -N "" -C "$c" -f "$f" || exit 1; done';
    await runChecked('sh', ['-c', loop, 'sh', comment, ...missing]);
  }
  return Promise.all(files.map(async (f) => (await readFile(`${f}.pub`, 'utf8')).trim()));
}

export interface KnownHost {
  name: string;
  address: string;
  /** `ssh-ed25519 AAAA…` as in the host's .pub file. */
  publicKey: string;
}

export async function writeKnownHosts(file: string, hosts: readonly KnownHost[]): Promise<void> {
  const lines = hosts.map((h) => {
    const [type, key] = h.publicKey.split(/\s+/);
    return `${h.address} ${type} ${key}`;
  });
  await writeFile(file, lines.join('\n') + '\n');
}
