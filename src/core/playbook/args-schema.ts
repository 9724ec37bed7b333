/**
 * Module arguments against the module's JSON schema (ajv), as positioned problems. Checked twice:
 * statically before any connection (a value that is still a template is let through: it is checked
 * again once rendered) and by the executor after rendering, through checkModuleArgs.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ModuleDef } from '../../modules/types.ts';
import { closestName, type Problem, type SourcePos } from '../errors.ts';
import { isTemplate } from '../templating.ts';
import { pythonStr } from '../templating-pystr.ts';
import type { Task } from './types.ts';

// ajv-formats is CommonJS; under Node's ESM interop its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, verbose: true }));
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(module: ModuleDef): ValidateFunction {
  let v = compiled.get(module.schema);
  if (!v) {
    v = ajv.compile(module.schema);
    compiled.set(module.schema, v);
  }
  return v;
}

/** Errors about which keys are present hold whatever the values turn out to be. */
function isAboutKeys(e: ErrorObject): boolean {
  if (e.keyword === 'required' || e.keyword === 'additionalProperties') return true;
  if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return false;
  return (e.schema as object[]).every((s) => Object.keys(s).length === 1 && Array.isArray((s as { required?: unknown }).required));
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

function containsTemplate(v: unknown): boolean {
  if (isTemplate(v)) return true;
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsTemplate);
  return false;
}

function argName(pointer: string): string {
  return pointer.slice(1).replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
}

function showValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

/** Where a module's arguments were written: each argument's position (by JSON pointer), and the whole's. */
export type ArgsSource = Pick<Task, 'argPositions' | 'argsPos' | 'noLog'>;

function describeError(e: ErrorObject, module: ModuleDef, task: ArgsSource): Problem {
  // A no_log task's values are secrets: problems name the argument, never its value.
  const shown = (v: unknown) => (task.noLog ? '(value hidden by no_log)' : showValue(v));
  const at = (pointer: string): SourcePos => task.argPositions.get(pointer) ?? task.argsPos;
  const where = e.instancePath ? `argument '${argName(e.instancePath)}'` : `module '${module.name}'`;
  switch (e.keyword) {
    case 'required':
      return {
        pos: at(e.instancePath),
        message: `${where} is missing required argument '${(e.params as { missingProperty: string }).missingProperty}'`,
        hint: `add ${(e.params as { missingProperty: string }).missingProperty}: ... to the '${module.name}' arguments`,
      };
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const near = closestName(name, known);
      return {
        pos: at(`${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
        message: `${where} has no argument '${name}'`,
        hint: `${near ? `did you mean '${near}'? ` : ''}known arguments: ${known.join(', ')}`,
      };
    }
    case 'oneOf':
    case 'anyOf': {
      if (isAboutKeys(e)) {
        const names = (e.schema as { required: string[] }[]).map((s) => s.required.join(' + '));
        const which = e.keyword === 'oneOf' ? 'exactly one' : 'at least one';
        return { pos: at(e.instancePath), message: `${where} needs ${which} of: ${names.join(', ')}`, hint: `give ${which} of ${names.join(', ')}` };
      }
      const forms = (e.schema as Record<string, unknown>[]).map(branchSummary).join('; ');
      return { pos: at(e.instancePath), message: `${where} must be ${e.keyword === 'oneOf' ? 'exactly one' : 'one'} of: ${forms} (got ${shown(e.data)})` };
    }
    case 'enum':
      return { pos: at(e.instancePath), message: `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}, not ${shown(e.data)}` };
    case 'type': {
      const wanted = String((e.params as { type: string | string[] }).type).split(',').map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`).join(' or ');
      const got = Array.isArray(e.data) ? 'a list' : e.data === null ? 'null' : typeof e.data;
      // YAML 1.2 reads 0644 as the number 644, where Ansible's YAML 1.1 read an octal.
      const hint = typeof e.data === 'number' && wanted.includes('string') ? 'put the value in quotes, e.g. mode: "0644"' : undefined;
      return { pos: at(e.instancePath), message: `${where} must be ${wanted}, not ${got} ${shown(e.data)}`, hint };
    }
    default: {
      // A schema's description says what the value must be, for a pattern no one can read.
      const hint = (e.parentSchema as { description?: string } | undefined)?.description;
      return { pos: at(e.instancePath), message: `${where} ${e.message ?? 'is invalid'} (got ${shown(e.data)})`, ...(hint ? { hint } : {}) };
    }
  }
}

