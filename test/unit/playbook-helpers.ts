/** A tiny module registry and temp-file playbooks, so playbook tests do not depend on the real modules. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModuleLookup } from '../../src/core/playbook/keywords.ts';
import type { ModuleDef } from '../../src/modules/types.ts';

function fakeModule(name: string, schema: object, freeForm?: ModuleDef['freeForm']): ModuleDef {
  return { name, summary: `fake ${name}`, schema, freeForm, plan: () => ({ kind: 'noop', reason: 'fake' }) };
}

const modules = [
  fakeModule(
    'copy',
    {
      type: 'object',
      properties: { dest: { type: 'string', pattern: '^/' }, content: { type: 'string' }, src: { type: 'string' }, mode: { type: 'string' } },
      required: ['dest'],
      oneOf: [{ required: ['content'] }, { required: ['src'] }],
      additionalProperties: false,
    },
  ),
  fakeModule('command', { type: 'object', properties: { cmd: { type: 'string' }, creates: { type: 'string' } }, required: ['cmd'], additionalProperties: false }, (text) => ({ cmd: text })),
  fakeModule(
    'ping',
    {
      type: 'object',
      properties: { host: { type: 'string', format: 'ipv4' }, count: { type: 'integer', minimum: 1 }, ports: { type: 'array', items: { type: 'integer' } } },
      additionalProperties: false,
    },
  ),
  {
    ...fakeModule('assert', { type: 'object', properties: { that: { type: ['string', 'array'] } }, required: ['that'], additionalProperties: false }),
    conditionArgs: ['that'],
  },
  fakeModule('service', { type: 'object', properties: { name: { type: 'string' }, state: { enum: ['started', 'stopped'] } }, required: ['name'], additionalProperties: false }),
];

export const fakeModules: ModuleLookup = {
  get: (name) => modules.find((m) => m.name === name),
  names: () => modules.map((m) => m.name).sort(),
};

/** Writes files (path → text) into a fresh directory and returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-playbook-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const INVENTORY = `all:
  vars:
    vip: 198.18.0.100
  children:
    realservers:
      hosts:
        rs1: { weight: 2 }
        rs2: {}
    directors:
      hosts:
        lb1: {}
`;
