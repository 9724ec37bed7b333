/** group: getent's answer parsed, and the plan Ansible's group module would make from it. */
import { describe, expect, it } from 'vitest';
import { groupKey, groupModule, parseGetentGroup } from '../../src/modules/group.ts';
import { stateOf } from '../support/fact-state.ts';

const commands = (plan: ReturnType<typeof groupModule.plan>) => (plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : []);
const ctx = {} as Parameters<typeof groupModule.plan>[2];

describe('group', () => {
  it('reads getent group: an entry, and exit 2 for none', () => {
    expect(parseGetentGroup({ code: 0, stdout: 'lvsweb:x:4321:alice,bob\n', stderr: '' })).toEqual({ exists: true, gid: 4321, members: ['alice', 'bob'] });
    expect(parseGetentGroup({ code: 2, stdout: '', stderr: '' })).toEqual({ exists: false });
    expect(() => parseGetentGroup({ code: 1, stdout: '', stderr: 'broken' })).toThrow(/no group entry/);
  });

  it('creates a group with its gid (and -o, -r), changes a wrong gid, removes one, and leaves a right one alone', () => {
    const none = stateOf({ [groupKey('g')]: { exists: false } });
    const some = stateOf({ [groupKey('g')]: { exists: true, gid: 10, members: [] } });
    expect(commands(groupModule.plan({ name: 'g', gid: '4321', non_unique: 'yes', system: true }, none, ctx))).toEqual(['groupadd -g 4321 -o -r g']);
    expect(commands(groupModule.plan({ name: 'g', gid: 11 }, some, ctx))).toEqual(['groupmod -g 11  g']);
    expect(commands(groupModule.plan({ name: 'g', state: 'absent' }, some, ctx))).toEqual(['groupdel g']);
    expect(groupModule.plan({ name: 'g', gid: 10, system: true }, some, ctx)).toMatchObject({ kind: 'noop', result: { name: 'g', gid: 10, state: 'present' } });
    expect(groupModule.plan({ name: 'g', state: 'absent' }, none, ctx).kind).toBe('noop');
  });
});
