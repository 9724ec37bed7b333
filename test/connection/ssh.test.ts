/**
 * SshConnection against real OpenSSH servers on 127.0.0.1. Commands run on this same machine, so
 * a test can look at the processes a remote command left behind.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/connection/ssh.ts';
import type { SshTarget } from '../../src/connection/ssh-target.ts';
import { UnreachableError } from '../../src/connection/types.ts';
import {
  freePort,
  ends,
  running,
  SUDO_PASSWORD,
  SUDO_USERS,
  sshdUnavailable,
  startSshd,
  sudoUnavailable,
  type Sshd,
} from '../support/sshd.ts';

const SECRET = 'become-pw-Zq81x';
const skip = sshdUnavailable() !== undefined;

let sshd: Sshd;
let dir: string;
let knownHosts: string;

beforeAll(async () => {
  if (skip) return;
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'lvsdr-ssh-test-'));
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine());
});
afterAll(async () => {
  if (skip) return;
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

function target(overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    name: 'h1',
    host: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    privateKeyFiles: [sshd.clientKey],
    knownHostsFile: knownHosts,
    acceptNewHostKeys: false,
    connectTimeoutMs: 5_000,
    becomePassword: SECRET,
    ...overrides,
  };
}

/** The error connect() fails with; fails the test if it connects. */
async function connectError(t: SshTarget): Promise<UnreachableError> {
  const conn = new SshConnection(t);
  try {
    await conn.connect();
  } catch (err) {
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).not.toContain(SECRET);
    return err as UnreachableError;
  }
  await conn.close();
  throw new Error('connect() succeeded');
}

/**
 * A script whose input (a here-document) holds a word, and which prints that word, then how many
 * processes on the host show it on their command line. Its own commands never spell the word whole.
 */
function wordInInput(): { script: string; word: string } {
  const half = createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 12);
  const word = `in-input-${half}`;
  const pattern = `/tmp/lvsdr-pattern-${half}`;
  const script =
    `( cat\n) <<'EOF' &&\nin-input-${half}\nEOF\n` +
    `printf '%s%s\\n' in-input- ${half} > ${pattern} && ` +
    `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null; echo; done | grep -c -F -f ${pattern}; rm -f ${pattern}`;
  return { script, word };
}

const accepted = () => sshd.log().split('\n').filter((l) => l.includes('Accepted publickey')).length;

