/** get_url for file:// URLs: its arguments as Ansible reads them, and its plans. */
import { describe, expect, it } from 'vitest';
import { digestKey } from '../../src/modules/file-digest.ts';
import { fileUrlPath, getUrlModule, parseChecksum } from '../../src/modules/get-url.ts';
import { fileKey } from '../../src/modules/remote-file.ts';
import type { StateView } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';

const ctx = {} as Parameters<typeof getUrlModule.plan>[2];
const commands = (plan: ReturnType<typeof getUrlModule.plan>) => (plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : []);

const SHA1 = '52390946c590e974a358c25d40f09b566cf314be';
/** The source /srv/pkg/app.tgz (3 bytes), /opt a directory, /opt/app.tgz and /etc/app.tgz absent. */
function host(over: Record<string, unknown> = {}): StateView {
  const file = (hex: string) => ({ kind: 'file', hex });
  return stateOf({
    [fileKey('/srv/pkg/app.tgz')]: { exists: true, type: 'regular file', mode: '600', owner: 'root', group: 'root', size: 3, content: 'vm\n' },
    [digestKey('sha1', '/srv/pkg/app.tgz')]: file(SHA1),
    [digestKey('md5', '/srv/pkg/app.tgz')]: file('6520213d3695a344f306efffa2523807'),
    [digestKey('sha256', '/srv/pkg/app.tgz')]: file('abc123'),
    [fileKey('/opt')]: { exists: true, type: 'directory', mode: '755', owner: 'root', group: 'root' },
    [fileKey('/opt/app.tgz')]: { exists: false },
    [digestKey('sha1', '/opt/app.tgz')]: { kind: 'absent' },
    [fileKey('/etc')]: { exists: true, type: 'directory' },
    [fileKey('/etc/app.tgz')]: { exists: false },
    [digestKey('sha1', '/etc/app.tgz')]: { kind: 'absent' },
    [digestKey('sha256', '/etc/app.tgz')]: { kind: 'absent' },
    [fileKey('/nodir')]: { exists: false },
    [fileKey('/nodir/x')]: { exists: false },
    [digestKey('sha1', '/nodir/x')]: { kind: 'absent' },
    ...over,
  });
}

describe('get_url', () => {
  it('takes file:// URLs only, and checksums as algorithm:hex', () => {
    expect(fileUrlPath('file:///srv/a%20b.tgz')).toBe('/srv/a b.tgz');
    expect(fileUrlPath('file://localhost/srv/x')).toBe('/srv/x');
    expect(fileUrlPath('file://other/srv/x')).toBeUndefined();
    expect(getUrlModule.argProblems!({ url: 'https://example.org/x', dest: '/x' })).toEqual([{ path: '/url', message: expect.stringMatching(/the https scheme is not supported/) }]);
    expect(getUrlModule.argProblems!({ url: '/srv/x', dest: '/x' })[0].message).toMatch(/unknown url type: '\/srv\/x'/);
    expect(parseChecksum('sha256:AB:cd')).toEqual({ algorithm: 'sha256', hex: 'abcd' });
    expect(parseChecksum('sha256:https://example.org/SUMS')).toMatch(/from a URL/);
    expect(parseChecksum('whirlpool:ab')).toMatch(/not supported/);
    expect(parseChecksum('abcd')).toMatch(/<algorithm>:<checksum>/);
  });

  it('copies into a directory under the URL name, and leaves a dest with the same sha1 alone', () => {
    const plan = getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/opt' }, host(), ctx);
    expect(commands(plan)[0]).toMatch(/dd if=\/srv\/pkg\/app.tgz of="\$tmp".*mv -f "\$tmp" \/opt\/app.tgz/);
    expect(plan).toMatchObject({ result: { dest: '/opt/app.tgz', checksum_src: SHA1, checksum_dest: null, msg: 'OK (3 bytes)', mode: '0644' } });
    const same = host({ [fileKey('/opt/app.tgz')]: { exists: true, type: 'regular file', mode: '644', owner: 'root', group: 'root', size: 3 }, [digestKey('sha1', '/opt/app.tgz')]: { kind: 'file', hex: SHA1 } });
    expect(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/opt/app.tgz' }, same, ctx).kind).toBe('noop');
    expect(commands(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/opt/app.tgz', mode: '0600' }, same, ctx))).toEqual(['chmod 0600 /opt/app.tgz']);
  });

  it('with a checksum: a dest that has it is left alone (force no), a source without it fails before writing', () => {
    const has = host({ [fileKey('/etc/app.tgz')]: { exists: true, type: 'regular file', mode: '644', owner: 'root', group: 'root', size: 9 }, [digestKey('sha256', '/etc/app.tgz')]: { kind: 'file', hex: 'abc123' } });
    expect(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/etc/app.tgz', checksum: 'sha256:abc123' }, has, ctx)).toMatchObject({ kind: 'noop', result: { msg: 'file already exists' } });
    expect(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/etc/app.tgz', checksum: 'sha256:ffff' }, host(), ctx)).toEqual({ kind: 'fail', message: 'The checksum for /etc/app.tgz did not match ffff; it was abc123.' });
  });

  it("fails as Ansible for a missing source or a dest's missing directory", () => {
    const none = host({ [digestKey('sha1', '/srv/pkg/app.tgz')]: { kind: 'absent' } });
    expect(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/etc/app.tgz' }, none, ctx)).toMatchObject({ kind: 'fail', message: expect.stringMatching(/No such file or directory: '\/srv\/pkg\/app.tgz'/) });
    expect(getUrlModule.plan({ url: 'file:///srv/pkg/app.tgz', dest: '/nodir/x' }, host(), ctx)).toEqual({ kind: 'fail', message: 'Destination /nodir does not exist' });
  });
});
