/**
 * The editor schemas in schemas/ are what scripts/json-schemas.ts makes of lvsdr's own checks
 * (stale files fail here: run `node scripts/json-schemas.ts`), and they accept every shipped
 * playbook, task file and inventory while refusing what lvsdr refuses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles, SCHEMAS_DIR } from '../../scripts/json-schemas.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const files = jsonSchemaFiles();
const schema = (name: string): object => JSON.parse(files[name]);

function validator(name: string) {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  ajv.addSchema(schema('playbook.json'), 'playbook.json');
  return ajv.compile(name === 'playbook.json' ? { $ref: 'playbook.json' } : schema(name));
}

const yamlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => path.join(dir, f));

describe('JSON Schemas for editors', () => {
  it('schemas/ holds exactly what the generator makes now', () => {
    const shipped = (readdirSync(SCHEMAS_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
    expect(shipped).toEqual(Object.keys(files).sort());
    for (const [file, text] of Object.entries(files)) {
      expect({ file, fresh: readFileSync(path.join(SCHEMAS_DIR, file), 'utf8') === text }).toEqual({ file, fresh: true });
    }
  });

  it.each([
    ['playbook.json', yamlFiles('playbooks')],
    ['tasks.json', yamlFiles('playbooks/realserver').filter((f) => !f.endsWith('vars.yml'))],
    ['inventory.json', yamlFiles('inventories')],
  ])('%s accepts every shipped file of its kind', (name, paths) => {
    const validate = validator(name);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      validate(parse(readFileSync(p, 'utf8')));
      expect({ file: p, errors: validate.errors ?? null }).toEqual({ file: p, errors: null });
    }
  });

  it('marks what lvsdr refuses: an unknown keyword or module, an unknown argument, a wrong type; a template passes', () => {
    const validate = validator('playbook.json');
    const play = (task: object) => [{ hosts: 'all', tasks: [task] }];
    expect(validate(play({ name: 'x', sysctl: { name: 'net.ipv4.ip_forward', value: 1 } }))).toBe(true);
    expect(validate(play({ sysctl: { name: 'net.ipv4.ip_forward', value: '{{ v }}' }, when: 'x' }))).toBe(true);
    expect(validate(play({ command: 'echo hi' }))).toBe(true);
    expect(validate(play({ sysctll: { name: 'a' } }))).toBe(false);
    expect(validate(play({ sysctl: { name: 'a', value: 1, bogus: 1 } }))).toBe(false);
    expect(validate(play({ vip: { address: 'not an address', arp_guard: 'none' } }))).toBe(false);
    expect(validate(play({ vip: { address: '{{ lvs_vip }}', arp_guard: 'none' } }))).toBe(true);
    expect(validate(play({ sysctl: { name: 'a' }, block: [] }))).toBe(false);
    expect(validate(play({ sysctl: { name: 'a' }, become_flags: '-E' }))).toBe(false);
    expect(validate(play({ sysctl: { name: 'a' }, command: 'x' }))).toBe(false);
    expect(validate([{ hosts: 'all', block: [] }])).toBe(false);
    expect(validate(play({ 'ansible.builtin.command': 'echo hi' }))).toBe(true);
    expect(validate(play({ 'ansible.builtin.command': 'echo hi', shell: 'x' }))).toBe(false);
    expect(validate([{ hosts: 'all', roles: ['web'], pre_tasks: [{ import_role: { name: 'web' }, when: 'x' }] }])).toBe(true);
    expect(validate([{ hosts: 'all', pre_tasks: [{ import_role: { name: 'web' }, register: 'x' }] }])).toBe(false);
  });
});
