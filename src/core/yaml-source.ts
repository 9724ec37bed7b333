/**
 * YAML files loaded with their source positions kept, so every problem found later (schema,
 * unknown module, undefined variable) can point at `file:line:col`.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UserError, type Problem, type SourcePos } from './errors.ts';
import { applyAnsibleConstructors } from './yaml-ansible-nodes.ts';
import { isVaultText } from './vault/vault-cipher.ts';
import { decryptVault, VaultProblem } from './vault/vault-keyring.ts';
import { pyyamlTags } from './yaml-pyyaml-tags.ts';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  /** The position where a node starts; the file's start for nodes without a range. */
  posOf(node: unknown): SourcePos;
  /** Position of an offset in the file. */
  posAt(offset: number): SourcePos;
}

/**
 * Parses YAML text as Ansible's loader does (ansible/parsing/utils/yaml.py from_yaml): text that is
 * valid JSON is read as JSON (so `{"n": 1e3}` is a number there), anything else as YAML 1.1 with
 * PyYAML's scalar types and Ansible's tags. A vault-encrypted file is decrypted first. Syntax errors (all
 * of them) become one UserError with positions.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  if (isVaultText(text)) text = decryptedFile(file, text);
  const doc = isJson(text)
    ? parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: '1.2', schema: 'json' })
    : parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, ...PYYAML_OPTIONS });
  const problems: Problem[] = doc.errors.map((e) => ({
    pos: posAt(e.pos[0]),
    message: e.code === 'TAG_RESOLVE_FAILED' ? `YAML error: ${e.message.split(' at line ')[0]}` : `YAML syntax error: ${e.message.split('\n')[0]}`,
    hint: e.code === 'TAG_RESOLVE_FAILED' ? 'quote the value to make it a string' : 'fix the YAML syntax (indentation, quoting, a missing colon)',
  }));
  if (problems.length > 0) throw new UserError(problems);
  const nodeProblems = applyAnsibleConstructors(doc);
  if (nodeProblems.length > 0) throw new UserError(nodeProblems.map((p) => ({ pos: posAt(p.offset), ...p.problem })));
  const valueProblem = valueError(doc);
  if (valueProblem) throw new UserError({ pos: posAt(0), message: `YAML error: ${valueProblem}`, hint: 'check the anchors and aliases' });
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

/** YAML 1.1 with PyYAML's scalar types: also what the from_yaml filter parses with (yaml.safe_load). */
export const PYYAML_OPTIONS = { version: '1.1', customTags: pyyamlTags } as const;

/** A vault-encrypted file's plaintext (positions then point into the plaintext, as in Ansible). */
function decryptedFile(file: string, text: string): string {
  try {
    return decryptVault(text, 'this file');
  } catch (err) {
    if (err instanceof VaultProblem) throw new UserError({ pos: { file, line: 1, col: 1 }, ...err.problem });
    throw err;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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

/** What parses but cannot become a value: aliases past the library's limit (an alias bomb). */
function valueError(doc: Document.Parsed): string | undefined {
  try {
    doc.toJS();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
