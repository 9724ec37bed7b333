/** user: getent's answers parsed (captured on Debian 12), and the plan Ansible's user module would make from them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupKey } from '../../src/modules/group.ts';
import { fileKey } from '../../src/modules/remote-file.ts';
import type { StateView } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';
import { groupsListing, parseUserProbe, uidKey, userGroupsKey, userKey } from '../../src/modules/user-entry.ts';
import { userModule } from '../../src/modules/user.ts';

const captured = (name: string) => ({ code: 0, stdout: readFileSync(`test/fixtures/captured/${name}`, 'utf8'), stderr: '' });
const ctx = {} as Parameters<typeof userModule.plan>[2];
const commands = (plan: ReturnType<typeof userModule.plan>) => (plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : []);

const alice = { exists: true, uid: 1500, gid: 1500, comment: 'Alice', home: '/home/alice', shell: '/bin/sh', homeExists: true };
/** The host: groups alice (1500), web (2000), ops (2001); alice a member of web; uid 1600 held by bob. */
function host(over: Record<string, unknown> = {}): StateView {
  const entries: Record<string, unknown> = {
    [userKey('alice')]: alice,
    [userKey('carol')]: { exists: false },
    [groupKey('alice')]: { exists: true, gid: 1500, members: [] },
    [groupKey('carol')]: { exists: false },
    [groupKey('web')]: { exists: true, gid: 2000, members: ['alice'] },
    [groupKey('ops')]: { exists: true, gid: 2001, members: [] },
    [groupKey('nope')]: { exists: false },
    [userGroupsKey('alice')]: ['web'],
    [uidKey(1500)]: 'alice',
    [uidKey(1600)]: 'bob',
    [uidKey(1700)]: null,
    [fileKey('/srv')]: { exists: true, type: 'directory' },
    [fileKey('/srv/alice')]: { exists: false },
    [fileKey('/opt/apps')]: { exists: false },
    [fileKey('/opt/apps/carol')]: { exists: false },
    ...over,
  };
  return stateOf(entries);
}

describe('user: reading the host', () => {
  it('reads the probe of a user whose home exists, of one whose home does not, and of none', () => {
    expect(parseUserProbe(captured('user-probe-root.txt'))).toEqual({ exists: true, uid: 0, gid: 0, comment: 'root', home: '/root', shell: '/bin/bash', homeExists: true });
    expect(parseUserProbe(captured('user-probe-nobody.txt'))).toMatchObject({ uid: 65534, home: '/nonexistent', homeExists: false });
    expect(parseUserProbe({ code: 0, stdout: 'absent 2\n', stderr: '' })).toEqual({ exists: false });
    expect(() => parseUserProbe({ code: 0, stdout: 'absent 1\n', stderr: '' })).toThrow(/exit 1/);
  });

  it('finds the groups that list a user as a member in getent group', () => {
    expect(groupsListing(captured('getent-group.txt'), 'postgres')).toEqual(['ssl-cert']);
    expect(groupsListing(captured('getent-group.txt'), 'root')).toEqual([]);
    expect(groupsListing({ code: 0, stdout: 'a:x:1:bob,alice\nb:x:2:alicex\nc:x:3:\n', stderr: '' }, 'alice')).toEqual(['a']);
  });
});

