import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { parseExtraVars } from '../../src/core/extra-vars.ts';

function problemsOf(values: string[], cwd?: string): string[] {
  try {
    parseExtraVars(values, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).problems.map((p) => `${p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col}: ` : ''}${p.message}`);
  }
  throw new Error('expected a UserError');
}

describe('parseExtraVars', () => {
  it('reads key=value words as strings, with shell-like quoting', () => {
    expect(parseExtraVars(['vip=198.18.0.100 port=80'])).toEqual({ vip: '198.18.0.100', port: '80' });
    expect(parseExtraVars([`msg="hello world" other='a b' eq=a=b empty=`])).toEqual({ msg: 'hello world', other: 'a b', eq: 'a=b', empty: '' });
    expect(parseExtraVars(['q="say \\"hi\\""'])).toEqual({ q: 'say "hi"' });
  });

  it("reads key=value words as Ansible's parse_kv does (each checked with ansible-playbook 2.14 -e)", () => {
    expect(parseExtraVars(['a=x"y z"'])).toEqual({ a: 'x"y z"' });
    expect(parseExtraVars(["a='b c' d=e"])).toEqual({ a: 'b c', d: 'e' });
    expect(parseExtraVars(['a=1\\nb'])).toEqual({ a: '1\nb' });
    expect(parseExtraVars(['a=b=c'])).toEqual({ a: 'b=c' });
    expect(parseExtraVars([' a=1'])).toEqual({ a: '1' });
    expect(parseExtraVars(['a=x\\ d=2'])).toEqual({ a: 'x\\', d: '2' });
    expect(parseExtraVars([`a="it's"`])).toEqual({ a: "it's" });
    // Ansible would make `justword` a variable named _raw_params: surely a mistake, so refused.
    expect(problemsOf(['justword a=1'])).toEqual(['-e #1:1:1: expected key=value, got "justword"']);
  });

  it('reads inline JSON and YAML with their types', () => {
    expect(parseExtraVars(['{"ports": [80, 443], "on": true}'])).toEqual({ ports: [80, 443], on: true });
    expect(parseExtraVars(['{vip: 198.18.0.100, weight: 2}'])).toEqual({ vip: '198.18.0.100', weight: 2 });
  });

  it('reads @files relative to the given directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsdr-extra-'));
    writeFileSync(join(dir, 'a.yml'), 'vip: 198.18.0.100\nports: [80]\n');
    writeFileSync(join(dir, 'b.json'), '{"vip": "198.18.0.101"}');
    writeFileSync(join(dir, 'empty.yml'), '');
    expect(parseExtraVars(['@a.yml'], dir)).toEqual({ vip: '198.18.0.100', ports: [80] });
    expect(parseExtraVars(['@a.yml', '@b.json', '@empty.yml'], dir)).toEqual({ vip: '198.18.0.101', ports: [80] });
  });

  it('lets a later -e win, key by key', () => {
    expect(parseExtraVars(['a=1 b=2', '{"b": 3}', 'c=4'])).toEqual({ a: '1', b: 3, c: '4' });
  });

  it('positions every problem in every value at once', () => {
    expect(problemsOf(['ok=1', 'novalue', 'a=1 9x=2', "s='open"])).toEqual([
      '-e #2:1:1: expected key=value, got "novalue"',
      '-e #3:1:5: invalid variable name "9x"',
      "-e #4:1:3: unterminated ' quote",
    ]);
  });

  it('refuses inline values and files that are not mappings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsdr-extra-'));
    writeFileSync(join(dir, 'list.yml'), '- a\n');
    expect(problemsOf(['[1, 2]'])).toEqual(['-e #1:1:1: inline extra vars must be a mapping of names to values']);
    expect(problemsOf(['@list.yml'], dir)[0]).toMatch(/list\.yml:1:1: the extra-vars file must be a mapping/);
    expect(problemsOf(['{"a b": 1}'])).toEqual(['-e #1:1:2: invalid variable name "a b"']);
  });

  it('names a missing file and a bad @', () => {
    expect(problemsOf(['@nope.yml'], tmpdir())[0]).toMatch(/^-e #1:1:2: file not found: .*nope\.yml/);
    expect(problemsOf(['@'])).toEqual(["-e #1:1:1: '@' must be followed by a file name"]);
    expect(problemsOf(['  '])).toEqual(['-e #1:1:1: empty extra vars']);
  });

  it('positions YAML syntax errors in inline values', () => {
    expect(problemsOf(['{"a": 1'])[0]).toMatch(/^-e #1:1:8: YAML syntax error/);
  });
});
