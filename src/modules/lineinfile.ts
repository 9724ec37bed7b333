/**
 * lineinfile: one line present in a file (replacing the last line a regexp or search string finds,
 * or inserted after/before a pattern, at the end or the start) or every matching line absent, with
 * Ansible's arguments and choices (ansible/modules/lineinfile.py; the edit: lineinfile-edit.ts).
 * Regexps are Python's, translated (python-regex.ts); one JavaScript cannot mean alike is refused
 * at validation, at the argument's place.
 */
import { ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { compileProblems, writtenName, editProperties, placementProperties, pathAliasProblems, pathRequired, PATH_ALIASES, planEdit, readEditable, regexArg, templateArg, validateProblems, type EditArgs } from './file-edit.ts';
import { lineAbsent, linePresent, readLines, type LineEditArgs } from './lineinfile-edit.ts';
import { fromBytes, toBytes } from './python-regex.ts';
import type { ModuleDef, Plan } from './types.ts';

export interface LineinfileArgs extends EditArgs {
  state?: 'present' | 'absent';
  regexp?: string;
  regex?: string;
  search_string?: string;
  line?: string;
  value?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: AnsibleBool;
  create?: AnsibleBool;
  firstmatch?: AnsibleBool;
}

const ALIASES = { ...PATH_ALIASES, regex: 'regexp', value: 'line' };

interface Compiled {
  path: string;
  present: boolean;
  create: boolean;
  edit: LineEditArgs;
}

/** The arguments under their own names, patterns compiled; throws PyRegexError with the argument it is about. */
function compile(written: LineinfileArgs): Compiled {
  const a = withoutAliases(written, ALIASES);
  const regex = (arg: string, text: string) => regexArg(arg, text, 'bytes');
  const regexp = a.regexp === undefined ? undefined : regex('regexp', a.regexp);
  const backrefs = ansibleBool(a.backrefs) ?? false;
  const line = a.line === undefined ? undefined : toBytes(a.line);
  let template: LineEditArgs['backrefs'];
  if (backrefs && regexp && line !== undefined) {
    template = templateArg('line', line, regexp, "the line, read as a template of the regexp's groups because backrefs is on");
  }
  // Without insertafter or insertbefore, a line goes at the end (present()'s default).
  const insertafter = a.insertafter === undefined ? (a.insertbefore === undefined ? 'EOF' : undefined) : a.insertafter === 'EOF' || a.insertafter === 'BOF' ? a.insertafter : regex('insertafter', a.insertafter);
  const insertbefore = a.insertbefore === undefined ? undefined : a.insertbefore === 'BOF' ? 'BOF' : regex('insertbefore', a.insertbefore);
  return {
    path: a.path!,
    present: (a.state ?? 'present') === 'present',
    create: ansibleBool(a.create) ?? false,
    edit: {
      regexp,
      searchString: a.search_string === undefined ? undefined : toBytes(a.search_string),
      line,
      insertafter,
      insertbefore,
      backrefs: template,
      firstmatch: ansibleBool(a.firstmatch) ?? false,
    },
  };
}


function argProblems(written: LineinfileArgs): { path: string; message: string }[] {
  const problems = [...pathAliasProblems(written), ...validateProblems(written)];
  const a = withoutAliases(written, ALIASES);
  const both = (x: keyof LineinfileArgs, y: keyof LineinfileArgs) => {
    if (a[x] !== undefined && a[y] !== undefined && (x !== 'backrefs' || ansibleBool(a.backrefs))) problems.push({ path: `/${writtenName(written, y, ALIASES)}`, message: `parameters are mutually exclusive: ${x}|${y}` });
  };
  both('insertbefore', 'insertafter');
  both('regexp', 'search_string');
  both('backrefs', 'search_string');
  if ((a.state ?? 'present') === 'present') {
    if (ansibleBool(a.backrefs) && a.regexp === undefined) problems.push({ path: '/backrefs', message: 'regexp is required with backrefs=true' });
    if (a.line === undefined) problems.push({ path: '', message: 'line is required with state=present' });
  } else if (a.regexp === undefined && a.search_string === undefined && a.line === undefined) {
    problems.push({ path: '', message: 'one of line, search_string, or regexp is required with state=absent' });
  }
  return [...problems, ...compileProblems(() => compile(written), written, ALIASES)];
}

export const lineinfileModule: ModuleDef<LineinfileArgs> = {
  name: 'lineinfile',
  summary: 'make sure one line is in a file (or every matching line is not), as Ansible edits it',
  schema: {
    type: 'object',
    properties: {
      ...editProperties,
      ...placementProperties,
      regexp: { type: 'string' },
      regex: { type: 'string' },
      search_string: { type: 'string' },
      line: { type: 'string' },
      value: { type: 'string' },
      backrefs: boolSchema,
      firstmatch: boolSchema,
    },
    ...pathRequired,
    additionalProperties: false,
  },
  argProblems,
  plan(written, state): Plan {
    const c = compile(written);
    const readable = readEditable(c.path, state);
    if ('fail' in readable) return { kind: 'fail', message: readable.fail };
    // Ansible returns the backup's name, which only the run knows; without a backup, ''.
    const backupResult = ansibleBool(written.backup) ? {} : { backup: '' };
    if (readable.text === null) {
      if (!c.present) return { kind: 'noop', reason: `${c.path}: file not present`, result: { msg: 'file not present' } };
      if (!c.create) return { kind: 'fail', message: `Destination ${c.path} does not exist !` };
    }
    const lines = readLines(toBytes(readable.text ?? ''));
    const edit = c.present ? linePresent(lines, { ...c.edit, line: c.edit.line! }) : lineAbsent(lines, c.edit);
    const extra = edit.found === undefined ? backupResult : { ...backupResult, found: edit.found };
    return planEdit(readable, edit.changed ? fromBytes(edit.lines.join('')) : null, edit.msg, written, extra);
  },
};
