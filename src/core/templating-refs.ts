/**
 * What a template reads, found by walking nunjucks' AST without rendering: the root variables it
 * needs, the ones it only reads where they are known to be defined, and filters or tests that do
 * not exist. Used for static checks before any host is contacted.
 */
import type { NjNode } from './templating-strict.ts';

/** `required` names must be defined; `guarded` ones are only read where `is defined` or `default` covers them. */
export interface TemplateRefs {
  required: Set<string>;
  guarded: Set<string>;
  /** Filters and tests the template uses that do not exist (found before the run, not during it). */
  unknownFilters: Set<string>;
  unknownTests: Set<string>;
  /** For a condition: names it proves defined when it holds (`x is defined and ...`). */
  proven: Set<string>;
}

export function emptyRefs(): TemplateRefs {
  return { required: new Set(), guarded: new Set(), unknownFilters: new Set(), unknownTests: new Set(), proven: new Set() };
}

/** Names a condition template (`{{ expr }}`) proves defined when it is true. */
export function provenByCondition(ast: NjNode): Set<string> {
  const output = ast.children?.length === 1 ? ast.children[0] : undefined;
  const expr = output?.typename === 'Output' && output.children?.length === 1 ? output.children[0] : undefined;
  return knownFrom(expr).whenTrue;
}

export interface NameRegistry {
  filters: Record<string, unknown>;
  tests: Record<string, unknown>;
  globals: Record<string, unknown>;
}

const DEFAULT_FILTERS = ['default', 'd'];

function testName(n: NjNode): string {
  return String(n.right?.name ? n.right.name.value : n.right?.value);
}

/** Names a template binds itself (`for x in`, `set y =`, `loop`) and globals are not variables. */
function boundNames(ast: NjNode, globals: Record<string, unknown>): Set<string> {
  const bound = new Set<string>(['loop', ...Object.keys(globals), 'True', 'False', 'None']);
  const bind = (target: unknown) => {
    const t = target as NjNode;
    if (t?.typename === 'Symbol') bound.add(String(t.value));
    for (const child of t?.children ?? []) bind(child);
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as NjNode;
    if (n.typename === 'For' || n.typename === 'AsyncEach' || n.typename === 'AsyncAll') bind(n.name);
    if (n.typename === 'Set') for (const t of (n.targets as NjNode[]) ?? []) bind(t);
    if (n.typename === 'Macro') {
      bind(n.name);
      bind(n.args);
    }
    for (const child of n.children ?? []) visit(child);
    for (const f of n.fields ?? []) visit(n[f]);
  };
  visit(ast);
  return bound;
}

/** The root variable of `x`, `x.y`, `x[0]`. */
function rootName(n: NjNode | undefined): string | undefined {
  if (n?.typename === 'Symbol') return String(n.value);
  if (n?.typename === 'LookupVal') return rootName(n.target);
  return undefined;
}

interface Known {
  /** Names known to be defined where the condition holds. */
  whenTrue: Set<string>;
  /** ... and where it does not. */
  whenFalse: Set<string>;
}

const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);
const intersection = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => b.has(x)));

/** What `x is defined`, `not`, `and`, `or` in a condition say about which names exist. */
function knownFrom(cond: unknown): Known {
  const n = cond as NjNode | undefined;
  const none: Known = { whenTrue: new Set(), whenFalse: new Set() };
  if (!n || typeof n !== 'object') return none;
  switch (n.typename) {
    case 'Is': {
      const root = rootName(n.left);
      if (!root) return none;
      if (testName(n) === 'defined') return { whenTrue: new Set([root]), whenFalse: new Set() };
      if (testName(n) === 'undefined') return { whenTrue: new Set(), whenFalse: new Set([root]) };
      return none;
    }
    case 'Not': {
      const k = knownFrom(n.target);
      return { whenTrue: k.whenFalse, whenFalse: k.whenTrue };
    }
    case 'And': {
      const [a, b] = [knownFrom(n.left), knownFrom(n.right)];
      return { whenTrue: union(a.whenTrue, b.whenTrue), whenFalse: intersection(a.whenFalse, b.whenFalse) };
    }
    case 'Or': {
      const [a, b] = [knownFrom(n.left), knownFrom(n.right)];
      return { whenTrue: intersection(a.whenTrue, b.whenTrue), whenFalse: union(a.whenFalse, b.whenFalse) };
    }
    case 'Group':
      return n.children?.length === 1 ? knownFrom(n.children[0]) : none;
  }
  return none;
}

