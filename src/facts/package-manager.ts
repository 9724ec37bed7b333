/**
 * `ansible_pkg_mgr` as Ansible decides it (module_utils/facts/system/pkg_mgr.py): a RedHat-family
 * host gets its distribution's official manager by version (yum before EL 8, Fedora 23 and Amazon
 * 2022, dnf from then on), a Debian-family host apt whatever else is installed (Debian packages
 * rpm and dnf too); any other host the last of yum, dnf, apt-get found.
 */
import type { HostFacts } from './types.ts';

export function pkgMgrOf(osFamily: string, osId: string, versionId: string, tools: HostFacts['tools']): string {
  const major = Number.parseInt(versionId, 10);
  if (osFamily === 'RedHat') {
    const since = osId === 'fedora' ? 23 : osId === 'amzn' ? 2022 : 8;
    if (Number.isNaN(major) && (osId === 'fedora' || osId === 'amzn')) return 'dnf';
    return major < since ? 'yum' : 'dnf';
  }
  if (osFamily === 'Debian') return 'apt';
  const found = [tools.yum && 'yum', tools.dnf && 'dnf', tools.aptGet && 'apt'].filter(Boolean);
  return (found.at(-1) as string | undefined) ?? 'unknown';
}
