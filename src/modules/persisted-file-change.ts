/** Changes that write or remove a whole file, with the diff and the check-mode effect they imply. */
import { sh } from '../shell/quote.ts';
import { fileKey, knownContent, parentDirCommand, writeFileCommand, type RemoteFile, type WriteOptions } from './remote-file.ts';
import type { Change, RemoteCommand } from './types.ts';

/** The state a file is in once `content` has been written over `before`. */
export function writtenFile(before: RemoteFile, content: string, mode?: string): RemoteFile {
  return {
    exists: true,
    type: 'regular file',
    mode: before.exists && !mode ? before.mode : (mode ?? '0644').replace(/^0/, ''),
    owner: before.owner ?? 'root',
    group: before.group ?? 'root',
    size: Buffer.byteLength(content),
    content,
  };
}

/** A missing parent directory would make the temporary file, and so the write, fail. */
function parentDir(dest: string, before: RemoteFile): RemoteCommand[] {
  return before.exists ? [] : [parentDirCommand(dest)];
}

export function writeFileChange(summary: string, dest: string, before: RemoteFile, content: string, opts: WriteOptions = {}): Change {
  return {
    summary,
    commands: [...parentDir(dest, before), writeFileCommand(dest, content, opts)],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: content },
    effects: { [fileKey(dest)]: writtenFile(before, content, opts.mode) },
  };
}

/**
 * Writes what a command prints (`arptables-save`, `iptables-save`) to `dest` atomically. The
 * output is captured first so a failing save command leaves the old file alone instead of an
 * empty one (a pipe alone would not: POSIX sh has no pipefail). `predicted` is what the file is
 * expected to hold, for the diff and for later tasks in check mode.
 */
export function saveOutputChange(summary: string, saveCommand: string, dest: string, before: RemoteFile, predicted: string, opts: WriteOptions = {}): Change {
  const write = writeFileCommand(dest, '', opts);
  return {
    summary,
    commands: [...parentDir(dest, before), { command: sh`out=$(${saveCommand}) && printf '%s\\n' "$out" | { ${write.command}; }` }],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: predicted },
    effects: { [fileKey(dest)]: writtenFile(before, predicted, opts.mode) },
  };
}

export function removeFileChange(summary: string, dest: string, before: RemoteFile): Change {
  return {
    summary,
    commands: [{ command: sh`rm -f ${dest}` }],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: null },
    effects: { [fileKey(dest)]: { exists: false } satisfies RemoteFile },
  };
}
