/**
 * A real OpenSSH server on 127.0.0.1 for connection tests: its own temp dir, host key, authorized
 * keys and pid file. It runs in a private mount namespace with a tmpfs on /root, so the machine's
 * root .bashrc (which starts pyenv, ~0.1 s per command) does not run for every command.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Why sshd tests cannot run here, or undefined when they can. Under CI they must always run. */
export function sshdUnavailable(): string | undefined {
  const reason =
    process.getuid?.() !== 0 ? 'not running as root' : !existsSync(SSHD) ? `${SSHD} is not installed` : undefined;
  if (reason && process.env.CI === 'true') throw new Error(`sshd tests cannot run under CI: ${reason}`);
  if (reason) console.warn(`\n*** SKIPPING real-sshd tests: ${reason} ***\n`);
  return reason;
}

/** Alive and not a zombie (killed orphans may wait a while for init to reap them). */
export function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

export interface Sshd {
  port: number;
  dir: string;
  /** Private key file whose public half is authorized. */
  clientKey: string;
  /** The host public key as a known_hosts line for 127.0.0.1:port. */
  knownHostsLine(): string;
  /** Everything sshd has logged so far (LogLevel INFO unless extraConfig says otherwise). */
  log(): string;
  /** Restarts on the same port; with newHostKey, under a freshly generated host key. */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function keygen(file: string, type = 'ed25519'): void {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'lvsdr-test', '-f', file]);
}

export async function startSshd(options: { clientKey?: string; extraConfig?: string[] } = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-sshd-'));
  const port = await freePort();
  const hostKey = join(dir, 'host_ed25519');
  keygen(hostKey);
  const clientKey = options.clientKey ?? join(dir, 'client_ed25519');
  if (!options.clientKey) keygen(clientKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  // sshd keeps the first value it reads for an option, so the caller's settings go first.
  const config = [
    ...(options.extraConfig ?? []),
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The temp dir is under /tmp (world-writable), which StrictModes would reject.
    'StrictModes no',
    'LogLevel INFO',
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);

  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = await launch(dir, port, (text) => (log += text));
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    dir,
    clientKey,
    log: () => log,
    knownHostsLine: () => {
      const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').split(' ');
      return `[127.0.0.1]:${port} ${type} ${key}\n`;
    },
    restart: async ({ newHostKey = false } = {}) => {
      await stop();
      if (newHostKey) keygen(hostKey);
      await start();
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts sshd and resolves once it listens; rejects with its log if it does not within 5 s. */
function launch(dir: string, port: number, onLog: (text: string) => void): Promise<ChildProcess> {
  const script = `mkdir -p /run/sshd && mount -t tmpfs -o mode=0700 lvsdr-test-home /root && exec ${SSHD} -D -e -f ${dir}/sshd_config`;
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sshd did not start within 5 s:\n${log}`));
    }, 5_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      onLog(chunk.toString());
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${log}`));
    });
  });
}
