/**
 * `-e/--extra-vars` values, as ansible-playbook reads them: `k=v k2='a b'` (values are strings),
 * inline JSON or YAML (`{"vip": "198.18.0.100"}`), or `@file.yml` / `@file.json`. Later `-e` values
 * replace earlier ones key by key. Inline values are positioned as `-e #N:1:COL`.
 */
import { relative, resolve } from 'node:path';
import { isMap } from 'yaml';
import { UserError, type Problem, type SourcePos } from './errors.ts';
import { loadYamlFile, parseYamlSource, type YamlSource } from './yaml-source.ts';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseExtraVars(values: readonly string[], cwd: string = process.cwd()): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const problems: Problem[] = [];
  values.forEach((value, i) => {
    const label = `-e #${i + 1}`;
    try {
      Object.assign(result, parseOne(value, label, cwd));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(...err.problems);
    }
  });
  if (problems.length > 0) throw new UserError(problems);
  return result;
}

function parseOne(value: string, label: string, cwd: string): Record<string, unknown> {
  const trimmed = value.trim();
  if (trimmed.startsWith('@')) {
    const file = trimmed.slice(1);
    if (!file) throw new UserError({ pos: at(label, 1), message: "'@' must be followed by a file name", hint: 'write -e @vars.yml' });
    return mappingOf(loadYamlFile(relative(process.cwd(), resolve(cwd, file)), at(label, 2)), 'the extra-vars file');
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return mappingOf(parseYamlSource(label, value), 'inline extra vars');
  if (trimmed === '') throw new UserError({ pos: at(label, 1), message: 'empty extra vars', hint: 'write -e key=value, -e \'{"key": "value"}\' or -e @vars.yml' });
  return parseKeyValues(value, label);
}

function at(label: string, col: number): SourcePos {
  return { file: label, line: 1, col };
}

function mappingOf(src: YamlSource, what: string): Record<string, unknown> {
  const contents = src.doc.contents;
  if (contents === null) return {};
  if (!isMap(contents)) {
    throw new UserError({ pos: src.posOf(contents), message: `${what} must be a mapping of names to values`, hint: 'write key: value pairs, e.g. {"vip": "198.18.0.100"}' });
  }
  const problems: Problem[] = [];
  for (const pair of contents.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || !KEY.test(key)) {
      problems.push({ pos: src.posOf(pair.key), message: `invalid variable name ${JSON.stringify(key)}`, hint: 'variable names are letters, digits and _, not starting with a digit' });
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return (src.doc.toJS() ?? {}) as Record<string, unknown>;
}

/** `k=v k2="a b"`: words split on blanks outside quotes; every word is `name=value`; values are strings. */
function parseKeyValues(text: string, label: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const word of splitWords(text, label)) {
    const eq = word.raw.indexOf('=');
    if (eq <= 0) {
      problems.push({ pos: at(label, word.col), message: `expected key=value, got ${JSON.stringify(word.text)}`, hint: 'write -e key=value (quote values with spaces), or JSON: -e \'{"key": "value"}\'' });
      continue;
    }
    const key = word.raw.slice(0, eq);
    if (!KEY.test(key)) {
      problems.push({ pos: at(label, word.col), message: `invalid variable name ${JSON.stringify(key)}`, hint: 'variable names are letters, digits and _, not starting with a digit' });
      continue;
    }
    result[key] = word.text.slice(word.text.indexOf('=') + 1);
  }
  if (problems.length > 0) throw new UserError(problems);
  return result;
}

interface Word {
  /** The word with quotes removed. */
  text: string;
  /** As written, for finding the `=` outside quotes. */
  raw: string;
  col: number;
}

function splitWords(text: string, label: string): Word[] {
  const words: Word[] = [];
  let cur: Word | undefined;
  let quote: string | undefined;
  let quoteCol = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quote && /\s/.test(c)) {
      if (cur) words.push(cur);
      cur = undefined;
      continue;
    }
    cur ??= { text: '', raw: '', col: i + 1 };
    cur.raw += c;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur.text += text[++i];
      else cur.text += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteCol = i + 1;
    } else {
      cur.text += c;
    }
  }
  if (quote) throw new UserError({ pos: at(label, quoteCol), message: `unterminated ${quote} quote`, hint: 'close the quote, or quote the whole -e value for your shell' });
  if (cur) words.push(cur);
  return words;
}
