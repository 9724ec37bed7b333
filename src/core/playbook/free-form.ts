/**
 * A module's arguments written as one string (`copy: src=a dest=b`, `shell: echo hi > f creates=f`),
 * read with the meaning of Ansible's `parse_kv` (ansible/parsing/splitter.py), which
 * ModuleArgsParser calls on such strings before anything is templated:
 *   - the text is split on spaces and newlines, except inside quotes and inside `{{ }}`, `{% %}`,
 *     `{# #}` (split_args); a lone `\` at a line's end joins the lines;
 *   - a word with an `=` (not `\=`, not at its start) is `key=value`, its value with escapes decoded
 *     and one pair of surrounding quotes removed; any other word is free-form text (`_raw_params`),
 *     kept as written and joined back with single spaces;
 *   - for the modules that take free-form text (command, shell: check_raw), only their own option
 *     names are pulled out of the text; any other `key=value` stays part of the command.
 */

/** The options parse_kv pulls out of a command or shell line (splitter.py, check_raw). */
export const RAW_COMMAND_OPTIONS = ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'];

export class FreeFormError extends Error {}

export interface FreeFormArgs {
  options: Record<string, string>;
  /** The free-form text, when there is any. */
  raw?: string;
}

export function parseFreeForm(text: string, checkRaw: boolean): FreeFormArgs {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const word of splitArgs(text)) {
    const decoded = decodeEscapes(word);
    const eq = firstUnescapedEquals(decoded);
    if (!decoded.includes('=')) {
      raw.push(word);
    } else if (eq === undefined) {
      raw.push(decoded.replace(/\\=/g, '='));
    } else {
      const key = decoded.slice(0, eq);
      if (checkRaw && !RAW_COMMAND_OPTIONS.includes(key)) raw.push(word);
      else options[key.trim()] = unquote(decoded.slice(eq + 1).trim());
    }
  }
  return raw.length > 0 ? { options, raw: joinArgs(raw) } : { options };
}

/** The first `=` after the first character that no backslash escapes. */
function firstUnescapedEquals(word: string): number | undefined {
  for (let i = 1; i < word.length; i++) if (word[i] === '=' && word[i - 1] !== '\\') return i;
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Python string escapes in a word (`\n`, `\t`, `\x41`, `\u00e9`, `\U0001f600`), as _decode_escapes. */
function decodeEscapes(word: string): string {
  return word.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (_, e: string) =>
    e.length === 1 ? SIMPLE_ESCAPES[e] : String.fromCodePoint(parseInt(e.slice(1), 16)),
  );
}

function unquote(value: string): string {
  const quoted = value.length > 1 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'") && value[value.length - 2] !== '\\';
  return quoted ? value.slice(1, -1) : value;
}

function joinArgs(words: string[]): string {
  return words.reduce((out, w) => (out === '' || out.endsWith('\n') ? out + w : `${out} ${w}`), '');
}

/** The quote still open after `token`, given the one open before it (a quote after `\` does not count). */
function quoteAfter(token: string, open: string | undefined): string | undefined {
  let quote = open;
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if ((c === '"' || c === "'") && token[i - 1] !== '\\') {
      if (!quote) quote = c;
      else if (c === quote) quote = undefined;
    }
  }
  return quote;
}

function depthAfter(token: string, depth: number, open: string, close: string): number {
  const opened = token.split(open).length - 1;
  const closed = token.split(close).length - 1;
  return opened === closed ? depth : Math.max(0, depth + opened - closed);
}

const BLOCKS: [string, string][] = [['{{', '}}'], ['{%', '%}'], ['{#', '#}']];

/** Words of the text, with quoted and templated stretches kept whole, spaces and newlines in them kept. */
function splitArgs(text: string): string[] {
  const params: string[] = [];
  const last = (): number => {
    if (params.length === 0) throw new FreeFormError('cannot split the arguments: the text starts with blanks');
    return params.length - 1;
  };
  let quote: string | undefined;
  const depths = [0, 0, 0];
  const inBlock = (): boolean => depths.some((d) => d > 0);
  const lines = text.split('\n');
  lines.forEach((line, lineIndex) => {
    const tokens = line.split(' ');
    let continued = false;
    tokens.forEach((token, idx) => {
      if (token === '' && idx !== 0) {
        params[last()] += ' ';
        return;
      }
      if (token === '\\' && !quote) {
        continued = true;
        return;
      }
      const wasQuoted = quote !== undefined;
      quote = quoteAfter(token, quote);
      let appended = false;
      if (quote && !wasQuoted && !inBlock()) {
        params.push(token);
        appended = true;
      } else if (inBlock() || quote || wasQuoted) {
        const i = last();
        if (idx === 0 && wasQuoted) params[i] += token;
        else if (tokens.length > 1) params[i] += `${idx > 0 ? ' ' : ''}${token}`;
        else params[i] += `\n${token}`;
        appended = true;
      }
      BLOCKS.forEach(([open, close], b) => {
        const before = depths[b];
        depths[b] = depthAfter(token, before, open, close);
        if (depths[b] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      });
      if (!inBlock() && !quote && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !continued) params[last()] += '\n';
  });
  if (inBlock() || quote) throw new FreeFormError('unbalanced quotes or {{ }} / {% %} / {# #} in the arguments');
  return params;
}
