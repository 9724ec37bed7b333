/**
 * What a host has and can get of each package a play names, read in one process group for all of
 * them (batched reads, src/facts/fact.ts BatchedRead): the installed version and the version the
 * package manager would install. A package no source offers has no candidate, so a plan can fail
 * naming it before anything is changed.
 */
import type { ExecResult } from '../connection/types.ts';
import {
  DNF_QUERY_FORMAT,
  DPKG_QUERY_FORMAT,
  parseAptCandidates,
  parseDpkgInstalled,
  parseRpmVersions,
  RPM_QUERY_FORMAT,
} from '../facts/parsers/package-versions.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { unanswered, type BatchedRead, type Fact } from '../facts/fact.ts';

export interface PackageState {
  /** The installed version, or null. */
  installed: string | null;
  /** The version an install would bring, or null when no configured source offers the package. */
  candidate: string | null;
  /** A newer version than the installed one that an upgrade would bring, or null. */
  upgrade: string | null;
  /** Set when the package manager could not read its sources: then no candidate is known. */
  error?: string;
}

export const packageKey = (name: string): string => `package:${name}`;

const SECTION = '@@lvsdr-packages';

/** Splits the combined output at its section markers; undefined when one is missing (cut short). */
function sections(result: ExecResult, count: number): string[] | undefined {
  const parts = result.stdout.split(new RegExp(`^${SECTION}\\n`, 'm'));
  return parts.length === count ? parts : undefined;
}

const stateLines = (s: PackageState): string =>
  `installed\t${s.installed ?? ''}\ncandidate\t${s.candidate ?? ''}\nupgrade\t${s.upgrade ?? ''}\n${s.error ? `error\t${s.error}\n` : ''}`;

const FAILED = '@@lvsdr-packages-failed';
/** Runs a source reader, its errors kept on stderr, and marks its output when it fails. */
const reader = (command: ShellText, tool: string): string => `${command.text} || echo "${FAILED} ${tool} exit $?"`;
/** The reader's failure, as one line, when its section says it failed. */
function readerError(section: string, stderr: string): string | undefined {
  const failed = new RegExp(`^${FAILED} (.*)$`, 'm').exec(section)?.[1];
  if (!failed) return undefined;
  const detail = stderr.trim().split('\n').filter(Boolean).slice(-1)[0];
  return detail ? `${failed}: ${detail}` : failed;
}

/**
 * A shared read's argument: the package name, with LATEST_SUFFIX when the task wants the newest
 * version. Asking the sources costs far more than asking the database (apt-cache policy about
 * 0.4 s of CPU, dnf repoquery more; dpkg-query 10 ms), so they are asked only about packages that
 * are not installed, and about those a task wants at their newest: a run that changes nothing
 * reads the package database alone.
 */
export const LATEST_SUFFIX = '@latest';
const nameOf = (arg: string): string => (arg.endsWith(LATEST_SUFFIX) ? arg.slice(0, -LATEST_SUFFIX.length) : arg);

/**
 * Shell that sets `need` to the names the sources must be asked about: the latest ones, and the
 * others unless the installed list in $q names them (`installed` sets `ok`, space-delimited).
 * Names reach it validated (package-names.ts), so they split on spaces and hold no pattern.
 */
function namesToAsk(args: readonly string[], installed: string): string {
  const present = args.filter((a) => !a.endsWith(LATEST_SUFFIX));
  const latest = args.filter((a) => a.endsWith(LATEST_SUFFIX)).map(nameOf);
  return (
    `ok=$(printf '%s\\n' "$q" | ${installed}); need=${sh`${latest.join(' ')}`.text}; ` +
    `for p in ${sh`${present}`.text}; do case "$ok" in *" $p "*) ;; *) need="$need $p" ;; esac; done`
  );
}

/**
 * Debian: dpkg's database for what is installed (a second status letter of `n` or `c` is not
 * installed: python-apt's is_installed), apt's cache for candidates (apt never picks a candidate
 * older than the installed version below pin priority 1000, so a different candidate is an
 * upgrade). dpkg-query exits 1 when some name is unknown; that is an answer, not a failure.
 */
export const debPackages: BatchedRead = {
  command: (args) =>
    new ShellText(
      `q=$(${sh`dpkg-query -W -f=${DPKG_QUERY_FORMAT} ${args.map(nameOf)}`.text} 2>/dev/null); printf '%s\\n' "$q"; echo ${SECTION}; ` +
        `${namesToAsk(args, `while IFS='\t' read -r n s v; do case "$s" in ?[nc]*) ;; *) [ -n "$v" ] && printf ' %s ' "$n" ;; esac; done`)}; ` +
        `if [ -n "$need" ]; then ${reader(new ShellText('LC_ALL=C apt-cache policy $need'), 'apt-cache policy')}; fi; echo ${SECTION}`,
    ),
  split(result, args) {
    const parts = sections(result, 3);
    if (!parts) return unanswered(result, args);
    const installed = parseDpkgInstalled(parts[0]);
    const candidates = parseAptCandidates(parts[1]);
    const error = readerError(parts[1], result.stderr);
    return args.map(nameOf).map((name) => {
      const have = installed.get(name) ?? null;
      const candidate = candidates.get(name) ?? null;
      const upgrade = have && candidate && candidate !== have ? candidate : null;
      return { code: 0, stdout: stateLines({ installed: have, candidate, upgrade, ...(error ? { error } : {}) }), stderr: '' };
    });
  },
};

