import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, type Problem } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { removeTrees, writeTree } from '../fixtures/inventory/write-tree.ts';

afterAll(removeTrees);

function problemsOf(paths: string[]): Problem[] {
  try {
    loadInventory(paths);
  } catch (err) {
    if (err instanceof UserError) return err.problems;
    throw err;
  }
  throw new Error('expected the inventory to be rejected');
}

/** `file:line:col: message` with the temp root cut off, to compare whole lines. */
function lines(root: string, problems: Problem[]): string[] {
  return problems.map((p) => `${p.pos ? `${p.pos.file.slice(root.length + 1)}:${p.pos.line}:${p.pos.col}: ` : ''}${p.message}`);
}

describe('loadInventory: problems', () => {
  it('reports every problem of every source at once, each with its position and a fix', () => {
    const root = writeTree({
      'a.yml': 'all:\n  children:\n    web:\n      hosts:\n        "w 1":\n      chidren:\n        db:\n',
      'b.yml': 'db:\n  hosts:\n    db[1:0]:\n    db9:\n      ansible_port: 0\n',
      'c.yml': 'x:\n  hosts: {a: 1\n',
    });
    const problems = problemsOf(['a.yml', 'b.yml', 'c.yml', 'missing.yml'].map((f) => join(root, f)));
    expect(lines(root, problems)).toEqual([
      'a.yml:5:9: host name "w 1" holds whitespace or shell metacharacters',
      'a.yml:6:7: unknown key "chidren" in group "web"',
      'b.yml:3:5: host range "[1:0]" in "db[1:0]" runs backwards',
      'b.yml:5:21: ansible_port is 0, not a port number',
      expect.stringMatching(/^c\.yml:3:1: YAML syntax error: /),
      `inventory not found: ${join(root, 'missing.yml')}`,
    ]);
    expect(problems[1].hint).toMatch(/did you mean "children"\?/);
    for (const p of problems) expect(p.hint).toBeTruthy();
  });

  it('places problems in group_vars/ and host_vars/ files', () => {
    const root = writeTree({
      'hosts.yml': 'web:\n  hosts:\n    w1:\n',
      'group_vars/web.yml': '- just\n- a list\n',
      'group_vars/all/conn.yml': 'ansible_port: "ssh"\n',
      'host_vars/w1.yml': 'a: [1, 2\nb: 3\n',
    });
    expect(lines(root, problemsOf([join(root, 'hosts.yml')]))).toEqual([
      'group_vars/all/conn.yml:1:15: ansible_port is "ssh", not a port number',
      'group_vars/web.yml:1:1: a vars file must be a mapping of variable names, found a list',
      expect.stringMatching(/^host_vars\/w1\.yml:2:1: YAML syntax error: /),
    ]);
  });

  it('reports every cycle where it closes', () => {
    const root = writeTree({
      'hosts.yml': 'a:\n  children:\n    b:\n      children:\n        c:\n          children:\n            a:\nd:\n  children:\n    d:\n',
    });
    expect(lines(root, problemsOf([join(root, 'hosts.yml')]))).toEqual([
      'hosts.yml:7:13: group "a" is its own ancestor: a → b → c → a',
      'hosts.yml:10:5: group "d" is its own ancestor: d → d',
    ]);
  });

  it('rejects a directory without inventory files, and no -i at all', () => {
    const root = writeTree({ 'inv/README.md': 'nothing\n', 'inv/old.ini': '[web]\nw1\n', 'inv/.hosts': '[web]\nw2\n' });
    expect(lines(root, problemsOf([join(root, 'inv')]))).toEqual([`inventory directory ${join(root, 'inv')} holds no inventory files`]);
    expect(lines(root, problemsOf([]))).toEqual(['no inventory given']);
  });

  // ansible-inventory runs an executable inventory file (its script plugin comes before yaml and ini).
  it('refuses an executable inventory script, given directly or found in a directory', () => {
    const root = writeTree({ 'inv/aws.py': '#!/usr/bin/env python3\nprint("{}")\n', 'inv/static.hosts': '[web]\nw1\n' });
    chmodSync(join(root, 'inv/aws.py'), 0o755);
    const message = 'inv/aws.py:1:1: this is an executable inventory script, which lvsdr does not run';
    expect(lines(root, problemsOf([join(root, 'inv')]))).toEqual([message]);
    expect(lines(root, problemsOf([join(root, 'inv/aws.py')]))).toEqual([message]);
  });

  it('reads an executable file that is not a script as Ansible ends up doing (INI), and refuses TOML', () => {
    const root = writeTree({ 'inv/web': '[web]\nw1\n', 'inv/x.toml': '[web.hosts]\nw2 = {}\n' });
    chmodSync(join(root, 'inv/web'), 0o755);
    expect(lines(root, problemsOf([join(root, 'inv')]))).toEqual(['inv/x.toml:1:1: lvsdr does not read TOML inventories']);
    expect(loadInventory([join(root, 'inv/web')]).hosts.has('w1')).toBe(true);
  });

  it('rejects a host name that starts with "-", even from a range', () => {
    const root = writeTree({ 'hosts.yml': 'all:\n  hosts:\n    "[a:b]-x":\n    -oProxyCommand=x:\n' });
    expect(lines(root, problemsOf([join(root, 'hosts.yml')]))).toEqual([
      'hosts.yml:4:5: host name "-oProxyCommand=x" starts with "-"',
    ]);
  });
});
