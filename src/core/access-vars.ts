/**
 * The variables that say how Ansible reaches a host and whom a task runs as (`ansible_connection`,
 * `ansible_become`, `ansible_become_user`, …), wherever they are set: inventory, play vars, vars
 * files, `-e`. Like every variable they beat the play and task keywords (executor/task-access.ts).
 * Each is read with Ansible's meaning or refused before any host is contacted: none is ignored.
 *
 * Several names for one setting follow Ansible's sudo become plugin (ansible/plugins/become/sudo.py
 * DOCUMENTATION), whose config manager takes the last name of each list that is set: so
 * `ansible_sudo_user` beats `ansible_become_user` (checked with ansible-core 2.14). Names are listed
 * here winner first.
 */
import type { Problem, SourcePos } from './errors.ts';
import { ACCEPTED_VALUE, REFUSED, TIMEOUT_VARS, timeoutSeconds } from './ansible-setting-vars.ts';
import { isTemplate } from './templating.ts';

/** How lvsdr reaches a host: its ssh connection, or processes on this machine. */
export type ConnectionKind = 'ssh' | 'local';

export const BECOME_USER_VARS = ['ansible_sudo_user', 'ansible_become_user'];
export const BECOME_PASSWORD_VARS = ['ansible_sudo_pass', 'ansible_become_pass', 'ansible_become_password'];
/** Login user names, winner first (inventory/connection-vars.ts resolves them within the inventory). */
export const REMOTE_USER_VARS = ['ansible_ssh_user', 'ansible_user'];

const CONNECTIONS: Record<string, ConnectionKind> = { ssh: 'ssh', smart: 'ssh', local: 'local' };

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f'];

/** A value as Ansible's boolean() reads it (yes/no/on/off/1/0/true/false/y/n/t/f), else undefined. */
export function ansibleBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : undefined;
}

/** `ssh`, `smart` (Ansible's name for ssh) or `local`; undefined for anything else. */
export function connectionKind(value: unknown): ConnectionKind | undefined {
  return typeof value === 'string' ? CONNECTIONS[value] : undefined;
}

/** What is wrong with the value of one access variable, or undefined when lvsdr can honour it. */
export function accessVarProblem(name: string, value: unknown): Omit<Problem, 'pos'> | undefined {
  if (REFUSED[name]) return { message: `${name} is not supported`, hint: REFUSED[name] };
  // Read when the connection is made, before any template could be rendered: a literal only.
  if (TIMEOUT_VARS.includes(name) && timeoutSeconds(value) === undefined) {
    return { message: `${name} is ${show(value)}, not a whole number of seconds`, hint: `write ${name}: 30` };
  }
  const accepted = ACCEPTED_VALUE[name];
  if (accepted && !sameSetting(value, accepted.value)) return { message: `${name} ${show(value)} is not supported`, hint: accepted.why };
  // A template is read once rendered, for each host and task: the executor checks it then.
  if (isTemplate(value)) return undefined;
  switch (name) {
    case 'ansible_connection':
      if (connectionKind(value) === undefined) return connectionProblem(name, value);
      return undefined;
    case 'ansible_become':
      if (ansibleBoolean(value) === undefined) return { message: `${name} is ${show(value)}, not a boolean`, hint: `write ${name}: true or ${name}: false` };
      return undefined;
    case 'ansible_become_method':
      if (value !== 'sudo') return becomeMethodProblem(name, value);
      return undefined;
  }
  if (BECOME_USER_VARS.includes(name) && !(typeof value === 'string' && value !== '')) {
    return { message: `${name} is ${show(value)}, not a user name`, hint: `write ${name}: postgres` };
  }
  if (BECOME_PASSWORD_VARS.includes(name)) {
    if (typeof value !== 'string' && typeof value !== 'number') return { message: `${name} is ${show(value)}, not a password`, hint: `write ${name} as a string` };
    if (String(value).includes('\n')) return { message: `${name} contains a newline`, hint: 'sudo reads the password as one line: remove the newline' };
  }
  return undefined;
}

/** Problems of the access variables in one mapping of vars, each at its position when known. */
export function accessVarProblems(vars: Record<string, unknown>, posOf: (name: string) => SourcePos | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const problem = accessVarProblem(name, value);
    if (problem) problems.push({ pos: posOf(name), ...problem });
  }
  return problems;
}

export function connectionProblem(name: string, value: unknown): Omit<Problem, 'pos'> {
  return {
    message: `${name} ${show(value)} is not supported: lvsdr connects with ssh (also called smart) or local`,
    hint: `write ${name}: ssh, or ${name}: local to run on this machine`,
  };
}

export function becomeMethodProblem(name: string, value: unknown): Omit<Problem, 'pos'> {
  return {
    message: `${name} ${show(value)} is not supported: lvsdr becomes another user with sudo only`,
    hint: `write ${name}: sudo, or remove it (sudo is the default)`,
  };
}

/** Whether a variable's value is the setting `wanted`: booleans as Ansible reads boolean words. */
function sameSetting(value: unknown, wanted: string | number | boolean): boolean {
  return typeof wanted === 'boolean' ? ansibleBoolean(value) === wanted : String(value) === String(wanted);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
