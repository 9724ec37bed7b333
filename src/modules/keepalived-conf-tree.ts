/**
 * keepalived.conf read the way keepalived reads it, into a tree of statements with their
 * line:col: one statement per line (keyword and values), `!` and `#` starting a comment anywhere
 * outside double quotes, a double-quoted string one token, `{` opening the block of the statement
 * on its line (or, alone on a line, of the statement before it) and `}` closing it.
 * keepalived's preprocessor features — `include`, `$NAME=` definitions and `$NAME` uses, `@ID`
 * conditional lines, `~SEQ` sequences — are refused, not expanded: what they produce depends on
 * files and settings of the host that wrote the file.
 */
import type { Problem, SourcePos } from '../core/errors.ts';

export interface ConfToken {
  text: string;
  col: number;
  quoted: boolean;
}

export interface ConfNode {
  key: ConfToken;
  args: ConfToken[];
  line: number;
  children?: ConfNode[];
}

const PREPROCESSOR_HINT = 'lvsdr adopts a plain keepalived.conf: write out what keepalived would read (the included file, the definition\'s value, the lines for this host), then adopt that';

function tokenize(text: string, line: number, file: string, problems: Problem[]): ConfToken[] {
  const tokens: ConfToken[] = [];
  const re = /"([^"]*)"?|[{}]|[^\s{}"]+/g;
  for (const m of text.matchAll(re)) {
    const col = m.index + 1;
    if (m[0].startsWith('!') || m[0].startsWith('#')) break;
    if (m[0].startsWith('"')) {
      if (!m[0].endsWith('"') || m[0].length < 2) problems.push({ pos: { file, line, col }, message: 'a double quote is not closed on this line', hint: 'close the quoted string on the line it starts' });
      tokens.push({ text: m[1] ?? '', col, quoted: true });
      continue;
    }
    // A comment character inside a word ends the line there, as in keepalived (`auth_pass k@l!ve1` is `k@l`).
    const cut = m[0].search(/[!#]/);
    if (cut > 0) {
      tokens.push({ text: m[0].slice(0, cut), col, quoted: false });
      break;
    }
    tokens.push({ text: m[0], col, quoted: false });
  }
  return tokens;
}

/** A preprocessor use: `$NAME` anywhere, the others only where a keyword starts. */
function preprocessorProblem(t: ConfToken, isKey: boolean, line: number, file: string): Problem | undefined {
  const pos: SourcePos = { file, line, col: t.col };
  if (t.quoted) return undefined;
  if (!isKey && !t.text.startsWith('$')) return undefined;
  if (t.text === 'include') return { pos, message: "keepalived's include is not adopted", hint: PREPROCESSOR_HINT };
  if (t.text.startsWith('$')) return { pos, message: `keepalived's definition ${t.text.split('=')[0]} is not adopted`, hint: PREPROCESSOR_HINT };
  if (t.text.startsWith('@')) return { pos, message: `keepalived's conditional line ${t.text} (for one config id) is not adopted`, hint: PREPROCESSOR_HINT };
  if (t.text.startsWith('~')) return { pos, message: `keepalived's sequence ${t.text} is not adopted`, hint: PREPROCESSOR_HINT };
  return undefined;
}

/** The statements of a keepalived.conf text; problems (unbalanced braces, preprocessor lines) go to `problems`. */
export function parseConfTree(text: string, file: string, problems: Problem[]): ConfNode[] {
  const root: ConfNode[] = [];
  const stack: ConfNode[][] = [root];
  const openAt: SourcePos[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    let current: ConfNode | undefined;
    for (const t of tokenize(raw, line, file, problems)) {
      const siblings = stack[stack.length - 1];
      if (!t.quoted && t.text === '{') {
        const owner = current ?? siblings[siblings.length - 1];
        if (!owner || owner.children) {
          problems.push({ pos: { file, line, col: t.col }, message: "'{' opens no block: no keyword before it", hint: 'put the keyword the block belongs to before the brace' });
        }
        const children: ConfNode[] = [];
        if (owner && !owner.children) owner.children = children;
        stack.push(children);
        openAt.push({ file, line, col: t.col });
        current = undefined;
      } else if (!t.quoted && t.text === '}') {
        if (stack.length === 1) problems.push({ pos: { file, line, col: t.col }, message: "'}' closes no block", hint: 'remove it, or open the block it closes' });
        else {
          stack.pop();
          openAt.pop();
        }
        current = undefined;
      } else {
        const problem = preprocessorProblem(t, current === undefined, line, file);
        if (problem) problems.push(problem);
        // A preprocessor line is skipped whole; a `$NAME` value stays, so the statement is not also short of a value.
        if (problem && current === undefined) return;
        if (current) current.args.push(t);
        else {
          current = { key: t, args: [], line };
          siblings.push(current);
        }
      }
    }
  });
  for (const pos of openAt) problems.push({ pos, message: "this '{' is never closed", hint: "add the missing '}'" });
  return root;
}
