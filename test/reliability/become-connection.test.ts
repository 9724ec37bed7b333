/**
 * Whom a task runs as and where (issue 15): become, become_user, connection and remote_user at
 * play, import and task level, and their ansible_* variables, against a real host. Every expected
 * value below is what ansible-playbook 2.14 (Debian's ansible-core) printed for the same playbook,
 * inventory and flags against a lab host of the same kind; lvsdr used to run all of these tasks as
 * root over ssh (inventory variables and task keywords ignored, -u beating ansible_user).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, resultsOf, type CliRun } from './run-helpers.ts';

const FIXTURES = path.resolve('test/fixtures/reliability/access');
const fixture = (name: string) => path.join(FIXTURES, name);
const skip = labUnavailable();

/** Each task's name and first line of output on one host, in order. */
const outputs = (r: CliRun, host: string): [string, string][] => resultsOf(r, host).map((e) => [e.task, (e.stdout ?? e.msg ?? '').split('\n')[0]]);

describe.skipIf(skip)('become and connection, as Ansible decides them', () => {
  let lab: Lab;
  let scratch: string;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-access', realservers: 1, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'lvsdr-access-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets inventory variables beat task keywords: ansible_become_user with -b, become: false still the login user', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', fixture('who-inventory.yml'), '-i', lab.inventoryPath, '-i', fixture('inventory-become.yml'), '-b', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(r, 'rs1')).toEqual([
      ['as -b and the inventory say', 'daemon'],
      ['task become false', 'root'],
      ['task become_user loses to the inventory', 'daemon'],
    ]);
  });

  it('reads become and become_user on the play, an import line and a task, the innermost first', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', fixture('who-keywords.yml'), '-i', lab.inventoryPath, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(r, 'rs1')).toEqual([
      ['as the play says', 'daemon'],
      ['task become false', 'root'],
      ['task become_user', 'nobody'],
      ['imported, as the import line says', 'bin'],
      ['imported, its own keyword first', 'nobody'],
      ["HOME is the become user's, as with Ansible's sudo -H", '/usr/sbin'],
    ]);
  });

  it('runs ansible_connection: local and connection: local hosts on this machine, and a task connection: ssh on the host', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', fixture('where.yml'), '-i', lab.inventoryPath, '-i', fixture('inventory-local.yml'), '-e', `dir=${scratch}`, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(r, 'here')).toEqual([
      ["where the host's connection says", hostname()],
      ['a file where the task runs', ''],
    ]);
    expect(outputs(r, 'rs1')).toEqual([
      ["where the host's connection says", 'rs1'],
      ['play connection local', hostname()],
      ['a file where the play runs', ''],
      ["task connection ssh beats the play's", 'rs1'],
    ]);
    expect(readdirSync(scratch).sort()).toEqual(['here-mark', 'rs1-mark']);
    expect(readFileSync(path.join(scratch, 'rs1-mark'), 'utf8')).toBe('rs1\n');
    expect((await lab.exec('rs1', `ls ${scratch} 2>&1 || true`)).stdout).toMatch(/No such file/);
  });

  it('takes -c local as the default that connection and ansible_connection override', { timeout: LAB_TEST_TIMEOUT }, async () => {
    rmSync(scratch, { recursive: true, force: true });
    scratch = mkdtempSync(path.join(tmpdir(), 'lvsdr-access-'));
    const r = await lvsdr('run', fixture('where.yml'), '-i', lab.inventoryPath, '-i', fixture('inventory-local.yml'), '-e', `dir=${scratch}`, '-c', 'local', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(r, 'rs1').map(([, out]) => out)).toEqual([hostname(), hostname(), '', 'rs1']);
  });

  it('logs in as ansible_user, which beats the play remote_user and -u', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', fixture('remote-user.yml'), '-i', lab.inventoryPath, '-u', 'nobody', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(r, 'rs1')).toEqual([['login user', 'root']]);
  });
});
