/**
 * Ansible's INI inventory format, read into the same draft as the YAML one and with the semantics of
 * Ansible's ini plugin: lines before any section are ungrouped hosts; `[g]` lists hosts with
 * `key=value` vars (split like a POSIX shell line, values read as Python literals); `[g:vars]` holds
 * `key = value` lines; `[g:children]` names child groups, which must be declared by a section of
 * their own somewhere in the file; `#` and `;` start comment lines.
 */
import { closestName, type Problem, type SourcePos } from '../errors.ts';
import { normaliseConnectionVars, type VarPositions } from './connection-vars.ts';
import type { InventoryDraft } from './draft.ts';
import { expandHostRange, HostRangeError, splitHostPort } from './host-range.ts';
import { checkGroupName, checkHostName } from './names.ts';
import { pythonLiteral } from './python-literal.ts';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function readIniInventory(file: string, text: string, draft: InventoryDraft, problems: Problem[]): void {
  let group = 'ungrouped';
  let state = 'hosts';
  /** Groups named in [x:children] or [x:vars] before any section declared them. */
  const pending = new Map<string, SourcePos>();
  const declared = new Set(draft.groups.keys());
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const at = (offset = 0): SourcePos => ({ file, line: n + 1, col: raw.indexOf(line) + offset + 1 });
    const section = SECTION.exec(line);
    if (section) {
      [group, state] = [section[1], section[2] ?? 'hosts'];
      if (!['hosts', 'vars', 'children'].includes(state)) {
        const near = closestName(state, ['vars', 'children']);
        problems.push({
          pos: at(),
          message: `section [${group}:${state}] has an unknown type "${state}"`,
          hint: near ? `did you mean [${group}:${near}]?` : `use [${group}], [${group}:vars] or [${group}:children]`,
        });
        state = 'skip';
      } else if (checkGroupName(group, at(1), problems)) {
        draft.group(group, at(1));
        if (state !== 'vars') {
          declared.add(group);
          pending.delete(group);
        } else if (!declared.has(group) && !pending.has(group)) {
          pending.set(group, at(1));
        }
      } else {
        state = 'skip';
      }
      continue;
    }
    if (line.startsWith('[')) {
      problems.push({ pos: at(), message: `invalid section header ${line}`, hint: 'write a section as [group], [group:vars] or [group:children], with no spaces' });
      state = 'skip';
      continue;
    }
    if (line.endsWith(':') && state !== 'vars') {
      problems.push({ pos: at(), message: `"${line}" looks like YAML, but this file is read as an INI inventory`, hint: 'give a YAML inventory a .yml or .yaml extension' });
      continue;
    }
    if (state === 'hosts') readHostLine(line, at, group, draft, problems);
    else if (state === 'vars') readVarLine(line, at, group, draft, problems);
    else if (state === 'children') {
      const m = GROUP_LINE.exec(line);
      if (!m) {
        problems.push({ pos: at(), message: `expected a group name in [${group}:children], found "${line}"`, hint: 'list one child group name per line' });
      } else if (checkGroupName(m[1], at(), problems)) {
        draft.addChild(group, m[1], at());
        if (!declared.has(m[1]) && !pending.has(m[1])) pending.set(m[1], at());
      }
    }
  }
  for (const [name, pos] of pending) {
    problems.push({
      pos,
      message: `group "${name}" is used here but has no [${name}] or [${name}:children] section`,
      hint: `add a [${name}] section (it may be empty), or check the spelling`,
    });
  }
}

function readHostLine(line: string, at: (offset?: number) => SourcePos, group: string, draft: InventoryDraft, problems: Problem[]): void {
  let tokens: { text: string; start: number }[];
  try {
    tokens = shellWords(line);
  } catch (err) {
    problems.push({ pos: at(), message: (err as Error).message, hint: 'close the quote, or quote the value with the other kind of quote' });
    return;
  }
  if (tokens.length === 0) return;
  const [first, ...rest] = tokens;
  const vars: Record<string, unknown> = {};
  const positions: VarPositions = new Map();
  let ok = true;
  for (const t of rest) {
    const eq = t.text.indexOf('=');
    if (eq <= 0) {
      problems.push({ pos: at(t.start), message: `expected key=value after the host name, found "${t.text}"`, hint: 'write host vars as name=value, with no spaces around =' });
      ok = false;
      continue;
    }
    vars[t.text.slice(0, eq)] = pythonLiteral(t.text.slice(eq + 1));
    positions.set(t.text.slice(0, eq), at(t.start + eq + 1));
  }
  const { pattern, port } = splitHostPort(first.text);
  let names: string[];
  try {
    names = expandHostRange(pattern);
  } catch (err) {
    if (!(err instanceof HostRangeError)) throw err;
    problems.push({ pos: at(first.start), message: err.message, hint: err.hint });
    return;
  }
  if (!names.every((n) => checkHostName(n, first.text, at(first.start), problems)) || !ok) return;
  if (port !== undefined && !positions.has('ansible_port')) positions.set('ansible_port', at(first.start));
  const placeVars = normaliseConnectionVars(port === undefined ? vars : { ansible_port: port, ...vars }, positions, problems);
  for (const name of names) {
    Object.assign(draft.host(name, at(first.start)).vars, placeVars);
    draft.addHostToGroup(group, name);
  }
}

function readVarLine(line: string, at: (offset?: number) => SourcePos, group: string, draft: InventoryDraft, problems: Problem[]): void {
  const eq = line.indexOf('=');
  const key = eq > 0 ? line.slice(0, eq).trim() : '';
  if (key === '') {
    problems.push({ pos: at(), message: `expected key=value in [${group}:vars], found "${line}"`, hint: 'write one variable per line as name=value' });
    return;
  }
  const valueText = line.slice(eq + 1).trim();
  const positions: VarPositions = new Map([[key, at(line.indexOf(valueText, eq + 1))]]);
  Object.assign(draft.group(group).vars, normaliseConnectionVars({ [key]: pythonLiteral(valueText) }, positions, problems));
}

/** Splits a line the way Python's shlex.split(line, comments=True) does, keeping where words start. */
function shellWords(line: string): { text: string; start: number }[] {
  const words: { text: string; start: number }[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i]) && line[i] !== '#') {
      const c = line[i];
      if (c === "'" || c === '"') {
        const close = findClosingQuote(line, i);
        const body = line.slice(i + 1, close);
        text += c === '"' ? body.replace(/\\([\\"$`])/g, '$1') : body;
        i = close + 1;
      } else if (c === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, start });
    if (line[i] === '#') break;
  }
  return words;
}

function findClosingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let i = open + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  throw new Error(`unclosed ${quote === '"' ? 'double' : 'single'} quote in "${line}"`);
}
