/** include_vars' plan: which files it loads, in what order, from where (each case run with ansible-playbook 2.14 first). */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { includeVarsModule } from '../../src/modules/include-vars.ts';
import type { ModuleContext } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';
import { writeTree } from './playbook-helpers.ts';

const state = stateOf({});

function plan(args: Record<string, unknown>, ctx: Partial<ModuleContext>) {
  const p = includeVarsModule.plan(args as never, state, { searchDirs: [], taskDir: '/nonexistent', playbookDir: '/nonexistent', ...ctx } as ModuleContext);
  if (p.kind === 'fail') return { failed: p.message };
  const result = p.result as { ansible_facts: Record<string, unknown>; ansible_included_var_files: string[] };
  return { vars: result.ansible_facts, files: result.ansible_included_var_files.map((f) => f.split('/').slice(-2).join('/')) };
}

describe('include_vars', () => {
  const dir = writeTree({
    'play/vars/app.yml': 'port: 80\n',
    'play/app.yml': 'port: 81\n',
    'role/vars/app.yml': 'port: 82\n',
    'role/vars/conf/a.yml': 'x: 1\n',
    'conf/b/2.yml': 'b: 2\nx: 2\n',
    'conf/a/1.yml': 'a: 1\nx: 1\n',
    'conf/0.yml': 'zero: 0\n',
    'conf/notes.txt': 'text',
    'list.yml': '- 1\n',
  });
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'conf', 'link'));

  it('finds a file under vars/ before beside it, along the search path, the playbook last', () => {
    expect(plan({ file: 'app.yml' }, { playbookDir: join(dir, 'play') }).vars).toEqual({ port: 80 });
    expect(plan({ file: 'app.yml' }, { searchDirs: [join(dir, 'role')], playbookDir: join(dir, 'play') }).vars).toEqual({ port: 82 });
    expect(plan({ file: 'app.yml', name: 'app' }, { playbookDir: join(dir, 'play') }).vars).toEqual({ app: { port: 80 } });
    expect(plan({ file: 'missing.yml' }, { playbookDir: join(dir, 'play') }).failed).toMatch(/cannot find vars file "missing.yml": looked for .*play\/vars\/missing.yml/);
    expect(plan({ file: join(dir, 'list.yml') }, {}).failed).toMatch(/a vars file must be a mapping/);
  });

  it('walks a directory in sorted path order, files sorted, depth counted in directories walked', () => {
    const ctx = { taskDir: dir };
    expect(plan({ dir: 'conf', ignore_unknown_extensions: true }, ctx)).toEqual({ vars: { zero: 0, a: 1, b: 2, x: 2 }, files: ['conf/0.yml', 'a/1.yml', 'b/2.yml'] });
    expect(plan({ dir: 'conf', depth: 2, ignore_unknown_extensions: true }, ctx).files).toEqual(['conf/0.yml', 'a/1.yml']);
    expect(plan({ dir: 'conf', files_matching: '^[0-9]', ignore_files: ['0.yml'] }, ctx).files).toEqual(['a/1.yml', 'b/2.yml']);
    expect(plan({ dir: 'conf' }, ctx).failed).toMatch(/conf\/notes.txt does not have a valid extension: yaml, yml, json/);
    expect(plan({ dir: 'conf', extensions: ['txt'], files_matching: 'notes' }, ctx).failed).toMatch(/must be a mapping/);
    expect(plan({ dir: 'nope' }, ctx).failed).toMatch(/nope directory does not exist/);
  });

  it("takes a role's dir from its vars/", () => {
    expect(plan({ dir: 'conf' }, { rolePath: join(dir, 'role'), taskDir: dir }).vars).toEqual({ x: 1 });
    expect(plan({ dir: 'vars/conf' }, { rolePath: join(dir, 'role'), taskDir: dir }).vars).toEqual({ x: 1 });
  });

  it('tells the static check the names a literal file defines, and nothing for a template', () => {
    const where = { searchDirs: [], playbookDir: join(dir, 'play') };
    expect(includeVarsModule.definesVars!({ file: 'app.yml' }, where)).toEqual(['port']);
    expect(includeVarsModule.definesVars!({ file: 'app.yml', name: 'app' }, where)).toEqual(['app']);
    expect(includeVarsModule.definesVars!({ file: '{{ os }}.yml' }, where)).toBeUndefined();
    expect(includeVarsModule.definesVars!({ dir: 'conf' }, where)).toBeUndefined();
  });
});
