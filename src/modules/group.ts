/**
 * group (ansible.builtin.group): a local group that exists with a gid, or does not. As Ansible's
 * module does on Linux: `groupadd [-g GID [-o]] [-r] NAME` to create, `groupmod -g GID [-o] NAME`
 * when the gid differs, `groupdel NAME` to remove; `system` matters only when the group is made.
 * Read with `getent group NAME` (the group database as the host resolves it).
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { ansibleIntSchema, toInt } from './ansible-values.ts';
import { factKey, type Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

interface GroupArgs {
  name: string;
  gid?: number | string;
  state?: 'present' | 'absent';
  system?: AnsibleBool;
  non_unique?: AnsibleBool;
}

/** A group as `getent group` prints it, or its absence. */
export type GroupEntry = { exists: false } | { exists: true; gid: number; members: string[] };


/** `getent group NAME`: `name:x:gid:a,b`, or exit 2 for a group that does not exist. */
export function parseGetentGroup(r: ExecResult): GroupEntry {
  if (r.code === 2) return { exists: false };
  const fields = r.stdout.trim().split(':');
  if (r.code !== 0 || fields.length < 4 || !/^[0-9]+$/.test(fields[2])) throw new Error(`getent group gave no group entry (exit ${r.code}): ${r.stdout.trim() || r.stderr.trim()}`);
  return { exists: true, gid: Number(fields[2]), members: fields[3] ? fields[3].split(',') : [] };
}

export const groupFact: Fact<string, GroupEntry> = {
  kind: 'group',
  id: (name) => name,
  read: { command: (name) => sh`getent group ${name}` },
  parse: parseGetentGroup,
  unread: { exists: false },
};

export const groupKey = (name: string): string => factKey(groupFact, name);

const NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*[$]?$', maxLength: 32 };

export const groupModule: ModuleDef<GroupArgs> = {
  name: 'group',
  summary: 'a local group that exists (with a gid) or does not, as Ansible manages it',
  schema: {
    type: 'object',
    properties: {
      name: NAME,
      gid: ansibleIntSchema(0),
      state: { enum: ['present', 'absent'] },
      system: boolSchema,
      non_unique: boolSchema,
    },
    required: ['name'],
    additionalProperties: false,
  },
  argProblems(args) {
    if (ansibleBool(args.non_unique) && args.gid === undefined) return [{ path: '/non_unique', message: 'non_unique needs gid' }];
    return [];
  },
  plan(args, state): Plan {
    const current = state.fact(groupFact, args.name);
    const gid = toInt(args.gid);
    const result = (g: GroupEntry, st: string) => ({ name: args.name, state: st, system: ansibleBool(args.system) ?? false, ...(g.exists ? { gid: g.gid } : {}) });
    if (args.state === 'absent') {
      if (!current.exists) return { kind: 'noop', reason: `group ${args.name} does not exist`, result: result(current, 'absent') };
      return {
        kind: 'change',
        changes: [{ summary: `remove group ${args.name}`, commands: [{ command: sh`groupdel ${args.name}`, touches: [groupKey(args.name)] }], effects: { [groupKey(args.name)]: { exists: false } } }],
        result: result({ exists: false }, 'absent'),
      };
    }
    const unique = ansibleBool(args.non_unique) ? ['-o'] : [];
    if (!current.exists) {
      const options = [...(gid !== undefined ? ['-g', String(gid), ...unique] : []), ...(ansibleBool(args.system) ? ['-r'] : [])];
      // The gid a new group gets without one is the host's to choose: later tasks read it again.
      const made: GroupEntry | undefined = gid === undefined ? undefined : { exists: true, gid, members: [] };
      return {
        kind: 'change',
        changes: [{ summary: `create group ${args.name}${gid !== undefined ? ` (gid ${gid})` : ''}`, commands: [{ command: sh`groupadd ${options} ${args.name}`, touches: [groupKey(args.name)] }], effects: made ? { [groupKey(args.name)]: made } : {} }],
        result: result(made ?? { exists: false }, 'present'),
      };
    }
    if (gid !== undefined && gid !== current.gid) {
      return {
        kind: 'change',
        changes: [
          {
            summary: `gid of group ${args.name}: ${current.gid} → ${gid}`,
            commands: [{ command: sh`groupmod -g ${gid} ${unique} ${args.name}`, touches: [groupKey(args.name)] }],
            diff: { kind: 'value', name: `group ${args.name} gid`, before: String(current.gid), after: String(gid) },
            effects: { [groupKey(args.name)]: { ...current, gid } },
          },
        ],
        result: result({ ...current, gid }, 'present'),
      };
    }
    return { kind: 'noop', reason: `group ${args.name} exists${gid !== undefined ? ` with gid ${gid}` : ''}`, result: result(current, 'present') };
  },
};
