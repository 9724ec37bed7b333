/**
 * unarchive: its probe and plan run on this machine with /bin/sh against real tar archives, as a
 * host runs them: unpacked once, then left alone; unpacked again after a file went or changed its
 * time, as Ansible's tar --diff test decides; and its refusals and failures.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHere, planHere } from './module-here.ts';
import { unarchiveModule } from '../../src/modules/unarchive.ts';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lvsdr-unarchive-'));
  mkdirSync(join(dir, 'tree/checks'), { recursive: true });
  writeFileSync(join(dir, 'tree/checks/http.sh'), '#!/bin/sh\n');
  writeFileSync(join(dir, 'tree/vips.conf'), 'vip=1\n');
  execFileSync('tar', ['-C', join(dir, 'tree'), '-czf', join(dir, 'checks.tar.gz'), '.']);
  execFileSync('tar', ['-C', join(dir, 'tree'), '-cf', join(dir, 'checks.tar'), 'vips.conf']);
  writeFileSync(join(dir, 'empty.tar.gz'), '');
  writeFileSync(join(dir, 'not-tar'), 'hello\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unarchive', () => {
  it('unpacks a gzip tar once, and again when a file is gone or its time differs', () => {
    const dest = join(dir, 'out');
    mkdirSync(dest);
    const args = { src: join(dir, 'checks.tar.gz'), dest, remote_src: true };
    const first = planHere(unarchiveModule, args);
    expect(first).toMatchObject({ kind: 'change', result: { handler: 'TgzArchive' } });
    applyHere(first);
    expect(planHere(unarchiveModule, args)).toMatchObject({ kind: 'noop', result: { handler: 'TgzArchive', dest, src: args.src } });
    unlinkSync(join(dest, 'vips.conf'));
    applyHere(planHere(unarchiveModule, args));
    utimesSync(join(dest, 'checks/http.sh'), new Date(0), new Date(0));
    applyHere(planHere(unarchiveModule, args));
    expect(planHere(unarchiveModule, args).kind).toBe('noop');
    expect(planHere(unarchiveModule, { src: join(dir, 'checks.tar'), dest, copy: 'no' })).toMatchObject({ kind: 'noop', result: { handler: 'TarArchive' } });
  });

  it("fails as Ansible's for a missing source or dest, an empty file, and what tar cannot list", () => {
    expect(planHere(unarchiveModule, { src: join(dir, 'none.tgz'), dest: dir, remote_src: true })).toEqual({ kind: 'fail', message: `Source '${join(dir, 'none.tgz')}' does not exist` });
    expect(planHere(unarchiveModule, { src: join(dir, 'checks.tar'), dest: join(dir, 'nodir'), remote_src: true })).toEqual({ kind: 'fail', message: `Destination '${join(dir, 'nodir')}' is not a directory` });
    expect(planHere(unarchiveModule, { src: join(dir, 'empty.tar.gz'), dest: dir, remote_src: true })).toMatchObject({ kind: 'fail', message: expect.stringMatching(/the file is 0 bytes/) });
    expect(planHere(unarchiveModule, { src: join(dir, 'not-tar'), dest: dir, remote_src: true })).toMatchObject({ kind: 'fail', message: expect.stringMatching(/^Failed to find handler/) });
  });

  it('refuses an archive from the controller', () => {
    expect(unarchiveModule.argProblems!({ src: '/a.tgz', dest: '/b' })[0].message).toMatch(/set remote_src: true/);
    expect(unarchiveModule.argProblems!({ src: '/a.tgz', dest: '/b', copy: 'no', remote_src: true })[0].message).toMatch(/mutually exclusive/);
  });
});
