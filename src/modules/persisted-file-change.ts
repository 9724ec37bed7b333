/** Changes that write or remove a whole file, with the diff and the check-mode effect they imply. */
import { sh } from '../shell/quote.ts';
import { fileKey, keptMode, knownContent, parentDirCommand, saveOutputCommand, writeFileCommand, type RemoteFile, type WriteOptions } from './remote-file.ts';
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
    commands: [...parentDir(dest, before), writeFileCommand(dest, content, { ...opts, mode: keptMode(before, opts.mode) })],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: content },
    effects: { [fileKey(dest)]: writtenFile(before, content, opts.mode) },
  };
}

/**
 * Writes what the program `save` prints (`arptables-save`, `iptables-save`) to `dest`
 * (saveOutputCommand). `predicted` is what the file is expected to hold, for the diff and for
 * later tasks in check mode.
 */
export function saveOutputChange(summary: string, save: string, dest: string, before: RemoteFile, predicted: string, opts: WriteOptions = {}): Change {
  return {
    summary,
    commands: [...parentDir(dest, before), saveOutputCommand(dest, save, { ...opts, mode: keptMode(before, opts.mode) })],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: predicted },
    effects: { [fileKey(dest)]: writtenFile(before, predicted, opts.mode) },
  };
}

export function removeFileChange(summary: string, dest: string, before: RemoteFile): Change {
  return {
    summary,
    commands: [{ command: sh`rm -f ${dest}`, touches: [fileKey(dest)] }],
    diff: { kind: 'file', path: dest, before: knownContent(before), after: null },
    effects: { [fileKey(dest)]: { exists: false } satisfies RemoteFile },
  };
}
