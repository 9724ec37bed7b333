/**
 * replace: every match of a regexp in a file (or in the part of it between `after` and `before`)
 * replaced, with Ansible's arguments and meaning (ansible/modules/replace.py): Python str patterns,
 * MULTILINE, the section found with DOTALL, `replace` a template of the groups.
 */
import { withoutAliases } from './ansible-args.ts';
import { compileProblems, editProperties, pathAliasProblems, pathRequired, PATH_ALIASES, planEdit, readEditable, regexArg, templateArg, validateProblems, type EditArgs } from './file-edit.ts';
import { expandPyTemplate, pyRegExp, type parsePyTemplate, type PyRegex } from './python-regex.ts';
import type { ModuleDef, Plan } from './types.ts';

export interface ReplaceArgs extends EditArgs {
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  encoding?: 'utf-8';
}

interface Compiled {
  path: string;
  regexp: PyRegex;
  template: ReturnType<typeof parsePyTemplate>;
  /** The `after…before` pattern as Python builds it, and its translation. */
  section?: { pattern: string; regex: PyRegex };
}

function compile(written: ReplaceArgs): Compiled {
  const a = withoutAliases(written, PATH_ALIASES);
  const regexp = regexArg('regexp', a.regexp, 'unicode', { multiline: true });
  const template = templateArg('replace', a.replace ?? '', regexp, "the replacement, a template of the regexp's groups");
  // Ansible's own pattern: after and before are joined around a group with DOTALL (replace.py).
  const pattern = a.after && a.before ? `${a.after}(?P<subsection>.*?)${a.before}` : a.after ? `${a.after}(?P<subsection>.*)` : a.before ? `(?P<subsection>.*)${a.before}` : undefined;
  const section = pattern === undefined ? undefined : { pattern, regex: regexArg(a.after ? 'after' : 'before', pattern, 'unicode', { dotall: true }, `the pattern built from after/before, ${pattern}`) };
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
  return [...problems, ...compileProblems(() => compile(written), written, PATH_ALIASES)];
}

export const replaceModule: ModuleDef<ReplaceArgs> = {
  name: 'replace',
  summary: 'replace every match of a (Python) regexp in a file, as Ansible does',
  schema: {
    type: 'object',
    properties: {
      ...editProperties,
      regexp: { type: 'string' },
      replace: { type: 'string' },
      after: { type: 'string' },
      before: { type: 'string' },
      encoding: { enum: ['utf-8'], description: 'files are read as UTF-8 only' },
    },
    required: ['regexp'],
    ...pathRequired,
    additionalProperties: false,
  },
  argProblems,
  plan(written, state): Plan {
    const c = compile(written);
    const readable = readEditable(c.path, state);
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
    return planEdit(readable, changed ? contents.slice(0, start) + text + contents.slice(end) : null, changed ? `${count} replacements made` : '', written, { rc: 0 });
  },
};
