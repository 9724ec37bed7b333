/**
 * git: the module's probes and plans run on this machine against a bare repository made here, as
 * a host would run them (sh -c): a clone at a branch, at an annotated tag, at a commit, a second
 * plan that changes nothing, local changes refused unless force, and a moved origin URL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHere, planHere } from './module-here.ts';
import { parseLsRemote, resolveVersion } from '../../src/modules/git-refs.ts';
import { gitModule } from '../../src/modules/git.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=lab@lvsdr', '-c', 'user.name=lab', ...args], { cwd, encoding: 'utf8' }).trim();


let dir: string;
let bare: string;
const sha: Record<string, string> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lvsdr-git-'));
  bare = join(dir, 'lvs.git');
  git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
  const work = join(dir, 'work');
  git(dir, 'clone', '-q', bare, work);
  writeFileSync(join(work, 'keepalived.conf'), 'one\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'one');
  sha.one = git(work, 'rev-parse', 'HEAD');
  git(work, 'tag', '-a', 'v1', '-m', 'release 1');
  writeFileSync(join(work, 'keepalived.conf'), 'two\n');
  git(work, 'commit', '-q', '-am', 'two');
  sha.two = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', '-b', 'next');
  writeFileSync(join(work, 'keepalived.conf'), 'three\n');
  git(work, 'commit', '-q', '-am', 'three');
  sha.three = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', 'origin', 'main', 'next', '--tags');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('git', () => {
  it('finds a version as Ansible does: HEAD, a branch, an annotated tag dereferenced, a full sha', () => {
    const refs = parseLsRemote({ code: 0, stdout: `${'a'.repeat(40)}\tHEAD\n${'b'.repeat(40)}\trefs/tags/v1\n${'c'.repeat(40)}\trefs/tags/v1^{}\n`, stderr: '' }, 'r');
    if (!refs.ok) throw new Error('unreadable');
    expect(resolveVersion(refs.refs, 'HEAD', 'r')).toEqual({ kind: 'head', sha: 'a'.repeat(40) });
    expect(resolveVersion(refs.refs, 'v1', 'r')).toEqual({ kind: 'tag', sha: 'c'.repeat(40) });
    expect(resolveVersion(refs.refs, 'abc123', 'r').kind).toBe('unknown');
  });

  it('clones at HEAD, then changes nothing; moves to a branch, a tag and a sha, each once', () => {
    const dest = join(dir, 'srv', 'lvs');
    const first = planHere(gitModule, { repo: bare, dest });
    expect(first).toMatchObject({ kind: 'change', result: { before: null, after: sha.two } });
    applyHere(first);
    expect(planHere(gitModule, { repo: bare, dest })).toMatchObject({ kind: 'noop', result: { before: sha.two, after: sha.two, remote_url_changed: false } });
    for (const [version, want] of [['next', sha.three], ['v1', sha.one], [sha.two, sha.two]]) {
      const plan = planHere(gitModule, { repo: bare, dest, version });
      expect(plan).toMatchObject({ kind: 'change', result: { after: want } });
      applyHere(plan);
      expect(git(dest, 'rev-parse', 'HEAD')).toBe(want);
      expect(planHere(gitModule, { repo: bare, dest, version }).kind).toBe('noop');
    }
  });

  it('refuses local changes without force, resets them with it; follows a moved origin', () => {
    const dest = join(dir, 'srv', 'forced');
    applyHere(planHere(gitModule, { name: bare, dest, version: 'main' } as never));
    writeFileSync(join(dest, 'keepalived.conf'), 'edited\n');
    expect(planHere(gitModule, { repo: bare, dest, version: 'main' })).toEqual({ kind: 'fail', message: `Local modifications exist in the destination: ${dest} (force=no).` });
    applyHere(planHere(gitModule, { repo: bare, dest, version: 'main', force: 'yes' }));
    expect(planHere(gitModule, { repo: bare, dest, version: 'main' }).kind).toBe('noop');
    git(dest, 'remote', 'set-url', 'origin', bare);
    const moved = planHere(gitModule, { repo: bare, dest, version: 'main' });
    expect(moved).toMatchObject({ kind: 'change', result: { remote_url_changed: true } });
    applyHere(moved);
    expect(git(dest, 'config', '--get', 'remote.origin.url')).toBe(`file://${bare}`);
  });

  it('fails naming a version the repository lacks, and a repository that is not there', () => {
    expect(planHere(gitModule, { repo: bare, dest: join(dir, 'x'), version: 'nope' })).toMatchObject({ kind: 'fail', message: expect.stringMatching(/^nope is neither a branch nor a tag/) });
    expect(planHere(gitModule, { repo: join(dir, 'missing.git'), dest: join(dir, 'x') })).toMatchObject({ kind: 'fail', message: expect.stringMatching(/does not appear to be a git repository/) });
  });
});
