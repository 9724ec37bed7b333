/**
 * What lineinfile, blockinfile and replace share: the file's text as Ansible reads it, and the plan
 * that writes the edited text (parent directories, backup, validate, mode and ownership) or only
 * fixes the attributes, with Ansible's `msg`.
 */
import { aliasProblems } from './ansible-args.ts';
import { attributeChanges, attributeSchema, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { writeFileChange } from './persisted-file-change.ts';
import { fileKey, knownContent, validateCommand, type RemoteFile } from './remote-file.ts';
import type { Change, Plan, StateView } from './types.ts';

/** `path` and its aliases, as lineinfile, blockinfile and replace take it. */
export const PATH_ALIASES = { dest: 'path', destfile: 'path', name: 'path' };
const pathSchema = { type: 'string', pattern: '^/[^\\0]*$' };
export const pathProperties = { path: pathSchema, dest: pathSchema, destfile: pathSchema, name: pathSchema };
export const pathRequired = { oneOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }] };
export const editAttributeSchema = attributeSchema;

export interface FileEditOptions extends FileAttributes {
  backup?: boolean;
  validate?: string;
}

/** A validate command needs `%s`, the file it checks (Ansible refuses it without). */
export function validateProblems(args: { validate?: string }): { path: string; message: string }[] {
  return args.validate !== undefined && !args.validate.includes('%s') ? [{ path: '/validate', message: `validate must contain %s: ${args.validate}` }] : [];
}

export const pathAliasProblems = (args: object) => aliasProblems(args, PATH_ALIASES);

/**
 * The file's text, or why it cannot be edited: a directory (Ansible's "is a directory !"), a
 * link (lvsdr writes the path itself, which would replace the link), a file too large to have been
 * read, or one that is not UTF-8 (its text was not read as it is).
 */
export function editableText(path: string, file: RemoteFile): { text: string | null } | { fail: string } {
  if (!file.exists) return { text: null };
  if (file.type === 'directory') return { fail: `Path ${path} is a directory !` };
  if (!file.type?.startsWith('regular')) return { fail: `${path} is a ${file.type}; lvsdr edits regular files only (give the path of the file a link points to)` };
  const text = knownContent(file);
  if (text === null) return { fail: `${path} is too large for lvsdr to edit` };
  if (file.size !== undefined && Buffer.byteLength(text) !== file.size) return { fail: `${path} is not UTF-8 text; lvsdr will not edit it` };
  return { text };
}

export function currentFile(path: string, state: StateView): RemoteFile {
  return state.get<RemoteFile>(fileKey(path));
}

/**
 * The plan for `after` (the new text, or null when the text stays) over `before`: the write, then
 * whatever mode and ownership still differ, with Ansible's msg for them.
 */
export function planEdit(path: string, before: RemoteFile, after: string | null, msg: string, given: FileEditOptions, result: Record<string, unknown> = {}): Plan {
  const opts = withOctalMode(given);
  const changes: Change[] = [];
  let text = msg;
  if (after !== null) {
    const write = writeFileChange(msg ? `${path}: ${msg}` : `update ${path}`, path, before, after, {
      mode: opts.mode,
      owner: opts.owner,
      group: opts.group,
      backup: opts.backup,
      validate: opts.validate === undefined ? undefined : validateCommand(opts.validate),
    });
    const written = write.effects[fileKey(path)] as RemoteFile;
    changes.push({ ...write, effects: { [fileKey(path)]: { ...written, ...(opts.mode ? { mode: normalMode(opts.mode) } : {}), ...(opts.owner ? { owner: opts.owner } : {}), ...(opts.group ? { group: opts.group } : {}) } } });
  } else if (before.exists) {
    const attrs = attributeChanges(path, before, opts);
    if (attrs.length > 0) text = text ? `${text} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
    changes.push(...attrs);
  }
  const full = { msg: text, ...result };
  if (changes.length === 0) return { kind: 'noop', reason: `${path}: nothing to change`, result: full };
  return { kind: 'change', changes, result: full };
}