/**
 * Drops errors a sibling error already explains better: those inside the branches of a failed
 * oneOf/anyOf (the choice itself is reported), and a missing argument that is there under a
 * misspelt name (`destt` for `dest`), and an `if` whose `then` failed (the `then` error says why).
 */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const choices = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const misspelt = errors
    .filter((e) => e.keyword === 'additionalProperties')
    .map((e) => closestName((e.params as { additionalProperty: string }).additionalProperty, Object.keys((e.parentSchema as { properties?: object }).properties ?? {})));
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (choices.some((c) => e.schemaPath.startsWith(`${c.schemaPath}/`))) return false;
    return !(e.keyword === 'required' && misspelt.includes((e.params as { missingProperty: string }).missingProperty));
  });
}

/** One branch of a oneOf/anyOf in words: "format ipv4", "integer", "one of a, b". */
function branchSummary(schema: Record<string, unknown>): string {
  if (typeof schema.format === 'string') return `format ${schema.format}`;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof schema.type === 'string') return schema.pattern ? `${schema.type} matching ${String(schema.pattern)}` : String(schema.type);
  return 'another accepted form';
}

/**
 * The module's own checks of arguments its schema accepted, each at the argument it names or, when
 * that came out of a template, at the nearest argument written in the playbook.
 */
function moduleArgProblems(module: ModuleDef, task: ArgsSource, args: unknown): Problem[] {
  return (module.argProblems?.(args) ?? []).map((p) => {
    let pointer = p.path;
    while (pointer && !task.argPositions.has(pointer)) pointer = pointer.slice(0, pointer.lastIndexOf('/'));
    return { pos: task.argPositions.get(pointer) ?? task.argsPos, message: `${p.path ? `argument '${argName(p.path)}': ` : ''}${p.message}` };
  });
}

/**
 * Rendered arguments as Ansible's module sees them: a whole-value template such as
 * `regexp="{{ listenport }}"` renders to a number, and AnsibleModule's `str` type converts it to
 * Python's str() of it (string_conversion_action: warn): `8888`, `True`. So does lvsdr, for integers
 * and booleans in arguments its schema declares as strings and nothing else. A list or a mapping
 * stays refused: some action plugins turn them into JSON first (copy's content), not str().
 */
export function withAnsibleStrings(module: ModuleDef, args: unknown): unknown {
  const props = (module.schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!props || args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const converts = (k: string, v: unknown) => props[k]?.type === 'string' && (Number.isInteger(v) || typeof v === 'boolean');
  const entries = Object.entries(args as Record<string, unknown>);
  if (!entries.some(([k, v]) => converts(k, v))) return args;
  return Object.fromEntries(entries.map(([k, v]) => [k, converts(k, v) ? String(pythonStr(v)) : v]));
}

/** Problems with rendered arguments: what the executor calls right before planning a task. */
export function checkArgsAgainst(module: ModuleDef, task: ArgsSource, renderedArgs: unknown): Problem[] {
  const validate = validatorFor(module);
  if (validate(renderedArgs)) return moduleArgProblems(module, task, renderedArgs);
  return dedupe(usefulErrors(validate.errors ?? []).map((e) => describeError(e, module, task)));
}

/** The same before rendering: errors about values that are still templates wait for the run. */
export function checkRawArgs(module: ModuleDef, task: Task): Problem[] {
  const args = task.args;
  const validate = validatorFor(module);
  if (validate(args)) return containsTemplate(args) ? [] : moduleArgProblems(module, task, args);
  const all = validate.errors ?? [];
  const undecided = undecidedBranches(all, args);
  const errors = all.filter((e) => !undecided.some((at) => e.schemaPath.startsWith(at)) && (isAboutKeys(e) || !containsTemplate(valueAt(args, e.instancePath))));
  return dedupe(usefulErrors(errors).map((e) => describeError(e, module, task)));
}

/**
 * The `if`/`then` rules whose `if` reads a value that is still a template (command's `creates:
 * "{{ base }}/x"` is not known to be relative): what their `then` asks waits for the run.
 */
function undecidedBranches(errors: ErrorObject[], args: unknown): string[] {
  return errors
    .filter((e) => {
      if (e.keyword !== 'if') return false;
      const read = Object.keys((e.parentSchema as { if?: { properties?: object } }).if?.properties ?? {});
      const at = valueAt(args, e.instancePath);
      return read.some((key) => containsTemplate((at as Record<string, unknown> | undefined)?.[key]));
    })
    .map((e) => e.schemaPath.replace(/if$/, ''));
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pos?.line}:${p.pos?.col}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
