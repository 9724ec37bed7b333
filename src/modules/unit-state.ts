/**
 * What lvsdr reads of a systemd unit, under one state key per unit (`service:NAME`) that every module
 * touching units shares (systemd, service, and lvsdr's own units), so in check mode each sees the
 * others' would-be effects.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { fileKey } from './remote-file.ts';
import { SHARED_READS, unitFileName } from './shared-reads.ts';
import type { Probe } from './types.ts';

export interface ServiceState {
  /** False when systemd knows no unit file of that name. */
  exists: boolean;
  /** lvsdr's own units: enabled, or a kind that cannot be enabled by hand (ENABLED_STATES). */
  enabled: boolean;
  /** null when systemd is not running, so nothing is active or inactive. */
  active: boolean | null;
  /**
   * The words systemctl printed: the unit file's state (`enabled`, `static`, `masked`, …) and the
   * active state (`active`, `deactivating`, `offline` …). A would-be state another module
   * recorded in check mode may lack them; then `enabled` and `active` stand for them.
   */
  unitFileState?: string;
  activeState?: string;
}

export const serviceKey = (name: string): string => `service:${name}`;

/** What `systemctl enable`/`disable`/`mask` can change (RemoteCommand.touches): units, and their links. */
export const ENABLE_TOUCHES = ['service:*', fileKey('/etc/systemd/system')];
/** What `systemctl daemon-reload` can change: what systemd knows of every unit. */
export const RELOAD_TOUCHES = ['service:*'];

/** Where an administrator's (or a copy task's) unit file for `name` lives. */
export function localUnitPath(name: string): string {
  return `/etc/systemd/system/${unitFileName(name)}`;
}

/**
 * `static`, `indirect` and `generated` units cannot be enabled by hand; counting them as enabled
 * keeps `enabled: true` from planning a change that `systemctl enable` would not make.
 */
const ENABLED_STATES = ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated'];
const ACTIVE_STATES = ['active', 'activating', 'reloading'];

export function parseServiceState(r: ExecResult): ServiceState {
  const [enabledLine = '', activeLine = ''] = r.stdout.split('\n').map((l) => l.trim());
  const active = activeLine === 'offline' ? null : ACTIVE_STATES.includes(activeLine);
  return {
    exists: enabledLine !== 'not-found' || active === true,
    enabled: ENABLED_STATES.includes(enabledLine),
    active,
    unitFileState: enabledLine,
    activeState: activeLine,
  };
}

/** A unit's state, read with the other units of the batch (shared-reads.ts). */
export function unitStateProbe(name: string): Probe<ServiceState> {
  return { key: serviceKey(name), command: SHARED_READS.units.command([name]), shared: { kind: 'units', arg: name }, parse: parseServiceState };
}

/**
 * Every property `systemctl show` prints, as Ansible's systemd module returns them (`status`).
 * Only keys starting with Exec hold values over several lines, between braces; a lone line holding
 * `{` elsewhere (a Description) is a value of its own (Ansible's parse_systemctl_show).
 */
export function parseSystemctlShow(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  let key: string | undefined;
  let multi: string[] = [];
  for (const line of text.split('\n')) {
    if (key === undefined) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
      if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
        key = k;
        multi = [v];
        continue;
      }
      parsed[k] = v.trim();
    } else {
      multi.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed[key] = multi.join('\n').trim();
        key = undefined;
      }
    }
  }
  return parsed;
}

/**
 * The unit's `systemctl show` properties, reported as the result's `status`. Its key is of the
 * `service` kind, so whatever makes a unit's state be read again makes this be read again too.
 * Without a running systemd there is nothing to show: an empty status, as Ansible's.
 */
export function unitShowProbe(name: string): Probe<Record<string, string>> {
  return {
    key: `${serviceKey(name)}#show`,
    command: sh`systemctl show ${name} 2>/dev/null || true`,
    parse: (r) => parseSystemctlShow(r.stdout),
  };
}
