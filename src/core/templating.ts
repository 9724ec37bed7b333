/**
 * Jinja2 templating (nunjucks) with Ansible's conventions: a string that is exactly one `{{ expr }}`
 * yields the expression's native value (a list stays a list), conditions are bare expressions, and
 * an undefined variable is an error naming it — never an empty string (see templating-strict.ts).
 */
import { createStrictEnvironment, parseTemplate, renderStrict, strictRuntime, strictTemplate, UndefinedVariableError, type NjNode, type StrictTemplate } from './templating-strict.ts';

export type { TemplateRefs };
import { installAnsibleFilters } from './templating-filters.ts';
import { collectRefs, emptyRefs, provenByCondition, type TemplateRefs } from './templating-refs.ts';
import { jinjaSource } from './templating-source.ts';
import { isFactVarName } from './ansible-fact-vars.ts';
import { pythonLiteral } from './inventory/python-literal.ts';

export { UndefinedVariableError };

/** Rendering failed: a syntax error, an undefined variable, or a filter given the wrong kind of value. */
export class TemplateError extends Error {
  /** The undefined variable's dotted path, when that is what went wrong. */
  readonly variable?: string;
  /** 1-based line inside the template text, when nunjucks knows it. */
  readonly line?: number;
  constructor(message: string, variable?: string, line?: number) {
    super(message);
    this.name = 'TemplateError';
    this.variable = variable;
    this.line = line;
  }
}

