/**
 * A systemd host's package sources: only the lab's repository (lab-repo.ts), mounted at
 * LAB_REPO_MOUNT. Debian: the machine's apt sources and lists are removed (they name mirrors the
 * host cannot reach, and would offer versions it cannot fetch), and the lab repository's index is
 * put where `apt-get update` would put it, so the host starts with apt lists that are true. el: a
 * yum repository file, and dnf's release version (RHEL 7; no system-release package to read it from).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HostTree } from './host-tree.ts';
import type { HostFlavor } from './lab-names.ts';
import { LAB_REPO_MOUNT } from './lab-repo.ts';

const APT_SOURCES_DIR = '/etc/apt/sources.list.d';

/** apt's file name for a list: the URI without its scheme, every `/` as `_` (a flat repository's `./` too). */
const aptListName = (dir: string): string => `${`${dir}/./`.replace(/\//g, '_')}Packages`;

function debianSources(repoDir: string): HostTree {
  const debDir = `${LAB_REPO_MOUNT}/deb`;
  const machineSources = (() => {
    try {
      return readdirSync(APT_SOURCES_DIR).map((f) => path.join(APT_SOURCES_DIR, f).slice(1));
    } catch {
      return [];
    }
  })();
  return {
    removals: ['etc/apt/sources.list', ...machineSources, 'var/lib/apt/lists'],
    files: [
      { path: 'etc/apt/sources.list.d/lvsdr-lab.list', content: `# lvsdr lab: the lab's local repository (the host has no route outside)\ndeb [trusted=yes] file:${debDir} ./\n` },
      { path: `var/lib/apt/lists/${aptListName(debDir)}`, content: readFileSync(path.join(repoDir, 'deb', 'Packages'), 'utf8') },
    ],
    links: [],
  };
}

const elSources: HostTree = {
  removals: [],
  files: [
    {
      path: 'etc/yum.repos.d/lvsdr-lab.repo',
      content: `# lvsdr lab: the lab's local repository (the host has no route outside)\n[lvsdr-lab]\nname=lvsdr lab local repository\nbaseurl=file://${LAB_REPO_MOUNT}/rpm\nenabled=1\ngpgcheck=0\n`,
    },
    { path: 'etc/dnf/vars/releasever', content: '7\n' },
  ],
  links: [],
};

export function labRepoTree(flavor: HostFlavor, repoDir: string): HostTree {
  return flavor === 'el' ? elSources : debianSources(repoDir);
}
