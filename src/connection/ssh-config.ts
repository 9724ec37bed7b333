/**
 * The part of ~/.ssh/config that decides where and how lvsdr connects, so that a host that works
 * with `ssh name` works with lvsdr too. `Match exec` blocks are skipped: lvsdr does not run commands
 * from a config file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshConfigHost {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: JumpSpec[];
  connectTimeoutMs?: number;
  knownHostsFile?: string;
  acceptNewHostKeys?: boolean;
}

/** One hop of a ProxyJump chain as written: `[user@]host[:port]`. */
export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export function defaultSshConfigFile(): string {
  return join(homedir(), '.ssh', 'config');
}

/** Reads and parses an ssh config file; a missing file is an empty config. */
export function loadSshConfig(file = defaultSshConfigFile()): SSHConfig {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return SSHConfig.parse(text);
}

export function lookupSshConfig(config: SSHConfig, host: string): SshConfigHost {
  const computed = config.compute(host, { ignoreCase: true, matchExec: false });
  const one = (key: string): string | undefined => {
    const v = computed[key];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s.toLowerCase() === 'none' ? undefined : s;
  };
  const many = (key: string): string[] => {
    const v = computed[key];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const port = one('port');
  const timeout = one('connecttimeout');
  const jump = one('proxyjump');
  const knownHosts = one('userknownhostsfile')?.split(/\s+/)[0];
  const result: SshConfigHost = {
    hostName: one('hostname')?.replaceAll('%h', host),
    user: one('user'),
    port: port === undefined ? undefined : Number(port),
    identityFiles: many('identityfile').map(expandHome),
    proxyJump: jump === undefined ? undefined : parseProxyJump(jump),
    connectTimeoutMs: timeout === undefined ? undefined : Number(timeout) * 1000,
    knownHostsFile: knownHosts === undefined ? undefined : expandHome(knownHosts),
  };
  const strict = one('stricthostkeychecking')?.toLowerCase();
  if (strict === 'accept-new') result.acceptNewHostKeys = true;
  return result;
}

/** `ProxyJump a,user@b:2222` → hops in connection order. */
export function parseProxyJump(spec: string): JumpSpec[] {
  return spec
    .split(',')
    .map((s) => s.trim().replace(/^ssh:\/\//, ''))
    .filter((s) => s !== '')
    .map((hop) => {
      const at = hop.lastIndexOf('@');
      const user = at >= 0 ? hop.slice(0, at) : undefined;
      const rest = at >= 0 ? hop.slice(at + 1) : hop;
      const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(rest);
      if (!m) return { user, host: rest };
      return { user, host: m[1] ?? m[2], port: m[3] === undefined ? undefined : Number(m[3]) };
    });
}

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path.replaceAll('%d', homedir());
}
