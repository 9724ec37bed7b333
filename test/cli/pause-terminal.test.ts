/**
 * pause on a terminal: `lvsdr run` under util-linux's `script`, which gives it a pseudo-terminal,
 * with this test typing at each prompt once it shows. Bounded: the run is killed after 30 s.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.ts';

/** Runs the playbook on a terminal, typing each answer once its prompt shows; what the terminal showed and the exit code. */
function onTerminal(answers: [prompt: string, keys: string][]): Promise<{ screen: string; code: number | null }> {
  const command = 'bin/lvsdr run test/fixtures/lang/pause-prompt.yml -i test/fixtures/lang/inventory.yml --no-record';
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = [...answers];
  let screen = '';
  const seen = (data: Buffer) => {
    screen += data.toString();
    if (pending.length > 0 && screen.includes(pending[0][0])) child.stdin.write(pending.shift()![1]);
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  const killer = setTimeout(() => child.kill(), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      child.stdin.end();
      resolve({ screen: screen.replaceAll('\r\n', '\n'), code });
    }),
  );
}

describe('pause on a terminal', () => {
  it('waits for Enter and returns what was typed (hidden with echo: false); with seconds shows its prompt and waits them', { timeout: 40_000 }, async () => {
    const started = Date.now();
    const { screen, code } = await onTerminal([
      ['Type the token (output is hidden):', 's3cret\r'],
      ['Say hello:', 'hx\u007fi\r'],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain('[ask]\nType the token (output is hidden):\n');
    expect(screen).not.toContain('s3cret');
    expect(screen).toContain('check the token (all assertions passed)');
    expect(screen).toContain('[ask aloud]\nSay hello:hx\b \bi\n');
    expect(screen).toContain('Pausing for 1 seconds\n[timed]\nWatch the graphs:\n');
    expect(screen).toContain("said hi, waited 1, typed ''");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('interrupts the run on Ctrl+C at a prompt', { timeout: 40_000 }, async () => {
    const { screen, code } = await onTerminal([['Type the token (output is hidden):', '\u0003']]);
    expect(code, screen).toBe(ExitCode.interrupted);
    expect(screen).toContain('lvsdr: interrupted');
    expect(screen).toContain('interrupted at the prompt');
    expect(screen).not.toContain('check the token');
  });
});
