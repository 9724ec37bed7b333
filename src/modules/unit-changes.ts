/**
 * Installing, enabling and removing systemd units. `systemctl enable`/`disable` only make or
 * remove symlinks, so they work on a host where systemd is not running (a lab namespace, a
 * chroot); `daemon-reload` needs a running systemd and is only sent when there is one.
 */
import path from 'node:path';
import { sh } from '../shell/quote.ts';
import { UNIT_DIR } from './layout.ts';
import { ENABLE_TOUCHES, RELOAD_TOUCHES } from './unit-state.ts';
import { removeFileChange, writeFileChange } from './persisted-file-change.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact, knownContent } from '../facts/file.ts';
import { unitFact, type ServiceState } from '../facts/unit.ts';
import type { Change, StateView } from './types.ts';

export const unitPath = (unit: string): string => path.posix.join(UNIT_DIR, unit);

const daemonReload = (systemdRunning: boolean) => (systemdRunning ? [{ command: sh`systemctl daemon-reload`, touches: RELOAD_TOUCHES }] : []);

/** Writes lvsdr's own unit when its text differs, then enables it when it is not enabled. */
export function ownUnitChanges(unit: string, content: string, state: StateView, systemdRunning: boolean): Change[] {
  const file = state.fact(fileFact, unitPath(unit));
  const changes: Change[] = [];
  let unitState = state.fact(unitFact, unit);
  if (knownContent(file) !== content) {
    const write = writeFileChange(`write ${unitPath(unit)}`, unitPath(unit), file, content, { mode: '0644' });
    unitState = { ...unitState, exists: true };
    changes.push({ ...write, commands: [...write.commands, ...daemonReload(systemdRunning)], effects: { ...write.effects, ...factEffect(unitFact, unit, unitState) } });
  }
  const enable = enableUnitChange(unit, unitState);
  return enable ? [...changes, enable] : changes;
}

/** `systemctl enable` when the unit exists and is not enabled yet; undefined when nothing to do. */
export function enableUnitChange(unit: string, current: ServiceState): Change | undefined {
  if (current.enabled) return undefined;
  return {
    summary: `enable ${unit}`,
    commands: [{ command: sh`systemctl enable ${unit}`, touches: ENABLE_TOUCHES }],
    diff: { kind: 'value', name: `${unit} enabled`, before: 'false', after: 'true' },
    effects: factEffect(unitFact, unit, { ...current, exists: true, enabled: true }),
  };
}

/** Disables and deletes lvsdr's own unit, whichever of the two is still needed. */
export function removeOwnUnitChanges(unit: string, state: StateView, systemdRunning: boolean): Change[] {
  const changes: Change[] = [];
  const current = state.fact(unitFact, unit);
  if (current.enabled) {
    changes.push({
      summary: `disable ${unit}`,
      commands: [{ command: sh`systemctl disable ${unit}`, touches: ENABLE_TOUCHES }],
      diff: { kind: 'value', name: `${unit} enabled`, before: 'true', after: 'false' },
      effects: factEffect(unitFact, unit, { ...current, enabled: false }),
    });
  }
  const file = state.fact(fileFact, unitPath(unit));
  if (file.exists) {
    const remove = removeFileChange(`remove ${unitPath(unit)}`, unitPath(unit), file);
    changes.push({
      ...remove,
      commands: [...remove.commands, ...daemonReload(systemdRunning)],
      effects: { ...remove.effects, ...factEffect(unitFact, unit, { exists: false, enabled: false, active: current.active === null ? null : false }) },
    });
  }
  return changes;
}
