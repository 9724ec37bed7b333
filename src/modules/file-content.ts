/** Planning a file's whole content (copy, template): write it when it differs, else fix attributes. */
import { createHash } from 'node:crypto';
import { attributeChanges, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { fileFact } from '../facts/file.ts';
import { fileKey, keptMode, knownContent, writeFileCommand, type RemoteFile } from './remote-file.ts';
import type { Plan, StateView } from './types.ts';

export interface FileContentArgs extends FileAttributes {
  dest: string;
  backup?: boolean;
}

export function planFileContent(given: FileContentArgs, content: string, state: StateView): Plan {
  const args = withOctalMode(given);
  const current = state.fact(fileFact, args.dest);
  if (current.exists && !current.type?.startsWith('regular')) {
    return { kind: 'fail', message: `${args.dest} exists and is a ${current.type}, not a regular file; give the full path of the file` };
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const same = current.exists && (current.content !== undefined ? current.content === content : current.sha256 === sha256);
  if (!same) {
    const after: RemoteFile = {
      exists: true,
      type: 'regular file',
      mode: args.mode ? normalMode(args.mode) : (current.mode ?? '644'),
      owner: args.owner ?? current.owner ?? 'root',
      group: args.group ?? current.group ?? 'root',
      size: Buffer.byteLength(content),
      content,
    };
    return {
      kind: 'change',
      changes: [
        {
          summary: current.exists ? `update ${args.dest}` : `create ${args.dest}`,
          commands: [writeFileCommand(args.dest, content, { ...args, mode: keptMode(current, args.mode) })],
          diff: { kind: 'file', path: args.dest, before: knownContent(current), after: content },
          effects: { [fileKey(args.dest)]: after },
        },
      ],
    };
  }
  const changes = attributeChanges(args.dest, current, args);
  if (changes.length > 0) return { kind: 'change', changes };
  return { kind: 'noop', reason: `${args.dest} already has this content` };
}
