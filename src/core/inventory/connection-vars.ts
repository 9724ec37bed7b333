/**
 * Connection variables: Ansible's names (`ansible_host`, `ansible_port`, `ansible_user`,
 * `ansible_ssh_private_key_file` and their older aliases) and lvsdr's own (`lvsdr_host`,
 * `lvsdr_port`, `lvsdr_user`, `lvsdr_private_key_file`, `lvsdr_known_hosts_file`).
 *
 * Each place vars come from (one group's vars, one host's vars, one vars file) is normalised on its
 * own before the places are merged by precedence: when one place sets both spellings, the `lvsdr_*`
 * one wins (it is the more specific name), and afterwards that place carries the value under both
 * the `lvsdr_*` and the canonical `ansible_*` name. So a more specific place always wins whichever
 * spelling it used (a host's `ansible_user` beats its group's `lvsdr_user`), and consumers may read
 * either name.
 */
import { homedir } from 'node:os';
import type { Problem, SourcePos } from '../errors.ts';
import type { InventoryHost } from './types.ts';

interface ConnectionVarSpec {
  lvsdr: string;
  /** The canonical Ansible name first, then its aliases. */
  ansible: string[];
  kind: 'string' | 'port';
}

const SPECS: ConnectionVarSpec[] = [
  { lvsdr: 'lvsdr_host', ansible: ['ansible_host', 'ansible_ssh_host'], kind: 'string' },
  { lvsdr: 'lvsdr_port', ansible: ['ansible_port', 'ansible_ssh_port'], kind: 'port' },
  { lvsdr: 'lvsdr_user', ansible: ['ansible_user', 'ansible_ssh_user'], kind: 'string' },
  {
    lvsdr: 'lvsdr_private_key_file',
    ansible: ['ansible_ssh_private_key_file', 'ansible_private_key_file'],
    kind: 'string',
  },
  { lvsdr: 'lvsdr_known_hosts_file', ansible: [], kind: 'string' },
];

/** Where each variable of one vars mapping was written, for problems about its value. */
export type VarPositions = Map<string, SourcePos>;

/**
 * Returns a copy of one place's vars with both spellings of each connection var set, and reports
 * values of the wrong type (a port that is not a whole number in 1–65535, a host that is a list).
 */
export function normaliseConnectionVars(
  vars: Record<string, unknown>,
  positions: VarPositions,
  problems: Problem[],
): Record<string, unknown> {
  const out = { ...vars };
  for (const spec of SPECS) {
    const names = [spec.lvsdr, ...spec.ansible].filter((n) => n in vars);
    if (names.length === 0) continue;
    const name = names[0];
    const value = checkValue(spec, name, vars[name], positions.get(name), problems);
    out[spec.lvsdr] = value;
    if (spec.ansible.length > 0) out[spec.ansible[0]] = value;
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
