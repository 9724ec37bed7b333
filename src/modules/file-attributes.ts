/** Mode and ownership of a path, shared by copy, template and file. */
import { sh } from '../shell/quote.ts';
import type { RemoteFile } from './remote-file.ts';
import type { Change } from './types.ts';
import { fileKey } from './remote-file.ts';

export interface FileAttributes {
  /** '0644', or the number YAML 1.1 makes of an unquoted 0644 (420), as Ansible accepts both. */
  mode?: string | number;
  owner?: string;
  group?: string;
}

export const attributeSchema = {
  mode: { anyOf: [{ type: 'string', pattern: '^0?[0-7]{3,4}$' }, { type: 'integer', minimum: 0, maximum: 0o7777 }] },
  owner: { type: 'string', pattern: '^[a-z_][a-z0-9_.-]*[$]?$', maxLength: 32 },
  group: { type: 'string', pattern: '^[a-z_][a-z0-9_.-]*[$]?$', maxLength: 32 },
} as const;

/** The arguments with `mode` as an octal string, whichever way the playbook wrote it. */
export function withOctalMode<T extends FileAttributes>(args: T): T & { mode?: string } {
  if (typeof args.mode !== 'number') return args as T & { mode?: string };
  return { ...args, mode: `0${args.mode.toString(8).padStart(3, '0')}` };
}

/** '0644' and '644' are the same mode; stat prints the short form. */
export function normalMode(mode: string): string {
  return mode.replace(/^0+(?=\d{3})/, '');
}

/** The chmod/chown changes an existing path needs to match the wanted attributes. */
export function attributeChanges(path: string, current: RemoteFile, wanted: FileAttributes): Change[] {
  const want = withOctalMode(wanted);
  const changes: Change[] = [];
  const after: RemoteFile = {
    ...current,
    ...(want.mode ? { mode: normalMode(want.mode) } : {}),
    ...(want.owner ? { owner: want.owner } : {}),
    ...(want.group ? { group: want.group } : {}),
  };
  const effects = { [fileKey(path)]: after };
  if (want.mode && normalMode(want.mode) !== current.mode) {
    changes.push({
      summary: `mode of ${path}: ${current.mode} → ${normalMode(want.mode)}`,
      commands: [{ command: sh`chmod ${want.mode} ${path}`, touches: [fileKey(path)] }],
      diff: { kind: 'value', name: `${path} mode`, before: current.mode ?? null, after: normalMode(want.mode) },
      effects,
    });
  }
  const ownerDiffers = want.owner && want.owner !== current.owner;
  const groupDiffers = want.group && want.group !== current.group;
  if (ownerDiffers || groupDiffers) {
    const spec = `${want.owner ?? ''}${want.group ? `:${want.group}` : ''}`;
    changes.push({
      summary: `owner of ${path}: ${current.owner}:${current.group} → ${want.owner ?? current.owner}:${want.group ?? current.group}`,
      commands: [{ command: sh`chown ${spec} ${path}`, touches: [fileKey(path)] }],
      effects,
    });
  }
  return changes;
}
