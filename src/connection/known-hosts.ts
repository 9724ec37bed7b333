/**
 * OpenSSH known_hosts, read and checked the way `ssh` does with StrictHostKeyChecking: plain and
 * hashed (`ssh-keygen -H`) host names, `[host]:port`, comma lists with `!negations` and wildcards,
 * and the @revoked marker. lvsdr edits firewalls on load balancers, so it is stricter than ssh in
 * one place: a host known only under other key types is treated as changed, not as new.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a comma list of patterns, or one `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
}

export interface OfferedKey {
  type: string;
  /** base64 of the key blob */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'match'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      // Unknown markers make OpenSSH skip the line; so do we.
      if (name !== 'revoked' && name !== 'cert-authority') return;
      marker = name;
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** The name under which known_hosts records a host: `host`, or `[host]:port` off port 22. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), name)) return false;
    } else if (wildcardMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

export function checkHostKey(entries: KnownHostEntry[], name: string, offered: OfferedKey): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === offered.key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, name));
  const same = forHost.find((e) => e.keyType === offered.type && e.key === offered.key);
  if (same) return { kind: 'match', entry: same };
  const other = forHost.find((e) => e.keyType === offered.type) ?? forHost[0];
  return other ? { kind: 'changed', entry: other } : { kind: 'unknown' };
}

/** Host key algorithms to offer, the ones already known for this host first (as ssh does). */
export function hostKeyAlgorithmsFor(entries: KnownHostEntry[], name: string): string[] {
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];
  const known = new Set(
    entries.filter((e) => e.marker === undefined && entryMatchesHost(e, name)).map((e) => e.keyType),
  );
  const isKnown = (alg: string) => known.has(alg.startsWith('rsa-sha2-') ? 'ssh-rsa' : alg);
  return [...all.filter(isKnown), ...all.filter((alg) => !isKnown(alg))];
}

/** The key type named inside an SSH wire-format key blob (a length-prefixed string). */
export function offeredKeyFromBlob(blob: Buffer): OfferedKey {
  const length = blob.readUInt32BE(0);
  return { type: blob.subarray(4, 4 + length).toString('latin1'), key: blob.toString('base64') };
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(key: OfferedKey): string {
  const digest = createHash('sha256').update(Buffer.from(key.key, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The file's text; a missing file is an empty one. */
export async function readKnownHostsText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Records a newly accepted key, like StrictHostKeyChecking=accept-new. */
export async function appendKnownHost(file: string, name: string, key: OfferedKey): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const current = await readFile(file, 'utf8');
    if (current !== '' && !current.endsWith('\n')) prefix = '\n';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await appendFile(file, `${prefix}${name} ${key.type} ${key.key}\n`, { mode: 0o600 });
}
