/** A change's commands in few execs: grouping by stdin, order, stop at the first failure. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandGroups, groupOutcome, type CommandGroup } from '../../src/core/executor/command-groups.ts';
import type { RemoteCommand } from '../../src/modules/types.ts';
import { sh } from '../../src/shell/quote.ts';

const M = '@@m';
const run = (g: CommandGroup) => spawnSync('/bin/sh', ['-c', g.script], { input: g.stdin ?? '', encoding: 'utf8' });

describe('command groups', () => {
  it('a change shares one exec; a command with its own time limit runs alone', () => {
    const cmds: RemoteCommand[] = [
      { command: sh`echo 1` },
      { command: sh`cat`, stdin: 'content' },
      { command: sh`echo 3` },
      { command: sh`sleep 1`, timeoutMs: 60_000 },
      { command: sh`echo 5` },
      { command: sh`echo 6` },
    ];
    const groups = commandGroups(cmds, 1000, M);
    expect(groups.map((g) => g.indices)).toEqual([[0, 1, 2], [3], [4, 5]]);
    expect(groups.map((g) => g.timeoutMs)).toEqual([3000, 60_000, 2000]);
    // Input travels inside the script, which the connection sends on a shell's stdin, never on a command line.
    expect(groups[0].scriptOnInput).toBe(true);
    expect(groups[0].stdin).toBeUndefined();
    expect(groups[0].script).toContain('content');
    expect(groups[2].scriptOnInput).toBeUndefined();
  });

  it('runs in order, feeds each command exactly its own input and nothing else, and says how many succeeded', () => {
    const cmds: RemoteCommand[] = [
      { command: sh`cat; echo a`, stdin: 'x\n\n' },
      { command: sh`cat; printf b` },
      { command: sh`cat`, stdin: 'IN' },
      { command: sh`wc -c`, stdin: '' },
      { command: sh`cat`, stdin: 'é\n' },
    ];
    const [g] = commandGroups(cmds, 1000, M);
    const r = run(g);
    expect(r.status).toBe(0);
    expect(groupOutcome(g, r.status, r.stdout, M)).toEqual({ succeeded: 5, stdout: 'x\n\na\nbIN0\né\n' });
  });

  it('stops at the first failing command and names it; an exit ends only that command', () => {
    const cmds: RemoteCommand[] = [{ command: sh`echo a; exit 0` }, { command: sh`cat; exit 3`, stdin: 'b\n' }, { command: sh`echo never` }];
    const [g] = commandGroups(cmds, 1000, M);
    const r = run(g);
    expect(r.status).toBe(3);
    expect(groupOutcome(g, r.status, r.stdout, M)).toEqual({ succeeded: 1, stdout: 'a\nb\n' });
  });
});
