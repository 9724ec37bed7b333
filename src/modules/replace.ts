/**
 * replace: every match of a regexp in a file (or in the part of it between `after` and `before`)
 * replaced, with Ansible's arguments and meaning (ansible/modules/replace.py): Python str patterns,
 * MULTILINE, the section found with DOTALL, `replace` a template of the groups.
 */
import { ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import type { FileAttributes } from './file-attributes.ts';
import { currentFile, editableText, editAttributeSchema, pathAliasProblems, pathProperties, pathRequired, PATH_ALIASES, planEdit, validateProblems } from './file-edit.ts';
import { expandPyTemplate, parsePyTemplate, pyRegExp, PyRegexError, translatePyRegex, type PyRegex } from './python-regex.ts';
import { fileProbe } from './remote-file.ts';
import type { ModuleDef, Plan } from './types.ts';

export interface ReplaceArgs extends FileAttributes {
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  backup?: AnsibleBool;
  validate?: string;
  encoding?: 'utf-8';
}

interface Compiled {
  path: string;
  regexp: PyRegex;
  template: ReturnType<typeof parsePyTemplate>;
  /** The `after…before` pattern as Python builds it, and its translation. */
  section?: { pattern: string; regex: PyRegex };
}

class ArgError extends Error {
  readonly arg: string;
  constructor(arg: string, message: string) {
    super(message);
    this.arg = arg;
  }
}

function compile(written: ReplaceArgs): Compiled {
  const a = withoutAliases(written, PATH_ALIASES);
  const attempt = <T>(arg: string, what: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof PyRegexError) throw new ArgError(arg, `${err.message} (at offset ${err.offset} of ${what})`);
      throw err;
    }
  };
  const regexp = attempt('regexp', 'the regular expression', () => translatePyRegex(a.regexp, 'unicode', { multiline: true }));
  const template = attempt('replace', 'the replacement, a template of the regexp\'s groups', () => parsePyTemplate(a.replace ?? '', regexp));
  // Ansible's own pattern: after and before are joined around a group with DOTALL (replace.py).
  const pattern = a.after && a.before ? `${a.after}(?P<subsection>.*?)${a.before}` : a.after ? `${a.after}(?P<subsection>.*)` : a.before ? `(?P<subsection>.*)${a.before}` : undefined;
  const section = pattern === undefined ? undefined : { pattern, regex: attempt(a.after ? 'after' : 'before', `the pattern built from after/before, ${pattern}`, () => translatePyRegex(pattern, 'unicode', { dotall: true })) };
  return { path: a.path!, regexp, template, section };
}

/** re.subn over `text`: the text with every match replaced, and how many there were. */
export function substitute(text: string, regexp: PyRegex, template: ReturnType<typeof parsePyTemplate>): { text: string; count: number } {
  let count = 0;
  const out = text.replace(pyRegExp(regexp, 'g'), (...m) => {
    count++;
    const groups = typeof m[m.length - 1] === 'object' ? m[m.length - 1] : undefined;
    const match = Object.assign(m.slice(0, regexp.groups + 1), { groups }) as unknown as RegExpExecArray;
    return expandPyTemplate(template, match);
  });
  return { text: out, count };
}

function argProblems(written: ReplaceArgs): { path: string; message: string }[] {
  const problems = [...pathAliasProblems(written), ...validateProblems(written)];
  try {
    compile(written);
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    problems.push({ path: `/${err.arg}`, message: err.message });
  }
  return problems;
}

export const replaceModule: ModuleDef<ReplaceArgs> = {
  name: 'replace',
  summary: 'replace every match of a (Python) regexp in a file, as Ansible does',
  schema: {
    type: 'object',
    properties: {
      ...pathProperties,
      regexp: { type: 'string' },
      replace: { type: 'string' },
      after: { type: 'string' },
      before: { type: 'string' },
      backup: boolSchema,
      validate: { type: 'string' },
      encoding: { enum: ['utf-8'], description: 'files are read as UTF-8 only' },
      ...editAttributeSchema,
    },
    required: ['regexp'],
    ...pathRequired,
    additionalProperties: false,
  },
  argProblems,
  probes: (args) => [fileProbe(withoutAliases(args, PATH_ALIASES).path!)],
  plan(written, state): Plan {
    const c = compile(written);
    const file = currentFile(c.path, state);
    const readable = editableText(c.path, file);
    if ('fail' in readable) return { kind: 'fail', message: readable.fail };
    if (readable.text === null) return { kind: 'fail', message: `Path ${c.path} does not exist !` };
    const contents = readable.text;
    let start = 0;
    let end = contents.length;
    if (c.section) {
      const m = pyRegExp(c.section.regex, 'd').exec(contents);
      if (!m) {
        const msg = `Pattern for before/after params did not match the given file: ${c.section.pattern}`;
        return { kind: 'noop', reason: msg, result: { msg, rc: 0 } };
      }
      [start, end] = m.indices!.groups!.subsection!;
    }
    const section = contents.slice(start, end);
    const { text, count } = substitute(section, c.regexp, c.template);
    const changed = count > 0 && text !== section;
    const { mode, owner, group, validate } = written;
    return planEdit(c.path, file, changed ? contents.slice(0, start) + text + contents.slice(end) : null, changed ? `${count} replacements made` : '', { mode, owner, group, validate, backup: ansibleBool(written.backup) ?? false }, { rc: 0 });
  },
};
