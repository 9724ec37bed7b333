/** Package reads (captured dpkg-query, apt-cache policy, rpm -q, dnf repoquery) and the package modules' plans. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pkgMgrOf } from '../../src/facts/package-manager.ts';
import { parseAptCandidates, parseDpkgInstalled, parseRpmVersions } from '../../src/facts/parsers/package-versions.ts';
import { ansibleBool } from '../../src/modules/ansible-args.ts';
import { toList } from '../../src/modules/ansible-values.ts';
import { debFileFact } from '../../src/modules/apt-deb.ts';
import { factKey, factProbe } from '../../src/facts/fact.ts';
import { probesRead } from '../support/fact-state.ts';
const debKey = (p: string) => factKey(debFileFact, p);
const debProbe = (p: string) => factProbe(debFileFact, p);
import { aptModule, APT_CACHE_TIME_KEY } from '../../src/modules/apt.ts';
import { dnfModule, yumModule } from '../../src/modules/dnf.ts';
import { packageModule } from '../../src/modules/package.ts';
import { debPackages, packageKey, parsePackageState, rpmPackages, type PackageState } from '../../src/modules/package-reads.ts';
import type { Plan } from '../../src/modules/types.ts';
import { ctxFor, stateOf, validator } from './lvs-helpers.ts';

const captured = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');

describe('package version parsers, on captured output', () => {
  it('dpkg-query -W: installed packages only (arptables is known to dpkg but "un")', () => {
    const m = parseDpkgInstalled(captured('dpkg-query-W.txt'));
    expect(Object.fromEntries(m)).toEqual({ dpkg: '1.21.22', libc6: '2.36-9+deb12u14', rpm: '4.18.0+dfsg-1+deb12u1' });
  });
  it('dpkg-query: a package with only its configuration files left is not installed', () => {
    expect(parseDpkgInstalled('keepalived\trc \t1:2.2.7-1+b2\n').size).toBe(0);
  });
  it('apt-cache policy: candidates; an unknown name has no block', () => {
    const m = parseAptCandidates(captured('apt-cache-policy.txt'));
    expect(Object.fromEntries(m)).toEqual({ rpm: '4.18.0+dfsg-1+deb12u1', arptables: '0.0.5-3.1', dpkg: '1.21.23' });
    expect(parseAptCandidates('virt:\n  Installed: (none)\n  Candidate: (none)\n').size).toBe(0);
  });
  it('rpm -q --qf and dnf repoquery --qf: epoch 0 left out, "not installed" lines ignored', () => {
    expect(Object.fromEntries(parseRpmVersions(captured('rpm-q-qf.txt')))).toEqual({ 'lvsdr-lab-hello': '1.0-1' });
    expect(Object.fromEntries(parseRpmVersions(captured('dnf-repoquery.txt')))).toEqual({ 'lvsdr-lab-hello': '1.0-1' });
    expect(parseRpmVersions('keepalived\t2:2.1.5-9.el8\tx86_64\n').get('keepalived')).toBe('2:2.1.5-9.el8');
  });
});

describe('shared package reads', () => {
  const deb = (dpkg: string, policy: string, code = 0) => ({ code, stdout: `${dpkg}@@lvsdr-packages\n${policy}@@lvsdr-packages\n`, stderr: '' });
  it('debPackages: one result per name, installed / candidate / upgrade', () => {
    const r = deb(captured('dpkg-query-W.txt'), captured('apt-cache-policy.txt'), 1);
    const [dpkg, arptables, none] = debPackages.split(r, ['dpkg', 'arptables', 'no-such-pkg-lvsdr']).map(parsePackageState);
    expect(dpkg).toEqual({ installed: '1.21.22', candidate: '1.21.23', upgrade: '1.21.23' });
    expect(arptables).toEqual({ installed: null, candidate: '0.0.5-3.1', upgrade: null });
    expect(none).toEqual({ installed: null, candidate: null, upgrade: null });
  });
  it('debPackages: apt-cache failing is an error on every package, not "unavailable"', () => {
    const r = { code: 0, stdout: '@@lvsdr-packages\n@@lvsdr-packages-failed apt-cache policy exit 100\n@@lvsdr-packages\n', stderr: 'E: The package lists are broken\n' };
    expect(parsePackageState(debPackages.split(r, ['x'])[0]).error).toBe('apt-cache policy exit 100: E: The package lists are broken');
  });
  it('output cut short answers nothing', () => {
    expect(debPackages.split({ code: null, stdout: 'x\n', stderr: '' }, ['a'])[0].code).toBeNull();
  });
  it('rpmPackages: installed from rpm, candidate and upgrade from dnf', () => {
    const r = { code: 0, stdout: `${captured('rpm-q-qf.txt')}@@lvsdr-packages\n${captured('dnf-repoquery.txt')}keepalived\t0:2.2.8-1\tx86_64\n@@lvsdr-packages\n@@lvsdr-packages\n`, stderr: '' };
    const [hello, k] = rpmPackages.split(r, ['lvsdr-lab-hello', 'keepalived']).map(parsePackageState);
    expect(hello).toEqual({ installed: '1.0-1', candidate: '1.0-1', upgrade: null });
    expect(k).toEqual({ installed: null, candidate: '2.2.8-1', upgrade: null });
  });
  it('the commands quote every name and read all of them in one go', () => {
    expect(debPackages.command(['a', '$(id)']).text).toContain("dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' a '$(id)'");
    expect(rpmPackages.command(['a', 'b']).text).toMatch(/^q=\$\(rpm -q --qf .* a b 2>/);
  });
  it("this machine's dpkg and apt: the sources are asked only about what is missing, or wanted latest", () => {
    const run = (args: string[]) => {
      const stdout = execFileSync('/bin/sh', ['-c', debPackages.command(args).text], { encoding: 'utf8' });
      return { stdout, states: debPackages.split({ code: 0, stdout, stderr: '' }, args).map(parsePackageState) };
    };
    const installedOnly = run(['dpkg']);
    expect(installedOnly.states[0]).toMatchObject({ installed: expect.stringMatching(/^1\.21\./), candidate: null });
    expect(installedOnly.stdout).not.toContain('Candidate');
    const [dpkg, none] = run(['dpkg@latest', 'no-such-pkg-lvsdr']).states;
    expect(dpkg.candidate).toMatch(/^1\.21\./);
    expect(none).toEqual({ installed: null, candidate: null, upgrade: null });
  });
});

const pkg = (installed: string | null, candidate: string | null, upgrade: string | null = null): PackageState => ({ installed, candidate, upgrade });
const deb = ctxFor('Debian', { pkgMgr: 'apt' });
const el = ctxFor('RedHat', { pkgMgr: 'dnf', tools: { dnf: { path: '/usr/bin/dnf' } } });
const commands = (p: Plan) => (p.kind === 'change' ? p.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : p.kind === 'action' ? p.commands.map((c) => c.command.text) : []);

describe('apt plans', () => {
  const state = stateOf({
    [packageKey('keepalived')]: pkg(null, '1:2.2.7-1+b2'),
    [packageKey('arptables')]: pkg('0.0.5-3', '0.0.5-3.1', '0.0.5-3.1'),
    [packageKey('nope')]: pkg(null, null),
    [APT_CACHE_TIME_KEY]: { updated: 1000, now: 5000 },
  });
  it('present: installs what is missing, in one apt-get, with Ansible dpkg options', () => {
    const p = aptModule.plan({ name: ['keepalived', 'arptables'] }, state, deb);
    expect(p.kind).toBe('change');
    expect(commands(p)).toEqual(["DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install keepalived"]);
    if (p.kind === 'change') expect(p.changes[0].effects[packageKey('keepalived')]).toEqual(pkg('1:2.2.7-1+b2', '1:2.2.7-1+b2'));
  });
  it('present on installed packages is a no-op with its reason', () => {
    expect(aptModule.plan({ pkg: 'arptables', state: 'present' }, state, deb)).toEqual({ kind: 'noop', reason: 'arptables: installed' });
  });
  it('latest: upgrades with --only-upgrade; install_recommends false adds --no-install-recommends', () => {
    const p = aptModule.plan({ name: 'keepalived,arptables', state: 'latest', install_recommends: 'no' }, state, deb);
    expect(commands(p).map((c) => c.replace(/^.*force-confold/, ''))).toEqual([' --no-install-recommends install keepalived', ' --no-install-recommends install --only-upgrade arptables']);
  });
  it('absent removes (purge: --purge); absent on a missing package is a no-op', () => {
    expect(commands(aptModule.plan({ name: 'arptables', state: 'absent', purge: true }, state, deb))[0]).toMatch(/ --purge remove arptables$/);
    expect(aptModule.plan({ name: 'keepalived', state: 'absent' }, state, deb).kind).toBe('noop');
  });
  it('a package no source offers fails naming it, and nothing is planned for the others', () => {
    expect(aptModule.plan({ name: ['keepalived', 'nope'] }, state, deb)).toEqual({ kind: 'fail', message: "No package matching 'nope' is available" });
  });
  it('update_cache: refreshes first; with nothing else to change it runs but is not a change (as Ansible)', () => {
    const p = aptModule.plan({ name: 'arptables', update_cache: 'yes' }, state, deb);
    expect(p.kind).toBe('action');
    if (p.kind === 'action') expect(p.countsAsChange).toBe(false);
    expect(commands(p)).toEqual(['DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C apt-get -q update']);
  });
  it('update_cache with a package the old lists lack: planned from the updated lists', () => {
    const p = aptModule.plan({ name: 'nope', update_cache: true }, state, deb);
    expect(p.kind).toBe('change');
    expect(commands(p)).toHaveLength(2);
  });
  it('cache_valid_time: a recent enough cache is not refreshed', () => {
    expect(aptModule.plan({ update_cache: true, cache_valid_time: 86400 }, state, deb)).toMatchObject({ kind: 'noop', result: { cache_updated: false, cache_update_time: 1000 } });
    expect(aptModule.plan({ update_cache: true, cache_valid_time: '60' }, state, deb).kind).toBe('change');
  });
  it('probes: the cache time only when the task speaks of the cache; one shared read per package', () => {
    expect(probesRead(aptModule, { name: ['a', 'b'] }, deb).map((p) => [p.key, p.shared?.batch])).toEqual([['package:a', debPackages], ['package:b', debPackages]]);
    expect(probesRead(aptModule, { update_cache: true }, deb).map((p) => p.key)).toEqual([APT_CACHE_TIME_KEY]);
  });
});

describe('apt deb: a .deb file on the host', () => {
  it('the probe reads the package and version with dpkg-deb (a file built here), and what dpkg has', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-deb-'));
    mkdirSync(path.join(dir, 'tree', 'DEBIAN'), { recursive: true });
    writeFileSync(path.join(dir, 'tree', 'DEBIAN', 'control'), 'Package: lvsdr-unit-deb\nVersion: 2:1.5-3\nArchitecture: all\nMaintainer: x <x@localhost>\nDescription: test\n');
    const deb = path.join(dir, 'lvsdr-unit-deb_1.5-3_all.deb');
    execFileSync('dpkg-deb', ['--root-owner-group', '--build', path.join(dir, 'tree'), deb], { stdio: 'ignore' });
    const probe = debProbe(deb);
    const run = (p: string) => {
      try {
        return { code: 0, stdout: execFileSync('/bin/sh', ['-c', debProbe(p).command.text], { encoding: 'utf8' }), stderr: '' };
      } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, stdout: err.stdout, stderr: err.stderr };
      }
    };
    expect(probe.parse(run(deb))).toEqual({ exists: true, package: 'lvsdr-unit-deb', version: '2:1.5-3', installed: null });
    // A file of a package this machine has: dpkg's version of it.
    writeFileSync(path.join(dir, 'tree', 'DEBIAN', 'control'), 'Package: dpkg\nVersion: 0.1\nArchitecture: all\nMaintainer: x <x@localhost>\nDescription: test\n');
    const dpkgDeb = path.join(dir, 'dpkg_0.1_all.deb');
    execFileSync('dpkg-deb', ['--root-owner-group', '--build', path.join(dir, 'tree'), dpkgDeb], { stdio: 'ignore' });
    expect(debProbe(dpkgDeb).parse(run(dpkgDeb))).toMatchObject({ package: 'dpkg', version: '0.1', installed: expect.stringMatching(/^1\.21\./) });
    expect(probe.parse(run(`${dir}/none.deb`))).toEqual({ exists: false });
    writeFileSync(path.join(dir, 'bad.deb'), 'not a deb');
    expect(probe.parse(run(path.join(dir, 'bad.deb')))).toMatchObject({ exists: true, error: expect.stringContaining('dpkg-deb') });
    rmSync(dir, { recursive: true });
  });
  const file = '/srv/x/hello_1.0_all.deb';
  const at = (deb: object) => stateOf({ [debKey(file)]: deb });
  it('installs unless that version is installed; an older installed one is replaced', () => {
    const p = aptModule.plan({ deb: file }, at({ exists: true, package: 'hello', version: '1.0', installed: null }), deb);
    expect(commands(p)).toEqual([`DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --allow-downgrades install ${file}`]);
    if (p.kind === 'change') expect(p.changes[0].effects[packageKey('hello')]).toEqual(pkg('1.0', null));
    expect(aptModule.plan({ deb: file }, at({ exists: true, package: 'hello', version: '1.0', installed: '1.0' }), deb).kind).toBe('noop');
    expect(aptModule.plan({ deb: file }, at({ exists: true, package: 'hello', version: '1.0', installed: '2.0' }), deb).kind).toBe('change');
    expect(aptModule.plan({ deb: file }, at({ exists: false }), deb)).toMatchObject({ kind: 'fail', message: expect.stringMatching(/does not exist on the host/) });
  });
  it("refused as Ansible refuses it, and a URL lvsdr would have to fetch", () => {
    expect(aptModule.argProblems!({ deb: file, name: 'x' })[0].message).toMatch(/mutually exclusive/);
    expect(aptModule.argProblems!({ deb: file, state: 'absent' })[0].message).toBe('deb only supports state=present');
    expect(aptModule.argProblems!({ deb: 'https://example.invalid/x.deb' })[0].message).toMatch(/URL/);
    expect(aptModule.argProblems!({ deb: 'x.deb' })).toHaveLength(1);
    expect(aptModule.argProblems!({ deb: file })).toEqual([]);
  });
});

describe('apt / dnf / package arguments', () => {
  const aptValid = validator(aptModule);
  const dnfValid = validator(dnfModule);
  it("Ansible's aliases and boolean words", () => {
    expect(aptValid({ pkg: ['a'], 'update-cache': 'Yes', 'install-recommends': 'off', cache_valid_time: '3600' })).toBe(true);
    expect(aptValid({ name: 'a', update_cache: 'maybe' })).toBe(false);
    expect(aptValid({ name: 'a', state: 'build-dep' })).toBe(false);
    expect(dnfValid({ pkg: 'a', state: 'installed', enablerepo: 'lab', disable_gpg_check: 'yes' })).toBe(true);
    expect(ansibleBool('Y')).toBe(true);
    expect(ansibleBool(0)).toBe(false);
    expect(toList(' a, b ,')).toEqual(['a', 'b']);
  });
  it('refuses versions, wildcards, groups, two aliases at once', () => {
    expect(aptModule.argProblems!({ name: 'keepalived=1:2.2.7' })).toHaveLength(1);
    expect(aptModule.argProblems!({ name: 'a', pkg: 'b' })[0].message).toMatch(/alias/);
    expect(dnfModule.argProblems!({ name: '@core' })).toHaveLength(1);
    expect(dnfModule.argProblems!({ name: 'x', enablerepo: 'a;b' })).toHaveLength(1);
    expect(aptModule.argProblems!({ update_cache: true })).toEqual([]);
    expect(aptModule.argProblems!({ state: 'present' })).toHaveLength(1);
  });
});

describe('dnf / yum / package plans', () => {
  const state = stateOf({
    [packageKey('lvsdr-lab-hello')]: pkg(null, '1.0-1'),
    [packageKey('keepalived')]: pkg('2.1.5-6', '2.1.5-9', '2.1.5-9'),
  });
  it('dnf present / latest / absent, repository options disabled first', () => {
    expect(commands(dnfModule.plan({ name: 'lvsdr-lab-hello', enablerepo: 'lab', disablerepo: '*', disable_gpg_check: true }, state, el))).toEqual([
      "LC_ALL=C dnf -y '--disablerepo=*' --enablerepo=lab --nogpgcheck install lvsdr-lab-hello",
    ]);
    expect(commands(yumModule.plan({ name: ['keepalived'], state: 'latest' }, state, el))).toEqual(['LC_ALL=C dnf -y upgrade keepalived']);
    expect(commands(dnfModule.plan({ name: 'keepalived', state: 'removed' }, state, el))).toEqual(['LC_ALL=C dnf -y remove keepalived']);
    expect(dnfModule.plan({ name: 'keepalived' }, state, el).kind).toBe('noop');
  });
  it('a host without dnf is refused with a reason', () => {
    const p = yumModule.plan({ name: 'keepalived' }, state, ctxFor('RedHat', { pkgMgr: 'yum' }));
    expect(p).toMatchObject({ kind: 'fail', message: expect.stringMatching(/no dnf \(package manager yum\)/) });
  });
  it('repository options make a task read its packages itself', () => {
    const [p] = probesRead(dnfModule, { name: 'x', enablerepo: ['lab'] }, el);
    expect(p.shared).toBeUndefined();
    expect(p.command.text).toContain('dnf -q --enablerepo=lab repoquery');
  });
  it('package runs the host manager: apt on Debian, dnf on EL; another manager fails', () => {
    expect(probesRead(packageModule, { name: 'a' }, deb)[0].shared?.batch).toBe(debPackages);
    expect(probesRead(packageModule, { name: 'a' }, el)[0].shared?.batch).toBe(rpmPackages);
    expect(commands(packageModule.plan({ name: 'lvsdr-lab-hello', state: 'installed' }, state, el))).toEqual(['LC_ALL=C dnf -y install lvsdr-lab-hello']);
    expect(packageModule.plan({ name: 'a' }, state, ctxFor('Debian', { pkgMgr: 'zypper' }))).toMatchObject({ kind: 'fail' });
  });
});

describe('ansible_pkg_mgr', () => {
  it("as Ansible's pkg_mgr.py decides it", () => {
    expect(pkgMgrOf('Debian', 'debian', '12', { dnf: { path: '/usr/bin/dnf' } })).toBe('apt');
    expect(pkgMgrOf('RedHat', 'rhel', '7.9', { dnf: { path: '/usr/bin/dnf' } })).toBe('yum');
    expect(pkgMgrOf('RedHat', 'rocky', '9.3', {})).toBe('dnf');
    expect(pkgMgrOf('RedHat', 'fedora', '22', {})).toBe('yum');
    expect(pkgMgrOf('arch', 'arch', '', {})).toBe('unknown');
  });
});
