/**
 * apt's `deb`: a .deb file already on the host, installed unless that version of its package is
 * (Ansible's install_deb compares the versions; a different one, older included, is installed).
 * One probe reads the file's package name and version and what dpkg has of that package. Ansible
 * also fetches a `deb` given as a URL; lvsdr refuses one (the host fetches nothing).
 */
import { DPKG_QUERY_FORMAT, parseDpkgInstalled } from '../facts/parsers/package-versions.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { factEffect, factKey, type Fact } from '../facts/fact.ts';
import { debPackageFact } from './package-reads.ts';
import type { Change, Plan, RemoteCommand, StateView } from './types.ts';

export interface DebFile {
  exists: boolean;
  package?: string;
  version?: string;
  /** The installed version of that package, or null. */
  installed?: string | null;
  /** dpkg-deb could not read the file. */
  error?: string;
}

/** An absolute path on the host, ending in .deb, with nothing a shell or apt reads specially. */
export const DEB_PATH = /^\/[A-Za-z0-9_.+~%:\/-]+\.deb$/;

/** The .deb file's package and version, and what dpkg has of that package. */
export const debFileFact: Fact<string, DebFile> = {
  kind: 'deb',
  id: (path) => path,
  read: {
    command: (path) => new ShellText(
      `f=${sh`${path}`.text}; if [ ! -f "$f" ]; then echo absent; ` +
        `elif p=$(dpkg-deb -f "$f" Package) && v=$(dpkg-deb -f "$f" Version); then printf 'package\\t%s\\nversion\\t%s\\n' "$p" "$v"; ` +
        `${sh`dpkg-query -W -f=${DPKG_QUERY_FORMAT}`.text} "$p" 2>/dev/null; true; else exit 1; fi`,
    ),
  },
  parse(r) {
    if (r.code !== 0) return { exists: true, error: r.stderr.trim() || `exit ${r.code}` };
    if (r.stdout.trim() === 'absent') return { exists: false };
    const field = (name: string) => new RegExp(`^${name}\\t(.*)$`, 'm').exec(r.stdout)?.[1];
    const pkg = field('package');
    const installed = pkg ? (parseDpkgInstalled(r.stdout).get(pkg) ?? null) : null;
    return { exists: true, package: pkg, version: field('version'), installed };
  },
  unread: { exists: false },
};

export function planDeb(path: string, state: StateView, install: (target: string) => RemoteCommand, cacheUpdate?: Change): Plan {
  const deb = state.fact(debFileFact, path);
  if (!deb.exists) return { kind: 'fail', message: `${path} does not exist on the host (deb is a file on the managed host)` };
  if (deb.error || !deb.package || !deb.version) return { kind: 'fail', message: `dpkg-deb cannot read ${path}: ${deb.error ?? 'no Package or Version field'}` };
  const changes: Change[] = cacheUpdate ? [cacheUpdate] : [];
  if (deb.installed === deb.version) {
    const reason = `${deb.package} ${deb.version} (${path}) already installed`;
    if (cacheUpdate) return { kind: 'action', summary: `${cacheUpdate.summary} (${reason})`, commands: cacheUpdate.commands, countsAsChange: false };
    return { kind: 'noop', reason };
  }
  changes.push({
    summary: `install ${deb.package} ${deb.version} from ${path}${deb.installed ? ` (was ${deb.installed})` : ''}`,
    commands: [install(path)],
    diff: { kind: 'value', name: `packages (apt)`, before: `${deb.package} ${deb.installed ?? '(absent)'}`, after: `${deb.package} ${deb.version}` },
    effects: {
      ...factEffect(debFileFact, path, { ...deb, installed: deb.version }),
      [factKey(debPackageFact, { name: deb.package, latest: false })]: { installed: deb.version, candidate: null, upgrade: null },
    },
  });
  return { kind: 'change', changes };
}
