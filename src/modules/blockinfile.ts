/**
 * blockinfile: a block of lines between two marker lines, inserted, replaced or removed, with
 * Ansible's arguments and edit (ansible/modules/blockinfile.py), on the file's bytes as there.
 */
import { ansibleBool, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { compileProblems, editProperties, placementProperties, pathAliasProblems, pathRequired, PATH_ALIASES, planEdit, readEditable, regexArg, templateArg, validateProblems, type EditArgs } from './file-edit.ts';
import { expandPyTemplate, fromBytes, pyRegExp, toBytes, translatePyRegex, type PyRegex } from './python-regex.ts';
import type { ModuleDef, Plan } from './types.ts';

export interface BlockinfileArgs extends EditArgs {
  state?: 'present' | 'absent';
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  block?: string;
  content?: string;
  insertafter?: string;
  insertbefore?: string;
  create?: AnsibleBool;
}

const ALIASES = { ...PATH_ALIASES, content: 'block' };

export interface BlockEdit {
  present: boolean;
  /** The whole marker lines, bytes, with their newline. */
  begin: string;
  end: string;
  block: string;
  insertafter?: PyRegex | 'EOF';
  insertbefore?: PyRegex | 'BOF';
}

/** Python's bytes.splitlines(True): lines end after `\n`, `\r` or `\r\n`, which they keep. */
const splitLines = (bytes: string): string[] => bytes.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

/** The file's bytes after the edit (null: no file before). */
export function editBlock(original: string | null, e: BlockEdit): { text: string; msg: string } {
  const lines = original === null ? [] : splitLines(original);
  let blockLines: string[] = [];
  if (e.present && e.block) {
    const block = e.block.endsWith('\n') ? e.block : `${e.block}\n`;
    blockLines = [e.begin, ...splitLines(block), e.end];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  for (const [i, l] of lines.entries()) {
    if (l === e.begin) n0 = i;
    if (l === e.end) n1 = i;
  }
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    const re = typeof e.insertafter === 'object' ? e.insertafter : typeof e.insertbefore === 'object' ? e.insertbefore : undefined;
    if (re) {
      const r = pyRegExp(re);
      for (const [i, l] of lines.entries()) if (r.exec(l)) n0 = i;
      if (n0 === undefined) n0 = lines.length;
      else if (e.insertafter !== undefined) n0 += 1;
    } else if (e.insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blockLines);
  const text = lines.join('');
  const msg = original === text ? '' : original === null ? 'File created' : blockLines.length === 0 ? 'Block removed' : 'Block inserted';
  return { text, msg };
}

function compile(written: BlockinfileArgs): { path: string; create: boolean; edit: BlockEdit } {
  const a = withoutAliases(written, ALIASES);
  const regex = (arg: string, text: string) => regexArg(arg, text, 'bytes');
  // The marker's {mark} is replaced with re.sub, so marker_begin and marker_end are read as templates.
  const noGroups = translatePyRegex('', 'bytes');
  const mark = (arg: string, word: string): string => {
    const filled = expandPyTemplate(templateArg(arg, toBytes(word), noGroups, 'the word put in the marker'), [] as unknown as RegExpExecArray);
    return `${toBytes(a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK').split('{mark}').join(filled)}\n`;
  };
  const hasNeither = a.insertafter === undefined && a.insertbefore === undefined;
  return {
    path: a.path!,
    create: ansibleBool(a.create) ?? false,
    edit: {
      present: (a.state ?? 'present') === 'present',
      begin: mark('marker_begin', a.marker_begin ?? 'BEGIN'),
      end: mark('marker_end', a.marker_end ?? 'END'),
      block: toBytes(a.block ?? ''),
      insertafter: hasNeither || a.insertafter === 'EOF' ? 'EOF' : a.insertafter === undefined ? undefined : regex('insertafter', a.insertafter),
      insertbefore: a.insertbefore === undefined ? undefined : a.insertbefore === 'BOF' ? 'BOF' : regex('insertbefore', a.insertbefore),
    },
  };
}

function argProblems(written: BlockinfileArgs): { path: string; message: string }[] {
  const problems = [...pathAliasProblems(written), ...validateProblems(written)];
  if (written.insertafter !== undefined && written.insertbefore !== undefined) problems.push({ path: '/insertbefore', message: 'parameters are mutually exclusive: insertbefore|insertafter' });
  return [...problems, ...compileProblems(() => compile(written), written, ALIASES)];
}

export const blockinfileModule: ModuleDef<BlockinfileArgs> = {
  name: 'blockinfile',
  summary: 'a block of lines between marker lines in a file, inserted, replaced or removed as Ansible does',
  schema: {
    type: 'object',
    properties: {
      ...editProperties,
      ...placementProperties,
      marker: { type: 'string' },
      marker_begin: { type: 'string' },
      marker_end: { type: 'string' },
      block: { type: 'string' },
      content: { type: 'string' },
    },
    ...pathRequired,
    additionalProperties: false,
  },
  argProblems,
  plan(written, state): Plan {
    const c = compile(written);
    const readable = readEditable(c.path, state);
    if ('fail' in readable) return { kind: 'fail', message: readable.fail };
    if (readable.text === null) {
      if (!c.create) return { kind: 'fail', message: `Path ${c.path} does not exist !` };
      if (!c.edit.present) return { kind: 'noop', reason: `File ${c.path} not present`, result: { msg: `File ${c.path} not present` } };
    }
    const original = readable.text === null ? null : toBytes(readable.text);
    const { text, msg } = editBlock(original, c.edit);
    return planEdit(readable, text === original ? null : fromBytes(text), msg, written);
  },
};