describe.skipIf(skip)('exec on one shared connection', () => {
  let conn: SshConnection;
  beforeAll(async () => {
    conn = new SshConnection(target());
    await conn.connect();
  });
  afterAll(() => conn.close());

  it('returns stdout, stderr and the exit code, running the command with /bin/sh', async () => {
    expect(await conn.exec('echo "grüße $0"; echo oops >&2; exit 3')).toEqual({
      code: 3,
      stdout: 'grüße /bin/sh\n',
      stderr: 'oops\n',
      timedOut: false,
    });
    expect(await conn.exec('true')).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('streams 1 MB of stdin to the command intact', async () => {
    const content = 'ü-lvsdr-0123456789\n'.repeat(55_189).slice(0, 1 << 20);
    const digest = createHash('sha256').update(content).digest('hex');
    expect(Buffer.byteLength(content)).toBeGreaterThan(1 << 20);
    const r = await conn.exec('sha256sum | cut -d" " -f1', { stdin: content });
    expect(r).toMatchObject({ code: 0, stdout: `${digest}\n` });
    expect(await conn.exec('head -c 3', { stdin: content })).toMatchObject({ code: 0, stdout: 'ü-' });
  });

  it('kills a command and its children on timeout, and says so', async () => {
    const started = performance.now();
    const r = await conn.exec('echo $$; sleep 60 & echo $!; wait', { timeoutMs: 500 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ code: null, timedOut: true });
    expect(r.stderr).toContain('timed out after 0.5 s');
    const pids = r.stdout.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    expect(pids.filter(running)).toEqual([]);
    expect(await conn.exec('echo still usable')).toMatchObject({ code: 0, stdout: 'still usable\n' });
  });

  it('keeps each command to itself in the connection\'s shell: exit, cd, variables, syntax errors', async () => {
    expect(await conn.exec('cd /; X=1; exit 4')).toMatchObject({ code: 4 });
    expect(await conn.exec('pwd; echo "[${X-unset}]"')).toMatchObject({ code: 0, stdout: '/root\n[unset]\n' });
    const bad = await conn.exec('if then fi');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Syntax error/);
    expect(await conn.exec('exec echo replaced')).toMatchObject({ code: 0, stdout: 'replaced\n' });
    expect(await conn.exec('cat')).toMatchObject({ code: 0, stdout: '' });
    expect(await conn.exec('printf no-newline; printf err-no-newline >&2')).toMatchObject({ code: 0, stdout: 'no-newline', stderr: 'err-no-newline' });
  });

  it('feeds input with and without a final newline, and input that looks like the protocol', async () => {
    for (const stdin of ['a\nb\n', 'no final newline', '\n', "EOF\n'\n@@lvsdr-x end 0 0\n", 'ü\u00a0\n'.repeat(3)]) {
      expect(await conn.exec('cat', { stdin })).toMatchObject({ code: 0, stdout: stdin, stderr: '' });
    }
    const big = await conn.exec("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo done >&2");
    expect(big.stdout).toBe(`${'x'.repeat(3_000_000)}\n`);
    expect(big.stderr).toBe('done\n');
  });

  it('kills on timeout a command on an exec of its own (input the shell cannot carry), by the pid it reported', async () => {
    const r = await conn.exec('cat >/dev/null; echo $$; sleep 60 & echo $!; wait', { stdin: 'no final newline', timeoutMs: 500 });
    expect(r).toMatchObject({ code: null, timedOut: true });
    expect(r.stderr).not.toContain('@@lvsdr-pid');
    const pids = r.stdout.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await ends(pid)).toBe(true);
  });

  it('keeps a script sent on input off every command line on the host', async () => {
    const { script, word } = wordInInput();
    expect(await conn.exec(script, { scriptOnInput: true })).toMatchObject({ code: 0, stdout: `${word}\n0\n` });
    // The check can fail: the same script given as a command shows up.
    expect((await conn.exec(script, { stdin: 'no final newline: an exec of its own' })).stdout).not.toMatch(/\n0\n$/);
  });

  it('runs many commands, in sequence and in parallel, over the one connection', async () => {
    const before = accepted();
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      expect(await conn.exec(`echo ${i}`)).toMatchObject({ code: 0, stdout: `${i}\n` });
    }
    const perExecMs = (performance.now() - started) / 50;
    console.log(`sequential exec on one connection: ${perExecMs.toFixed(1)} ms each`);
    expect(perExecMs).toBeLessThan(200);
    const parallel = await Promise.all([1, 2, 3, 4, 5].map((i) => conn.exec(`sleep 0.2; echo ${i}`)));
    expect(parallel.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n', '5\n']);
    expect(accepted()).toBe(before);
  });

  it('treats become as a no-op for root, keeping stdin intact and the password out of output', async () => {
    const payload = 'first line\nsecond\n';
    expect(await conn.exec('id -u; cat', { become: true, stdin: payload })).toMatchObject({ code: 0, stdout: `0\n${payload}` });
    const leaked = await conn.exec(`echo ${SECRET}`, { become: true });
    expect(leaked.stdout).toBe('********\n');
  });
});

describe.skipIf(skip)('host keys', () => {
  it('refuses an unknown host key, naming --accept-new-host-keys, and records nothing', async () => {
    const file = join(dir, 'empty_known_hosts');
    const err = await connectError(target({ knownHostsFile: file }));
    expect(err.message).toContain(`[127.0.0.1]:${sshd.port}`);
    expect(err.message).toContain('--accept-new-host-keys');
    expect(err.message).toMatch(/SHA256:/);
    expect(() => readFileSync(file)).toThrow();
  });

  it('records a new key with accept-new, then trusts it without the flag', async () => {
    const file = join(dir, 'accept_known_hosts');
    const first = new SshConnection(target({ knownHostsFile: file, acceptNewHostKeys: true }));
    await first.connect();
    await first.close();
    expect(readFileSync(file, 'utf8')).toBe(sshd.knownHostsLine());
    const second = new SshConnection(target({ knownHostsFile: file }));
    await second.connect();
    expect((await second.exec('echo ok')).stdout).toBe('ok\n');
    await second.close();
  });

  it('accepts a host recorded under a hashed name', async () => {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(file, `# lab\n${sshd.knownHostsLine()}`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).toContain('|1|');
    const conn = new SshConnection(target({ knownHostsFile: file }));
    await conn.connect();
    await conn.close();
  });

  it('refuses a changed host key, naming the known_hosts line, even with accept-new', async () => {
    const other = await startSshd({ clientKey: sshd.clientKey });
    try {
      const file = join(dir, 'swap_known_hosts');
      writeFileSync(file, `# first line\n${other.knownHostsLine()}`);
      await other.restart({ newHostKey: true });
      const t = target({ port: other.port, knownHostsFile: file, acceptNewHostKeys: true });
      const err = await connectError(t);
      expect(err.message).toContain('HOST KEY CHANGED');
      expect(err.message).toContain(`${file}:2`);
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    } finally {
      await other.stop();
    }
  });
});

