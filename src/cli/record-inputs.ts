/**
 * The inventories and playbooks a record names, each with a SHA-256 to tell later whether the file
 * is still the one that ran, and the git commit of the repository it is in, when it is in one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RecordedFile } from '../output/record-writer.ts';

export function recordedFiles(paths: string[]): RecordedFile[] {
  return paths.map((p) => {
    const git = gitRevision(p);
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
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function gitRevision(p: string): RecordedFile['git'] {
  let dir: string;
  try {
    dir = statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return undefined;
  }
  const revision = git(dir, ['rev-parse', 'HEAD']);
  if (!revision) return undefined;
  return { revision, modified: (git(dir, ['status', '--porcelain', '--', path.resolve(p)]) ?? '') !== '' };
}
