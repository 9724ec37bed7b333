/** Reading YAML mappings node by node, so every key and value keeps its source position. */
import { isAlias, isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import type { Problem, SourcePos } from '../errors.ts';
import type { YamlSource } from '../yaml-source.ts';
import type { VarPositions } from './connection-vars.ts';

export interface MapEntry {
  key: string;
  keyPos: SourcePos;
  /** The value node (aliases resolved); null for an empty value. */
  value: Node | null;
  valuePos: SourcePos;
}

/** Follows an alias (`*anchor`) to the node it names. */
export function resolveNode(src: YamlSource, node: unknown): Node | null {
  let n = node;
  while (isAlias(n)) n = n.resolve(src.doc);
  return isNode(n) ? n : null;
}

/** True for a missing value or an explicit `~`/`null`, which Ansible reads as "nothing here". */
export function isEmptyValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** A short description of what a node is, for "found …" in messages. */
export function describeNode(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) return `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an unexpected YAML node';
}

/** The entries of a mapping node; non-scalar keys are problems and are skipped. */
export function mapEntries(src: YamlSource, node: Node, problems: Problem[]): MapEntry[] {
  if (!isMap(node)) return [];
  const entries: MapEntry[] = [];
  for (const pair of node.items) {
    const keyNode = resolveNode(src, pair.key);
    const keyPos = src.posOf(pair.key);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      problems.push({ pos: keyPos, message: `a key here is ${describeNode(keyNode)}`, hint: 'use a plain name as the key' });
      continue;
    }
    const value = resolveNode(src, pair.value);
    entries.push({
      key: String(keyNode.value),
      keyPos,
      value,
      valuePos: pair.value ? src.posOf(pair.value) : keyPos,
    });
  }
  return entries;
}

/** A `vars`-like mapping as plain values, with where each value was written. */
export function readVars(
  src: YamlSource,
  node: Node,
  problems: Problem[],
): { vars: Record<string, unknown>; positions: VarPositions } {
  const vars: Record<string, unknown> = {};
  const positions: VarPositions = new Map();
  for (const e of mapEntries(src, node, problems)) {
    vars[e.key] = e.value === null ? null : e.value.toJS(src.doc);
    positions.set(e.key, e.valuePos);
  }
  return { vars, positions };
}
