/**
 * Package modules on real lab hosts, installing from the lab's local repositories (src/lab/lab-repo.ts):
 * check mode lists exactly what the run then changes, a second run changes nothing, a package no
 * source offers fails naming it with nothing changed. Debian flavor with apt and package; el flavor
 * with dnf and yum running Debian's dnf against an rpm repository made by createrepo_c.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_REPO_MOUNT, TEST_PACKAGE, TEST_PACKAGE_FILE } from '../../src/lab/lab-repo.ts';
import { changedTasks, lvsdr } from '../support/cli.ts';
import type { Lab } from '../support/lab.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab } from '../support/lab.ts';

const skip = labUnavailable();

/** A playbook whose one task is `module:` with `args`, each value a template the -e vars fill. */
async function playbook(module: string, args: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-packages-'));
  const file = path.join(dir, 'site.yml');
  await writeFile(file, JSON.stringify([{ name: 'packages', hosts: 'realservers', tasks: [{ name: 'the package', [module]: args }] }]));
  return file;
}

function packageCycle(labName: string, flavor: 'debian' | 'el', module: string, installed: RegExp) {
  describe.skipIf(skip)(`${module} on a ${flavor} lab host`, () => {
    let lab: Lab;
    let inv: string[];
    beforeAll(async () => {
      lab = await startLab({ name: labName, realservers: 1, flavor });
      inv = ['-i', lab.inventoryPath];
    }, 300_000);
    afterAll(async () => {
      await lab?.down();
    });

    const hasFile = async () => (await lab.exec('rs1', `test -f ${TEST_PACKAGE_FILE} && echo yes || echo no`)).stdout.trim() === 'yes';

    it('check mode, install, changed=0, remove, changed=0', async () => {
      const pb = await playbook(module, { name: TEST_PACKAGE, state: '{{ want }}' });
      const run = (want: string, ...flags: string[]) => lvsdr('run', pb, ...inv, '-e', `want=${want}`, '--json', ...flags);

      const check = await run('present', '--check');
      expect(check.code, check.text).toBe(0);
      expect(changedTasks(check)).toEqual([expect.stringMatching(new RegExp(`^rs1 \\| the package \\| install ${TEST_PACKAGE} 1\\.0`))]);
      expect(await hasFile()).toBe(false);

      const first = await run('present');
      expect(first.code, first.text).toBe(0);
      expect(changedTasks(first)).toEqual(changedTasks(check));
      expect(await hasFile()).toBe(true);
      expect((await lab.exec('rs1', `${flavor === 'el' ? 'rpm -q' : 'dpkg -s'} ${TEST_PACKAGE}`)).stdout).toMatch(installed);

      const second = await run('present');
      expect(second.code, second.text).toBe(0);
      expect(changedTasks(second)).toEqual([]);
      const latest = await run('latest');
      expect(changedTasks(latest)).toEqual([]);

      const checkRemove = await run('absent', '--check');
      expect(changedTasks(checkRemove)).toEqual([expect.stringMatching(/\| remove lvsdr-lab-hello$/)]);
      expect(await hasFile()).toBe(true);
      const remove = await run('absent');
      expect(changedTasks(remove)).toEqual(changedTasks(checkRemove));
      expect(await hasFile()).toBe(false);
      expect(changedTasks(await run('absent'))).toEqual([]);
    }, LAB_TEST_TIMEOUT * 2);

    it('a package no source offers fails naming it, and the others are not installed', async () => {
      const pb = await playbook(module, { name: [TEST_PACKAGE, 'no-such-package-lvsdr'] });
      for (const flags of [['--check'], []]) {
        const r = await lvsdr('run', pb, ...inv, ...flags);
        expect(r.code, r.text).not.toBe(0);
        expect(r.text).toMatch(/no-such-package-lvsdr/);
        expect(await hasFile()).toBe(false);
      }
    }, LAB_TEST_TIMEOUT);

    it.runIf(module === 'apt')('deb: a .deb file on the host is installed once', async () => {
      const pb = await playbook('apt', { deb: `${LAB_REPO_MOUNT}/deb/${TEST_PACKAGE}_1.0_all.deb` });
      const check = await lvsdr('run', pb, ...inv, '--check', '--json');
      expect(changedTasks(check), check.text).toEqual([expect.stringMatching(/\| install lvsdr-lab-hello 1\.0 from \/srv\//)]);
      expect(await hasFile()).toBe(false);
      expect(changedTasks(await lvsdr('run', pb, ...inv, '--json'))).toEqual(changedTasks(check));
      expect(await hasFile()).toBe(true);
      expect(changedTasks(await lvsdr('run', pb, ...inv, '--json'))).toEqual([]);
      const gone = await playbook('apt', { name: TEST_PACKAGE, state: 'absent' });
      expect(changedTasks(await lvsdr('run', gone, ...inv, '--json'))).toHaveLength(1);
    }, LAB_TEST_TIMEOUT);

    it("the generic package module (ansible.builtin.package) picks the host's manager", async () => {
      const pb = await playbook('ansible.builtin.package', { name: TEST_PACKAGE, state: 'present' });
      const first = await lvsdr('run', pb, ...inv, '--json');
      expect(changedTasks(first), first.text).toHaveLength(1);
      expect(changedTasks(await lvsdr('run', pb, ...inv, '--json'))).toEqual([]);
      const gone = await playbook('ansible.builtin.package', { name: TEST_PACKAGE, state: 'absent' });
      expect(changedTasks(await lvsdr('run', gone, ...inv, '--json'))).toHaveLength(1);
    }, LAB_TEST_TIMEOUT);
  });
}

packageCycle('pkg-deb', 'debian', 'apt', /Status: install ok installed/);
packageCycle('pkg-el', 'el', 'dnf', /^lvsdr-lab-hello-1\.0-1\.noarch$/m);
