/**
 * `environment`: the levels merged as Ansible's action plugins merge them, values as Python's text
 * of them (each row run with ansible-playbook 2.14: test/fixtures/lang/environment.yml), and the
 * shell text that exports them, quoted by `sh`.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { withEnvironment } from '../../src/connection/shell-connection.ts';
import { AccessError, accessKey, execAs, resolveAccess, taskEnvironment } from '../../src/core/executor/task-access.ts';

const cli = { become: false };
const env = (levels: unknown[], vars: Record<string, unknown> = {}) => taskEnvironment(levels, vars);

describe('environment', () => {
  it('merges the levels outermost first, the innermost winning a name; values are Python text', () => {
    expect(env([{ P: 'play', Q: 'play' }, { R: 'block', Q: 'block' }, { A: true, B: 1, C: null, D: 1.5, Q: 'task' }])).toEqual({
      P: 'play',
      Q: 'task',
      R: 'block',
      A: 'True',
      B: '1',
      C: 'None',
      D: '1.5',
    });
    expect(env(['{{ envs }}', { F: '{{ x }}' }], { envs: { E: 'x1' }, x: 'y' })).toEqual({ E: 'x1', F: 'y' });
    expect(env([])).toBeUndefined();
    expect(env([{}])).toBeUndefined();
  });

  it('fails the task when a template gives no mapping or a bad name', () => {
    expect(() => env(['{{ envs }}'], { envs: ['A=1'] })).toThrow(AccessError);
    expect(() => env(['{{ envs }}'], { envs: { 'A-B': 1 } })).toThrow(/environment variable name "A-B" is not valid/);
  });

  it('keeps reads made in another environment apart, and hands the environment to exec', () => {
    const plain = resolveAccess([], cli, {});
    const withEnv = { ...plain, environment: taskEnvironment([{ LANG: 'C' }], {}) };
    expect(accessKey(plain)).not.toBe(accessKey(withEnv));
    expect(execAs(withEnv).environment).toEqual({ LANG: 'C' });
    expect(execAs(plain)).not.toHaveProperty('environment');
  });

  it('exports each variable quoted ahead of the command, so a shell reads back exactly the value', () => {
    const hostile = `a b'c $HOME \`id\` "q" \\ ;|&\n2`;
    const text = withEnvironment('printf "%s|%s" "$X" "$Y"', { X: hostile, Y: '' });
    expect(text).toBe(`export X='a b'"'"'c $HOME \`id\` "q" \\ ;|&\n2'\nexport Y=''\nprintf "%s|%s" "$X" "$Y"`);
    expect(execFileSync('/bin/sh', ['-c', text], { encoding: 'utf8' })).toBe(`${hostile}|`);
    expect(withEnvironment('true', undefined)).toBe('true');
    expect(() => withEnvironment('true', { 'A B': '1' })).toThrow(/internal/);
  });
});
