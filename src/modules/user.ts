/**
 * user (ansible.builtin.user): a local account, as Ansible's module manages it on Linux
 * (modules/user.py, class User): `useradd` to create, `usermod` with only the options whose value
 * differs, `userdel [-f] [-r]` to remove, and afterwards a missing home directory made from the
 * skeleton (which Ansible does even for an existing user, and reports as a change). Read with
 * getent (user-entry.ts), groups with group.ts's probe.
 */
import path from 'node:path';
import { sh, ShellText } from '../shell/quote.ts';
import { aliasProblems, ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { ansibleIntSchema, ansibleListSchema, toInt, toList } from './ansible-values.ts';
import { groupFact, type GroupEntry } from './group.ts';
import { fileFact, fileKey } from './remote-file.ts';
import type { Change, ModuleDef, Plan, RemoteCommand, StateView } from './types.ts';
import { uidFact, userFact, userGroupsFact, userGroupsKey, userKey, type UserEntry } from './user-entry.ts';

interface UserArgs {
  name: string;
  /** Aliases, read as name and create_home. */
  user?: string;
  createhome?: AnsibleBool;
  state?: 'present' | 'absent';
  uid?: number | string;
  non_unique?: AnsibleBool;
  group?: string | number;
  groups?: string | string[];
  append?: AnsibleBool;
  comment?: string;
  home?: string;
  shell?: string;
  system?: AnsibleBool;
  create_home?: AnsibleBool;
  skeleton?: string;
  move_home?: AnsibleBool;
  remove?: AnsibleBool;
  force?: AnsibleBool;
}

const ALIASES = { user: 'name', createhome: 'create_home' };
const NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*[$]?$', maxLength: 32 };
const PATH = { type: 'string', pattern: '^/[^\\0:\\n]*$' };

/** Under their own names, a gid given as a number as the text getent and the commands take. */
type Args = Omit<UserArgs, 'group'> & { group?: string };
function args(written: UserArgs): Args {
  const a = withoutAliases(written, ALIASES);
  return { ...a, group: a.group === undefined ? undefined : String(a.group) };
}
const createHome = (a: Args): boolean => ansibleBool(a.create_home) ?? true;

/**
 * Ansible's create_homedir: the skeleton copied as the home (links kept), or an empty directory
 * without one, then the mode login.defs' UMASK gives (its last `UMASK n` line), then the tree
 * given to the user and the user's login group (chown_homedir).
 */
function makeHomeCommand(home: string, skeleton: string, user: string): ShellText {
  return sh`if [ -e ${skeleton} ]; then mkdir -p -- ${path.posix.dirname(home)} && cp -RPp -- ${skeleton} ${home}; else mkdir -p -- ${home}; fi && u=$(sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-9]\\{1,\\}\\)$/\\1/p' /etc/login.defs 2>/dev/null | tail -n 1) && { [ -z "$u" ] || chmod "$(printf %o $((0777 & ~0$u)))" -- ${home}; } && chown -R -- ${`${user}:`} ${home}`;
}

/** The gid of a group the plan found to exist. */
function existingGid(state: StateView, group: string): number {
  return (state.fact(groupFact, group) as Extract<GroupEntry, { exists: true }>).gid;
}

/** What the plan needs of a group named in `group` or `groups`; Ansible fails on one that does not exist. */
function missingGroup(a: Args, state: StateView): string | undefined {
  return [...(a.group !== undefined ? [a.group] : []), ...toList(a.groups)].find((g) => !state.fact(groupFact, g).exists);
}

/** A uid another user holds, unless non_unique allows sharing it: useradd and usermod refuse it. */
function uidTaken(a: Args, state: StateView): string | undefined {
  const uid = toInt(a.uid);
  if (uid === undefined || ansibleBool(a.non_unique)) return undefined;
  const holder = state.fact(uidFact, uid);
  return holder !== null && holder !== a.name ? `uid ${uid} is in use by user ${holder} (non_unique is not set)` : undefined;
}

function touchesOf(a: Args, home: string | undefined): string[] {
  return [userKey(a.name), userGroupsKey(a.name), 'group:*', 'uid:*', ...(home ? [fileKey(home)] : [])];
}

function createPlan(a: Args, state: StateView): Plan {
  const uid = toInt(a.uid);
  const groups = [...new Set(toList(a.groups))];
  const options: string[] = [];
  if (uid !== undefined) options.push('-u', String(uid), ...(ansibleBool(a.non_unique) ? ['-o'] : []));
  // useradd would make a group of the user's name, and fail when one exists: -N, as Ansible.
  if (a.group !== undefined) options.push('-g', a.group);
  else if (state.fact(groupFact, a.name).exists) options.push('-N');
  if (groups.length > 0) options.push('-G', groups.join(','));
  if (a.comment !== undefined) options.push('-c', a.comment);
  if (a.home !== undefined) options.push('-d', a.home);
  if (a.shell !== undefined) options.push('-s', a.shell);
  const make = createHome(a);
  if (make) options.push('-m', ...(a.skeleton !== undefined ? ['-k', a.skeleton] : []));
  else options.push('-M');
  if (ansibleBool(a.system)) options.push('-r');
  // useradd cannot make a home whose parent is missing: Ansible makes the home itself first.
  const homeFirst = make && a.home !== undefined && !state.fact(fileFact, path.posix.dirname(a.home)).exists;
  const commands: RemoteCommand[] = [
    {
      command: homeFirst ? sh`${makeHomeCommand(a.home!, a.skeleton ?? '/etc/skel', a.name)} && useradd ${options} ${a.name} && chown -R -- ${`${a.name}:`} ${a.home!}` : sh`useradd ${options} ${a.name}`,
      touches: touchesOf(a, a.home),
    },
  ];
  // The ids and home the host chooses for what was not given are known only once it has: then a
  // later task reads them again.
  const gid = a.group === undefined ? undefined : state.fact(groupFact, a.group);
  const known = uid !== undefined && gid?.exists && a.home !== undefined && a.shell !== undefined;
  const effects = known ? { [userKey(a.name)]: { exists: true, uid, gid: gid.gid, comment: a.comment ?? '', home: a.home!, shell: a.shell!, homeExists: make }, [userGroupsKey(a.name)]: groups } : {};
  return {
    kind: 'change',
    changes: [{ summary: `create user ${a.name}${uid !== undefined ? ` (uid ${uid})` : ''}`, commands, effects }],
    // Ansible reads the new user back for these; what the arguments fix is known before.
    result: {
      name: a.name,
      state: 'present',
      system: ansibleBool(a.system) ?? false,
      create_home: make,
      ...(uid !== undefined ? { uid } : {}),
      ...(gid?.exists ? { group: gid.gid } : {}),
      ...(a.comment !== undefined ? { comment: a.comment } : {}),
      ...(a.home !== undefined ? { home: a.home } : {}),
      ...(a.shell !== undefined ? { shell: a.shell } : {}),
      ...(a.groups !== undefined ? { groups: groups.join(',') } : {}),
    },
  };
}

/** usermod's options for what differs, in Ansible's order (modify_user_usermod). */
function usermodOptions(a: Args, current: Extract<UserEntry, { exists: true }>, state: StateView): { options: string[]; groups?: string[] } {
  const options: string[] = [];
  const uid = toInt(a.uid);
  if (uid !== undefined && uid !== current.uid) options.push('-u', String(uid), ...(ansibleBool(a.non_unique) ? ['-o'] : []));
  if (a.group !== undefined) {
    const gid = existingGid(state, a.group);
    if (gid !== current.gid) options.push('-g', String(gid));
  }
  let groups: string[] | undefined;
  if (a.groups !== undefined) {
    const wanted = [...new Set(toList(a.groups))];
    const now = state.fact(userGroupsFact, a.name);
    const append = ansibleBool(a.append) ?? false;
    // Ansible compares the member lists by name; with append only a group the user lacks counts.
    const change = append ? wanted.some((g) => !now.includes(g)) : wanted.length !== now.length || wanted.some((g) => !now.includes(g));
    if (change) {
      options.push(...(append ? ['-a'] : []), '-G', wanted.join(','));
      groups = append ? [...new Set([...now, ...wanted])] : wanted;
    }
  }
  if (a.comment !== undefined && a.comment !== current.comment) options.push('-c', a.comment);
  if (a.home !== undefined && a.home !== current.home) options.push('-d', a.home, ...(ansibleBool(a.move_home) ? ['-m'] : []));
  if (a.shell !== undefined && a.shell !== current.shell) options.push('-s', a.shell);
  return { options, groups };
}

function modifyPlan(a: Args, current: Extract<UserEntry, { exists: true }>, state: StateView): Plan {
  const { options, groups } = usermodOptions(a, current, state);
  const changes: Change[] = [];
  const after = { ...current };
  if (options.length > 0) {
    const uid = toInt(a.uid);
    const gid = a.group !== undefined ? existingGid(state, a.group) : current.gid;
    const moved = a.home !== undefined && a.home !== current.home;
    Object.assign(after, { uid: uid ?? current.uid, gid, comment: a.comment ?? current.comment, home: a.home ?? current.home, shell: a.shell ?? current.shell });
    // usermod -d -m moves the old home there; -d alone leaves the new path as it was.
    if (moved) after.homeExists = ansibleBool(a.move_home) && current.homeExists ? true : state.fact(fileFact, a.home!).exists;
    changes.push({
      summary: `change user ${a.name}: ${options.filter((o) => o.startsWith('-')).join(' ')}`,
      commands: [{ command: sh`usermod ${options} ${a.name}`, touches: touchesOf(a, moved ? a.home : undefined) }],
      effects: { [userKey(a.name)]: { ...after }, ...(groups ? { [userGroupsKey(a.name)]: groups } : {}) },
    });
  }
  if (!after.homeExists && createHome(a)) {
    changes.push({
      summary: `create home ${after.home} of user ${a.name}`,
      commands: [{ command: makeHomeCommand(after.home, a.skeleton ?? '/etc/skel', a.name), touches: [fileKey(after.home)] }],
      effects: { [userKey(a.name)]: { ...after, homeExists: true } },
    });
  }
  const result = {
    name: a.name,
    state: 'present',
    append: ansibleBool(a.append) ?? false,
    move_home: ansibleBool(a.move_home) ?? false,
    uid: after.uid,
    group: after.gid,
    comment: after.comment,
    home: after.home,
    shell: after.shell,
    ...(a.groups !== undefined ? { groups: toList(a.groups).join(',') } : {}),
  };
  if (changes.length === 0) return { kind: 'noop', reason: `user ${a.name} is as wanted (uid ${current.uid})`, result };
  return { kind: 'change', changes, result };
}

export const userModule: ModuleDef<UserArgs> = {
  name: 'user',
  summary: 'a local user account that exists as described, or does not, as Ansible manages it',
  schema: {
    type: 'object',
    properties: {
      name: NAME,
      user: NAME,
      state: { enum: ['present', 'absent'] },
      uid: ansibleIntSchema(0),
      non_unique: boolSchema,
      group: { anyOf: [NAME, ansibleIntSchema(0)] },
      groups: ansibleListSchema(NAME),
      append: boolSchema,
      comment: { type: 'string', pattern: '^[^:\\n]*$' },
      home: PATH,
      shell: PATH,
      system: boolSchema,
      create_home: boolSchema,
      createhome: boolSchema,
      skeleton: PATH,
      move_home: boolSchema,
      remove: boolSchema,
      force: boolSchema,
    },
    oneOf: [{ required: ['name'] }, { required: ['user'] }],
    additionalProperties: false,
  },
  argProblems(written) {
    const a = args(written);
    const problems = aliasProblems(written, ALIASES);
    // A comma-separated string passes the schema whole: each of its names is checked here.
    for (const g of toList(a.groups)) if (!new RegExp(NAME.pattern).test(g)) problems.push({ path: '/groups', message: `not a group name: ${g}` });
    return problems;
  },
  plan(written, state): Plan {
    const a = args(written);
    const current = state.fact(userFact, a.name);
    if (a.state === 'absent') {
      if (!current.exists) return { kind: 'noop', reason: `user ${a.name} does not exist`, result: { name: a.name, state: 'absent' } };
      const options = [...(ansibleBool(a.force) ? ['-f'] : []), ...(ansibleBool(a.remove) ? ['-r'] : [])];
      return {
        kind: 'change',
        changes: [{ summary: `remove user ${a.name}`, commands: [{ command: sh`userdel ${options} ${a.name}`, touches: touchesOf(a, current.home) }], effects: { [userKey(a.name)]: { exists: false } } }],
        result: { name: a.name, state: 'absent', force: ansibleBool(a.force) ?? false, remove: ansibleBool(a.remove) ?? false },
      };
    }
    const taken = uidTaken(a, state);
    if (taken !== undefined) return { kind: 'fail', message: taken };
    if (!current.exists) return createPlan(a, state);
    // Only for a user that exists, as Ansible: a new user's group may be one an earlier task of a
    // check run would make, and useradd itself names a group that is missing.
    const missing = missingGroup(a, state);
    return missing !== undefined ? { kind: 'fail', message: `Group ${missing} does not exist` } : modifyPlan(a, current, state);
  },
};
