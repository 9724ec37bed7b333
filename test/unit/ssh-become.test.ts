/**
 * The become wrapping, run for real by /bin/sh through LocalConnection (the shell layer over the
 * local transport), against a fake `sudo` and `id` that behave like the real ones for the flags
 * lvsdr uses (this machine has no sudo; as root, real sudo would not be exercised anyway).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.ts';
import { invocation } from '../../src/connection/invocation.ts';
import { ends } from '../support/sshd.ts';

const bin = mkdtempSync(join(tmpdir(), 'lvsdr-fake-sudo-'));
const log = join(bin, 'sudo.log');
afterAll(() => rmSync(bin, { recursive: true, force: true }));

writeFileSync(
  join(bin, 'sudo'),
  `#!/bin/sh
echo "sudo $*" >> "$FAKE_SUDO_LOG"
n=
while [ $# -gt 0 ]; do
  case "$1" in -k|-S|-H) ;; -n) n=1 ;; -p|-u) shift ;; --) shift; break ;; *) break ;; esac
  shift
done
if [ "$FAKE_SUDO" = password ]; then
  if [ -n "$n" ]; then echo "sudo: a password is required" >&2; exit 1; fi
  IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }
  [ "$pw" = "$FAKE_SUDO_PASSWORD" ] || { echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
fi
FAKE_UID=0 exec "$@"
`,
);
writeFileSync(join(bin, 'id'), `#!/bin/sh\n[ "$1" = -u ] && echo "\${FAKE_UID:-1000}"\n`);
chmodSync(join(bin, 'sudo'), 0o755);
chmodSync(join(bin, 'id'), 0o755);

const SECRET = "s3cr'et $(pw) \\x";

function host(sudo: 'password' | 'nopasswd', options: { root?: boolean; becomePassword?: string } = {}) {
  rmSync(log, { force: true });
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    FAKE_SUDO: sudo,
    FAKE_SUDO_PASSWORD: SECRET,
    FAKE_SUDO_LOG: log,
    ...(options.root ? { FAKE_UID: '0' } : {}),
  };
  return new LocalConnection({ env, becomePassword: options.becomePassword });
}
const sudoCalls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
const payload = 'line one\nline two with the word password\n'.repeat(1000);

describe('become', () => {
  it('uses sudo -n when no password is given, once for the shell its commands then run in', async () => {
    const conn = host('nopasswd');
    expect(await conn.exec('id -u', { become: true })).toMatchObject({ code: 0, stdout: '0\n' });
    expect(await conn.exec('id -u', { become: true })).toMatchObject({ code: 0, stdout: '0\n' });
    expect(sudoCalls()).toEqual(['sudo -H -n -- /bin/sh -c exec /bin/sh -s']);
    await conn.close();
  });

  it('is a no-op for root', async () => {
    const r = await host('password', { root: true }).exec('id -u', { become: true });
    expect(r).toMatchObject({ code: 0, stdout: '0\n' });
    expect(sudoCalls()).toEqual([]);
  });

  it('goes through sudo -u for another become user, even as root (become_user)', async () => {
    const conn = host('nopasswd', { root: true });
    expect(await conn.exec('id -u', { become: true, becomeUser: 'daemon' })).toMatchObject({ code: 0 });
    expect(sudoCalls()).toEqual(['sudo -H -u daemon -n -- /bin/sh -c exec /bin/sh -s']);
    await conn.close();
  });

  it('takes a become password given with the command over the connection\'s own', async () => {
    const conn = new LocalConnection({ env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_SUDO: 'password', FAKE_SUDO_PASSWORD: SECRET, FAKE_SUDO_LOG: log }, becomePassword: 'wrong' });
    expect(await conn.exec('id -u', { become: true, becomePassword: SECRET })).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('fails clearly when sudo wants a password and none is given', async () => {
    const r = await host('password').exec('id -u', { become: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('a password is required');
  });

  it('feeds the password to sudo -S before the payload stdin, which reaches the command intact', async () => {
    const r = await host('password', { becomePassword: SECRET }).exec('id -u >&2; cat', { become: true, stdin: payload });
    expect(r).toMatchObject({ code: 0, stdout: payload, stderr: '0\n' });
    expect(sudoCalls()).toEqual(['sudo -H -k -n true', "sudo -H -k -S -p  -- /bin/sh -c id -u >&2; cat"]);
  });

  it('never hands the password to the command when sudo needs none, or the user is root', async () => {
    for (const conn of [host('nopasswd', { becomePassword: SECRET }), host('password', { root: true, becomePassword: SECRET })]) {
      const r = await conn.exec('cat', { become: true, stdin: payload });
      expect(r).toMatchObject({ code: 0, stdout: payload });
      expect(await conn.exec('cat', { become: true })).toMatchObject({ code: 0, stdout: '' });
    }
  });

  it('keeps the password out of command lines, sudo logs and output', async () => {
    const text = invocation('cat', { become: true, becomePassword: SECRET, stdin: 'x' });
    expect(text.command).not.toContain(SECRET);
    expect(text.stdin).toBe(`${SECRET}\nx`);
    const conn = host('password', { becomePassword: SECRET });
    const wrong = await new LocalConnection({ env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_SUDO: 'password', FAKE_SUDO_PASSWORD: 'other', FAKE_SUDO_LOG: log }, becomePassword: SECRET }).exec('true', { become: true });
    expect(wrong.code).not.toBe(0);
    const echoed = await conn.exec('printf "%s" "$FAKE_SUDO_PASSWORD"', { become: true });
    expect(echoed.stdout).toBe('********');
    expect(readFileSync(log, 'utf8')).not.toContain(SECRET);
    expect(JSON.stringify([wrong, echoed])).not.toContain(SECRET);
  });

  it('refuses a password with a newline, which would split into two lines of stdin', () => {
    expect(() => invocation('true', { become: true, becomePassword: 'a\nb' })).toThrow(/newline/);
  });
});

describe('LocalConnection', () => {
  it('returns exit codes and both streams, and runs commands with /bin/sh', async () => {
    const r = await new LocalConnection().exec('echo "ü $0"; echo err >&2; exit 7');
    expect(r).toEqual({ code: 7, stdout: 'ü /bin/sh\n', stderr: 'err\n', timedOut: false });
  });

  it('kills the command and everything it started on timeout', async () => {
    const pidFile = join(bin, 'pid');
    const started = performance.now();
    const r = await new LocalConnection().exec(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(r).toMatchObject({ code: null, timedOut: true });
    expect(r.stderr).toContain('timed out after 0.3 s');
    expect(await ends(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('runs commands in one long-lived shell, and in a new one after a timeout killed it', async () => {
    const conn = new LocalConnection();
    const first = (await conn.exec('echo $$')).stdout;
    expect((await conn.exec('echo $$')).stdout).toBe(first);
    expect(await conn.exec('sleep 30', { timeoutMs: 200 })).toMatchObject({ code: null, timedOut: true });
    expect(await ends(Number(first))).toBe(true);
    const after = await conn.exec('echo $$; cat', { stdin: 'no final newline: a process of its own' });
    expect(after).toMatchObject({ code: 0, stderr: '' });
    expect(after.stdout).toMatch(/^\d+\nno final newline: a process of its own$/);
    expect((await conn.exec('echo $$')).stdout).not.toBe(first);
    await conn.close();
  });
});
