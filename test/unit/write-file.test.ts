/**
 * The one way lvsdr writes a file, run by /bin/sh in a temporary directory: the content arrives
 * whole with the right mode, and no temporary file is left behind, whatever happens.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileCommand, type WriteOptions } from '../../src/modules/remote-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the write under a shell whose pid is known, so a leftover temporary name can be planted. */
function write(dest: string, content: string, opts: WriteOptions = {}, shellPid?: number) {
  const c = writeFileCommand(dest, content, opts);
  const script = shellPid === undefined ? c.command.text : c.command.text.replaceAll('$$', String(shellPid));
  return spawnSync('/bin/sh', ['-c', script], { input: c.stdin, encoding: 'utf8' });
}
const mode = (p: string) => (statSync(p).mode & 0o7777).toString(8);

describe('writing a file', () => {
  it('gives a new file 0644 and the exact content', () => {
    const dest = path.join(dir, 'a b.conf');
    expect(write(dest, 'x = 1\nno newline at the end').status).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('x = 1\nno newline at the end');
    expect(mode(dest)).toBe('644');
    expect(readdirSync(dir)).toEqual(['a b.conf']);
  });
  it('sets a given mode, with or without execute bits', () => {
    for (const [m, want] of [['0640', '640'], ['600', '600'], ['0755', '755'], ['u=rwx,go=', '700']]) {
      const dest = path.join(dir, `f${m}`);
      expect(write(dest, 'x\n', { mode: m }).status).toBe(0);
      expect(mode(dest)).toBe(want);
    }
  });
  it('keeps the mode of the file it replaces when none is given', () => {
    const dest = path.join(dir, 'kept');
    writeFileSync(dest, 'old\n');
    chmodSync(dest, 0o751);
    expect(write(dest, 'new\n').status).toBe(0);
    expect([readFileSync(dest, 'utf8'), mode(dest)]).toEqual(['new\n', '751']);
  });
  it('never writes through what sits at its temporary name, and clears it for the next run', () => {
    const dest = path.join(dir, 'target');
    const planted = path.join(dir, '.target.lvsdr-4242');
    symlinkSync(path.join(dir, 'victim'), planted);
    expect(write(dest, 'new\n', {}, 4242).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(write(dest, 'new\n', {}, 4242).status).toBe(0);
    expect(readdirSync(dir)).toEqual(['target']);
  });
});
