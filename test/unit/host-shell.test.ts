/**
 * The protocol of the connection's long-lived shell, run for real: frames written to a local
 * `/bin/sh -s`, its output cut back into one result per command.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandFrame, StreamUntil } from '../../src/connection/host-shell.ts';

const MARKER = '@@lvsdr-test';

/** Runs the commands one after another in one shell, as the connection does. */
async function inOneShell(commands: { command: string; stdin?: string }[]) {
  const shell = spawn('/bin/sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const results: { code: number; stdout: string; stderr: string }[] = [];
  for (const [index, c] of commands.entries()) {
    const frame = commandFrame(c.command, c.stdin, MARKER, index);
    if (frame === undefined) throw new Error(`no frame for ${JSON.stringify(c)}`);
    const out = new StreamUntil(`\n${MARKER} end ${index} `);
    const err = new StreamUntil(`\n${MARKER} end ${index} `);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (out.line === undefined || err.line === undefined) return;
        shell.stdout.off('data', onOut);
        shell.stderr.off('data', onErr);
        resolve();
      };
      const onOut = (chunk: Buffer) => (out.push(chunk), check());
      const onErr = (chunk: Buffer) => (err.push(chunk), check());
      shell.stdout.on('data', onOut);
      shell.stderr.on('data', onErr);
      shell.stdin.write(frame);
    });
    results.push({ code: Number(out.line), stdout: out.text(), stderr: err.text() });
  }
  shell.stdin.end();
  return results;
}

describe('commandFrame', () => {
  it('runs each command on its own: its status, output and input, whatever the one before did', async () => {
    const results = await inOneShell([
      { command: 'cd /; X=1; set -e; exit 3' },
      { command: 'pwd >/dev/null; echo "[${X-unset}]"; false; echo after' },
      { command: 'if then' },
      { command: 'cat; echo err >&2', stdin: "line 1\n'quoted' $(not run)\n" },
      { command: 'cat <<EOF\nheredoc in the command\nEOF' },
      { command: 'printf "%s" partial; printf "%s" e >&2' },
      { command: 'cat' },
    ]);
    expect(results[0]).toEqual({ code: 3, stdout: '', stderr: '' });
    expect(results[1]).toEqual({ code: 0, stdout: '[unset]\nafter\n', stderr: '' });
    expect(results[2].code).toBe(2);
    expect(results[2].stderr).toMatch(/Syntax error/);
    expect(results[3]).toEqual({ code: 0, stdout: "line 1\n'quoted' $(not run)\n", stderr: 'err\n' });
    expect(results[4]).toEqual({ code: 0, stdout: 'heredoc in the command\n', stderr: '' });
    expect(results[5]).toEqual({ code: 0, stdout: 'partial', stderr: 'e' });
    expect(results[6]).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('leaves to the caller the input a here-document cannot carry exactly', () => {
    expect(commandFrame('cat', 'no final newline', MARKER, 0)).toBeUndefined();
    expect(commandFrame('cat', 'nul\0\n', MARKER, 0)).toBeUndefined();
    expect(commandFrame('cat', `x\n${MARKER}-in-4\n`, MARKER, 4)).toBeUndefined();
    expect(commandFrame('cat', '', MARKER, 0)).toContain('</dev/null');
  });
});

describe('StreamUntil', () => {
  it('finds the marker and its line across chunks cut anywhere, and keeps what came before', () => {
    const data = Buffer.from(`grüße\nmore\n${MARKER} end 7 13\nlater`);
    for (let size = 1; size <= 7; size++) {
      const s = new StreamUntil(`\n${MARKER} end 7 `);
      let done = false;
      for (let i = 0; i < data.length && !done; i += size) done = s.push(data.subarray(i, i + size));
      expect(done).toBe(true);
      expect(s.line).toBe('13');
      expect(s.text()).toBe('grüße\nmore');
    }
  });

  it('gives all it read when the marker never comes', () => {
    const s = new StreamUntil(`\n${MARKER} end 0 `);
    expect(s.push(Buffer.from(`${MARKER} end 0 1\n`))).toBe(false);
    expect(s.text()).toBe(`${MARKER} end 0 1\n`);
  });
});
