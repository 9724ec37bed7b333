/**
 * The inventories and playbooks a record names, each with a SHA-256 to tell later whether the file
 * is still the one that ran, and the git commit of the repository it is in, when it is in one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RecordedFile } from '../output/record-writer.ts';

export function recordedFiles(paths: string[]): RecordedFile[] {
  const revisions = gitRevisions(paths);
  return paths.map((p) => {
    // An inventory given as a host list (`-i rs1,rs2,`) is no file.
    if (!existsSync(p)) return { path: p };
    const git = revisions.get(p);
    return { path: p, sha256: checksum(p), ...(git ? { git } : {}) };
  });
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A directory's checksum is of its files' relative paths and checksums, in sorted order. */
function checksum(p: string): string {
  try {
    if (!statSync(p).isDirectory()) return sha256(readFileSync(p));
    const files = (readdirSync(p, { recursive: true }) as string[]).filter((f) => !f.split(path.sep).includes('.git') && statSync(path.join(p, f)).isFile()).sort();
    return sha256(files.map((f) => `${sha256(readFileSync(path.join(p, f)))}  ${f}\n`).join(''));
  } catch (err) {
    return `unreadable: ${(err as Error).message}`;
  }
}

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout : undefined;
}

/**
 * Each path's commit and whether it differs from it, with two git processes per repository (a run
 * starts a little later for each: ~3 ms a process), not two per path.
 */
function gitRevisions(paths: string[]): Map<string, NonNullable<RecordedFile['git']>> {
  const repos = new Map<string, { revision: string; paths: string[] }>();
  const byDir = new Map<string, string>();
  for (const p of paths) {
    let dir: string;
    try {
      dir = statSync(p).isDirectory() ? p : path.dirname(p);
    } catch {
      continue;
    }
    if (!byDir.has(dir)) byDir.set(dir, git(dir, ['rev-parse', '--show-toplevel', 'HEAD']) ?? '');
    const [top, revision] = byDir.get(dir)!.split('\n');
    if (!revision) continue;
    const repo = repos.get(top) ?? { revision, paths: [] };
    repo.paths.push(p);
    repos.set(top, repo);
  }
  const out = new Map<string, NonNullable<RecordedFile['git']>>();
  for (const [top, repo] of repos) {
    // Paths relative to the repository's top, as `git status --porcelain` prints them ("?? dir/" for
    // an untracked directory).
    const changed = (git(top, ['status', '--porcelain', '--', ...repo.paths.map((p) => path.resolve(p))]) ?? '').split('\n').filter(Boolean).map((l) => l.slice(3));
    for (const p of repo.paths) {
      const rel = path.relative(top, path.resolve(p));
      const modified = changed.some((c) => c === rel || c.startsWith(`${rel}/`) || (c.endsWith('/') && rel.startsWith(c)));
      out.set(p, { revision: repo.revision, modified });
    }
  }
  return out;
}
