/** The inputs a run record names: checksums of files and directories, and their git commit. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { recordedFiles } from '../../src/cli/record-inputs.ts';

it('a file has its SHA-256; a directory one of its files; in a repository, the commit and whether the file differs from it; a host list nothing', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-inputs-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
  git('init', '-q');
  mkdirSync(path.join(dir, 'inv'));
  writeFileSync(path.join(dir, 'site.yml'), '- hosts: all\n');
  writeFileSync(path.join(dir, 'inv', 'hosts.yml'), 'all: {}\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x');
  writeFileSync(path.join(dir, 'inv', 'new.yml'), 'all: {}\n');
  const outside = path.join(mkdtempSync(path.join(tmpdir(), 'lvsdr-inputs-')), 'loose.yml');
  writeFileSync(outside, 'x\n');

  const [site, inv, loose] = recordedFiles([path.join(dir, 'site.yml'), path.join(dir, 'inv'), outside]);
  const head = git('rev-parse', 'HEAD');
  expect(site).toEqual({ path: path.join(dir, 'site.yml'), sha256: createHash('sha256').update(readFileSync(path.join(dir, 'site.yml'))).digest('hex'), git: { revision: head, modified: false } });
  expect(inv.git).toEqual({ revision: head, modified: true });
  expect(inv.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(loose.git).toBeUndefined();
  expect(recordedFiles(['rs1,rs2,'])).toEqual([{ path: 'rs1,rs2,' }]);
  writeFileSync(path.join(dir, 'inv', 'new.yml'), 'all: { vars: {} }\n');
  expect(recordedFiles([path.join(dir, 'inv')])[0].sha256).not.toBe(inv.sha256);
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.dirname(outside), { recursive: true, force: true });
});
