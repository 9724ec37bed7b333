import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { pythonLiteral } from '../../src/core/inventory/python-literal.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';

afterAll(removeTrees);

describe('pythonLiteral (INI values, like ast.literal_eval)', () => {
  it.each([
    ['2222', 2222],
    ['-1', -1],
    ['0.5', 0.5],
    ['1e3', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ["'a b'", 'a b'],
    ['"it\\"s"', 'it"s'],
    ["[1, 'a', [True]]", [1, 'a', [true]]],
    ["('x', 2,)", ['x', 2]],
    ["{'a': 1, \"b\": [None]}", { a: 1, b: [null] }],
    ['yes', 'yes'],
    ['0644', '0644'],
    ['1.2.3.4', '1.2.3.4'],
    ['[1, 2', '[1, 2'],
    ["'open", "'open"],
    ['true', 'true'],
    ['', ''],
  ])('%s', (text, value) => {
    expect(pythonLiteral(text)).toEqual(value);
  });
});

describe('INI inventories', () => {
  it('loads a directory with an extensionless INI file and a YAML file side by side', () => {
    const root = writeTree({
      'inv/hosts': '[web]\nw1 ansible_host=198.18.0.21\n[web:vars]\nport=80\n',
      'inv/more.yml': 'web:\n  hosts: {w2: }\n',
      'inv/notes.txt': 'not an inventory\n',
    });
    const inv = loadInventory([join(root, 'inv')]);
    expect(inv.select('web')).toEqual(['w1', 'w2']);
    expect(inv.hosts.get('w1')!.vars).toEqual({ ansible_host: '198.18.0.21', lvsdr_host: '198.18.0.21', port: 80 });
  });

  it('reads an extensionless file that is a YAML mapping as YAML, as Ansible does', () => {
    const root = writeTree({ hosts: 'all:\n  hosts:\n    a:\n' });
    expect([...loadInventory([join(root, 'hosts')]).hosts.keys()]).toEqual(['a']);
  });

  it('reports every problem with its line and column', () => {
    const root = writeTree({
      'hosts.ini': [
        '[web]',
        'w1 ansible_port=abc',
        'w2 novalue',
        'rs[1-3]',
        '[web:bogus]',
        '[lvs:children]',
        'web',
        'realservers',
        '[db:vars]',
        'x=1',
        '[bad ]',
        'w3 a="unclosed',
        'all:',
      ].join('\n'),
    });
    let problems: string[] = [];
    try {
      loadInventory([join(root, 'hosts.ini')]);
    } catch (err) {
      problems = (err as UserError).problems.map((p) => `${p.pos!.line}:${p.pos!.col}: ${p.message}`);
    }
    expect(problems).toEqual([
      '2:17: ansible_port is "abc", not a port number',
      '3:4: expected key=value after the host name, found "novalue"',
      '4:1: host range "[1-3]" in "rs[1-3]" is not begin:end or begin:end:step',
      '5:1: section [web:bogus] has an unknown type "bogus"',
      '11:1: invalid section header [bad ]',
      '13:1: "all:" looks like YAML, but this file is read as an INI inventory',
      '8:1: group "realservers" is used here but has no [realservers] or [realservers:children] section',
      '9:2: group "db" is used here but has no [db] or [db:children] section',
    ]);
  });

  it('reports an unclosed quote', () => {
    const root = writeTree({ 'hosts.ini': '[web]\nw3 a="unclosed\n' });
    expect(() => loadInventory([join(root, 'hosts.ini')])).toThrow(/hosts\.ini:2:1: unclosed double quote in "w3 a="unclosed"/);
  });
});
