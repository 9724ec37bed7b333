/** file: a directory that exists, a path that does not, or an existing file's attributes. */
import { sh } from '../shell/quote.ts';
import { attributeChanges, attributeSchema, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { fileKey, fileProbe, type RemoteFile } from './remote-file.ts';
import type { ModuleDef, Plan } from './types.ts';

interface FileArgs extends FileAttributes {
  path: string;
  state?: 'directory' | 'absent' | 'file' | 'touch';
}

export const fileModule: ModuleDef<FileArgs> = {
  name: 'file',
  summary: 'ensure a directory exists, a path is absent, or a file has a mode/owner',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', pattern: '^/.+', not: { enum: ['/', '/.', '/..'] } },
      state: { enum: ['directory', 'absent', 'file', 'touch'] },
      ...attributeSchema,
    },
    required: ['path'],
    additionalProperties: false,
  },
  probes: (args) => [fileProbe(args.path)],
  plan(given, state): Plan {
    const args = withOctalMode(given);
    const current = state.get<RemoteFile>(fileKey(args.path));
    const wanted = args.state ?? 'file';
    if (wanted === 'absent') {
      if (!current.exists) return { kind: 'noop', reason: `${args.path} is already absent` };
      return {
        kind: 'change',
        changes: [
          {
            summary: `remove ${current.type} ${args.path}`,
            commands: [{ command: sh`rm -rf -- ${args.path}`, touches: [fileKey(args.path)] }],
            effects: { [fileKey(args.path)]: { exists: false } },
          },
        ],
      };
    }
    if (!current.exists) {
      if (wanted === 'file') return { kind: 'fail', message: `${args.path} does not exist (state: file only changes an existing file; use copy, or state: touch)` };
      const created: RemoteFile = {
        exists: true,
        type: wanted === 'directory' ? 'directory' : 'regular empty file',
        mode: normalMode(args.mode ?? (wanted === 'directory' ? '755' : '644')),
        owner: args.owner ?? 'root',
        group: args.group ?? 'root',
        ...(wanted === 'touch' ? { content: '', size: 0 } : {}),
      };
      const make = wanted === 'directory' ? sh`mkdir -p -- ${args.path}` : sh`touch -- ${args.path}`;
      return {
        kind: 'change',
        changes: [
          {
            summary: `create ${wanted === 'directory' ? 'directory' : 'file'} ${args.path}`,
            commands: [{ command: make, touches: [fileKey(args.path)] }, ...attributeChanges(args.path, { ...created, mode: undefined, owner: undefined, group: undefined }, args).flatMap((c) => c.commands)],
            effects: { [fileKey(args.path)]: created },
          },
        ],
      };
    }
    const isDirectory = current.type === 'directory';
    if (wanted === 'directory' && !isDirectory) return { kind: 'fail', message: `${args.path} exists and is a ${current.type}, not a directory` };
    if ((wanted === 'file' || wanted === 'touch') && isDirectory) return { kind: 'fail', message: `${args.path} is a directory, not a file` };
    const changes = attributeChanges(args.path, current, args);
    if (changes.length > 0) return { kind: 'change', changes };
    return { kind: 'noop', reason: `${args.path} is already a ${current.type} with the wanted attributes` };
  },
};
