/**
 * JSON Schemas for editors (yaml-language-server's `# yaml-language-server: $schema=…` modeline):
 * playbooks, inventories, and each module's arguments, written to schemas/ from what lvsdr itself
 * checks — the play and task keyword lists and every module's ajv schema. An editor then completes
 * keywords and arguments and marks what lvsdr would refuse. `node scripts/json-schemas.ts` writes
 * them; test/unit/json-schemas.test.ts fails when the files are stale.
 *
 * Two things lvsdr accepts that a module's schema alone does not: any value may be a Jinja2
 * template, checked once rendered ("{{ port }}" where a number belongs), and a module's arguments
 * may be one `key=value` string. The editor's schema lets both through, as the static check does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INCLUDE_KEYWORDS } from '../src/core/playbook/include-tasks.ts';
import { HANDLER_KEYWORDS, IMPORT_KEYS, IMPORT_KEYWORDS, PLAY_KEYWORDS, ROLE_KEYS, TASK_KEYWORDS } from '../src/core/playbook/keywords.ts';
import { IMPORT_ROLE_KEYWORDS } from '../src/core/playbook/role-entry.ts';
import { getModule, moduleNames } from '../src/modules/registry.ts';

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const TEMPLATE = { type: 'string', pattern: '\\{\\{|\\{%' };
/** Keywords lvsdr knows only to refuse them with a reason (access-keywords.ts). */
const REFUSED = new Set(['become_flags', 'become_exe']);

/** `schema`, or a template standing in for its value, at every level below the top. */
export function templatable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(templatable);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, { anyOf: [templatable(sub), TEMPLATE] }]));
    } else if (k === 'items' || k === 'additionalProperties') {
      out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? { anyOf: [templatable(v), TEMPLATE] } : templatable(v);
    } else if (k === 'anyOf' || k === 'oneOf' || k === 'allOf' || k === 'not' || k === 'if' || k === 'then' || k === 'else') {
      out[k] = templatable(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** A module or import key as written: its own name or Ansible's fully qualified ones (keywords.ts). */
const spellings = (name: string): string[] => (name.includes('.') ? [name] : [name, `ansible.builtin.${name}`, `ansible.legacy.${name}`]);

const keywords = (names: readonly string[]): Record<string, object> =>
  Object.fromEntries(names.filter((n) => !REFUSED.has(n)).map((n) => [n, n === 'name' ? { type: 'string' } : {}]));

function moduleSchema(name: string): object {
  const m = getModule(name)!;
  return { $schema: DRAFT, title: `lvsdr module ${name}: ${m.summary}`, ...(templatable(m.schema) as object) };
}

/** A task: its keywords and exactly one module, whose arguments are an object or a key=value string. */
function taskSchema(taskKeywords: readonly string[]): object {
  const names = moduleNames().flatMap((m) => spellings(m).map((key) => [key, m] as const));
  return {
    type: 'object',
    properties: { ...keywords(taskKeywords), ...Object.fromEntries(names.map(([key, m]) => [key, { anyOf: [{ $ref: `#/definitions/module_${m}` }, { type: 'string' }] }])) },
    additionalProperties: false,
    oneOf: names.map(([key]) => ({ required: [key] })),
  };
}

/** A line that stands in a task list for other tasks: `import_tasks: FILE`, `import_role: {name: …}`. */
function standInSchema(keys: string[], lineKeywords: readonly string[], value: object): object {
  const names = keys.flatMap(spellings);
  return {
    type: 'object',
    properties: { ...keywords(lineKeywords), ...Object.fromEntries(names.map((k) => [k, value])) },
    additionalProperties: false,
    oneOf: names.map((k) => ({ required: [k] })),
  };
}

function playbookSchema(): object {
  const tasks = { $ref: '#/definitions/tasks' };
  return {
    $schema: DRAFT,
    title: 'lvsdr playbook',
    type: 'array',
    items: {
      type: 'object',
      required: ['hosts'],
      properties: {
        ...keywords(PLAY_KEYWORDS),
        hosts: { type: 'string' },
        pre_tasks: tasks,
        tasks,
        post_tasks: tasks,
        roles: { type: 'array', items: { type: ['string', 'object'] } },
        handlers: { type: 'array', items: { $ref: '#/definitions/handler' } },
      },
      additionalProperties: false,
    },
    definitions: {
      tasks: { type: 'array', items: { anyOf: [{ $ref: '#/definitions/task' }, { $ref: '#/definitions/import' }, { $ref: '#/definitions/include' }, { $ref: '#/definitions/role' }] } },
      task: taskSchema(TASK_KEYWORDS),
      handler: taskSchema(HANDLER_KEYWORDS),
      import: standInSchema(IMPORT_KEYS.filter((k) => k !== 'include_tasks'), IMPORT_KEYWORDS, { type: 'string' }),
      include: standInSchema(['include_tasks'], INCLUDE_KEYWORDS, { type: ['string', 'object'] }),
      role: standInSchema(ROLE_KEYS, IMPORT_ROLE_KEYWORDS, { type: ['object', 'string'] }),
      ...Object.fromEntries(moduleNames().map((m) => [`module_${m}`, templatable(getModule(m)!.schema)])),
    },
  };
}

/** A task file (`import_tasks`): the tasks of playbook.json. */
function taskFileSchema(): object {
  return {
    $schema: DRAFT,
    title: 'lvsdr task file',
    $ref: 'playbook.json#/definitions/tasks',
  };
}

/** Ansible's YAML inventory: groups holding `hosts` (name → vars), `vars` and `children` groups. */
function inventorySchema(): object {
  const vars = { type: ['object', 'null'] };
  return {
    $schema: DRAFT,
    title: 'lvsdr inventory (Ansible YAML inventory)',
    type: 'object',
    additionalProperties: { $ref: '#/definitions/group' },
    definitions: {
      group: {
        type: ['object', 'null'],
        properties: {
          hosts: { type: ['object', 'null'], additionalProperties: vars },
          vars,
          children: { type: ['object', 'null'], additionalProperties: { $ref: '#/definitions/group' } },
        },
        additionalProperties: false,
      },
    },
  };
}

/** Every schema file, by its path under schemas/, as the text written there. */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, object> = { 'playbook.json': playbookSchema(), 'tasks.json': taskFileSchema(), 'inventory.json': inventorySchema() };
  for (const m of moduleNames()) files[`modules/${m}.json`] = moduleSchema(m);
  return Object.fromEntries(Object.entries(files).map(([f, s]) => [f, JSON.stringify(s, null, 2) + '\n']));
}

export const SCHEMAS_DIR = path.resolve(import.meta.dirname, '../schemas');

if (import.meta.main) {
  for (const [file, text] of Object.entries(jsonSchemaFiles())) {
    mkdirSync(path.dirname(path.join(SCHEMAS_DIR, file)), { recursive: true });
    writeFileSync(path.join(SCHEMAS_DIR, file), text);
  }
  console.log(`wrote ${Object.keys(jsonSchemaFiles()).length} schemas to ${SCHEMAS_DIR}`);
}
