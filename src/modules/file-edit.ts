/**
 * What lineinfile, blockinfile and replace share: the file's text as Ansible reads it, and the plan
 * that writes the edited text (parent directories, backup, validate, mode and ownership) or only
 * fixes the attributes, with Ansible's `msg`.
 */
import { aliasProblems, ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { attributeChanges, attributeSchema, normalMode, withOctalMode, type FileAttributes } from './file-attributes.ts';
import { parsePyTemplate, PyRegexError, translatePyRegex, type PyRegex, type PyRegexOptions, type RegexMode } from './python-regex.ts';
import { writeFileChange } from './persisted-file-change.ts';
import { sh } from '../shell/quote.ts';
import { fileKey, knownContent, validateCommand, type RemoteFile } from './remote-file.ts';
import type { Change, Plan, StateView } from './types.ts';
import { fileFact } from '../facts/file.ts';
import type { Fact } from '../facts/fact.ts';

/** `path` and its aliases, as lineinfile, blockinfile and replace take it. */
export const PATH_ALIASES = { dest: 'path', destfile: 'path', name: 'path' };
const pathSchema = { type: 'string', pattern: '^/[^\\0]*$' };
/** The arguments the three modules share: the path under its aliases, backup, validate, mode and ownership. */
export const editProperties = {
  path: pathSchema,
  dest: pathSchema,
  destfile: pathSchema,
  name: pathSchema,
  backup: boolSchema,
  validate: { type: 'string' },
  ...attributeSchema,
};
/** lineinfile's and blockinfile's: present or absent, where a new text goes, whether to make the file. */
export const placementProperties = {
  state: { enum: ['present', 'absent'] },
  insertafter: { type: 'string' },
  insertbefore: { type: 'string' },
  create: boolSchema,
};
export const pathRequired = { oneOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }] };

/** Those arguments as written. */
export interface EditArgs extends FileAttributes {
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  backup?: AnsibleBool;
  validate?: string;
}

/** A problem with one argument's text (a pattern, a template), found while compiling the arguments. */
export class ArgError extends Error {
  readonly arg: string;
  constructor(arg: string, message: string) {
    super(message);
    this.arg = arg;
  }
}

/** A Python pattern argument, translated; what Python or lvsdr refuses is an ArgError with its offset. */
export function regexArg(arg: string, text: string, mode: RegexMode, options: PyRegexOptions = {}, what = 'the regular expression'): PyRegex {
  try {
    return translatePyRegex(text, mode, options);
  } catch (err) {
    if (err instanceof PyRegexError) throw new ArgError(arg, `${err.message} (at offset ${err.offset} of ${what})`);
    throw err;
  }
}

/** A replacement template argument (`\\1`, `\\g<name>`) checked against the pattern's groups. */
export function templateArg(arg: string, text: string, regex: PyRegex, what: string): ReturnType<typeof parsePyTemplate> {
  try {
    return parsePyTemplate(text, regex);
  } catch (err) {
    if (err instanceof PyRegexError) throw new ArgError(arg, `${err.message} (at offset ${err.offset} of ${what})`);
    throw err;
  }
}

/** An argument under the name it was written with (`regex` for `regexp`), for a problem's place. */
export function writtenName(written: object, arg: string, aliases: Readonly<Record<string, string>>): string {
  return Object.keys(written).find((k) => k === arg || aliases[k] === arg) ?? arg;
}

/** The ArgError compiling the arguments raises, as a problem at the argument as written. */
export function compileProblems(compile: () => unknown, written: object, aliases: Readonly<Record<string, string>>): { path: string; message: string }[] {
  try {
    compile();
    return [];
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    return [{ path: `/${writtenName(written, err.arg, aliases)}`, message: err.message }];
  }
}

/** A validate command needs `%s`, the file it checks (Ansible refuses it without). */
export function validateProblems(args: { validate?: string }): { path: string; message: string }[] {
  return args.validate !== undefined && !args.validate.includes('%s') ? [{ path: '/validate', message: `validate must contain %s: ${args.validate}` }] : [];
}

export const pathAliasProblems = (args: object) => aliasProblems(args, PATH_ALIASES);