const NATIVE_CAPTURE = '__lvsdr_native__';
let nativeValue: unknown;
const templateMarkers = /\{\{|\{%|\{#/;

const env = createStrictEnvironment();
installAnsibleFilters(env);

/** Ansible's `omit`: an argument whose value renders to it is left out (`mode: "{{ m | default(omit) }}"`). */
export const OMIT = '__lvsdr_omit_place_holder__';
env.addGlobal('omit', OMIT);
env.addGlobal(NATIVE_CAPTURE, (v: unknown) => {
  nativeValue = v;
  return '';
});

/** Names whose values are never templates (facts, magic, loop items). */
const literalNames = new Set(['item', 'hostvars', 'groups', 'group_names', 'ansible_facts', 'ansible_default_ipv4', 'ansible_interfaces', 'ansible_hostname', 'ansible_os_family']);

/**
 * A registered task result (it always has boolean changed, failed and skipped): remote output is
 * data, so `{{` in a command's stdout is never rendered as a template.
 */
function isTaskResult(value: object): boolean {
  const v = value as Record<string, unknown>;
  return typeof v.changed === 'boolean' && typeof v.failed === 'boolean' && typeof v.skipped === 'boolean';
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return templateMarkers.test(value);
  if (value === null || typeof value !== 'object' || isTaskResult(value)) return false;
  return Object.values(value).some(containsTemplate);
}

// Like Ansible, a variable whose value is itself a template (`vip_cidr: "{{ vip }}/32"`) is
// rendered when it is read, with the same variables; a variable that reaches itself is an error.
const resolving: string[] = [];
strictRuntime.resolve = (name, value, vars) => {
  if (literalNames.has(name) || isFactVarName(name) || !containsTemplate(value)) return value;
  if (resolving.includes(name)) {
    throw new TemplateError(`variable '${name}' refers to itself (${[...resolving.slice(resolving.indexOf(name)), name].join(' → ')})`, name);
  }
  resolving.push(name);
  try {
    return renderValue(value, vars);
  } finally {
    resolving.pop();
  }
};

/** Whether a string contains template syntax at all. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && templateMarkers.test(value);
}

// Compiling is the expensive part and the same strings are rendered for every host: compile once.
const compiled = new Map<string, StrictTemplate>();

function templateFor(src: string, name: string): StrictTemplate {
  let t = compiled.get(src);
  if (!t) {
    try {
      t = strictTemplate(src, name);
    } catch (err) {
      throw toTemplateError(err, src, 0);
    }
    if (compiled.size > 5000) compiled.clear();
    compiled.set(src, t);
  }
  return t;
}

/**
 * `lineOffset`: nunjucks numbers lines from 1 in syntax errors but from 0 at render time (1 then);
 * a line of 0 at render time means nunjucks did not track it.
 */
function toTemplateError(err: unknown, src: string, lineOffset = 1): TemplateError {
  if (err instanceof TemplateError) return err;
  const lineno = (err as { lineno?: number })?.lineno;
  const line = typeof lineno === 'number' && (lineno > 0 || lineOffset > 0) ? lineno + lineOffset : undefined;
  let cause = err as (Error & { cause?: unknown }) | undefined;
  while (cause && !(cause instanceof UndefinedVariableError || cause instanceof TemplateError) && cause.cause instanceof Error) cause = cause.cause as Error;
  if (cause instanceof TemplateError) return cause;
  if (cause instanceof UndefinedVariableError) return new TemplateError(cause.message, cause.variable, line);
  const raw = (err as Error)?.message ?? String(err);
  // Nunjucks prefixes "(name) [Line 1, Column 4]\n  " and its own error class names; keep the reason.
  const reason = raw.replace(/^\([^)]*\)(?: \[Line \d+, Column \d+\])?\s*/, '').replace(/^(Template render error|Error|TypeError): /, '');
  const shown = src.length > 80 ? `${src.slice(0, 77)}...` : src;
  return new TemplateError(`template error in ${JSON.stringify(shown)}: ${reason}`, undefined, line);
}

/** `shown` is the text the user wrote, when `src` wraps it. */
function render(src: string, vars: Record<string, unknown>, name: string, shown = src): string {
  try {
    return renderStrict(templateFor(src, name), env, vars);
  } catch (err) {
    throw toTemplateError(err, shown);
  }
}

/**
 * For each template string, what to render: the string itself, or — when it is exactly one
 * expression (`{{ vips }}`, not `{{ a }}-{{ b }}`) — a wrapper that captures the native value.
 */
const renderPlans = new Map<string, { native: boolean; source: string }>();

function renderPlan(src: string): { native: boolean; source: string } {
  let plan = renderPlans.get(src);
  if (!plan) {
    const single = jinjaSource(src).single;
    plan = single === undefined ? { native: false, source: src } : { native: true, source: `{{ ${NATIVE_CAPTURE}((${single})) }}` };
    if (renderPlans.size > 5000) renderPlans.clear();
    renderPlans.set(src, plan);
  }
  return plan;
}

function renderString(src: string, vars: Record<string, unknown>): unknown {
  if (!templateMarkers.test(src)) return src;
  const plan = renderPlan(src);
  if (!plan.native) return evalConcat(render(src, vars, 'template'));
  render(plan.source, vars, 'template', src);
  // The capture runs last in the expression, after any nested render, so the slot holds this value.
  const value = nativeValue;
  nativeValue = undefined;
  if (value === undefined) return null;
  // SafeString and other wrappers print as their text.
  return value !== null && typeof value === 'object' && value.constructor?.name === 'SafeString' ? String(value) : value;
}

/**
 * ansible-core 2.14's ansible_eval_concat: text rendered from several parts that looks like a list,
 * a mapping or a boolean is read back as one with ast.literal_eval, JSON's true, false and null
 * taken as Python's (so a task var holding `{% set l = [] %}…{{ l }}` or `[{{ x | to_json }}, null]`
 * is a list), and stays text when it is not a literal.
 */
function evalConcat(out: string): unknown {
  return out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False' ? pythonLiteral(out, { jsonNames: true }) : out;
}

/** Renders every string inside a value (lists and mappings deeply; keys rendering to `omit` are dropped). */
export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderString(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, renderValue(v, vars)])
        .filter(([, v]) => v !== OMIT),
    );
  }
  return value;
}

/** Python's truthiness, which Ansible conditions follow: empty lists and mappings are false. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  if (typeof v === 'string') return v.length > 0;
  return Boolean(v);
}

/**
 * Evaluates a `when` / `changed_when` / `failed_when` condition: a bare Jinja2 expression or a
 * boolean. A condition written with `{{ }}` (which Ansible tolerates) is rendered and its text read.
 */
