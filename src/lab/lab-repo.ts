/**
 * The lab's local package repositories: lab hosts have no route outside, so what a playbook
 * installs comes from here. Built on the machine once per lab (DIR/NAME/repo/), bind-mounted
 * read-only into every systemd host at LAB_REPO_MOUNT, and named there by the host's own
 * package sources (lab-repo-tree.ts):
 *   deb/  a flat apt repository (dpkg-scanpackages): lvsdr-lab-hello, built here with dpkg-deb,
 *         and the .debs of the packages the shipped playbooks install, from this machine's apt
 *         cache (or `apt-get download` when the cache lacks one)
 *   rpm/  an rpm repository (createrepo_c): lvsdr-lab-hello built with rpmbuild, and for the el
 *         flavor, stand-ins of RHEL's package names for tools the host already has from Debian
 *         (EL_TOOL_PACKAGES): empty packages, so `dnf` has them to install and remove
 * Light hosts share the machine's /usr and dpkg database: no package is ever installed on them.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathExists } from './lab-state.ts';
import { runChecked, runCommand } from './run-command.ts';

export const LAB_REPO_MOUNT = '/srv/lvsdr-lab-repo';

/** A package no host has installed, built by the lab: what tests install and remove. */
export const TEST_PACKAGE = 'lvsdr-lab-hello';
export const TEST_PACKAGE_FILE = `/usr/share/${TEST_PACKAGE}/hello.txt`;

/**
 * What the shipped playbooks install on Debian (playbooks/realserver/vars.yml, director.yml), and
 * python3-apt, which ansible-playbook's apt module needs on a host to compare it with lvsdr's.
 */
export const DEBIAN_TOOL_PACKAGES = ['arptables', 'iptables', 'iptables-persistent', 'netfilter-persistent', 'firewalld', 'keepalived', 'python3-apt'];

/** RHEL's names for the same tools; on the el flavor the Debian binaries stand in for them. */
export const EL_TOOL_PACKAGES = ['arptables', 'iptables', 'iptables-services', 'firewalld', 'keepalived'];

const APT_CACHE = '/var/cache/apt/archives';
/** Bumped when what a repository holds changes, so an older lab's repository is built again. */
const REPO_VERSION = '3';

export function labRepoDir(labDir: string): string {
  return path.join(labDir, 'repo');
}

/** Builds the lab's repositories unless this version of them is there already. */
export async function ensureLabRepo(labDir: string, log: (line: string) => void): Promise<string> {
  const dir = labRepoDir(labDir);
  const done = path.join(dir, `built-${REPO_VERSION}`);
  if (await pathExists(done)) return dir;
  await rm(dir, { recursive: true, force: true });
  const work = await mkdtemp(path.join(os.tmpdir(), 'lvsdr-lab-repo-'));
  try {
    await buildDebRepo(path.join(dir, 'deb'), work, log);
    await buildRpmRepo(path.join(dir, 'rpm'), work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await writeFile(done, '');
  log(`lab repository built in ${dir}`);
  return dir;
}

async function buildDebRepo(dir: string, work: string, log: (line: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tree = path.join(work, 'deb-tree');
  await mkdir(path.join(tree, 'DEBIAN'), { recursive: true });
  await mkdir(path.dirname(path.join(tree, TEST_PACKAGE_FILE)), { recursive: true });
  await writeFile(
    path.join(tree, 'DEBIAN', 'control'),
    `Package: ${TEST_PACKAGE}\nVersion: 1.0\nArchitecture: all\nMaintainer: lvsdr lab <root@localhost>\nDescription: lvsdr lab test package\n A file for the lvsdr lab package tests.\n`,
  );
  await writeFile(path.join(tree, TEST_PACKAGE_FILE), 'hello from the lvsdr lab repository\n');
  await runChecked('dpkg-deb', ['--root-owner-group', '--build', tree, path.join(dir, `${TEST_PACKAGE}_1.0_all.deb`)]);

  const cached = await readdir(APT_CACHE).catch(() => [] as string[]);
  const missing: string[] = [];
  for (const name of DEBIAN_TOOL_PACKAGES) {
    const files = cached.filter((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
    for (const f of files) await copyFile(path.join(APT_CACHE, f), path.join(dir, f));
    if (files.length === 0) missing.push(name);
  }
  if (missing.length > 0) {
    const r = await runCommand('apt-get', ['download', '-q', ...missing], { cwd: dir, timeoutMs: 300_000 });
    if (r.code !== 0) log(`lab repository: no .deb for ${missing.join(' ')} (not in ${APT_CACHE}; apt-get download: ${r.stderr.trim().split('\n').at(-1)})`);
  }
  const index = await runChecked('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir });
  await writeFile(path.join(dir, 'Packages'), index);
}

function rpmSpec(name: string, summary: string, withFile: boolean): string {
  return [
    `Name: ${name}`,
    'Version: 1.0',
    'Release: 1',
    `Summary: ${summary}`,
    'License: MIT',
    'BuildArch: noarch',
    '%description',
    summary,
    '%install',
    ...(withFile ? [`mkdir -p %{buildroot}${path.dirname(TEST_PACKAGE_FILE)}`, `echo 'hello from the lvsdr lab repository' > %{buildroot}${TEST_PACKAGE_FILE}`] : []),
    '%files',
    ...(withFile ? [TEST_PACKAGE_FILE] : []),
    '',
  ].join('\n');
}

async function buildRpmRepo(dir: string, work: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const specs: [string, string][] = [
    [TEST_PACKAGE, rpmSpec(TEST_PACKAGE, 'lvsdr lab test package', true)],
    ...EL_TOOL_PACKAGES.map((n): [string, string] => [n, rpmSpec(n, `lvsdr lab el flavor: stands in for RHEL's ${n}; the host's tool is Debian's`, false)]),
  ];
  const top = path.join(work, 'rpmbuild');
  for (const [name, spec] of specs) {
    const file = path.join(work, `${name}.spec`);
    await writeFile(file, spec);
    // No post-install scripts: they would strip and compile for this machine, not the package.
    await runChecked('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', '__os_install_post %{nil}', file]);
  }
  const built = path.join(top, 'RPMS', 'noarch');
  for (const f of await readdir(built)) await copyFile(path.join(built, f), path.join(dir, f));
  await runChecked('createrepo_c', ['-q', dir]);
}

/**
 * On the el flavor the tools are there from Debian, so RHEL's rpm database records their packages
 * as installed (files left out: `--justdb`), as on a RHEL host that has them: a playbook that
 * installs them finds nothing to do, and one that removes them removes only the record.
 */
export async function recordElToolPackages(repoDir: string, hostRoot: string): Promise<void> {
  const rpms = (await readdir(path.join(repoDir, 'rpm'))).filter((f) => EL_TOOL_PACKAGES.some((n) => f.startsWith(`${n}-1.0-`)));
  await runChecked('rpm', ['--root', hostRoot, '-i', '--justdb', '--nodeps', ...rpms.map((f) => path.join(repoDir, 'rpm', f))]);
}
