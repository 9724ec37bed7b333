/** file: a directory that exists, a path that does not, or an existing file's attributes. */
import { andThen, sh, type ShellText } from '../shell/quote.ts';
import { attributeChanges, attributeSchema, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { fileFact } from '../facts/file.ts';
import { fileKey, type RemoteFile } from './remote-file.ts';
import type { Change, ModuleDef, Plan } from './types.ts';

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
  plan(given, state): Plan {
    const args = withOctalMode(given);
    const current = state.fact(fileFact, args.path);
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
      const make = wanted === 'directory' ? makeDirectory(args.path, args) : sh`touch -- ${args.path}`;
      return {
        kind: 'change',
        changes: [
          {
            summary: `create ${wanted === 'directory' ? 'directory' : 'file'} ${args.path}`,
            commands: [
              { command: make, touches: [fileKey(args.path)] },
              // A new directory has its attributes from makeDirectory; a touched file gets them here.
              ...(wanted === 'directory' ? [] : attributeChanges(args.path, { ...created, mode: undefined, owner: undefined, group: undefined }, args).flatMap((c) => c.commands)),
            ],
            effects: { [fileKey(args.path)]: created },
          },
        ],
      };
    }
    const isDirectory = current.type === 'directory';
    if (wanted === 'directory' && !isDirectory) return { kind: 'fail', message: `${args.path} exists and is a ${current.type}, not a directory` };
    if (wanted === 'touch') {
      // Ansible's touch gives an existing file or directory new times: a change on every run.
      const times: Change = { summary: `touch ${args.path}`, commands: [{ command: sh`touch -- ${args.path}`, touches: [fileKey(args.path)] }], effects: { [fileKey(args.path)]: current } };
      return { kind: 'change', changes: [times, ...attributeChanges(args.path, current, args)] };
    }
    if (wanted === 'file' && isDirectory) return { kind: 'fail', message: `${args.path} is a directory, not a file` };
    const changes = attributeChanges(args.path, current, args);
    if (changes.length > 0) return { kind: 'change', changes };
    return { kind: 'noop', reason: `${args.path} is already a ${current.type} with the wanted attributes` };
  },
};

/**
 * mkdir -p that gives every directory it creates — the missing parents too — the wanted mode and
 * owner, as Ansible's file module does (it sets the attributes on each directory it makes). The
 * missing ones are found on the host when the command runs, deepest last.
 */
function makeDirectory(path: string, wanted: FileAttributes): ShellText {
  const want = withOctalMode(wanted);
  const owner = `${want.owner ?? ''}${want.group ? `:${want.group}` : ''}`;
  const fixes = [want.mode ? sh`chmod ${want.mode} -- "$d"` : undefined, owner ? sh`chown ${owner} -- "$d"` : undefined].filter((c): c is ShellText => c !== undefined);
  if (fixes.length === 0) return sh`mkdir -p -- ${path}`;
  return sh`set -- && d=${path} && while [ ! -e "$d" ]; do set -- "$d" "$@"; d=$(dirname -- "$d"); done && mkdir -p -- ${path} && for d in "$@"; do ${andThen(...fixes)} || exit 1; done`;
}
