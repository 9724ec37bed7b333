/**
 * How a task reaches its host and whom it runs as, decided as Ansible's PlayContext decides it
 * (ansible/playbook/play_context.py `set_task_and_variable_override`), highest first:
 *   1. variables (`ansible_connection`, `ansible_user`, `ansible_become`, `ansible_become_user`, … from
 *      the inventory, play vars, vars files or -e: access-vars.ts);
 *   2. the task's keywords (`connection`, `remote_user`, `become`, `become_user`), an import line's
 *      for the tasks it imports;
 *   3. the play's keywords;
 *   4. the command line (-c, -u, -b, --become-user), which is only the keywords' default.
 * Checked with ansible-core 2.14: an inventory `ansible_become: false` beats a task's `become: true`,
 * `ansible_user` beats `remote_user` which beats -u, a task's `connection: ssh` beats the play's
 * `connection: local`, a play's `become: false` beats -b.
 */
import type { ExecOptions } from '../../connection/types.ts';
import { ansibleBoolean, BECOME_PASSWORD_VARS, BECOME_USER_VARS, connectionKind, REMOTE_USER_VARS, type ConnectionKind } from '../access-vars.ts';
import type { AccessKeywords } from '../playbook/types.ts';
import { ENV_NAME } from '../playbook/environment-keyword.ts';
import { renderValue } from '../templating.ts';
import { pythonStr } from '../templating-pystr.ts';

export type { AccessKeywords };

/** The command line's -c, -u, -b and --become-user. */
export interface AccessDefaults {
  connection?: ConnectionKind;
  remoteUser?: string;
  become: boolean;
  becomeUser?: string;
}

export interface TaskAccess {
  connection: ConnectionKind;
  /** ssh: the login user, when anything names one (else ~/.ssh/config's User, else this user's name). */
  remoteUser?: string;
  become: boolean;
  becomeUser: string;
  /** ansible_become_password (or _pass): the connection's own (LVSDR_BECOME_PASSWORD) when unset. */
  becomePassword?: string;
  /** The `environment` every command of the task runs with (none when empty). */
  environment?: Record<string, string>;
}

/** A value that cannot be used, found once rendered: the task fails with this message. */
export class AccessError extends Error {}

/** A delegated task's two hosts: the delegate it runs on (whose variables decide), and its own. */
export interface DelegatePair {
  delegate: string;
  host: string;
}

/** Ansible's names for this machine (constants.py LOCALHOST). */
const LOCALHOST = ['127.0.0.1', 'localhost', '::1'];

/**
 * `levels` innermost first: the task's keywords, then the play's. For a delegated task `vars` are
 * the delegate's (Ansible's delegated vars: its inventory variables with the play's, the task's and
 * -e); the keywords still apply, as PlayContext applies them before the delegate's variables.
 */
