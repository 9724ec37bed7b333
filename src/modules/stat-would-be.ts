/**
 * What stat returns in check mode for a path an earlier task would have changed: the file's
 * would-be state (the host's check-mode overlay, under `file:PATH`) laid over what the host holds
 * now. Only what that state tells is laid over (existence, kind, mode, owner, size, checksum); an
 * inode or a time of a file that does not exist yet is left out, not guessed. In a real run both
 * reads see the same file and the host's answer stands as read.
 */
import { createHash } from 'node:crypto';
import type { RemoteFile } from './remote-file.ts';

export type StatDict = Record<string, unknown>;

const KIND_FLAGS = ['isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock'] as const;

/** stat's kind flags for a type as find names it. */
function kindFlags(type: string | undefined): Record<string, boolean> {
  const flag = type?.startsWith('regular') ? 'isreg' : type === 'directory' ? 'isdir' : type === 'symbolic link' ? 'islnk' : type === 'fifo' ? 'isfifo' : type === 'socket' ? 'issock' : type === 'character special file' ? 'ischr' : 'isblk';
  return Object.fromEntries(KIND_FLAGS.map((k) => [k, k === flag]));
}

/** The fields of the stat dict the file state tells. */
function known(file: RemoteFile, checksum: string | undefined): StatDict {
  const out: StatDict = {
    mode: (file.mode ?? '644').padStart(4, '0'),
    ...kindFlags(file.type),
    size: file.size,
    pw_name: file.owner,
    gr_name: file.group,
  };
  if (checksum && file.type?.startsWith('regular') && file.content !== undefined) out.checksum = createHash(checksum).update(file.content).digest('hex');
  return out;
}

export function wouldBeStat(live: StatDict, file: RemoteFile, o: { path: string; follow: boolean; checksum?: string }): StatDict {
  if (!file.exists) return live.exists ? { exists: false } : live;
  // The file state describes a link itself; a followed link's stat is its target's.
  if (o.follow && file.type === 'symbolic link') return live;
  const fields = known(file, o.checksum);
  if (live.exists && Object.entries(fields).every(([k, v]) => v === undefined || live[k] === undefined || live[k] === v)) return live;
  const base: StatDict = live.exists ? live : { exists: true, path: o.path };
  const out: StatDict = { ...base };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