/**
 * Where a symbolic link leads (realpath, as Ansible writes through links), or null for any other
 * path: asked for only once the file turns out to be a link.
 */
const linkTargetFact: Fact<string, string | null> = {
  kind: 'file-target',
  id: (path) => path,
  read: { command: (path) => sh`[ ! -L ${path} ] || realpath -m -- ${path}` },
  parse: (r) => r.stdout.trim() || null,
  unread: null,
};

/** A file to edit: the path given, the one written (a link's target), its state and text (null: absent). */
export interface Editable {
  path: string;
  dest: string;
  file: RemoteFile;
  text: string | null;
}

/**
 * The file as probed (or as earlier tasks would leave it) and its text, or why it cannot be edited:
 * a directory (Ansible's "is a directory !"), another kind of file, a file too large to have been
 * read, or one that is not UTF-8 (its text was not read as it is). A link is edited in its target,
 * as Ansible edits it; a link leading nowhere is a file not there yet.
 */
export function readEditable(path: string, state: StateView): Editable | { fail: string } {
  const file = state.fact(fileFact, path);
  if (!file.exists) return { path, dest: path, file, text: null };
  if (file.type === 'directory') return { fail: `Path ${path} is a directory !` };
  const link = file.type === 'symbolic link';
  if (!link && !file.type?.startsWith('regular')) return { fail: `${path} is a ${file.type}; lvsdr edits regular files only` };
  const dest = link ? state.fact(linkTargetFact, path) : path;
  if (dest === null) return { fail: `${path} is a symbolic link whose target could not be read` };
  if (link && file.content === undefined && file.sha256 === undefined) return { path, dest, file, text: null };
  const text = knownContent(file);
  if (text === null) return { fail: `${path} is too large for lvsdr to edit` };
  if (!link && file.size !== undefined && Buffer.byteLength(text) !== file.size) return { fail: `${path} is not UTF-8 text; lvsdr will not edit it` };
  return { path, dest, file, text };
}

/**
 * The plan for `after` (the new text, or null when the text stays) over the file: the write, then
 * whatever mode and ownership still differ, with Ansible's msg for them.
 */
export function planEdit(e: Editable, after: string | null, msg: string, written: EditArgs, result: Record<string, unknown> = {}): Plan {
  const opts = withOctalMode({ mode: written.mode, owner: written.owner, group: written.group });
  const backup = ansibleBool(written.backup) ?? false;
  const changes: Change[] = [];
  let text = msg;
  const viaLink = e.dest !== e.path;
  if (viaLink && (opts.mode || opts.owner || opts.group)) return { kind: 'fail', message: `${e.path} is a symbolic link; lvsdr does not set mode or ownership through one (give ${e.dest})` };
  if (after !== null) {
    // Through a link, the target keeps its own mode (chmod --reference): the link's is not its.
    const before: RemoteFile = viaLink ? { exists: e.text !== null, type: 'link target', content: e.text ?? undefined } : e.file;
    const write = writeFileChange(msg ? `${e.path}: ${msg}` : `update ${e.path}`, e.dest, before, after, {
      mode: opts.mode,
      owner: opts.owner,
      group: opts.group,
      backup,
      validate: written.validate === undefined ? undefined : validateCommand(written.validate),
    });
    const file = write.effects[fileKey(e.dest)] as RemoteFile;
    const effects: Record<string, unknown> = { [fileKey(e.dest)]: { ...file, ...(opts.mode ? { mode: normalMode(opts.mode) } : {}), ...(opts.owner ? { owner: opts.owner } : {}), ...(opts.group ? { group: opts.group } : {}) } };
    if (viaLink) effects[fileKey(e.path)] = { ...e.file, content: after, size: Buffer.byteLength(after) };
    changes.push({ ...write, effects });
  } else if (e.file.exists) {
    const attrs = attributeChanges(e.path, e.file, opts);
    if (attrs.length > 0) text = text ? `${text} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
    changes.push(...attrs);
  }
  const full = { msg: text, ...result };
  if (changes.length === 0) return { kind: 'noop', reason: `${e.path}: nothing to change`, result: full };
  return { kind: 'change', changes, result: full };
}