describe('user: the plan', () => {
  it('creates a user with Ansible useradd options, -N when a group of its name exists', () => {
    const plan = userModule.plan({ name: 'carol', uid: '1700', group: 'web', groups: 'ops,web', comment: 'C', shell: '/bin/bash', system: 'yes' }, host(), ctx);
    expect(commands(plan)).toEqual(['useradd -u 1700 -g web -G ops,web -c C -s /bin/bash -m -r carol']);
    expect(commands(userModule.plan({ user: 'carol', createhome: false } as never, host({ [groupKey('carol')]: { exists: true, gid: 9, members: [] } }), ctx))).toEqual(['useradd -N -M carol']);
  });

  it('makes a home whose parent is missing first, as Ansible does, then gives it to the user', () => {
    const [cmd] = commands(userModule.plan({ name: 'carol', home: '/opt/apps/carol' }, host(), ctx));
    expect(cmd).toMatch(/^if \[ -e \/etc\/skel \]; then mkdir -p -- \/opt\/apps && cp -RPp -- \/etc\/skel \/opt\/apps\/carol;.* && useradd -d \/opt\/apps\/carol -m carol && chown -R -- carol: \/opt\/apps\/carol$/);
  });

  it('changes only what differs, in usermod, and leaves a user as wanted alone', () => {
    expect(commands(userModule.plan({ name: 'alice', uid: 1500, comment: 'Alice', shell: '/bin/bash', groups: ['web'] }, host(), ctx))).toEqual(['usermod -s /bin/bash alice']);
    expect(commands(userModule.plan({ name: 'alice', group: 'web', groups: 'ops', append: true }, host(), ctx))).toEqual(['usermod -g 2000 -a -G ops alice']);
    expect(commands(userModule.plan({ name: 'alice', groups: 'ops' }, host(), ctx))).toEqual(['usermod -G ops alice']);
    expect(commands(userModule.plan({ name: 'alice', groups: [] }, host(), ctx))).toEqual(["usermod -G '' alice"]);
    expect(commands(userModule.plan({ name: 'alice', home: '/srv/alice', move_home: true }, host(), ctx))).toEqual(['usermod -d /srv/alice -m alice']);
    const same = userModule.plan({ name: 'alice', uid: 1500, group: 'alice', groups: 'web', append: 'no', shell: '/bin/sh', home: '/home/alice' }, host({ [fileKey('/home/alice')]: { exists: true }, [fileKey('/home')]: { exists: true } }), ctx);
    expect(same).toMatchObject({ kind: 'noop', result: { name: 'alice', uid: 1500, group: 1500, home: '/home/alice', shell: '/bin/sh', groups: 'web', append: false } });
    expect(userModule.plan({ name: 'alice', groups: 'web', append: true }, host(), ctx).kind).toBe('noop');
  });

  it('makes a missing home of an existing user, a change as in Ansible, unless create_home is off', () => {
    const gone = host({ [userKey('alice')]: { ...alice, homeExists: false } });
    expect(commands(userModule.plan({ name: 'alice' }, gone, ctx))[0]).toMatch(/cp -RPp -- \/etc\/skel \/home\/alice;.*chown -R -- alice: \/home\/alice$/);
    expect(userModule.plan({ name: 'alice', create_home: 'no' }, gone, ctx).kind).toBe('noop');
  });

  it('removes a user (with -f, -r), and a missing one is no change', () => {
    expect(commands(userModule.plan({ name: 'alice', state: 'absent', remove: 'yes', force: true }, host(), ctx))).toEqual(['userdel -f -r alice']);
    expect(userModule.plan({ name: 'carol', state: 'absent' }, host(), ctx).kind).toBe('noop');
  });

  it('fails clearly on a uid another user holds (unless non_unique) and on a group that does not exist', () => {
    expect(userModule.plan({ name: 'carol', uid: 1600 }, host(), ctx)).toEqual({ kind: 'fail', message: 'uid 1600 is in use by user bob (non_unique is not set)' });
    expect(userModule.plan({ name: 'alice', uid: 1600 }, host(), ctx).kind).toBe('fail');
    expect(commands(userModule.plan({ name: 'carol', uid: 1600, non_unique: true }, host(), ctx))).toEqual(['useradd -u 1600 -o -m carol']);
    expect(userModule.plan({ name: 'alice', groups: 'web,nope' }, host(), ctx)).toEqual({ kind: 'fail', message: 'Group nope does not exist' });
    expect(commands(userModule.plan({ name: 'carol', groups: 'web,nope' }, host(), ctx))).toEqual(['useradd -G web,nope -m carol']);
  });

  it('refuses a name and its alias both, and a bad name in a comma-separated groups', () => {
    expect(userModule.argProblems!({ name: 'a', user: 'a' } as never)).toHaveLength(1);
    expect(userModule.argProblems!({ name: 'a', groups: 'web,b c' })).toEqual([{ path: '/groups', message: 'not a group name: b c' }]);
  });
});
