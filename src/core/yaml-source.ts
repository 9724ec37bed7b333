/**
 * YAML files loaded with their source positions kept, so every problem found later (schema,
 * unknown module, undefined variable) can point at `file:line:col`.
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { UserError, type Problem, type SourcePos } from './errors.ts';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  /** The position where a node starts; the file's start for nodes without a range. */
  posOf(node: unknown): SourcePos;
  /** Position of an offset in the file. */
  posAt(offset: number): SourcePos;
}

/** Parses YAML text; syntax errors (all of them) become one UserError with positions. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // YAML 1.1, as Ansible reads it: `enabled: no` is false and `mode: 0644` is octal.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.1' });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const problems: Problem[] = doc.errors.map((e) => ({
    pos: posAt(e.pos[0]),
    message: `YAML syntax error: ${e.message.split('\n')[0]}`,
    hint: 'fix the YAML syntax (indentation, quoting, a missing colon)',
  }));
  if (problems.length > 0) throw new UserError(problems);
  const valueProblem = valueError(doc);
  if (valueProblem) throw new UserError({ pos: posAt(valueProblem.offset), message: `YAML error: ${valueProblem.message}`, hint: valueProblem.hint });
  return {
    file,
    doc,
    posAt,
    posOf(node: unknown): SourcePos {
      if (isNode(node) && (node as Node).range) return posAt((node as Node).range![0]);
      return { file, line: 1, col: 1 };
    },
  };
}

/** Reads and parses a YAML file; a missing or unreadable file is a UserError naming it. */
export function loadYamlFile(file: string, referencedFrom?: SourcePos): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError({
      pos: referencedFrom,
      message: code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(err as Error).message}`,
      hint: 'check the path (relative paths are resolved from the referencing file or the current directory)',
    });
  }
  return parseYamlSource(file, text);
}

/**
 * What parses but cannot become a value: a merge key (`<<: *x`) whose source is not a mapping, or
 * aliases past the library's limit (an alias bomb). The library throws those while converting;
 * they are the user's to fix, at the merge key when there is one.
 */
function valueError(doc: Document.Parsed): { offset: number; message: string; hint: string } | undefined {
  try {
    doc.toJS();
    return undefined;
  } catch (err) {
    let offset = 0;
    visit(doc, {
      Pair(_, pair) {
        // The 1.1 schema turns a plain `<<` key into a symbol.
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (key !== '<<' && !(typeof key === 'symbol' && key.description === '<<')) return undefined;
        const source = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
        const mergeable = isMap(source) || (isSeq(source) && source.items.every((i) => isMap(isAlias(i) ? i.resolve(doc) : i)));
        if (mergeable) return undefined;
        offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        return visit.BREAK;
      },
    });
    return { offset, message: (err as Error).message, hint: 'a merge key (<<) takes a mapping or an alias of one; check the anchors and aliases' };
  }
}
