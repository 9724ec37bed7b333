/**
 * A systemd unit's state (`service:NAME`): whether systemd knows it, its enablement and whether it
 * is active. Every module touching units reads this one fact (systemd, service, lvsdr's own
 * units), so in check mode each sees the others' would-be effects.
 */
import type { ExecResult } from '../connection/types.ts';
import { marker } from '../shell/marker.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { factKey, factProbe, unanswered, type BatchedRead, type Fact, type Probe } from './fact.ts';

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

const ACTIVE_MARK = marker('active');

/** `systemctl` names a unit given without a suffix `NAME.service`. */
export const unitFileName = (name: string): string => (/\.[a-z]+$/.test(name) ? name : `${name}.service`);

/**
 * Unit states: two lines per unit, its enablement (`not-found` when systemd knows no such unit)
 * and whether it is active (`offline` when systemd is not running). `systemctl is-enabled A B`
 * stops at the first unknown unit, so one `list-unit-files` answers for every unit file;
 * an instance (`name@x.service`) has no file of its own and is asked with `is-enabled`.
 * `is-active A B` prints one line per unit, unknown ones included.
 */
const unitsRead: BatchedRead = {
  command(names) {
    const files = names.map(unitFileName).filter((n) => !n.includes('@'));
    const instances = names.map(unitFileName).filter((n) => n.includes('@'));
    return new ShellText(
      [
        ...(files.length > 0 ? [sh`systemctl list-unit-files --no-legend --no-pager ${files} 2>/dev/null`.text] : []),
        ...instances.map((n) => sh`printf '%s ' ${n}; systemctl is-enabled ${n} 2>/dev/null || echo`.text),
        sh`echo ${ACTIVE_MARK}; if [ -d /run/systemd/system ]; then systemctl is-active ${names.map(unitFileName)} 2>/dev/null; else echo offline; fi`.text,
      ].join('; '),
    );
  },
  split(result, names) {
    const at = result.stdout.indexOf(`${ACTIVE_MARK}\n`);
    if (at < 0) return unanswered(result, names);
    const enabled = new Map<string, string>();
    for (const line of result.stdout.slice(0, at).split('\n')) {
      const [unit, state] = line.trim().split(/\s+/);
      if (unit && state) enabled.set(unit, state);
    }
    const active = result.stdout.slice(at + ACTIVE_MARK.length + 1).split('\n');
    const offline = active[0].trim() === 'offline';
    return names.map((name, i) => ({
      code: 0,
      stdout: `${enabled.get(unitFileName(name)) ?? 'not-found'}\n${offline ? 'offline' : active[i]?.trim() || 'unknown'}\n`,
      stderr: '',
    }));
  },
};

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

/**
 * systemd reads units (and their drop-ins) from its directories, wherever a unit was linked from,
 * and makes units of SysV init scripts: only such files change what it knows of a unit.
 */
const UNIT_FILE = /\/(systemd|init\.d|rc\.d)\/|\.(service|socket|target|timer|mount|automount|path|slice|swap)(\.d\/|\/|$)/;

/** A fact about units: only files systemd reads units from change it. */
export const readFromUnitFiles = (written: string): boolean => UNIT_FILE.test(written);

export const unitFact: Fact<string, ServiceState> = {
  kind: 'service',
  id: (name) => name,
  read: { batch: unitsRead, arg: (name) => name },
  parse: parseServiceState,
  unread: { exists: false, enabled: false, active: false },
  changedByWriting: () => readFromUnitFiles,
};

export const serviceKey = (name: string): string => factKey(unitFact, name);

/** A unit's state, read with the other units of the batch. */
export const unitStateProbe = (name: string): Probe<ServiceState> => factProbe(unitFact, name);