describe.skipIf(skip)('ssh-agent', () => {
  let agent: ChildProcess;
  let socket: string;
  beforeAll(async () => {
    socket = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', ['-q', sshd.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  });
  afterAll(() => agent.kill());

  it('authenticates with a key held by the agent, passing over an encrypted key file', async () => {
    const locked = join(dir, 'agent_locked_key');
    copyFileSync(sshd.clientKey, locked);
    execFileSync('ssh-keygen', ['-q', '-p', '-N', 'a passphrase', '-f', locked]);
    const conn = new SshConnection(target({ privateKeyFiles: [locked], agentSocket: socket }));
    await conn.connect();
    expect((await conn.exec('echo agent')).stdout).toBe('agent\n');
    await conn.close();
  });
});

describe.skipIf(skip)('unreachable hosts', () => {
  it('fails fast with "connection refused" when nothing listens', async () => {
    const started = performance.now();
    const err = await connectError(target({ port: await freePort() }));
    expect(err.message).toMatch(/connection refused/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('times out, naming the timeout, when the server never answers', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const started = performance.now();
      const err = await connectError(target({ port, connectTimeoutMs: 400 }));
      expect(err.message).toMatch(/timed out after 0.4 s/);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      silent.close();
    }
  });

  it('says which user and keys failed authentication', async () => {
    const wrongKey = join(dir, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const err = await connectError(target({ privateKeyFiles: [wrongKey] }));
    expect(err.message).toContain(`authentication failed for root@127.0.0.1:${sshd.port} with ${wrongKey}`);
  });

  it('explains that an encrypted key needs ssh-agent', async () => {
    const locked = join(dir, 'locked_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-f', locked]);
    const err = await connectError(target({ privateKeyFiles: [locked] }));
    expect(err.message).toContain(`private key ${locked} is encrypted`);
    expect(err.message).toContain(`ssh-add ${locked}`);
  });

  it('notices a server that stops answering, by keepalive, and ends the command as unreachable', async () => {
    const conn = new SshConnection(target(), { keepaliveMs: 200 });
    await conn.connect();
    // All channels of a connection are served by one sshd process: the command's parent.
    const sshdPid = Number((await conn.exec('echo $PPID')).stdout);
    process.kill(sshdPid, 'SIGSTOP');
    try {
      const started = performance.now();
      const err = await conn.exec('true').catch((e: Error) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as Error).message).toMatch(/connection lost.*Keepalive timeout/);
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      process.kill(sshdPid, 'SIGKILL');
      await conn.close();
    }
  });

  it('ends a command whose connection drops as unreachable, and the connection stays failed', async () => {
    const conn = new SshConnection(target());
    await conn.connect();
    // The command's parent is this connection's sshd process.
    const err = await conn.exec('kill -9 $PPID; sleep 5').catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/connection lost/);
    await expect(conn.exec('true')).rejects.toThrow(UnreachableError);
    await conn.close();
  });
});

describe.skipIf(skip)('ProxyJump', () => {
  let jump: Sshd;
  beforeAll(async () => {
    jump = await startSshd({ clientKey: sshd.clientKey, extraConfig: ['LogLevel DEBUG1'] });
  });
  afterAll(() => jump.stop());

  const jumpTarget = (file: string): SshTarget => ({ ...target({ knownHostsFile: file }), name: 'h1 via jump', port: jump.port, becomePassword: undefined });

  it('reaches the host through the jump host, checking both host keys', async () => {
    const file = join(dir, 'jump_known_hosts');
    writeFileSync(file, sshd.knownHostsLine() + jump.knownHostsLine());
    const conn = new SshConnection(target({ knownHostsFile: file, proxyJump: [jumpTarget(file)] }));
    await conn.connect();
    expect(await conn.exec('echo through')).toMatchObject({ code: 0, stdout: 'through\n' });
    await conn.close();
    expect(jump.log()).toMatch(new RegExp(`direct-tcpip.*port ${sshd.port}|target 127\\.0\\.0\\.1 port ${sshd.port}`));
  });

  it('refuses an unknown jump host key, naming the jump host', async () => {
    const file = join(dir, 'jump_partial_known_hosts');
    writeFileSync(file, sshd.knownHostsLine());
    const err = await connectError(target({ knownHostsFile: file, proxyJump: [jumpTarget(file)] }));
    expect(err.message).toContain(`[127.0.0.1]:${jump.port}`);
    expect(err.message).toContain('--accept-new-host-keys');
  });
});

describe.skipIf(skip || sudoUnavailable() !== undefined)('become with real sudo', () => {
  let host: Sshd;
  let file: string;
  beforeAll(async () => {
    host = await startSshd({ clientKey: sshd.clientKey, sudoUsers: true });
    file = join(dir, 'sudo_known_hosts');
    writeFileSync(file, host.knownHostsLine());
  });
  afterAll(() => host.stop());

  async function as(user: string, becomePassword?: string): Promise<SshConnection> {
    const conn = new SshConnection(target({ port: host.port, user, knownHostsFile: file, becomePassword }));
    await conn.connect();
    return conn;
  }
  const payload = 'payload line 1\nline 2 mentions a password\n'.repeat(2000);

  it('runs as the login user without become, and as root with sudo -S and the password', async () => {
    const conn = await as(SUDO_USERS.password.name, SUDO_PASSWORD);
    expect(await conn.exec('id -u')).toMatchObject({ code: 0, stdout: `${SUDO_USERS.password.uid}\n` });
    const r = await conn.exec('id -u >&2; cat', { become: true, stdin: payload });
    expect(r).toMatchObject({ code: 0, stdout: payload, stderr: '0\n' });
    // -k: sudo asks again rather than using cached credentials, so the password line is always read.
    expect(await conn.exec('id -u', { become: true })).toMatchObject({ code: 0, stdout: '0\n' });
    await conn.close();
  });

  it('keeps a script sent on input off every command line under sudo with a password', async () => {
    const conn = await as(SUDO_USERS.password.name, SUDO_PASSWORD);
    const { script, word } = wordInInput();
    expect(await conn.exec(script, { become: true, scriptOnInput: true })).toMatchObject({ code: 0, stdout: `${word}\n0\n` });
    await conn.close();
  });

  it('fails clearly without the password, and with a wrong one, never echoing it', async () => {
    const none = await as(SUDO_USERS.password.name);
    const r = await none.exec('id -u', { become: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('a password is required');
    await none.close();
    const wrong = await as(SUDO_USERS.password.name, 'not-the-password');
    const w = await wrong.exec('id -u', { become: true });
    expect(w.code).not.toBe(0);
    expect(JSON.stringify(w)).not.toContain('not-the-password');
    await wrong.close();
  });

  it('does not hand the password to the command when sudo needs none', async () => {
    const conn = await as(SUDO_USERS.nopasswd.name, SUDO_PASSWORD);
    expect(await conn.exec('id -u >&2; cat', { become: true, stdin: payload })).toMatchObject({ code: 0, stdout: payload, stderr: '0\n' });
    expect(await conn.exec('cat', { become: true })).toMatchObject({ code: 0, stdout: '' });
    await conn.close();
  });

  it('becomes another user than root with sudo -u, with the password given for the command (ansible_become_password)', async () => {
    const conn = await as(SUDO_USERS.password.name);
    const options = { become: true, becomeUser: SUDO_USERS.nopasswd.name, becomePassword: SUDO_PASSWORD };
    expect(await conn.exec('id -u >&2; cat', { ...options, stdin: payload })).toMatchObject({ code: 0, stdout: payload, stderr: `${SUDO_USERS.nopasswd.uid}\n` });
    // In a shell of its own too (no password: the nopasswd user's sudo asks none).
    const free = await as(SUDO_USERS.nopasswd.name);
    expect(await free.exec('id -u', { become: true, becomeUser: SUDO_USERS.password.name })).toMatchObject({ code: 0, stdout: `${SUDO_USERS.password.uid}\n` });
    expect(await free.exec('id -u', { become: true })).toMatchObject({ code: 0, stdout: '0\n' });
    const leaked = await conn.exec(`echo ${SUDO_PASSWORD}`, options);
    expect(leaked.stdout).not.toContain(SUDO_PASSWORD);
    await conn.close();
    await free.close();
  });

  it('kills a command that runs as root under sudo on timeout', async () => {
    const conn = await as(SUDO_USERS.nopasswd.name);
    const r = await conn.exec('id -u; sleep 60 & echo $!; wait', { become: true, timeoutMs: 500 });
    expect(r).toMatchObject({ code: null, timedOut: true });
    const [uid, pid] = r.stdout.trim().split('\n').map(Number);
    expect(uid).toBe(0);
    expect(running(pid)).toBe(false);
    await conn.close();
  });
});
