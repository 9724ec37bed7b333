/**
 * Everything about opening one ssh hop except the library call itself: algorithms, the host key
 * check against known_hosts, credentials, and turning a failed handshake into a message that says
 * what to do.
 */
import type { Duplex } from 'node:stream';
import type { CipherAlgorithm, ConnectConfig, KexAlgorithm, MacAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';
import {
  appendKnownHost,
  checkHostKey,
  fingerprint,
  hostKeyAlgorithmsFor,
  knownHostName,
  offeredKeyFromBlob,
} from './known-hosts.ts';
import { readKnownHostsIndex } from './known-hosts-index.ts';
import { planAuth } from './ssh-auth.ts';
import type { SshTarget } from './ssh-target.ts';
import { UnreachableError } from './types.ts';

/**
 * Cheapest choices OpenSSH 9.2 accepts: curve25519 key exchange, ed25519 host keys (others stay
 * allowed so hosts with only RSA or ECDSA keys still connect), and AES-GCM. Measured in-process with
 * ssh2 against sshd 9.2 on loopback (2 cores, AES-NI), 16 MB through stdin: aes128-gcm 0.99 s,
 * aes128-ctr 1.08 s, chacha20-poly1305 1.22 s, aes256-gcm 1.26 s; handshakes all ~0.25 s, nearly
 * all of it sshd forking for the new connection.
 */
const KEX: KexAlgorithm[] = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256'];
const CIPHERS: CipherAlgorithm[] = ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr'];
const MACS: MacAlgorithm[] = ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-256'];

/** A dead peer is noticed after about keepaliveMs * (KEEPALIVE_COUNT + 1): 20 s by default. */
export const DEFAULT_KEEPALIVE_MS = 5_000;
const KEEPALIVE_COUNT = 3;

export interface Handshake {
  /** Credentials go through authHandler, never privateKey. */
  config: Omit<ConnectConfig, 'privateKey'>;
  /** The error to raise when the library's connect failed. */
  explain(err: unknown): UnreachableError;
}

export async function prepareHandshake(
  hop: SshTarget,
  sock: Duplex | undefined,
  via: SshTarget | undefined,
  keepaliveMs: number,
): Promise<Handshake> {
  const name = knownHostName(hop.host, hop.port);
  // Only the lines that can decide this host's key: the same verdicts as the whole file (known-hosts-index.ts).
  const entries = (await readKnownHostsIndex(hop.knownHostsFile)).entriesFor(name);
  const auth = await planAuth(hop);
  const where = `${hop.user}@${hop.host}:${hop.port}${via ? ` (via jump host ${via.host}:${via.port})` : ''}`;
  let refusal: string | undefined;

  const hostVerifier = (blob: Buffer, verify: (ok: boolean) => void): void => {
    const offered = offeredKeyFromBlob(blob);
    const verdict = checkHostKey(entries, name, offered);
    const seen = `${offered.type} ${fingerprint(offered)}`;
    if (verdict.kind === 'match') return verify(true);
    if (verdict.kind === 'revoked') {
      refusal = `host key ${seen} of ${name} is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; refusing to connect`;
    } else if (verdict.kind === 'changed') {
      refusal =
        `HOST KEY CHANGED for ${name}: the server offered ${seen}, but ${verdict.entry.file}:${verdict.entry.line} ` +
        `holds a different ${verdict.entry.keyType} key. This may be an attack; lvsdr refuses even with ` +
        `--accept-new-host-keys. If the host was really reinstalled, remove that line ` +
        `(ssh-keygen -R '${name}' -f ${verdict.entry.file}) and connect again with --accept-new-host-keys`;
    } else if (hop.acceptNewHostKeys) {
      appendKnownHost(hop.knownHostsFile, name, offered).then(
        () => verify(true),
        (err: Error) => {
          refusal = `cannot record the host key of ${name} in ${hop.knownHostsFile}: ${err.message}`;
          verify(false);
        },
      );
      return;
    } else {
      refusal =
        `host key of ${name} is not known (${seen}; not in ${hop.knownHostsFile}). ` +
        `Check the fingerprint, then run again with --accept-new-host-keys to record it`;
    }
    verify(false);
  };

  const config: Handshake['config'] = {
    host: hop.host,
    port: hop.port,
    username: hop.user,
    sock,
    readyTimeout: hop.connectTimeoutMs,
    keepaliveInterval: keepaliveMs,
    keepaliveCountMax: KEEPALIVE_COUNT,
    hostVerifier,
    authHandler: auth.methods,
    algorithms: {
      kex: KEX,
      cipher: CIPHERS,
      hmac: MACS,
      serverHostKey: hostKeyAlgorithmsFor(entries, name) as ServerHostKeyAlgorithm[],
      compress: ['none'],
    },
  };

  const explain = (err: unknown): UnreachableError => {
    if (refusal) return new UnreachableError(refusal);
    const e = err as Error & { code?: string | number; level?: string };
    const message = e?.message ?? String(err);
    if (e.code === 'ECONNREFUSED') return new UnreachableError(`${where}: connection refused (is sshd running on port ${hop.port}?)`);
    if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return new UnreachableError(`${where}: no route to host`);
    if (e.code === 'ENOTFOUND' || e.level === 'client-dns') return new UnreachableError(`${where}: cannot resolve host name ${hop.host}`);
    if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') {
      return new UnreachableError(`${where}: timed out after ${hop.connectTimeoutMs / 1000} s while connecting`);
    }
    if (e.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
      const offered = auth.offered.length > 0 ? `with ${auth.offered.join(', ')}` : 'with no key at all';
      const skipped = auth.skipped.length > 0 ? `; skipped ${auth.skipped.join(', ')}` : '';
      return new UnreachableError(
        `authentication failed for ${hop.user}@${hop.host}:${hop.port} ${offered}${skipped}. ` +
          'Pass the right key with --private-key or ansible_ssh_private_key_file, or check the user (-u)',
      );
    }
    return new UnreachableError(`${where}: ${message}`);
  };

  return { config, explain };
}
