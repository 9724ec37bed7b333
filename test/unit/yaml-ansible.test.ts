/**
 * YAML read as Ansible's loader reads it (PyYAML 1.1 resolvers and Ansible's constructors), in every
 * place lvsdr reads YAML. The expected values were taken from Debian's ansible-core 2.14.18:
 * `AnsibleLoader('k: ' + word).get_single_data()` for each word, and ansible-playbook /
 * ansible-inventory runs for the rendered and merged results.
 */
import { stateOf } from '../support/fact-state.ts';
import { fileKey } from '../../src/facts/file.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { UserError } from '../../src/core/errors.ts';
import { parseExtraVars } from '../../src/core/extra-vars.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { renderValue } from '../../src/core/templating.ts';
import { parseYamlSource } from '../../src/core/yaml-source.ts';
import { fileModule } from '../../src/modules/file.ts';
import type { ModuleContext } from '../../src/modules/types.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';
import { fakeModules } from './playbook-helpers.ts';

afterAll(removeTrees);

const valueOf = (word: string): unknown => (parseYamlSource('t.yml', `k: ${word}\n`).doc.toJS() as { k: unknown }).k;

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return err.problems.map((p) => `${p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col}: ` : ''}${p.message}`);
  }
  return [];
}

describe('plain scalars, typed as PyYAML types them', () => {
  const table: [string, unknown][] = [
    ['y', 'y'], ['Y', 'Y'], ['n', 'n'], ['N', 'N'],
    ['yes', true], ['Yes', true], ['YES', true], ['yEs', 'yEs'], ['no', false], ['on', true], ['Off', false], ['tRue', 'tRue'],
    ['e5', 'e5'], ['1e3', '1e3'], ['1.5e3', '1.5e3'], ['1.5e+3', 1500], ['1.e+3', 1000], ['.5', 0.5], ['1.5_0', 1.5],
    ['0644', 420], ['-0644', -420], ['0x1F', 31], ['0x_1F', 31], ['0b101', 5], ['1_000', 1000], ['1:30', 90], ['190:20:30', 685230],
    ['09', '09'], ['0o17', '0o17'], ['+12', 12], ['0b', '0b'], ['00', 0],
    ['.inf', Infinity], ['-.Inf', -Infinity],
    ['~', null], ['Null', null], ['nULL', 'nULL'], ['', null],
    ['2023-03-20', '2023-03-20'], ['2023-3-20', '2023-3-20'],
  ];
  it.each(table)('%s', (word, expected) => {
    expect(valueOf(word)).toEqual(expected);
  });

  it('reads NaN', () => {
    expect(valueOf('.NaN')).toBeNaN();
  });

  it('renders a date as Ansible does (2023-03-20), not as a JavaScript Date', () => {
    const vars = parseYamlSource('v.yml', 'release: 2023-03-20\n').doc.toJS() as Record<string, unknown>;
    expect(renderValue('released {{ release }}', vars)).toBe('released 2023-03-20');
  });

  it('refuses a timestamp with a time, which Ansible reads as a datetime', () => {
    expect(problemsOf(() => parseYamlSource('v.yml', 'a: 1\nt: 2001-12-14 21:59:43.10\n'))).toEqual([
      expect.stringMatching(/^v\.yml:2:4: YAML error: "2001-12-14 21:59:43\.10" is a timestamp, which Ansible reads as a Python datetime/),
    ]);
  });

  it('reads text that is JSON as JSON, as Ansible tries json.loads first', () => {
    expect(parseYamlSource('v.json', '{"n": 1e3, "y": "y"}').doc.toJS()).toEqual({ n: 1000, y: 'y' });
  });
});

describe('merge keys', () => {
  it('merges the mapping own keys first, then the earlier source', () => {
    const doc = parseYamlSource('m.yml', 'a: &a {x: 1, z: 1}\nb: &b {x: 2, w: 2}\nm:\n  <<: [*a, *b]\n  z: 3\n').doc.toJS();
    expect((doc as Record<string, unknown>).m).toEqual({ x: 1, z: 3, w: 2 });
  });

  it('merges at the top of an inventory host entry, in a group_vars file and in a vars file', () => {
    const root = writeTree({
      'hosts.yml': 'all:\n  vars:\n    common: &common\n      ansible_user: deploy\n      role: web\n  hosts:\n    rs1:\n      <<: *common\n      role: db\n',
      'group_vars/all.yml': 'defaults: &d\n  port: 80\n<<: *d\nextra: 1\n',
    });
    const inv = loadInventory([join(root, 'hosts.yml')]);
    const vars = inv.hosts.get('rs1')!.vars;
    expect(vars).toMatchObject({ ansible_user: 'deploy', role: 'db', port: 80, extra: 1 });
    expect(Object.keys(vars).some((k) => k.includes('<<'))).toBe(false);
  });

  it('merges into a task, so the merged module arguments and keywords are read', () => {
    const dir = writeTree({
      'site.yml':
        '- hosts: all\n  vars:\n    base: &copy_base\n      dest: /etc/x\n      content: hi\n  tasks:\n    - name: merged\n      copy:\n        <<: *copy_base\n        dest: /etc/y\n',
    });
    const play = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0];
    expect(leafTasks(play.tasks)[0].args).toEqual({ dest: '/etc/y', content: 'hi' });
  });
});

describe('!unsafe', () => {
  it('is never templated, in a play var, an inventory var and a task argument', () => {
    const dir = writeTree({
      'site.yml':
        '- hosts: all\n  vars:\n    raw: !unsafe "{{ not_a_var }}"\n    uses: "x {{ raw }}"\n  tasks:\n    - copy:\n        dest: /etc/x\n        content: !unsafe "{% raw %}{{ y }}"\n',
      'hosts.yml': 'all:\n  hosts:\n    rs1:\n      secret: !unsafe "p{{a}}\\"\\\\"\n',
    });
    const play = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0];
    expect(renderValue('{{ raw }}', play.vars)).toBe('{{ not_a_var }}');
    expect(renderValue('{{ uses }}', play.vars)).toBe('x {{ not_a_var }}');
    expect(renderValue(leafTasks(play.tasks)[0].args, {})).toEqual({ dest: '/etc/x', content: '{% raw %}{{ y }}' });
    const host = loadInventory([join(dir, 'hosts.yml')]).hosts.get('rs1')!;
    expect(renderValue('{{ secret }}', host.vars)).toBe('p{{a}}"\\');
  });

  it('applies to every string of an !unsafe list or mapping', () => {
    const vars = parseYamlSource('v.yml', 'l: !unsafe ["{{ a }}", {k: "{# c #}"}, 3]\n').doc.toJS() as Record<string, unknown>;
    expect(renderValue('{{ l }}', vars)).toEqual(['{{ a }}', { k: '{# c #}' }, 3]);
  });
});

describe('refused tags and files', () => {
  it('refuses a !vault value that is not vault text, with its position', () => {
    expect(problemsOf(() => parseYamlSource('g.yml', 'a: 1\npw: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n'))).toEqual([
      'g.yml:2:12: this !vault value is not valid vault text: the encrypted text is not salt, HMAC and ciphertext',
    ]);
  });

  it('refuses a vault-encrypted file when no password was given', () => {
    const root = writeTree({ 'hosts.yml': 'all:\n  hosts:\n    rs1:\n', 'group_vars/all.yml': readFileSync('test/fixtures/vault/secrets.yml', 'utf8') });
    expect(problemsOf(() => loadInventory([join(root, 'hosts.yml')]))).toEqual([
      `${join(root, 'group_vars/all.yml')}:1:1: this file is vault-encrypted and no vault password was given`,
    ]);
  });

  it('refuses a tag Ansible has no constructor for', () => {
    expect(problemsOf(() => parseYamlSource('t.yml', 'a: !include other.yml\n'))).toEqual(['t.yml:1:4: unknown YAML tag !include']);
  });
});

describe('every reader uses the same loader', () => {
  it('inventory, vars_files, play vars and -e @file read y as a string and yes as a boolean', () => {
    const dir = writeTree({
      'hosts.yml': 'all:\n  hosts:\n    rs1:\n      a: y\n      b: yes\n',
      'vars.yml': 'a: n\nb: off\n',
      'extra.yml': 'a: Y\nb: on\n',
      'site.yml': '- hosts: all\n  vars:\n    a: N\n    b: no\n  vars_files: [vars.yml]\n  tasks: []\n',
    });
    expect(loadInventory([join(dir, 'hosts.yml')]).hosts.get('rs1')!.vars).toMatchObject({ a: 'y', b: true });
    const play = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0];
    expect(play.vars).toEqual({ a: 'N', b: false });
    expect(play.varsFiles[0].vars).toEqual({ a: 'n', b: false });
    expect(parseExtraVars([`@${join(dir, 'extra.yml')}`, '{a2: n, b2: e5}'])).toEqual({ a: 'Y', b: true, a2: 'n', b2: 'e5' });
  });
});

describe('file modes from YAML', () => {
  const ctx = { facts: {}, vars: {}, playbookDir: '/', renderTemplate: (t: string) => t } as unknown as ModuleContext;
  const modeCommand = (yamlMode: string): string => {
    const mode = (parseYamlSource('t.yml', `mode: ${yamlMode}\n`).doc.toJS() as { mode: string | number }).mode;
    const plan = fileModule.plan({ path: '/etc/x', mode }, stateOf({ [fileKey('/etc/x')]: { exists: true, type: 'regular file', mode: '600', owner: 'root', group: 'root' } }), ctx);
    return plan.kind === 'change' ? plan.changes[0].commands[0].command.text : plan.kind;
  };
  // ansible-playbook with file: {mode: 0644}, {mode: 644} and {mode: '644'} left modes 644, 1204, 644.
  it('means what Ansible means by an unquoted 0644, an unquoted 644 and a quoted 644', () => {
    expect(modeCommand('0644')).toBe('chmod 0644 /etc/x');
    expect(modeCommand('644')).toBe('chmod 01204 /etc/x');
    expect(modeCommand("'644'")).toBe('chmod 644 /etc/x');
  });
});
