/**
 * Where and how to reach one inventory host over ssh. Sources, lowest to highest: ~/.ssh/config,
 * inventory variables, CLI flags. As with Ansible (which hands `ansible_host` to ssh), the ssh
 * config is looked up under `ansible_host` when it is set, else under the inventory name, and its
 * HostName maps that name to an address.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type SSHConfig from 'ssh-config';
import { UserError } from '../core/errors.ts';
import { expandHome, loadSshConfig, lookupSshConfig, type JumpSpec } from './ssh-config.ts';

/** Where and how to reach one host over ssh, resolved from inventory, CLI flags and ~/.ssh/config. */
export interface SshTarget {
  /** Inventory name, used in messages. */
  name: string;
  host: string;
  port: number;
  user: string;
  /** Key files named explicitly (CLI, inventory, ssh config), tried first, in order. */
  privateKeyFiles: string[];
  /** ssh-agent socket (SSH_AUTH_SOCK), tried after privateKeyFiles. */
  agentSocket?: string;
  /** ~/.ssh/id_ed25519, id_ecdsa, id_rsa when present, tried last. */
  defaultKeyFiles?: string[];
  /** Path of the known_hosts file to check (and, with acceptNewHostKeys, to add to). */
  knownHostsFile: string;
  acceptNewHostKeys: boolean;
  /** Chain of jump hosts, outermost first, as in OpenSSH's ProxyJump. */
  proxyJump?: SshTarget[];
  connectTimeoutMs: number;
  /** The become password, from LVSDR_BECOME_PASSWORD; never logged. */
  becomePassword?: string;
}

export interface TargetOptions {
  /**
   * The login user, as the executor decided it (executor/task-access.ts: ansible_user, then
   * remote_user, then -u): it beats the inventory's and ~/.ssh/config's.
   */
  user?: string;
  /** --private-key */
  privateKeyFile?: string;
  /** --known-hosts */
  knownHostsFile?: string;
  /** --accept-new-host-keys */
  acceptNewHostKeys?: boolean;
  /** From LVSDR_BECOME_PASSWORD. */
  becomePassword?: string;
  /** Parsed ssh config; ~/.ssh/config when not given. */
  sshConfig?: SSHConfig;
  /** SSH_AUTH_SOCK; process.env's when not given (pass '' for none). */
  agentSocket?: string;
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

let cachedDefaultConfig: SSHConfig | undefined;

export function resolveTarget(name: string, hostVars: Record<string, unknown>, options: TargetOptions = {}): SshTarget {
  const config = options.sshConfig ?? (cachedDefaultConfig ??= loadSshConfig());
  const address = stringVar(name, hostVars, 'ansible_host') ?? stringVar(name, hostVars, 'lvsdr_host');
  const lookupName = address ?? name;
  const fromConfig = lookupSshConfig(config, lookupName);

  const explicitKeys = [
    options.privateKeyFile,
    stringVar(name, hostVars, 'ansible_ssh_private_key_file') ?? stringVar(name, hostVars, 'lvsdr_private_key_file'),
    ...fromConfig.identityFiles,
  ].filter((k): k is string => k !== undefined).map(expandHome);

  const knownHostsFile =
    options.knownHostsFile ??
    stringVar(name, hostVars, 'lvsdr_known_hosts_file') ??
    fromConfig.knownHostsFile ??
    join(homedir(), '.ssh', 'known_hosts');
  const connectTimeoutMs = options.connectTimeoutMs ?? fromConfig.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const acceptNewHostKeys = options.acceptNewHostKeys === true || fromConfig.acceptNewHostKeys === true;
  const agentSocket = (options.agentSocket ?? process.env.SSH_AUTH_SOCK) || undefined;

  const target: SshTarget = {
    name,
    host: fromConfig.hostName ?? lookupName,
    port: portVar(name, hostVars) ?? fromConfig.port ?? 22,
    user:
      options.user ??
      stringVar(name, hostVars, 'ansible_user') ??
      stringVar(name, hostVars, 'lvsdr_user') ??
      fromConfig.user ??
      userInfo().username,
    privateKeyFiles: unique(explicitKeys),
    agentSocket,
    defaultKeyFiles: defaultKeyFiles(),
    knownHostsFile: expandHome(knownHostsFile),
    acceptNewHostKeys,
    connectTimeoutMs,
    becomePassword: options.becomePassword,
  };
  if (fromConfig.proxyJump) {
    target.proxyJump = fromConfig.proxyJump.map((hop) =>
      jumpTarget(name, hop, config, { knownHostsFile: target.knownHostsFile, acceptNewHostKeys, connectTimeoutMs, agentSocket }),
    );
  }
  return target;
}

/** A jump host is configured by ssh config alone, like OpenSSH does, and checked like any host. */
function jumpTarget(
  forName: string,
  hop: JumpSpec,
  config: SSHConfig,
  shared: Pick<SshTarget, 'knownHostsFile' | 'acceptNewHostKeys' | 'connectTimeoutMs' | 'agentSocket'>,
): SshTarget {
  const fromConfig = lookupSshConfig(config, hop.host);
  return {
    name: `${forName} via ${hop.host}`,
    host: fromConfig.hostName ?? hop.host,
    port: hop.port ?? fromConfig.port ?? 22,
    user: hop.user ?? fromConfig.user ?? userInfo().username,
    privateKeyFiles: fromConfig.identityFiles,
    defaultKeyFiles: defaultKeyFiles(),
    ...shared,
  };
}

function defaultKeyFiles(): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f)).filter((f) => existsSync(f));
}

function stringVar(host: string, vars: Record<string, unknown>, key: string): string | undefined {
  const v = vars[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new UserError({
    message: `host ${host}: ${key} must be a non-empty string, got ${JSON.stringify(v)}`,
    hint: `set ${key} to a string in the inventory`,
  });
}

function portVar(host: string, vars: Record<string, unknown>): number | undefined {
  const raw = vars.ansible_port ?? vars.lvsdr_port;
  if (raw === undefined || raw === null) return undefined;
  const port = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  throw new UserError({
    message: `host ${host}: ansible_port must be a port number (1-65535), got ${JSON.stringify(raw)}`,
    hint: 'set ansible_port to an integer such as 22',
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
