/**
 * Nunjucks with Jinja2's StrictUndefined: reading an undefined variable or attribute anywhere in an
 * expression is an error naming it. Nunjucks' own `throwOnUndefined` only checks values at the
 * moment they are printed, so `{{ x + 1 }}`, `{% if x %}` and `{{ x.y | upper }}` would silently
 * use `undefined`; here every name and attribute lookup is compiled to a checked one instead. Only the
 * operand of `is defined` / `is undefined` and the value of `default`/`d` are looked up leniently.
 */
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { pythonEqual, pythonStr } from './templating-pystr.ts';
import { jinjaSource } from './templating-source.ts';

const require = createRequire(import.meta.url);
/* Nunjucks' compiler internals have no published types; these are the few members used here. */
interface NjNode {
  typename: string;
  value?: unknown;
  target?: NjNode;
  val?: NjNode;
  left?: NjNode;
  right?: NjNode & { name?: NjNode; args?: NjNode };
  name?: NjNode;
  args?: NjNode & { children: NjNode[] };
  children?: NjNode[];
  fields: string[];
  lineno: number;
  colno: number;
  [field: string]: unknown;
}
interface NjCompiler {
  _emit(code: string): void;
  _compileExpression(node: NjNode, frame: NjFrame): void;
  compile(node: NjNode, frame: NjFrame): void;
  getCode(): string;
  [method: string]: unknown;
}
interface NjFrame {
  lookup(name: string): string | undefined;
}
const njCompiler = require('nunjucks/src/compiler') as { Compiler: new (name: string, throwOnUndefined: boolean) => NjCompiler };
const njParser = require('nunjucks/src/parser') as { parse(src: string, extensions: unknown[], opts: unknown): NjNode };
const njTransformer = require('nunjucks/src/transformer') as { transform(ast: NjNode, asyncFilters: string[], name: string): NjNode };
const njRuntime = require('nunjucks/src/runtime') as { Frame: new () => { topLevel: boolean }; fromIterator(value: unknown): unknown };

/**
 * The runtime compiled templates call. `{% for x in d %}` over a mapping goes over its keys, as in
 * Jinja (nunjucks would go over nothing); `for k, v in d` then unpacks each key, as Jinja does.
 */
const templateRuntime = {
  ...njRuntime,
  fromIterator: (value: unknown): unknown => (value !== null && typeof value === 'object' && !Array.isArray(value) && !(Symbol.iterator in value) ? Object.keys(value) : njRuntime.fromIterator(value)),
};

export { type NjNode };

/** A template read something that is not defined; `variable` is the dotted path that was missing. */
export class UndefinedVariableError extends Error {
  readonly variable: string;
  constructor(variable: string, detail?: string) {
    super(`undefined variable '${variable}'${detail ? ` (${detail})` : ''}`);
    this.name = 'UndefinedVariableError';
    this.variable = variable;
  }
}

/** Filters whose first argument may be undefined (that is their point). */
const lenientFilters = new Set(['default', 'd']);
/** Tests whose operand may be undefined. */
const lenientTests = new Set(['defined', 'undefined']);
/** Python spellings Ansible users write; nunjucks only knows true/false/none. */
const pythonLiterals: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

/**
 * Parses template source into nunjucks' AST (throws nunjucks' TemplateError on bad syntax), with
 * Jinja2's trim_blocks on: Ansible's Templar and its template module both set it, so the newline
 * after a block tag (`{% for %}`, `{% endif %}`) is dropped.
 */
export function parseTemplate(src: string): NjNode {
  return njParser.parse(jinjaSource(src).text, [], { trimBlocks: true });
}

/** A readable name for a lookup expression (`vip`, `hostvars[inventory_hostname].vip`) for errors. */
export function describeNode(node: NjNode | undefined): string {
  if (!node) return '?';
  if (node.typename === 'Symbol') return String(node.value);
  if (node.typename === 'Literal') return JSON.stringify(node.value);
  if (node.typename === 'LookupVal') {
    const key = node.val!;
    if (key.typename === 'Literal' && typeof key.value === 'string' && /^[A-Za-z_]\w*$/.test(key.value)) {
      return `${describeNode(node.target)}.${key.value}`;
    }
    return `${describeNode(node.target)}[${describeNode(key)}]`;
  }
  return '(expression)';
}