/**
 * RPM: rpm's database for what is installed, dnf's repositories for the newest available version
 * and, for the latest ones, for upgrades (dnf compares versions; lvsdr does not reimplement
 * rpmvercmp). Both dnf queries exit 0 with no line for a name no repository has.
 */
export const rpmPackages: BatchedRead = {
  command: (args) => rpmPackagesCommand(args, []),
  split: splitRpmPackages,
};

/** The rpm read with dnf's repository options (`--enablerepo=…`) for tasks that give them. */
export function rpmPackagesCommand(args: readonly string[], repoOptions: readonly string[]): ShellText {
  const latest = args.filter((a) => a.endsWith(LATEST_SUFFIX)).map(nameOf);
  const dnf = (extra: string[], names: string) =>
    new ShellText(`${sh`dnf -q ${[...repoOptions, 'repoquery', ...extra]} --latest-limit 1 --qf ${DNF_QUERY_FORMAT}`.text} ${names}`);
  return new ShellText(
    `q=$(${sh`rpm -q --qf ${RPM_QUERY_FORMAT} ${args.map(nameOf)}`.text} 2>/dev/null); printf '%s\\n' "$q"; echo ${SECTION}; ` +
      `${namesToAsk(args, `while IFS='\t' read -r n v a; do [ -n "$v" ] && printf ' %s ' "$n"; done`)}; ` +
      `if [ -n "$need" ]; then ${reader(dnf([], '$need'), 'dnf repoquery')}; fi; echo ${SECTION}; ` +
      (latest.length > 0 ? `${reader(dnf(['--upgrades'], sh`${latest}`.text), 'dnf repoquery --upgrades')}; ` : '') +
      `echo ${SECTION}`,
  );
}

export function splitRpmPackages(result: ExecResult, args: readonly string[]): ExecResult[] {
  const parts = sections(result, 4);
  if (!parts) return unanswered(result, args);
  const [installed, available, upgrades] = parts.slice(0, 3).map(parseRpmVersions);
  const error = readerError(parts[1], result.stderr) ?? readerError(parts[2], result.stderr);
  return args.map(nameOf).map((name) => ({
    code: 0,
    stdout: stateLines({
      installed: installed.get(name) ?? null,
      candidate: available.get(name) ?? null,
      upgrade: upgrades.get(name) ?? null,
      ...(error ? { error } : {}),
    }),
    stderr: '',
  }));
}

export function parsePackageState(r: ExecResult): PackageState {
  const field = (name: string) => new RegExp(`^${name}\\t(.*)$`, 'm').exec(r.stdout)?.[1] || null;
  const error = field('error');
  return { installed: field('installed'), candidate: field('candidate'), upgrade: field('upgrade'), ...(error ? { error } : {}) };
}

/** A package as a task asks about it: wanted at its newest (`latest`) or merely installed. */
export interface PackageQuery {
  name: string;
  latest: boolean;
}

const argOf = (q: PackageQuery): string => (q.latest ? `${q.name}${LATEST_SUFFIX}` : q.name);
/** What a plan sees before the package is read (plan-on-facts.ts). */
const UNREAD: PackageState = { installed: null, candidate: null, upgrade: null };

/** A package on a Debian-family host: dpkg-query, and apt-cache policy for what it lacks. */
export const debPackageFact: Fact<PackageQuery, PackageState> = {
  kind: 'package',
  id: (q) => q.name,
  read: { batch: debPackages, arg: argOf },
  parse: (r) => parsePackageState(r),
  unread: UNREAD,
};

/** A package on an RPM host: rpm -q, and dnf repoquery for what it lacks. */
export const rpmPackageFact: Fact<PackageQuery, PackageState> = {
  kind: 'package',
  id: (q) => q.name,
  read: { batch: rpmPackages, arg: argOf },
  parse: (r) => parsePackageState(r),
  unread: UNREAD,
};

/** An RPM package asked with repository options: other repositories give other candidates, so it is read apart. */
export const rpmPackageInReposFact: Fact<PackageQuery & { repoOptions: readonly string[] }, PackageState> = {
  kind: 'package',
  id: (q) => q.name,
  read: { command: (q) => rpmPackagesCommand([argOf(q)], q.repoOptions) },
  parse: (r, q) => parsePackageState(splitRpmPackages(r, [argOf(q)])[0]),
  unread: UNREAD,
};
