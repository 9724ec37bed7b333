/**
 * lineinfile's edit, pure: the file's lines in, the lines out, exactly as Ansible's present() and
 * absent() (ansible/modules/lineinfile.py) compute them. Everything here is bytes, one latin1
 * character a byte (python-regex.ts), as Ansible reads the file (`readlines()` on bytes) and
 * compiles the patterns.
 */
import { expandPyTemplate, pyRegExp, type PyRegex } from './python-regex.ts';

export interface LineEditArgs {
  /** Compiled `regexp`, in bytes mode. */
  regexp?: PyRegex;
  searchString?: string;
  line?: string;
  /** A pattern, or 'EOF'/'BOF'; undefined with insertbefore given. */
  insertafter?: PyRegex | 'EOF' | 'BOF';
  insertbefore?: PyRegex | 'BOF';
  /** The `line` parsed as a template (parsePyTemplate), for backrefs. */
  backrefs?: Parameters<typeof expandPyTemplate>[0];
  firstmatch?: boolean;
}

export interface LineEditResult {
  lines: string[];
  changed: boolean;
  msg: string;
  /** state=absent: how many lines were removed. */
  found?: number;
}

/** Python's readlines() on bytes: lines split after each `\n`, which each keeps. */
export function readLines(bytes: string): string[] {
  return bytes.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const rstripEol = (l: string): string => l.replace(/[\r\n]+$/, '');
const endsInEol = (l: string): boolean => l.endsWith('\n') || l.endsWith('\r');

/** present(): the line in place of the last (first, with firstmatch) match, or inserted. */
export function linePresent(input: readonly string[], a: LineEditArgs & { line: string }): LineEditResult {
  const lines = [...input];
  const re = a.regexp ? pyRegExp(a.regexp) : undefined;
  const ins = typeof a.insertafter === 'object' ? pyRegExp(a.insertafter) : typeof a.insertbefore === 'object' ? pyRegExp(a.insertbefore) : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | undefined;

  if (re) {
    for (const [n, l] of lines.entries()) {
      const m = re.exec(l);
      if (m) {
        index[0] = n;
        match = m;
        if (a.firstmatch) break;
      }
    }
  }
  if (a.searchString !== undefined) {
    for (const [n, l] of lines.entries()) {
      if (l.includes(a.searchString)) {
        index[0] = n;
        match = true;
        if (a.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (const [n, l] of lines.entries()) {
      if (a.line === rstripEol(l)) {
        index[0] = n;
      } else if (ins && ins.exec(l)) {
        if (a.insertafter) {
          index[1] = n + 1;
          if (a.firstmatch) break;
        }
        if (a.insertbefore) {
          index[1] = n;
          if (a.firstmatch) break;
        }
      }
    }
  }

  const added = (at: number): LineEditResult => {
    lines.splice(at, 0, `${a.line}\n`);
    return { lines, changed: true, msg: 'line added' };
  };
  const unchanged: LineEditResult = { lines, changed: false, msg: '' };

  if (index[0] !== -1) {
    let newLine = a.backrefs && typeof match === 'object' ? expandPyTemplate(a.backrefs, match) : a.line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      return { lines, changed: true, msg: 'line replaced' };
    }
    return unchanged;
  }
  if (a.backrefs) return unchanged;
  if (a.insertbefore === 'BOF' || a.insertafter === 'BOF') return added(0);
  if (a.insertafter === 'EOF' || index[1] === -1) {
    if (lines.length > 0 && !endsInEol(lines[lines.length - 1])) lines.push('\n');
    return added(lines.length);
  }
  if (a.insertafter && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (rstripEol(lines[index[1] - 1]) !== a.line) return added(lines.length);
      return unchanged;
    }
    if (a.line !== rstripEol(lines[index[1]])) return added(index[1]);
    return unchanged;
  }
  return added(index[1]);
}

/** absent(): every line the regexp, the search string or (else) the exact line matches, removed. */
export function lineAbsent(input: readonly string[], a: LineEditArgs): LineEditResult {
  const re = a.regexp ? pyRegExp(a.regexp) : undefined;
  const matches = (l: string): boolean => {
    if (re) return re.exec(l) !== null;
    if (a.searchString !== undefined) return l.includes(a.searchString);
    return a.line === rstripEol(l);
  };
  const lines = input.filter((l) => !matches(l));
  const found = input.length - lines.length;
  return { lines, changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