export function evalCondition(expr: string | boolean, vars: Record<string, unknown>): boolean {
  if (typeof expr === 'boolean') return expr;
  if (isTemplate(expr)) {
    const v = renderString(expr.trim(), vars);
    if (typeof v === 'string') return !['', 'false', 'no', 'off', '0', 'none'].includes(v.trim().toLowerCase());
    return truthy(v);
  }
  return truthy(renderString(`{{ ${expr} }}`, vars));
}

/** What Ansible's template action adds to a template's variables (ansible.cfg's default ansible_managed). */
const TEMPLATE_VARS = { ansible_managed: 'Ansible managed' };

/** How many newlines a text ends with. */
function trailingNewlines(text: string): number {
  return text.length - text.replace(/\n+$/, '').length;
}

/**
 * Renders a whole template file (the template module); `name` appears in error messages. As
 * Ansible's Templar (preserve_trailing_newlines), the result ends with at least as many newlines as
 * the template: `    {% endfor %}\n` at the end leaves its indentation and then the newline.
 */
export function renderTemplateText(text: string, vars: Record<string, unknown>, name: string): string {
  try {
    const out = renderStrict(templateFor(text, name), env, { ...vars, ...TEMPLATE_VARS });
    return out + '\n'.repeat(Math.max(0, trailingNewlines(text) - trailingNewlines(out)));
  } catch (err) {
    const e = toTemplateError(err, name);
    const where = e.line ? `${name}:${e.line}` : name;
    throw new TemplateError(`${where}: ${e.message.replace(/^template error in "[^"]*": /, '')}`, e.variable, e.line);
  }
}

const registry = env as unknown as { filters: Record<string, unknown>; tests: Record<string, unknown>; globals: Record<string, unknown> };

/** Every filter name templates can use, for "did you mean" hints. */
export function filterNames(): string[] {
  return Object.keys(registry.filters).sort();
}

/** Every test name (`x is defined`, `select("match")`). */
export function testNames(): string[] {
  return Object.keys(registry.tests).sort();
}

// The static checks read the same few templates again for every host (a variable's value, once per
// host that has it) and every task: parse each once (at N = 20, 300 reads of 17 templates).
const sourceRefs = new Map<string, { ast: NjNode; refs: TemplateRefs }>();

/** Adds what `src` reads to `refs`; returns its AST (read, never changed, by the caller). */
function refsOfSource(src: string, refs: TemplateRefs): NjNode {
  let parsed = sourceRefs.get(src);
  if (!parsed) {
    let ast: NjNode;
    try {
      ast = parseTemplate(src);
    } catch (err) {
      throw toTemplateError(err, src);
    }
    parsed = { ast, refs: emptyRefs() };
    collectRefs(ast, parsed.refs, registry);
    if (sourceRefs.size > 5000) sourceRefs.clear();
    sourceRefs.set(src, parsed);
  }
  for (const kind of Object.keys(parsed.refs) as (keyof TemplateRefs)[]) for (const name of parsed.refs[kind]) refs[kind].add(name);
  return parsed.ast;
}

/**
 * The root variable names the templates inside a value read (deeply), for static checks. Throws
 * TemplateError on a syntax error. Names only read under `is defined`/`default` are in `guarded`.
 */
export function templateRefs(value: unknown, refs: TemplateRefs = emptyRefs()): TemplateRefs {
  if (isTemplate(value)) refsOfSource(value, refs);
  else if (Array.isArray(value)) for (const v of value) templateRefs(v, refs);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) templateRefs(v, refs);
  return refs;
}

/** Root variable names a value's templates require (guarded reads excluded). */
export function templateRoots(value: unknown): Set<string> {
  return templateRefs(value).required;
}

/** The same for a bare condition expression (`when: vip is defined and port > 0`). */
export function expressionRefs(expr: string | boolean, refs: TemplateRefs = emptyRefs()): TemplateRefs {
  if (typeof expr !== 'string') return refs;
  const ast = refsOfSource(isTemplate(expr) ? expr : `{{ ${expr} }}`, refs);
  for (const name of provenByCondition(ast)) refs.proven.add(name);
  return refs;
}

