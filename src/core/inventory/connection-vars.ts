/**
 * Connection variables: Ansible's names (`ansible_host`, `ansible_port`, `ansible_user`,
 * `ansible_private_key_file`), their `ansible_ssh_*` aliases, and lvsdr's own (`lvsdr_host`,
 * `lvsdr_port`, `lvsdr_user`, `lvsdr_private_key_file`, `lvsdr_known_hosts_file`).
 *
 * Which spelling wins is Ansible's rule, applied to a host's vars after every place (group, host,
 * vars file) has been merged by precedence: the `ansible_ssh_*` alias, when it is set anywhere,
 * beats the plain name, even a plain name set in a more specific place. Ansible's ssh connection
 * plugin lists each option's vars as `ansible_host` then `ansible_ssh_host` (likewise for
 * port, user, private_key_file: ansible/plugins/connection/ssh.py DOCUMENTATION) and its config
 * manager takes the last one that is set (ansible/config/manager.py `_loop_entries`);
 * `MAGIC_VARIABLE_MAPPING` in ansible/constants.py lists the `ssh_` name first for the same reason.
 * Checked with ansible-core 2.14: a group's `ansible_ssh_host`/`_port`/`_user` beat a host's
 * `ansible_host`/`_port`/`_user`.
 *
 * An `lvsdr_*` name is another spelling of the plain Ansible name: within one place it beats both
 * Ansible spellings written there; across places it is a plain name (a host's `ansible_user` beats
 * its group's `lvsdr_user`, a group's `ansible_ssh_user` beats both). After resolving, the winning
 * value is under the `lvsdr_*` name and the name the connection reads (`ansible_host`,
 * `ansible_port`, `ansible_user`, `ansible_ssh_private_key_file`).
 */
import { homedir } from 'node:os';
import { accessVarProblems } from '../access-vars.ts';
import type { Problem, SourcePos } from '../errors.ts';
import type { InventoryHost } from './types.ts';

interface ConnectionVarSpec {
  lvsdr: string;
  /** Ansible's plain name and its `ansible_ssh_*` alias, which wins. */
  plain?: string;
  ssh?: string;
  /** The name the winning value is also written under, for the connection to read. */
  read?: string;
  kind: 'string' | 'port';
}

const SPECS: ConnectionVarSpec[] = [
  { lvsdr: 'lvsdr_host', plain: 'ansible_host', ssh: 'ansible_ssh_host', read: 'ansible_host', kind: 'string' },
  { lvsdr: 'lvsdr_port', plain: 'ansible_port', ssh: 'ansible_ssh_port', read: 'ansible_port', kind: 'port' },
  { lvsdr: 'lvsdr_user', plain: 'ansible_user', ssh: 'ansible_ssh_user', read: 'ansible_user', kind: 'string' },
  {
    lvsdr: 'lvsdr_private_key_file',
    plain: 'ansible_private_key_file',
    ssh: 'ansible_ssh_private_key_file',
    read: 'ansible_ssh_private_key_file',
    kind: 'string',
  },
  { lvsdr: 'lvsdr_known_hosts_file', kind: 'string' },
];

/** Where each variable of one vars mapping was written, for problems about its value. */
export type VarPositions = Map<string, SourcePos>;

/**
 * Returns a copy of one place's vars with each connection var's value checked (a port that is not
 * a whole number in 1–65535, a host that is a list, an ansible_connection lvsdr does not have are
 * problems: access-vars.ts; a port string becomes a number)
 * and an `lvsdr_*` value copied over the Ansible spellings of the same place.
 */
export function normaliseConnectionVars(
  vars: Record<string, unknown>,
  positions: VarPositions,
  problems: Problem[],
): Record<string, unknown> {
  const out = { ...vars };
  problems.push(...accessVarProblems(vars, (name) => positions.get(name)));
  for (const spec of SPECS) {
    for (const name of [spec.lvsdr, spec.plain, spec.ssh]) {
      if (name && name in vars) out[name] = checkValue(spec, name, vars[name], positions.get(name), problems);
    }
    if (!(spec.lvsdr in vars)) continue;
    if (spec.plain) out[spec.plain] = out[spec.lvsdr];
    if (spec.ssh && spec.ssh in vars) out[spec.ssh] = out[spec.lvsdr];
  }
  return out;
}

/** A host's merged vars with each connection var resolved as Ansible resolves it (see above). */
export function resolveConnectionVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out = { ...vars };
  for (const spec of SPECS) {
    const winner = [spec.ssh, spec.plain, spec.lvsdr].find((n) => n !== undefined && out[n] !== undefined && out[n] !== null);
    if (winner === undefined) continue;
    out[spec.lvsdr] = out[winner];
    if (spec.read) out[spec.read] = out[winner];
  }
  return out;
}

function checkValue(spec: ConnectionVarSpec, name: string, value: unknown, pos: SourcePos | undefined, problems: Problem[]): unknown {
  if (spec.kind === 'port') {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    if (typeof value === 'string' && /^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) return Number(value);
    problems.push({
      pos,
      message: `${name} is ${JSON.stringify(value)}, not a port number`,
      hint: `write a whole number from 1 to 65535, e.g. ${name}: 22`,
    });
    return value;
  }
  if (typeof value === 'string' && value !== '') return value;
  problems.push({
    pos,
    message: `${name} is ${JSON.stringify(value) ?? String(value)}, not a non-empty string`,
    hint: `write ${name} as a plain value, e.g. ${name}: ${exampleFor(spec.lvsdr)}`,
  });
  return value;
}

function exampleFor(lvsdrName: string): string {
  if (lvsdrName === 'lvsdr_host') return '198.18.0.10';
  if (lvsdrName === 'lvsdr_user') return 'root';
  if (lvsdrName === 'lvsdr_known_hosts_file') return 'known_hosts';
  return '~/.ssh/id_ed25519';
}

export interface ConnectionVars {
  /** The address to connect to: lvsdr_host/ansible_host, else the inventory name. */
  host: string;
  port?: number;
  user?: string;
  privateKeyFile?: string;
  knownHostsFile?: string;
}

/**
 * How to reach a host, read from its normalised vars. A leading `~/` in a file path is expanded as
 * Ansible does for ansible_ssh_private_key_file; other relative paths are left to the caller.
 */
export function connectionVars(host: Pick<InventoryHost, 'name' | 'vars'>): ConnectionVars {
  const v = host.vars;
  const out: ConnectionVars = { host: typeof v.lvsdr_host === 'string' ? v.lvsdr_host : host.name };
  if (typeof v.lvsdr_port === 'number') out.port = v.lvsdr_port;
  if (typeof v.lvsdr_user === 'string') out.user = v.lvsdr_user;
  if (typeof v.lvsdr_private_key_file === 'string') out.privateKeyFile = expandHome(v.lvsdr_private_key_file);
  if (typeof v.lvsdr_known_hosts_file === 'string') out.knownHostsFile = expandHome(v.lvsdr_known_hosts_file);
  return out;
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? homedir() + path.slice(1) : path;
}
