/**
 * Every module lvsdr knows, by name: the one place a playbook's module key is looked up.
 * A new module is one file in src/modules and one line in this list.
 */
import type { ModuleDef } from './types.ts';

const builtin: ModuleDef[] = [];

const byName = new Map(builtin.map((m) => [m.name, m]));

export function getModule(name: string): ModuleDef | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}
