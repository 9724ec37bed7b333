/**
 * The command module's `$VAR` and `~` expansion: the shell text lvsdr builds, run by this machine's
 * /bin/sh, must give each argument exactly what Python's os.path.expanduser(os.path.expandvars())
 * gives in the same environment (ansible-core 2.14's run_command), checked here against python3.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expandedArgvCommand, needsExpansion } from '../../src/modules/command-expansion.ts';

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/test', foo: 'outer', empty: '', spaced: ' a  b * ', nl: 'x\n\n', tl: '~/t', a: 'a-in-env' };

/** What each argument becomes, one per line of JSON, when the program is printf. */
function viaShell(args: string[]): string[] {
  const out = execFileSync('/bin/sh', ['-c', expandedArgvCommand(['printf', '%s\\0', ...args]).text], { env: ENV, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

function viaPython(args: string[]): string[] {
  const code = 'import json,os,sys\nfor a in json.loads(sys.argv[1]): sys.stdout.write(os.path.expanduser(os.path.expandvars(a)) + "\\0")';
  return execFileSync('python3', ['-c', code, JSON.stringify(args)], { env: ENV, encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('command argument expansion', () => {
  const cases = [
    '$foo', '${foo}', '$nope', '${nope}', 'x$foo.y', '$empty|', '$1', '${a-b}', '$', 'a$', '$$foo',
    '~', '~/a', '~root/b', '~nosuchuser/c', 'a~', '$tl', '~$foo', '$spaced', '$nl', "it's $foo", '$a', '${foo}${foo}$foo',
    '`id`', '$(id)', '"q"', '\\n', '*',
  ];

  it('gives every argument what Python gives it', () => {
    expect(viaShell(cases)).toEqual(viaPython(cases));
  });

  it('is only used for arguments that have something to expand', () => {
    expect(needsExpansion(['echo', 'plain', 'a~b'])).toBe(false);
    expect(needsExpansion(['echo', '$HOME'])).toBe(true);
    expect(needsExpansion(['ls', '~/x'])).toBe(true);
  });
});
