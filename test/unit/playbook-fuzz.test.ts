/**
 * Fuzzing the loading path (YAML → playbook → validation): whatever the input, the outcome is a
 * playbook or a UserError with positioned problems — never an internal error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { PLAY_KEYWORDS, TASK_KEYWORDS } from '../../src/core/playbook/keywords.ts';
import { loadValidPlaybook } from '../../src/core/playbook/validate.ts';
import { fakeModules, INVENTORY, writeTree } from './playbook-helpers.ts';

const BASIC = 'test/fixtures/playbooks/basic';
const dir = writeTree({
  'inventory.yml': INVENTORY,
  'tasks.yml': '- command: echo {{ vip }}\n',
  'vars.yml': 'a: 1\n',
  // The corrupted playbook's own imports and vars files, so edits reach past them.
  'tasks/extra.yml': readFileSync(`${BASIC}/tasks/extra.yml`, 'utf8'),
  'vars/common.yml': readFileSync(`${BASIC}/vars/common.yml`, 'utf8'),
});
const inventory = loadInventory([join(dir, 'inventory.yml')]);
const site = join(dir, 'site.yml');

/** Loads the text as a playbook; returns 'ok' or 'user-error', and lets anything else escape. */
function outcome(text: string): 'ok' | 'user-error' {
  writeFileSync(site, text);
  try {
    loadValidPlaybook(site, inventory, { modules: fakeModules, extraVars: { e: 1 } });
    return 'ok';
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    for (const p of err.problems) expect(typeof p.message).toBe('string');
    return 'user-error';
  }
}

const scalar = fc.oneof(
  fc.constantFrom('{{ vip }}', '{{ nope }}', '{{', '{% for x in y %}', '{{ a | default(b) }}', '{{ x.y[0] }}', 'all', 'realservers', '30%', '/etc/x', 'yes', ''),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.constantFrom(...PLAY_KEYWORDS, ...TASK_KEYWORDS, ...fakeModules.names(), 'import_tasks', 'listen', 'block', 'ansible.builtin.copy', 'dest', 'content', 'cmd', 'host'),
  fc.string({ maxLength: 8 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
}));
const task = fc.dictionary(key, value, { maxKeys: 4 });
const play = fc.record(
  { hosts: fc.oneof(fc.constantFrom('all', 'realservers', 'rs1:lb1', 'nope', '*'), value), tasks: fc.array(task, { maxLength: 4 }), handlers: fc.array(task, { maxLength: 2 }), extra: fc.dictionary(key, value, { maxKeys: 3 }) },
  { requiredKeys: ['hosts'] },
).map(({ extra, ...rest }) => ({ ...extra, ...rest }));

describe('playbook loading under fuzzing', () => {
  it('never fails with an internal error on random playbook structures', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(play, { maxLength: 3 }), value), (doc) => {
        outcome(stringify(doc));
      }),
      { numRuns: 400, seed: 2024 },
    );
  });

  it('never fails with an internal error on corrupted playbook text', () => {
    const valid = readFileSync(`${BASIC}/site.yml`, 'utf8');
    const edit = fc.record({ at: fc.nat(valid.length), drop: fc.nat(6), insert: fc.string({ maxLength: 4, unit: fc.constantFrom(' ', '\t', ':', '-', '{', '}', '[', '"', "'", '\n', '%', '#', 'a') }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = valid;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.drop);
        outcome(text);
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('accepts the inputs it corrupts, so the corruption is what fails', () => {
    expect(outcome(readFileSync(`${BASIC}/site.yml`, 'utf8'))).toBe('ok');
    expect(outcome('- hosts: all\n  vars_files: [vars.yml]\n  tasks:\n    - import_tasks: tasks.yml\n')).toBe('ok');
  });
});
