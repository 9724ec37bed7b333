/**
 * Which credentials to offer, in order: explicit key files, then ssh-agent, then the default keys
 * in ~/.ssh. lvsdr runs unattended, so it cannot ask for a key's passphrase: an encrypted explicit
 * key is an error unless an agent may hold it, and encrypted default keys are skipped.
 */
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import type { SshTarget } from './ssh-target.ts';
import { UnreachableError } from './types.ts';

export interface AuthPlan {
  methods: AnyAuthMethod[];
  /** What is offered, for the "authentication failed" message: key paths and "ssh-agent". */
  offered: string[];
  /** Keys that could not be used, with why. */
  skipped: string[];
}

type LoadedKey = { key: ParsedKey } | { problem: string; encrypted: boolean };

const keyCache = new Map<string, Promise<LoadedKey>>();

export async function planAuth(target: SshTarget): Promise<AuthPlan> {
  const plan: AuthPlan = { methods: [], offered: [], skipped: [] };
  const username = target.user;
  for (const file of target.privateKeyFiles) {
    const loaded = await loadKey(file);
    if ('key' in loaded) {
      plan.methods.push({ type: 'publickey', username, key: loaded.key });
      plan.offered.push(file);
    } else if (loaded.encrypted && target.agentSocket) {
      plan.skipped.push(`${file} (${loaded.problem}; relying on ssh-agent)`);
    } else if (loaded.encrypted) {
      throw new UnreachableError(
        `private key ${file} is encrypted and lvsdr cannot ask for its passphrase: ` +
          `add it to ssh-agent (ssh-add ${file}) or use a key without a passphrase`,
      );
    } else {
      throw new UnreachableError(`cannot use private key ${file}: ${loaded.problem}`);
    }
  }
  if (target.agentSocket) {
    plan.methods.push({ type: 'agent', username, agent: target.agentSocket });
    plan.offered.push(`ssh-agent (${target.agentSocket})`);
  }
  for (const file of target.defaultKeyFiles ?? []) {
    if (target.privateKeyFiles.includes(file)) continue;
    const loaded = await loadKey(file);
    if ('key' in loaded) {
      plan.methods.push({ type: 'publickey', username, key: loaded.key });
      plan.offered.push(file);
    } else {
      plan.skipped.push(`${file} (${loaded.problem})`);
    }
  }
  return plan;
}

function loadKey(file: string): Promise<LoadedKey> {
  let loading = keyCache.get(file);
  if (!loading) {
    loading = readAndParse(file);
    keyCache.set(file, loading);
  }
  return loading;
}

async function readAndParse(file: string): Promise<LoadedKey> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`, encrypted: false };
  }
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    return { problem: encrypted ? 'encrypted, no passphrase available' : parsed.message, encrypted };
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  if (!key.isPrivateKey()) return { problem: 'not a private key', encrypted: false };
  return { key };
}
