/** stat: the `stat` dict is Ansible's, key for key, for the same files (captured on one machine by both). */
import { probesRead } from '../support/fact-state.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import { parseStat, statCommand, statModule } from '../../src/modules/stat.ts';
import { wouldBeStat } from '../../src/modules/stat-would-be.ts';
import { ctxFor, regular, stateOf, validator } from './lvs-helpers.ts';

const ansible = JSON.parse(readFileSync('test/fixtures/captured/stat-ansible.json', 'utf8')) as Record<string, Record<string, unknown>>;
const probeOutput = (name: string) => ({ code: 0, stdout: readFileSync(`test/fixtures/captured/stat-probe-${name}.txt`, 'utf8'), stderr: '' });
const options = (path: string) => ({ path, follow: false, checksum: 'sha1' as const, mime: true, attributes: true });

describe('stat', () => {
  it.each([
    ['regular', '/etc/passwd'],
    ['link', '/tmp/fm-scratch/lnk'],
    ['chardev', '/dev/null'],
  ])('returns what Ansible returned for a %s file, in the same order', (name, path) => {
    const ours = parseStat(probeOutput(name), options(path));
    // atime moves when a file is read; the captures were made one after the other.
    const { atime: a, ...theirs } = ansible[name];
    const { atime: b, ...mine } = ours;
    expect(typeof a).toBe(typeof b);
    expect(Object.keys(ours)).toEqual(Object.keys(ansible[name]));
    expect(mine).toEqual(theirs);
  });
  it('says a missing path does not exist, and nothing else', () => {
    expect(parseStat({ code: 0, stdout: 'absent\n', stderr: '' }, options('/x'))).toEqual({ exists: false });
  });
  it('leaves out what was not asked for, and follows links only when told', () => {
    const text = statCommand({ path: '/a b', follow: true, checksum: undefined, mime: false, attributes: false }).text;
    expect(text).toContain("stat -L -c '%f|");
    expect(text).not.toMatch(/sum|file -b|lsattr|readlink/);
    expect(statCommand(options('/x')).text).toContain("sha1sum -- /x");
  });
  it('takes Ansible arguments and aliases, and returns `stat` without a change', () => {
    const valid = validator(statModule);
    expect(valid({ path: '/etc/x', get_checksum: 'no', checksum_algorithm: 'sha256', mime: false, follow: 'yes' })).toBe(true);
    expect(valid({ name: '/etc/x', attributes: 'off' })).toBe(true);
    expect(valid({ path: 'relative' })).toBe(false);
    expect(valid({ path: '/x', get_md5: true })).toBe(false);
    expect(valid({ path: '/x', checksum_algorithm: 'crc32' })).toBe(false);
    const args = { dest: '/etc/x', checksum: 'sha256' as const };
    const [statRead] = probesRead(statModule, args, ctxFor('Debian'));
    const key = statRead.key;
    expect(statRead.command.text).toContain('sha256sum -- /etc/x');
    expect(statModule.plan(args, stateOf({ [key]: { exists: false }, [fileKey('/etc/x')]: { exists: false } }), ctxFor('Debian'))).toEqual({ kind: 'noop', reason: '/etc/x does not exist', result: { stat: { exists: false } } });
  });
});

describe('stat in check mode, on a path an earlier task would change', () => {
  const live = parseStat(probeOutput('regular'), options('/etc/passwd'));
  const o = { path: '/etc/passwd', follow: false, checksum: 'sha1' };
  it('keeps what the host holds when the file state agrees (always, in a real run)', () => {
    const same: RemoteFile = { exists: true, type: 'regular file', mode: '644', owner: 'root', group: 'root', size: 1340 };
    expect(wouldBeStat(live, same, o)).toBe(live);
    expect(wouldBeStat({ exists: false }, { exists: false }, o)).toEqual({ exists: false });
  });
  it('answers for a file an earlier task would write, with only what that tells', () => {
    expect(wouldBeStat({ exists: false }, regular('a\n'), { ...o, path: '/etc/new' })).toEqual({
      exists: true, path: '/etc/new', mode: '0644', isdir: false, ischr: false, isblk: false, isreg: true, isfifo: false, islnk: false, issock: false,
      size: 2, pw_name: 'root', gr_name: 'root', checksum: '3f786850e387550fdab836ed7e6dc881de23001b',
    });
  });
  it('lays a would-be content and mode over the host file, and a removal over all', () => {
    const changed = wouldBeStat(live, { ...regular('x\n', '600'), size: 2 }, o);
    expect(changed).toMatchObject({ inode: live.inode, mode: '0600', size: 2, checksum: '6fcf9dfbd479ed82697fee719b9f8c610a11ff2a' });
    expect(Object.keys(changed)).toEqual(Object.keys(live));
    expect(wouldBeStat(live, { exists: false }, o)).toEqual({ exists: false });
  });
});
