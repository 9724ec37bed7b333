/**
 * `-e/--extra-vars` values, as ansible-playbook reads them: `k=v k2='a b'` (parse_kv; values are strings),
 * inline JSON or YAML (`{"vip": "198.18.0.100"}`), or `@file.yml` / `@file.json`. Later `-e` values
 * replace earlier ones key by key. Inline values are positioned as `-e #N:1:COL`.
 */
import { relative, resolve } from 'node:path';
import { isMap } from 'yaml';
import { accessVarProblems } from './access-vars.ts';
import { UserError, type Problem, type SourcePos } from './errors.ts';
import { FreeFormError, parseFreeForm, type FreeFormArgs } from './playbook/free-form.ts';
import { loadYamlFile, parseYamlSource, type YamlSource } from './yaml-source.ts';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseExtraVars(values: readonly string[], cwd: string = process.cwd()): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const problems: Problem[] = [];
  values.forEach((value, i) => {
    const label = `-e #${i + 1}`;
    try {
      const vars = parseOne(value, label, cwd);
      problems.push(...accessVarProblems(vars, () => at(label, 1)));
      Object.assign(result, vars);
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

/**
 * `k=v k2="a b"`, read as ansible-playbook reads it: with parse_kv (free-form.ts), so quotes are
 * removed only around a whole value (`a=x"y z"` is `x"y z"`) and escapes such as `\n` are decoded;
 * values are strings. A word without `=` would be Ansible's `_raw_params` variable, surely a
 * mistake, so it is refused.
 */
function parseKeyValues(text: string, label: string): Record<string, unknown> {
  let parsed: FreeFormArgs;
  try {
    parsed = parseFreeForm(text.trim(), false);
  } catch (err) {
    if (!(err instanceof FreeFormError)) throw err;
    const quote = openQuote(text);
    const message = quote ? `unterminated ${text[quote - 1]} quote` : err.message;
    throw new UserError({ pos: at(label, quote ?? 1), message, hint: 'close the quote or the {{ }}, or quote the whole -e value for your shell' });
  }
  const problems: Problem[] = [];
  const col = (word: string) => Math.max(0, text.indexOf(word)) + 1;
  if (parsed.raw !== undefined) {
    problems.push({ pos: at(label, col(parsed.raw.split(' ')[0])), message: `expected key=value, got ${JSON.stringify(parsed.raw)}`, hint: 'write -e key=value (quote values with spaces), or JSON: -e \'{"key": "value"}\'' });
  }
  for (const key of Object.keys(parsed.options)) {
    if (!KEY.test(key)) problems.push({ pos: at(label, col(key)), message: `invalid variable name ${JSON.stringify(key)}`, hint: 'variable names are letters, digits and _, not starting with a digit' });
  }
  if (problems.length > 0) throw new UserError(problems);
  return parsed.options;
}

/** The column of a quote the text leaves open (one after a backslash does not count), if any. */
function openQuote(text: string): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c !== '"' && c !== "'") || text[i - 1] === '\\') continue;
    if (open === undefined) open = i;
    else if (text[open] === c) open = undefined;
  }
  return open === undefined ? undefined : open + 1;
}
