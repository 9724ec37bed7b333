/**
 * What Ansible's YAML constructor (ansible/parsing/yaml/constructor.py, on PyYAML's SafeConstructor)
 * does beyond typing scalars, applied to the parsed document itself so that the readers that walk
 * nodes (inventories, playbooks, keeping positions) and those that take plain values agree:
 *   - merge keys (`<<: *base`, `<<: [*a, *b]`) are expanded where they stand, as PyYAML's
 *     flatten_mapping does: the mapping's own keys win, then the earlier merged mapping;
 *   - `!unsafe` strings (also inside an `!unsafe` list or mapping) are never templated;
 *   - `!vault` values are decrypted with the command's vault secrets (vault/vault-keyring.ts);
 *     any other local tag is refused, as Ansible's loader refuses it ("could not determine a
 *     constructor").
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from './errors.ts';
import { unsafeText } from './templating-unsafe.ts';
import { decryptVault, VaultProblem } from './vault/vault-keyring.ts';

export interface NodeProblem {
  offset: number;
  problem: Omit<Problem, 'pos'>;
}

const VAULT_TAGS = ['!vault', '!vault-encrypted'];

export function applyAnsibleConstructors(doc: Document.Parsed): NodeProblem[] {
  const problems: NodeProblem[] = [];
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? '';
    if (tag === '!unsafe') continue;
    if (VAULT_TAGS.includes(tag)) continue;
    problems.push({
      offset: w.pos[0],
      problem: { message: `unknown YAML tag ${tag}`, hint: 'Ansible knows !unsafe and !vault besides the standard !! tags: remove the tag or quote the value' },
    });
  }
  visit(doc, {
    Node(_, node) {
      if (VAULT_TAGS.includes((node as Node).tag ?? '')) decryptNode(node as Node, problems);
    },
  });
  const flattened = new Set<YAMLMap>();
  visit(doc, {
    Map(_, map) {
      flattenMerges(doc, map, flattened, problems);
    },
  });
  const unsafe = new Set<unknown>();
  visit(doc, {
    Node(_, node) {
      if ((node as Node).tag === '!unsafe') markUnsafe(node as Node, unsafe);
    },
  });
  return problems;
}

/** A `!vault` scalar becomes its plaintext, a plain string; the tag on anything else is refused. */
function decryptNode(node: Node, problems: NodeProblem[]): void {
  const offset = node.range?.[0] ?? 0;
  if (!isScalar(node) || typeof node.value !== 'string') {
    problems.push({ offset, problem: { message: `${node.tag} goes on a string of vault text, not on this value`, hint: 'make it with ansible-vault encrypt_string' } });
    return;
  }
  try {
    node.value = decryptVault(node.value, 'this !vault value');
    node.tag = undefined;
  } catch (err) {
    if (!(err instanceof VaultProblem)) throw err;
    problems.push({ offset, problem: err.problem });
  }
}

function resolved(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || (key.type && key.type !== 'PLAIN')) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function keyId(key: unknown): string {
  return isScalar(key) ? `${typeof key.value}:${String(key.value)}` : `node:${String(key)}`;
}

function flattenMerges(doc: Document.Parsed, map: YAMLMap, done: Set<YAMLMap>, problems: NodeProblem[]): void {
  if (done.has(map)) return;
  done.add(map);
  if (!map.items.some((p) => isMergeKey(p.key))) return;
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) {
      own.push(pair);
      continue;
    }
    const value = resolved(doc, pair.value);
    const sources = isSeq(value) ? value.items.map((i) => resolved(doc, i)) : [value];
    if (!sources.every((s) => isMap(s))) {
      problems.push({
        offset: (pair.key as Node).range?.[0] ?? 0,
        problem: {
          message: 'YAML error: a merge key (<<) needs a mapping or a list of mappings',
          hint: 'a merge key (<<) takes a mapping or an alias of one (<<: *base), or a list of them; check the anchors and aliases',
        },
      });
      continue;
    }
    for (const source of sources as YAMLMap[]) {
      flattenMerges(doc, source, done, problems);
      merged.push(...source.items);
    }
  }
  const taken = new Set(own.map((p) => keyId(p.key)));
  const kept: Pair[] = [];
  for (const pair of merged) {
    const id = keyId(pair.key);
    if (taken.has(id)) continue;
    taken.add(id);
    kept.push(pair);
  }
  map.items = [...kept, ...own];
}

/** `done` keeps a scalar inside nested `!unsafe` nodes from being wrapped twice. */
function markUnsafe(node: Node, done: Set<unknown>): void {
  visit(node, {
    Scalar(_, scalar) {
      if (done.has(scalar) || typeof scalar.value !== 'string') return;
      done.add(scalar);
      scalar.value = unsafeText(scalar.value);
    },
  });
}