/** Compiles template source with checked lookups; the result is what `nunjucks.Template` accepts as code. */
function compileStrict(src: string, name: string): Record<string, unknown> {
  const c = new njCompiler.Compiler(name, false);
  let lenient = 0;
  const origSymbol = c['compileSymbol'] as (node: NjNode, frame: NjFrame) => void;
  const origFilter = c['compileFilter'] as (node: NjNode, frame: NjFrame) => void;

  c['compileSymbol'] = (node: NjNode, frame: NjFrame) => {
    const symbol = String(node.value);
    if (frame.lookup(symbol)) return origSymbol.call(c, node, frame);
    if (symbol in pythonLiterals) {
      c._emit(`env.lvsdrStrict.literal(context, frame, ${JSON.stringify(symbol)}, ${pythonLiterals[symbol]})`);
      return;
    }
    if (lenient > 0) {
      c._emit(`env.lvsdrStrict.lenientLookup(context, frame, ${JSON.stringify(symbol)})`);
      return;
    }
    // Setting lineno/colno (variables of every compiled function) lets errors name the line.
    c._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, env.lvsdrStrict.lookup(context, frame, ${JSON.stringify(symbol)}))`);
  };
  c['compileLookupVal'] = (node: NjNode, frame: NjFrame) => {
    c._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, `);
    c._emit(lenient > 0 ? 'env.lvsdrStrict.lenientMember((' : 'env.lvsdrStrict.member((');
    c._compileExpression(node.target!, frame);
    c._emit('),');
    c._compileExpression(node.val!, frame);
    c._emit(`, ${JSON.stringify(describeNode(node.target))}))`);
  };
  // Nunjucks' own compileIs emits a test's arguments without commas between them, so
  // `v is version('2.0', '>=')` does not compile; each argument is emitted here, comma first.
  const emitIs = (node: NjNode, frame: NjFrame, test: string) => {
    c._emit(`env.getTest(${JSON.stringify(test)}).call(context, `);
    c.compile(node.left!, frame);
    for (const arg of node.right!.args?.children ?? []) {
      c._emit(', ');
      c.compile(arg, frame);
    }
    c._emit(') === true');
  };
  c['compileIs'] = (node: NjNode, frame: NjFrame) => {
    const test = String(node.right!.name ? node.right!.name.value : node.right!.value);
    if (!lenientTests.has(test)) return emitIs(node, frame, test);
    lenient++;
    try {
      emitIs(node, frame, test);
    } finally {
      lenient--;
    }
  };
  const compileFilter = (node: NjNode, frame: NjFrame) => {
    if (!lenientFilters.has(String(node.name!.value)) || lenient > 0) return origFilter.call(c, node, frame);
    // Only the filtered value is lenient: `x | default(y)` still requires y.
    const [value, ...rest] = node.args!.children;
    c._emit(`env.getFilter(${JSON.stringify(node.name!.value)}).call(context, `);
    lenient++;
    try {
      c._compileExpression(value, frame);
    } finally {
      lenient--;
    }
    for (const arg of rest) {
      c._emit(', ');
      c._compileExpression(arg, frame);
    }
    c._emit(')');
  };
  c['compileFilter'] = (node: NjNode, frame: NjFrame) => {
    c._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, `);
    compileFilter(node, frame);
    c._emit(')');
  };

  // `==` and `!=` compare lists and mappings by value, as Python does (templating-pystr.ts pythonEqual).
  const origCompare = c['compileCompare'] as (node: NjNode, frame: NjFrame) => void;
  c['compileCompare'] = (node: NjNode, frame: NjFrame) => {
    const ops = node.ops as { type: string; expr: NjNode }[];
    if (ops.length !== 1 || (ops[0].type !== '==' && ops[0].type !== '!=')) return origCompare.call(c, node, frame);
    c._emit(`${ops[0].type === '!=' ? '!' : ''}env.lvsdrStrict.equal(`);
    c.compile(node.expr as NjNode, frame);
    c._emit(', ');
    c.compile(ops[0].expr, frame);
    c._emit(')');
  };

  // `+` is Python's: lists concatenate (JavaScript's + made `[1] + [2]` the text "12").
  c['compileAdd'] = (node: NjNode, frame: NjFrame) => {
    c._emit('env.lvsdrStrict.add(');
    c.compile(node.left!, frame);
    c._emit(', ');
    c.compile(node.right!, frame);
    c._emit(')');
  };

  // What `{{ x }}` prints is Python's str() of x (templating-pystr.ts), not JavaScript's String().
  c['compileOutput'] = (node: NjNode, frame: NjFrame) => {
    for (const child of node.children ?? []) {
      if (child.typename === 'TemplateData') {
        if (child.value) c._emit(`${c['buffer']} += ${JSON.stringify(child.value)};\n`);
        continue;
      }
      c._emit(`${c['buffer']} += runtime.suppressValue(env.lvsdrStrict.printed(`);
      c.compile(child, frame);
      c._emit('), env.opts.autoescape);\n');
    }
  };

  const ast = njTransformer.transform(parseTemplate(src), [], name);
  c.compile(ast, null as unknown as NjFrame);
  return new Function(c.getCode())() as Record<string, unknown>;
}

/**
 * What compiled templates call on their context. Nunjucks' own Context copies every variable into
 * a new object on each render (hundreds of host variables, for every argument of every task on
 * every host); this one reads the caller's variables in place, and keeps `{% set %}` to itself.
 */
class VarsContext {
  readonly env: nunjucks.Environment;
  readonly vars: Record<string, unknown>;
  private readonly local = new Map<string, unknown>();
  readonly exported: string[] = [];
  constructor(vars: Record<string, unknown>, env: nunjucks.Environment) {
    this.vars = vars;
    this.env = env;
  }
  has(name: string): boolean {
    return this.local.has(name) || Object.hasOwn(this.vars, name);
  }
  get(name: string): unknown {
    return this.local.has(name) ? this.local.get(name) : this.vars[name];
  }
  lookup(name: string): unknown {
    return this.has(name) ? this.get(name) : (this.env as unknown as { globals: Record<string, unknown> }).globals[name];
  }
  setVariable(name: string, value: unknown): void {
    this.local.set(name, value);
  }
  getVariables(): Record<string, unknown> {
    return { ...this.vars, ...Object.fromEntries(this.local) };
  }
  addExport(name: string): void {
    this.exported.push(name);
  }
}

/**
 * Python-style methods on dicts, lists and strings that Ansible playbooks call (`d.items()`,
 * `s.split()`, `{% set _ = peers.append(ip) %}`: Ansible's Jinja2 is not sandboxed, so a list
 * built in a template grows in place; append and extend return None, as in Python).
 */
function pythonMethod(obj: unknown, key: string): ((...args: unknown[]) => unknown) | undefined {
  if (Array.isArray(obj)) {
    if (key === 'append') return (x) => (obj.push(x), null);
    if (key === 'extend') return (xs) => (obj.push(...(Array.isArray(xs) ? xs : [...String(xs)])), null);
  }
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    const o = obj as Record<string, unknown>;
    if (key === 'items') return () => Object.entries(o);
    if (key === 'keys') return () => Object.keys(o);
    if (key === 'values') return () => Object.values(o);
    if (key === 'get') return (k, d = null) => (Object.hasOwn(o, String(k)) ? o[String(k)] : d);
  }
  if (typeof obj === 'string') {
    if (key === 'upper') return () => obj.toUpperCase();
    if (key === 'lower') return () => obj.toLowerCase();
    if (key === 'strip') return () => obj.trim();
    if (key === 'startswith') return (p) => obj.startsWith(String(p));
    if (key === 'endswith') return (p) => obj.endsWith(String(p));
    if (key === 'split') return (sep?: unknown) => (sep == null ? obj.trim().split(/\s+/).filter(Boolean) : obj.split(String(sep)));
  }
  return undefined;
}

/** Python's `a + b` for the types templates hold; anything else is Python's TypeError, not a guess. */
function pythonAdd(a: unknown, b: unknown): unknown {
  const text = (v: unknown) => (typeof v === 'string' ? v : v !== null && typeof v === 'object' && v.constructor?.name === 'SafeString' ? String(v) : undefined);
  const numeric = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  const [ta, tb] = [text(a), text(b)];
  if (ta !== undefined && tb !== undefined) return ta + tb;
  if (numeric(a) && numeric(b)) return Number(a) + Number(b);
  throw new Error(`unsupported operand type(s) for +: '${pythonTypeName(a)}' and '${pythonTypeName(b)}'`);
}

function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return v.constructor?.name === 'SafeString' ? 'str' : 'dict';
}

/** The checked lookups compiled templates call; installed on the environment as `lvsdrStrict`. */
export const strictRuntime = {
  printed: pythonStr,
  equal: pythonEqual,
  add: pythonAdd,
  /** Renders a variable's own templates when it is read (set by templating.ts). */
  resolve: (_name: string, value: unknown, _vars: Record<string, unknown>): unknown => value,
  lookup(context: VarsContext, frame: { lookup(n: string): unknown }, name: string): unknown {
    const v = frame.lookup(name);
    if (v !== undefined) return v;
    if (context.has(name)) return strictRuntime.resolve(name, context.get(name), context.vars);
    const globals = (context.env as unknown as { globals: Record<string, unknown> }).globals;
    if (name in globals) return globals[name];
    throw new UndefinedVariableError(name);
  },
  /** Under `is defined` / `default`: missing is undefined, and a present variable's templates still render. */
  lenientLookup(context: VarsContext, frame: { lookup(n: string): unknown }, name: string): unknown {
    try {
      return strictRuntime.lookup(context, frame, name);
    } catch (err) {
      if (err instanceof UndefinedVariableError && err.variable === name) return undefined;
      throw err;
    }
  },
  literal(context: VarsContext, frame: { lookup(n: string): unknown }, name: string, value: unknown): unknown {
    const v = frame.lookup(name);
    if (v !== undefined) return v;
    return context.has(name) ? context.get(name) : value;
  },
  /** Under `is defined` / `default`: a missing attribute is undefined instead of an error. */
  lenientMember(obj: unknown, key: unknown, targetName: string): unknown {
    try {
      return strictRuntime.member(obj, key, targetName);
    } catch (err) {
      if (err instanceof UndefinedVariableError) return undefined;
      throw err;
    }
  },
  member(obj: unknown, key: unknown, targetName: string): unknown {
    const path = typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${targetName}.${key}` : `${targetName}[${JSON.stringify(key)}]`;
    if (obj === undefined || obj === null) throw new UndefinedVariableError(path, `'${targetName}' is ${obj === null ? 'null' : 'undefined'}`);
    const k = String(key);
    // Reaching the Function constructor from a template would let template text run code here.
    if (k === 'constructor' || k === '__proto__' || k === 'prototype') throw new UndefinedVariableError(path, 'not readable from templates');
    if (typeof obj === 'string') {
      const method = pythonMethod(obj, k);
      if (method) return method;
    }
    const present = Array.isArray(obj) && typeof key === 'number' ? key >= 0 && key < obj.length : k in Object(obj);
    if (!present || (typeof obj === 'object' && !Array.isArray(obj) && !Object.hasOwn(obj, k))) {
      const method = pythonMethod(obj, k);
      if (method) return method;
      if (!present) throw new UndefinedVariableError(path, `'${targetName}' has no attribute '${k}'`);
    }
    const value = (obj as Record<string, unknown>)[k];
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
  },
};

/** A nunjucks environment whose templates are compiled strict; filters are added by the caller. */
export function createStrictEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  (env as unknown as { lvsdrStrict: typeof strictRuntime }).lvsdrStrict = strictRuntime;
  return env;
}

type RootRender = (env: unknown, context: VarsContext, frame: unknown, runtime: unknown, cb: (err: unknown, out?: string) => void) => void;

/** A compiled template: render it with `renderStrict`. */
export interface StrictTemplate {
  root: RootRender;
}

/** Compiles template source (throws nunjucks' TemplateError on bad syntax). */
export function strictTemplate(src: string, name: string): StrictTemplate {
  return { root: compileStrict(src, name).root as RootRender };
}

/** Renders synchronously; errors are thrown as nunjucks reports them (render-time lines from 0). */
export function renderStrict(template: StrictTemplate, env: nunjucks.Environment, vars: Record<string, unknown>): string {
  const frame = new njRuntime.Frame();
  frame.topLevel = true;
  let failure: unknown;
  let output = '';
  template.root(env, new VarsContext(vars, env), frame, templateRuntime, (err, out) => {
    failure = err;
    output = out ?? '';
  });
  if (failure) throw failure;
  return output;
}
