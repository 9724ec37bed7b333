/**
 * Installed and available package versions, parsed from the package tools' own output: Debian's
 * `dpkg-query -W` and `apt-cache policy`, and RPM's `rpm -q --qf` and `dnf repoquery --qf`.
 * Each parser returns a map from package name to version; a package a tool does not know is absent.
 */

/** The `-f` format dpkgInstalled reads: name, status abbreviation (want, status, error), version. */
export const DPKG_QUERY_FORMAT = '${Package}\\t${db:Status-Abbrev}\\t${Version}\\n';

/**
 * Installed packages from `dpkg-query -W -f=DPKG_QUERY_FORMAT`. The status letter is dpkg's second:
 * `n` (not installed) and `c` (only its configuration files left) are not installed; every other
 * state has a current version, which is what apt (python-apt's is_installed) counts as installed.
 */
export function parseDpkgInstalled(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [name, abbrev = '', version = ''] = line.split('\t');
    const status = abbrev[1];
    if (!name || !status || status === 'n' || status === 'c' || !version) continue;
    out.set(name, version);
  }
  return out;
}

/**
 * Candidate versions from `LC_ALL=C apt-cache policy NAME…`: per package, a `NAME:` line then
 * `  Candidate: VERSION` (`(none)` when no source offers one, e.g. a purely virtual package).
 * A name apt knows nothing of prints no block at all.
 */
export function parseAptCandidates(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      current = head[1];
      continue;
    }
    const cand = /^ {2}Candidate: (.+)$/.exec(line);
    if (cand && current && cand[1] !== '(none)') out.set(current, cand[1].trim());
  }
  return out;
}

/** The `--qf` format of both rpm readers: name, EPOCH:VERSION-RELEASE (epoch 0 when unset), arch. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{0}|:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';
export const DNF_QUERY_FORMAT = '%{name}\\t%{epoch}:%{version}-%{release}\\t%{arch}';

/**
 * `rpm -q --qf RPM_QUERY_FORMAT NAME…` (installed) or `dnf repoquery --qf DNF_QUERY_FORMAT …`
 * (available): one tab-separated line per package; rpm's `package X is not installed` lines have
 * no tab. With several versions or arches of one name (multilib), the last line wins.
 */
export function parseRpmVersions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [name, evr, arch] = line.split('\t');
    if (name && evr && arch !== undefined) out.set(name, evr.startsWith('0:') ? evr.slice(2) : evr);
  }
  return out;
}
