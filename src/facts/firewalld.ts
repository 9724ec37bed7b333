/**
 * firewalld's configuration: its direct rules and whether a zone has a setting (a port open, a service, …), each at runtime
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

export type ZoneSettingKind = 'port' | 'service' | 'rich-rule' | 'source' | 'interface' | 'masquerade';

/** One setting of a zone: a port (`80/tcp`), a service, a rich rule, a source, an interface, masquerade. */
export interface ZoneSetting {
  kind: ZoneSettingKind;
  /** The setting's value (`80/tcp`, `http`, …); none for masquerade. */
  value?: string;
  /** Default: firewalld's default zone. */
  zone?: string;
}

export const zoneWords = (zone: string | undefined): ShellText => (zone ? sh` --zone=${zone}` : new ShellText(''));

/** `--query-port=80/tcp`, `--add-masquerade`: the option with the setting's value, if it has one. */
export function settingOption(s: ZoneSetting, op: 'query' | 'add' | 'remove' | 'change'): ShellText {
  const option = new ShellText(`--${op}-${s.kind}`);
  return s.value === undefined ? sh`${zoneWords(s.zone)} ${option}` : sh`${zoneWords(s.zone)} ${option}=${s.value}`;
}

const settingId = (which: string) => (s: ZoneSetting) => `${s.kind}:${which}:${s.zone ?? '(default)'}:${s.value ?? ''}`;

function yesNo(stdout: string, what: string): boolean {
  const answer = stdout.trim().split('\n').at(-1);
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  throw new Error(`${what}: unexpected answer ${JSON.stringify(stdout.trim())}`);
}

/** Whether the zone has the setting at runtime; null when firewalld is stopped (there is no runtime). */
export const firewalldSettingRuntimeFact: Fact<ZoneSetting, boolean | null> = {
  kind: 'firewalld',
  id: settingId('runtime'),
  read: { command: (s) => sh`if ${FIREWALLD_RUNNING}; then firewall-cmd${settingOption(s, 'query')}; else echo stopped; fi` },
  parse: (r, s) => (r.stdout.trim() === 'stopped' ? null : yesNo(r.stdout, `firewall-cmd --query-${s.kind}`)),
  unread: null,
  changedByWriting: readFromFirewalldFiles,
};

/** Whether the zone has the setting in the permanent configuration (read offline when firewalld is stopped). */
export const firewalldSettingPermanentFact: Fact<ZoneSetting, boolean> = {
  kind: 'firewalld',
  id: settingId('permanent'),
  read: { command: (s) => sh`if ${FIREWALLD_RUNNING}; then firewall-cmd --permanent${settingOption(s, 'query')}; else firewall-offline-cmd${settingOption(s, 'query')} 2>/dev/null; fi` },
  parse: (r, s) => yesNo(r.stdout, `firewall-cmd --permanent --query-${s.kind}`),
  unread: false,
  changedByWriting: readFromFirewalldFiles,
};
