/**
 * YAML files loaded with their source positions kept, so every problem found later (schema,
 * unknown module, undefined variable) can point at `file:line:col`.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document, type Node } from 'yaml';
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
