/**
 * What the git module reads: a clone's state (`git rev-parse HEAD`, the origin's URL and `git
 * status --porcelain`), and a repository's refs (`git ls-remote`), from which the commit a
 * `version` names is found as Ansible's module finds it: HEAD, then a branch, then a tag (an
 * annotated one dereferenced to its commit), else a commit given by its sha.
 */
import type { ExecResult } from '../connection/types.ts';
import { marker } from '../shell/marker.ts';
import { sh } from '../shell/quote.ts';
import { factKey, type Fact } from '../facts/fact.ts';

export type GitClone = { exists: false } | { exists: true; head: string; url: string | null; dirty: boolean };
export type GitRefs = { ok: true; refs: Map<string, string> } | { ok: false; message: string };
export type Resolved = { kind: 'head' | 'branch' | 'tag' | 'sha'; sha: string } | { kind: 'unknown'; message: string };

const STATUS = marker('git-status');

export function parseGitClone(r: ExecResult): GitClone {
  const lines = r.stdout.split('\n');
  if (lines[0] === 'none') return { exists: false };
  const at = lines.indexOf(STATUS);
  if (lines[0] !== 'repo' || at < 0 || !/^[0-9a-f]{40}$/.test(lines[1] ?? '')) throw new Error(`cannot read the clone: ${r.stderr.trim() || r.stdout.trim()}`);
  const url = at > 2 ? lines[2] : null;
  // Ansible's has_local_mods: any status line but an untracked file's.
  const dirty = lines.slice(at + 1).some((l) => l !== '' && !l.startsWith('??'));
  return { exists: true, head: lines[1], url, dirty };
}

/** A clone is where `.git/config` is, as Ansible's module tests it. */
export const gitCloneFact: Fact<string, GitClone> = {
  kind: 'git',
  id: (dest) => dest,
  read: { command: (dest) => sh`if [ -e ${`${dest}/.git/config`} ]; then echo repo; git -C ${dest} rev-parse HEAD; git -C ${dest} config --get remote.origin.url; echo ${STATUS}; git -C ${dest} status --porcelain; else echo none; fi` },
  parse: (r) => parseGitClone(r),
  unread: { exists: false },
};
export const gitCloneKey = (dest: string): string => factKey(gitCloneFact, dest);

export function parseLsRemote(r: ExecResult, repo: string): GitRefs {
  if (r.code !== 0) return { ok: false, message: `cannot read ${repo}: ${r.stderr.trim() || `git ls-remote exit ${r.code}`}` };
  const refs = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (ref && /^[0-9a-f]{40}$/.test(sha)) refs.set(ref, sha);
  }
  return { ok: true, refs };
}

/** A repository's refs. No prompt for a password: the host has no one to answer it. */
export const gitRefsFact: Fact<string, GitRefs> = {
  kind: 'git-refs',
  id: (repo) => repo,
  read: { command: (repo) => sh`GIT_TERMINAL_PROMPT=0 git ls-remote -- ${repo}` },
  parse: (r, repo) => parseLsRemote(r, repo),
  unread: { ok: true, refs: new Map() },
};

export function resolveVersion(refs: Map<string, string>, version: string, repo: string): Resolved {
  if (version === 'HEAD') {
    const sha = refs.get('HEAD');
    return sha ? { kind: 'head', sha } : { kind: 'unknown', message: `Could not determine remote revision for HEAD of ${repo}` };
  }
  const branch = refs.get(`refs/heads/${version}`);
  if (branch) return { kind: 'branch', sha: branch };
  const tag = refs.get(`refs/tags/${version}^{}`) ?? refs.get(`refs/tags/${version}`);
  if (tag) return { kind: 'tag', sha: tag };
  if (/^[0-9a-f]{40}$/.test(version)) return { kind: 'sha', sha: version };
  return { kind: 'unknown', message: `${version} is neither a branch nor a tag of ${repo}, nor a full 40-character commit sha (lvsdr does not take an abbreviated one)` };
}