export function collectRefs(ast: NjNode, refs: TemplateRefs, registry: NameRegistry): void {
  const bound = boundNames(ast, registry.globals);
  /** `safe`: names known to be defined here (`{% if x is defined %}`, `x if x is defined else y`). */
  const visit = (node: unknown, guarded: boolean, safe: Set<string>): void => {
    if (!node || typeof node !== 'object') return;
    // Some fields hold plain arrays of nodes (a comparison's operands), not NodeLists.
    if (Array.isArray(node)) return node.forEach((child) => visit(child, guarded, safe));
    const n = node as NjNode;
    switch (n.typename) {
      case 'Symbol': {
        const name = String(n.value);
        if (!bound.has(name)) (guarded || safe.has(name) ? refs.guarded : refs.required).add(name);
        return;
      }
      case 'LookupVal':
        visit(n.target, guarded, safe);
        if (n.val?.typename !== 'Literal') visit(n.val, false, safe);
        return;
      case 'Filter': {
        const [first, ...rest] = n.args?.children ?? [];
        const filter = String(n.name?.value);
        if (!Object.hasOwn(registry.filters, filter)) refs.unknownFilters.add(filter);
        // The filter or test a map/select/reject applies, named by a string literal.
        const named = rest[0]?.typename === 'Literal' && typeof rest[0].value === 'string' ? rest[0].value : undefined;
        if (named !== undefined && filter === 'map' && !Object.hasOwn(registry.filters, named)) refs.unknownFilters.add(named);
        if (named !== undefined && ['select', 'reject'].includes(filter) && !Object.hasOwn(registry.tests, named)) refs.unknownTests.add(named);
        visit(first, guarded || DEFAULT_FILTERS.includes(filter), safe);
        for (const arg of rest) visit(arg, false, safe);
        return;
      }
      case 'Is': {
        const test = testName(n);
        if (!Object.hasOwn(registry.tests, test)) refs.unknownTests.add(test);
        visit(n.left, guarded || test === 'defined' || test === 'undefined', safe);
        if (n.right?.args) visit(n.right.args, false, safe);
        return;
      }
      case 'And':
      case 'Or': {
        // The right side runs only when the left side is true (and) or false (or).
        visit(n.left, guarded, safe);
        const k = knownFrom(n.left);
        visit(n.right, guarded, union(safe, n.typename === 'And' ? k.whenTrue : k.whenFalse));
        return;
      }
      case 'If':
      case 'InlineIf': {
        visit(n.cond, guarded, safe);
        const k = knownFrom(n.cond);
        visit(n.body, guarded, union(safe, k.whenTrue));
        visit(n.else_, guarded, union(safe, k.whenFalse));
        return;
      }
      case 'Pair':
        // Keyword arguments and dict keys written as bare names are not variable reads.
        if ((n.key as NjNode)?.typename !== 'Symbol') visit(n.key, false, safe);
        visit(n.value, false, safe);
        return;
      case 'FunCall':
        visit(n.name, guarded, safe);
        visit(n.args, false, safe);
        return;
    }
    for (const child of n.children ?? []) visit(child, guarded, safe);
    for (const f of n.fields ?? []) if (f !== 'children') visit(n[f], guarded, safe);
  };
  visit(ast, false, new Set());
}
