/**
 * Package names as the package modules take them: Ansible's `name` list (or comma-separated
 * string) under any of its aliases. lvsdr plans from each package's installed and available
 * version, so it takes plain names only: a version, a wildcard, a group or a file path would need a
 * resolver of its own, and is refused before any host is contacted rather than read another way.
 */
import { ansibleListSchema, toList } from './ansible-values.ts';

export const DEB_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
export const RPM_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

export const namesSchema = ansibleListSchema({ type: 'string' });

export type NameArgs = Partial<Record<'name' | 'pkg' | 'package', string | string[]>>;

/** The names given, under whichever alias was used. */
export function packageNames(args: NameArgs): string[] {
  return toList(args.name ?? args.pkg ?? args.package);
}

/** More than one alias given, and names that are not plain package names. */
export function nameProblems(args: NameArgs, aliases: readonly (keyof NameArgs)[], pattern: RegExp, kind: string): { path: string; message: string }[] {
  const given = aliases.filter((a) => args[a] !== undefined);
  if (given.length > 1) return [{ path: `/${given[1]}`, message: `'${given[1]}' is an alias of '${given[0]}': give the packages once` }];
  if (given.length === 0) return [{ path: '', message: `name the packages with '${aliases[0]}'` }];
  const bad = packageNames(args).filter((n) => !pattern.test(n));
  return bad.map((n) => ({
    path: `/${given[0]}`,
    message: `'${n}' is not a plain ${kind} package name: lvsdr installs packages by name only (no versions, wildcards, groups or files)`,
  }));
}
