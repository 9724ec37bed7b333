/**
 * The privilege and connection keywords of a play, an import line or a task (`become`,
 * `become_user`, `become_method`, `become_flags`, `become_exe`, `connection`, `remote_user`), read
 * with Ansible's meaning or refused; which level wins is executor/task-access.ts's to decide.
 */
import type { Pair, YAMLMap } from 'yaml';
import { accessVarProblems, becomeMethodProblem, connectionKind, connectionProblem } from '../access-vars.ts';
import type { AccessKeywords } from './types.ts';
import { keyName, readBool, readString, type Reader } from './yaml-read.ts';

export const ACCESS_KEYWORDS = ['become', 'become_user', 'become_method', 'become_flags', 'become_exe', 'connection', 'remote_user'] as const;

const REFUSED: Record<string, string> = {
  become_flags: "lvsdr runs sudo with Ansible's default flags (-H -S -n): remove become_flags",
  become_exe: 'lvsdr always runs `sudo` from the PATH: remove become_exe',
};

/** The access keywords among `pairs`; a keyword with a problem (recorded) reads as unset. */
export function readAccessKeywords(r: Reader, pairs: Map<string, Pair>): AccessKeywords {
  const node = (key: string) => pairs.get(key)?.value;
  const out: AccessKeywords = {};
  if (pairs.has('become')) out.become = readBool(r, node('become'), 'become');
  if (pairs.has('become_user')) out.becomeUser = readString(r, node('become_user'), 'become_user');
  if (pairs.has('remote_user')) out.remoteUser = readString(r, node('remote_user'), 'remote_user');
  if (pairs.has('become_method')) {
    const method = readString(r, node('become_method'), 'become_method');
    if (method !== undefined && method !== 'sudo') r.problems.add({ pos: r.src.posOf(node('become_method')), ...becomeMethodProblem('become_method', method) });
  }
  if (pairs.has('connection')) {
    const written = readString(r, node('connection'), 'connection');
    out.connection = connectionKind(written);
    if (written !== undefined && out.connection === undefined) r.problems.add({ pos: r.src.posOf(node('connection')), ...connectionProblem('connection', written) });
  }
  for (const [key, hint] of Object.entries(REFUSED)) {
    if (pairs.has(key)) r.problems.add({ pos: r.src.posOf(pairs.get(key)!.key), message: `'${key}' is not supported`, hint });
  }
  for (const key of Object.keys(out) as (keyof AccessKeywords)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** ansible_connection, ansible_become, … set in play vars or a vars file: refused when lvsdr cannot honour them. */
export function checkAccessVars(r: Reader, map: YAMLMap, vars: Record<string, unknown>): void {
  const posOf = (name: string) => {
    const pair = map.items.find((p) => keyName(p) === name);
    return r.src.posOf(pair ? (pair.value ?? pair.key) : map);
  };
  r.problems.addAll(accessVarProblems(vars, posOf));
}

