/**
 * firewalld's configuration: its direct rules and whether a zone has a port open, each at runtime
 * (null when firewalld is not running: there is none) and permanent (read from its files with
 * firewall-offline-cmd when it is not running). Only files under a firewalld directory change them.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh, ShellText } from '../shell/quote.ts';
import type { Fact } from './fact.ts';
import { parseFirewalldDirectRules, type FirewalldDirectRule } from './parsers/firewalld-direct.ts';

export const FIREWALLD_UNIT = 'firewalld';

/**
 * Whether firewalld runs, asked of systemd (or the process table on hosts without it): every
 * firewall-cmd call costs a Python start-up of about a second, `--state` included.
 */
export const FIREWALLD_RUNNING = sh`{ systemctl is-active --quiet firewalld 2>/dev/null || pgrep -x firewalld >/dev/null 2>&1; }`;

const readFromFirewalldFiles = () => (written: string) => written.includes('/firewalld/');

function rulesOrFail(what: string, stdout: string, r: ExecResult): FirewalldDirectRule[] {
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseFirewalldDirectRules(stdout);
}

export const firewalldDirectRuntimeFact: Fact<void, FirewalldDirectRule[] | null> = {
  kind: 'firewalld',
  id: () => 'direct:runtime',
  read: { command: () => sh`if ${FIREWALLD_RUNNING}; then echo running; firewall-cmd --direct --get-all-rules; else echo stopped; fi` },
  parse: (r) => (r.stdout.startsWith('stopped') ? null : rulesOrFail('firewall-cmd --direct --get-all-rules', r.stdout.replace(/^running\n/, ''), r)),
  unread: null,
  changedByWriting: readFromFirewalldFiles,
};

export const firewalldDirectPermanentFact: Fact<void, FirewalldDirectRule[]> = {
  kind: 'firewalld',
  id: () => 'direct:permanent',
  read: { command: () => sh`if ${FIREWALLD_RUNNING}; then firewall-cmd --permanent --direct --get-all-rules; else firewall-offline-cmd --direct --get-all-rules 2>/dev/null; fi` },
  parse: (r) => rulesOrFail('reading the permanent direct rules', r.stdout, r),
  unread: [],
  changedByWriting: readFromFirewalldFiles,
};

/** A port (`80/tcp`) in a zone (firewalld's default zone when left out). */
export interface ZonePort {
  zone?: string;
  port: string;
}

export const zoneWords = (zone: string | undefined): ShellText => (zone ? sh` --zone=${zone}` : new ShellText(''));
const query = (p: ZonePort) => sh`${zoneWords(p.zone)} --query-port=${p.port}`;
const portId = (which: string) => (p: ZonePort) => `port:${which}:${p.zone ?? '(default)'}:${p.port}`;

function yesNo(stdout: string, what: string): boolean {
  const answer = stdout.trim().split('\n').at(-1);
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  throw new Error(`${what}: unexpected answer ${JSON.stringify(stdout.trim())}`);
}

export const firewalldPortRuntimeFact: Fact<ZonePort, boolean | null> = {
  kind: 'firewalld',
  id: portId('runtime'),
  read: { command: (p) => sh`if ${FIREWALLD_RUNNING}; then firewall-cmd${query(p)}; else echo stopped; fi` },
  parse: (r) => (r.stdout.trim() === 'stopped' ? null : yesNo(r.stdout, 'firewall-cmd --query-port')),
  unread: null,
  changedByWriting: readFromFirewalldFiles,
};

export const firewalldPortPermanentFact: Fact<ZonePort, boolean> = {
  kind: 'firewalld',
  id: portId('permanent'),
  read: { command: (p) => sh`if ${FIREWALLD_RUNNING}; then firewall-cmd --permanent${query(p)}; else firewall-offline-cmd${query(p)} 2>/dev/null; fi` },
  parse: (r) => yesNo(r.stdout, 'firewall-cmd --permanent --query-port'),
  unread: false,
  changedByWriting: readFromFirewalldFiles,
};
