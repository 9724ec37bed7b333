/**
 * The plan shared by the package modules (apt, dnf/yum, package): from each named package's state
 * (package-reads.ts) and the wanted state, what to install, upgrade and remove, as one command per
 * kind of change, so the package manager resolves the packages together as it would for one
 * command line. A package no source offers fails the task before anything runs, naming it.
 */
import type { Change, Plan, RemoteCommand, StateView } from './types.ts';
import { packageKey, type PackageState } from './package-reads.ts';

export type PackageWanted = 'present' | 'absent' | 'latest';

/** The package manager's commands for a list of packages, and how it words what it lacks. */
export interface PackageManager {
  label: string;
  install(names: string[]): RemoteCommand;
  upgrade(names: string[]): RemoteCommand;
  remove(names: string[]): RemoteCommand;
  /** The failure for packages no source offers (each manager words it as Ansible's module does). */
  unavailable(names: string[]): string;
  /** The package as this manager reads it for the task. */
  read(name: string, state: StateView): PackageState;
}

const list = (items: string[]): string => items.join(', ');
const versions = (items: [string, string | null][]): string => items.map(([n, v]) => `${n} ${v ?? '(absent)'}`).join('\n');

/**
 * `cacheUpdate`: a change that refreshes the package lists first (apt's update_cache). The lists
 * it brings are not known until it runs, so a package they lack now is planned as installed from
 * them, and only the install can tell whether it is there.
 */
export function planPackages(names: readonly string[], wanted: PackageWanted, state: StateView, pm: PackageManager, cacheUpdate?: Change): Plan {
  const states = names.map((n) => [n, pm.read(n, state)] as const);
  const install = states.filter(([, s]) => wanted !== 'absent' && s.installed === null);
  const upgrade = states.filter(([, s]) => wanted === 'latest' && s.installed !== null && s.upgrade !== null);
  const remove = states.filter(([, s]) => wanted === 'absent' && s.installed !== null);
  const unreadable = install.find(([, s]) => s.error);
  if (unreadable) return { kind: 'fail', message: `${pm.label} could not read its package sources: ${unreadable[1].error}` };
  const missing = install.filter(([, s]) => s.candidate === null).map(([n]) => n);
  if (missing.length > 0 && !cacheUpdate) return { kind: 'fail', message: pm.unavailable(missing) };

  const changes: Change[] = cacheUpdate ? [cacheUpdate] : [];
  const change = (verb: string, items: (readonly [string, PackageState])[], after: (s: PackageState) => PackageState, command: RemoteCommand): void => {
    const pairs = items.map(([n, s]) => [n, after(s)] as const);
    changes.push({
      summary: `${verb} ${list(pairs.map(([n, s]) => (s.installed ? `${n} ${s.installed}` : n)))}`,
      commands: [command],
      diff: { kind: 'value', name: `packages (${pm.label})`, before: versions(items.map(([n, s]) => [n, s.installed])), after: versions(pairs.map(([n, s]) => [n, s.installed])) },
      effects: Object.fromEntries(pairs.map(([n, s]) => [packageKey(n), s])),
    });
  };
  const fromUpdate = (s: PackageState): string => s.candidate ?? 'from the updated lists';
  if (install.length > 0) change('install', install, (s) => ({ ...s, installed: fromUpdate(s), upgrade: null }), pm.install(install.map(([n]) => n)));
  if (upgrade.length > 0) change('upgrade', upgrade, (s) => ({ ...s, installed: s.upgrade, upgrade: null }), pm.upgrade(upgrade.map(([n]) => n)));
  if (remove.length > 0) change('remove', remove, (s) => ({ ...s, installed: null, upgrade: null }), pm.remove(remove.map(([n]) => n)));
  if (changes.length > (cacheUpdate ? 1 : 0)) return { kind: 'change', changes };

  const how = wanted === 'absent' ? 'not installed' : wanted === 'latest' ? 'installed, newest version' : 'installed';
  const reason = `${list([...names])}: ${how}`;
  // As Ansible's apt: refreshing the lists alone does not make a task with packages changed.
  if (cacheUpdate) return { kind: 'action', summary: `${cacheUpdate.summary} (${reason})`, commands: cacheUpdate.commands, countsAsChange: false };
  return { kind: 'noop', reason };
}
