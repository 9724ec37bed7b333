/**
 * What the user module reads of a host's accounts, each with `getent` (the databases as the host
 * resolves them, as Python's pwd and grp modules do for Ansible's): a user's passwd entry and
 * whether its home exists, the groups that list a user as a member, and who holds a uid.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { factKey, type Fact } from '../facts/fact.ts';

/** A user as `getent passwd` prints it, with whether its home directory exists. */
export type UserEntry =
  | { exists: false }
  | { exists: true; uid: number; gid: number; comment: string; home: string; shell: string; homeExists: boolean };

/**
 * The entry, then `home` or `no-home`; `absent 2` when there is no such user (getent's exit 2).
 * The home is cut from the entry by the shell (the shell field holds no colon), costing no process.
 */
export const userFact: Fact<string, UserEntry> = {
  kind: 'user',
  id: (name) => name,
  read: { command: (name) => sh`if e=$(getent passwd ${name}); then printf '%s\\n' "$e"; h=\${e%:*}; h=\${h##*:}; if [ -e "$h" ]; then echo home; else echo no-home; fi; else echo "absent $?"; fi` },
  parse: (r) => parseUserProbe(r),
  unread: { exists: false },
};
export const userKey = (name: string): string => factKey(userFact, name);

/** One `name:x:uid:gid:comment:home:shell` line of `getent passwd`. */
export function parsePasswdLine(line: string): { name: string; uid: number; gid: number; comment: string; home: string; shell: string } {
  const f = line.split(':');
  if (f.length !== 7 || !/^[0-9]+$/.test(f[2]) || !/^[0-9]+$/.test(f[3])) throw new Error(`not a passwd entry: ${line}`);
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f[6] };
}

export function parseUserProbe(r: ExecResult): UserEntry {
  const lines = r.stdout.trimEnd().split('\n');
  if (lines[0] === 'absent 2') return { exists: false };
  if (r.code !== 0 || lines.length !== 2 || !['home', 'no-home'].includes(lines[1])) {
    throw new Error(`getent passwd gave no user entry (${lines[0]?.startsWith('absent') ? `exit ${lines[0].slice(7)}` : `exit ${r.code}`}): ${r.stdout.trim() || r.stderr.trim()}`);
  }
  const { uid, gid, comment, home, shell } = parsePasswdLine(lines[0]);
  return { exists: true, uid, gid, comment, home, shell, homeExists: lines[1] === 'home' };
}

/** The groups whose member list names the user (grp.getgrall's gr_mem, as Ansible reads them). */
export const userGroupsFact: Fact<string, string[]> = {
  kind: 'user-groups',
  id: (name) => name,
  read: { command: () => sh`getent group` },
  parse: (r, name) => groupsListing(r, name),
  unread: [],
};
export const userGroupsKey = (name: string): string => factKey(userGroupsFact, name);

/** The names of the groups in a `getent group` listing whose members include `user`. */
export function groupsListing(r: ExecResult, user: string): string[] {
  if (r.code !== 0) throw new Error(`getent group failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 4 && f[3].split(',').includes(user))
    .map((f) => f[0]);
}

/** `getent passwd UID`: the name of the user holding that uid, or null (exit 2). */
export const uidFact: Fact<number, string | null> = {
  kind: 'uid',
  id: (uid) => String(uid),
  read: { command: (uid) => sh`getent passwd ${uid}` },
  parse: (r, uid) => {
    if (r.code === 2) return null;
    if (r.code !== 0) throw new Error(`getent passwd ${uid} failed (exit ${r.code}): ${r.stderr.trim()}`);
    return parsePasswdLine(r.stdout.trim().split('\n')[0]).name;
  },
  unread: null,
};
export const uidKey = (uid: number): string => factKey(uidFact, uid);
