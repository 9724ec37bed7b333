/**
 * A real OpenSSH server on 127.0.0.1 for connection tests: its own temp dir, host key, authorized
 * keys and pid file. It runs in a private mount namespace with a tmpfs on /root, so the machine's
 * root .bashrc (which starts pyenv, ~0.1 s per command) does not run for every command.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Whether the process ends within `ms`: a killed process can take a moment to be gone. */
export async function ends(pid: number, ms = 2_000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (running(pid)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
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

/** Login users that exist only inside a test sshd's mount namespace (see `sudoUsers`). */
export const SUDO_USERS = {
  password: { name: 'lvsdr-sudo-pw', uid: 4242 },
  nopasswd: { name: 'lvsdr-sudo-nopw', uid: 4243 },
} as const;
export const SUDO_PASSWORD = 'Sudo-pw-7Yx2';

export function sudoUnavailable(): string | undefined {
  const reason = existsSync('/usr/bin/sudo') ? undefined : 'sudo is not installed (apt package sudo)';
  if (reason) console.warn(`\n*** SKIPPING become-with-sudo tests: ${reason} ***\n`);
  return reason;
}

export interface SshdOptions {
  /** An existing client key to authorize instead of a new one. */
  clientKey?: string;
  /** sshd_config lines that take precedence over the defaults. */
  extraConfig?: string[];
  /**
   * Add SUDO_USERS: one that needs SUDO_PASSWORD for sudo, one with NOPASSWD. They live in copies
   * of /etc/passwd, group, shadow, sudoers and pam.d/sudo bind-mounted in sshd's own mount
   * namespace, so the machine's files are never touched.
   */
  sudoUsers?: boolean;
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
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
  const setup = options.sudoUsers ? addSudoUsers(dir) : '';

  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = await launch(dir, port, setup, (text) => (log += text));
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

/** Writes the user and sudoers files; returns the shell commands that mount them for sshd. */
function addSudoUsers(dir: string): string {
  // The users read the authorized keys file in here.
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  const hash = execFileSync('openssl', ['passwd', '-6', SUDO_PASSWORD], { encoding: 'utf8' }).trim();
  const users = Object.values(SUDO_USERS);
  const homes = users.map(({ name, uid }) => {
    const home = join(dir, `home-${name}`);
    mkdirSync(home);
    chownSync(home, uid, uid);
    return home;
  });
  const add = (file: string, lines: string[], mode: number) => {
    writeFileSync(join(etc, file), `${readFileSync(`/etc/${file}`, 'utf8')}${lines.join('\n')}\n`, { mode });
  };
  add('passwd', users.map(({ name, uid }, i) => `${name}:x:${uid}:${uid}::${homes[i]}:/bin/bash`), 0o644);
  add('group', users.map(({ name, uid }) => `${name}:x:${uid}:`), 0o644);
  add('shadow', users.map(({ name }) => `${name}:${hash}:19000:0:99999:7:::`), 0o600);
  writeFileSync(
    join(etc, 'sudoers'),
    `Defaults lecture=never\nroot ALL=(ALL:ALL) ALL\n${SUDO_USERS.password.name} ALL=(ALL:ALL) ALL\n${SUDO_USERS.nopasswd.name} ALL=(ALL:ALL) NOPASSWD: ALL\n`,
    { mode: 0o440 },
  );
  // pam_unix waits 2 s after a wrong password unless told not to; tests try wrong ones on purpose.
  writeFileSync(join(etc, 'pam-sudo'), 'auth required pam_unix.so nodelay\naccount required pam_unix.so\nsession required pam_unix.so\n');
  const mounts = [['passwd', 'passwd'], ['group', 'group'], ['shadow', 'shadow'], ['sudoers', 'sudoers'], ['pam-sudo', 'pam.d/sudo']];
  return mounts.map(([from, to]) => `mount --bind ${etc}/${from} /etc/${to} && `).join('');
}

/** Starts sshd and resolves once it listens; rejects with its log if it does not within 5 s. */
function launch(dir: string, port: number, setup: string, onLog: (text: string) => void): Promise<ChildProcess> {
  const script = `mkdir -p /run/sshd && mount -t tmpfs -o mode=0700 lvsdr-test-home /root && ${setup}exec ${SSHD} -D -e -f ${dir}/sshd_config`;
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