export function resolveAccess(levels: readonly AccessKeywords[], cli: AccessDefaults, vars: Record<string, unknown>, delegated?: DelegatePair): TaskAccess {
  const keyword = <K extends keyof AccessKeywords>(key: K): AccessKeywords[K] | undefined => levels.find((l) => l[key] !== undefined)?.[key];
  const fromVars = (names: readonly string[]): unknown => {
    const name = names.find((n) => vars[n] !== undefined && vars[n] !== null);
    return name === undefined ? undefined : render(vars[name], vars, name);
  };

  const connectionVar = fromVars(['ansible_connection']);
  let connection = connectionVar === undefined ? (keyword('connection') ?? cli.connection ?? 'ssh') : connectionKind(connectionVar);
  if (connection === undefined) throw new AccessError(`ansible_connection is ${JSON.stringify(connectionVar)}: lvsdr connects with ssh (also called smart) or local`);
  // A delegate whose variables name no connection (play_context.py set_task_and_variable_override):
  // local when it is this machine by address and the task's own host is too by name; a `local`
  // keyword or -c local meant the task's host, so another delegate is reached over ssh.
  if (delegated && connectionVar === undefined) {
    const address = fromVars(['ansible_ssh_host', 'ansible_host', 'lvsdr_host']) ?? delegated.delegate;
    if (LOCALHOST.includes(String(address)) && LOCALHOST.includes(delegated.host)) connection = 'local';
    else if (connection === 'local') connection = 'ssh';
  }

  const becomeVar = fromVars(['ansible_become']);
  const become = becomeVar === undefined ? (keyword('become') ?? cli.become) : ansibleBoolean(becomeVar);
  if (become === undefined) throw new AccessError(`ansible_become is ${JSON.stringify(becomeVar)}, not a boolean`);

  const method = fromVars(['ansible_become_method']);
  if (method !== undefined && method !== 'sudo') throw new AccessError(`ansible_become_method is ${JSON.stringify(method)}: lvsdr becomes another user with sudo only`);

  const becomeUser = userName(fromVars(BECOME_USER_VARS) ?? renderKeyword(keyword('becomeUser'), vars, 'become_user') ?? cli.becomeUser ?? 'root', 'become user');
  const remoteUser = fromVars([...REMOTE_USER_VARS, 'lvsdr_user']) ?? renderKeyword(keyword('remoteUser'), vars, 'remote_user') ?? cli.remoteUser;
  const password = fromVars(BECOME_PASSWORD_VARS);
  return {
    connection,
    ...(connection === 'ssh' && remoteUser !== undefined ? { remoteUser: userName(remoteUser, 'remote user') } : {}),
    become,
    becomeUser,
    ...(password !== undefined ? { becomePassword: String(password) } : {}),
  };
}

/**
 * The `environment`s of a task's levels (outermost first), each rendered with the task's variables
 * and merged, the innermost winning a name (ansible plugins/action/__init__.py
 * _compute_environment_string); each value becomes Python's text of it (`True`, `None`, `1.5`), as
 * Ansible passes it. Undefined when there is none.
 */
export function taskEnvironment(levels: readonly unknown[], vars: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const level of levels) {
    const value = render(level, vars, 'environment');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AccessError(`environment must be a mapping, not ${JSON.stringify(value)}`);
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (!ENV_NAME.test(name)) throw new AccessError(`environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and _, not starting with a digit`);
      out[name] = v === null || v === undefined ? 'None' : String(pythonStr(v));
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Tasks with the same key share one connection to their host. */
export function connectionKey(access: TaskAccess): string {
  return access.connection === 'local' ? 'local' : `ssh ${access.remoteUser ?? ''}`;
}

function render(value: unknown, vars: Record<string, unknown>, what: string): unknown {
  try {
    return renderValue(value, vars);
  } catch (err) {
    throw new AccessError(`${what}: ${(err as Error).message}`);
  }
}

function renderKeyword(value: string | undefined, vars: Record<string, unknown>, what: string): unknown {
  return value === undefined ? undefined : render(value, vars, what);
}

function userName(value: unknown, what: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new AccessError(`the ${what} is ${JSON.stringify(value)}, not a user name`);
}

/** Tasks with the same key read the same state: the same connection, running commands as the same user. */
export function accessKey(access: TaskAccess): string {
  return `${connectionKey(access)} ${access.become ? `become ${access.becomeUser}` : ''}${access.environment ? ` env ${JSON.stringify(access.environment)}` : ''}`;
}

/** What an exec needs to run a command as the task's user, in the task's environment. */
export function execAs(access: TaskAccess): ExecAs {
  return {
    become: access.become,
    becomeUser: access.becomeUser,
    ...(access.becomePassword !== undefined ? { becomePassword: access.becomePassword } : {}),
    ...(access.environment ? { environment: access.environment } : {}),
  };
}

export type ExecAs = Pick<ExecOptions, 'become' | 'becomeUser' | 'becomePassword' | 'environment'>;
