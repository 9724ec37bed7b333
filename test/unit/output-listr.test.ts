import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createListrRenderer } from '../../src/output/listr.ts';
import { makeStyle } from '../../src/output/style.ts';
import type { RunEvent } from '../../src/core/events.ts';
import { checkRun, realRun, result } from './output-events.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves to what `finish` left on the fake terminal, or fails when it takes longer than `ms`. */
async function finishWithin(finish: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`renderer did not finish within ${ms}ms`)), ms);
  });
  try {
    await Promise.race([finish(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function fakeTerminal(color = false, verbosity = 0) {
  let screen = '';
  const errors: string[] = [];
  const renderer = createListrRenderer({
    verbosity,
    diff: false,
    style: makeStyle(color),
    color,
    out: (t) => (screen += t),
    err: (t) => errors.push(t),
    columns: 120,
    rows: 40,
  });
  // Cursor movement and line erasing removed: roughly the text a terminal keeps.
  const text = () => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  return { renderer, raw: () => screen, text, errors };
}

describe('listr2 live renderer', () => {
  it('draws a row per host while events arrive, and finishes with the rows, the failures and the recap', async () => {
    const term = fakeTerminal();
    for (const event of realRun) {
      term.renderer.listener(event);
      await tick(15);
    }
    await finishWithin(term.renderer.finish, 5000);
    const text = term.text();
    expect(term.raw()).toMatch(/\x1b\[\d*A/); // it redrew in place, as on a terminal
    expect(text).toContain('PLAY [Real servers]');
    expect(text).toContain('rs1  ok=0 changed=0  Set arp_ignore');
    expect(text).toContain('rs1  ok=4 changed=2 skipped=1 ignored=1\n');
    expect(text).toContain('rs2  ok=1 changed=0 failed=1\n');
    expect(text).toContain('Persist sysctl: mv: cannot move');
    expect(text).toContain('rs3  ok=0 changed=0 unreachable=1\n');
    // Under the final rows: what changed or failed, as plain lines; ok and skipped are in the counts.
    expect(text).toContain('changed: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1\n');
    expect(text).toContain('failed: [rs2] Persist sysctl: mv: cannot move\n');
    expect(text).toContain('unreachable: [rs3] connect ETIMEDOUT 198.18.0.13:22\n');
    expect(text).not.toContain('ok: [rs2]');
    expect(text.trimEnd().endsWith('elapsed: 4.2s')).toBe(true);
    expect(text.indexOf('PLAY RECAP')).toBeGreaterThan(text.lastIndexOf('rs3  ok=0'));
    expect(term.errors).toEqual([]);
  });

  it('keeps up when all events arrive before it has drawn anything', async () => {
    const term = fakeTerminal(false, 1);
    const second: RunEvent[] = [
      { type: 'play:start', play: 'Director', hosts: ['lb1'], check: false },
      result({ host: 'lb1', task: 'keepalived.conf', status: 'ok', reason: 'up to date' }),
    ];
    for (const event of [...realRun.slice(0, -1), ...second, realRun.at(-1)!]) term.renderer.listener(event);
    await finishWithin(term.renderer.finish, 5000);
    const text = term.text();
    expect(text).toContain('rs1  ok=4 changed=2 skipped=1 ignored=1\n');
    expect(text).toContain('lb1  ok=1 changed=0\n');
    // With -v everything is kept under the rows, in order: the first play before the second.
    expect(text.indexOf('ok: [rs2] Set arp_ignore (already 1)')).toBeLessThan(text.indexOf('PLAY [Director]'));
    expect(text.indexOf('ok: [lb1] keepalived.conf (up to date)')).toBeLessThan(text.indexOf('PLAY RECAP'));
  });

  it('counts a looping task once, and goes on after a failure a rescue takes over', async () => {
    const term = fakeTerminal();
    const loopPos = { file: 'site.yml', line: 9, col: 7 };
    const item = (status: 'ok' | 'changed', n: number) => result({ host: 'rs1', task: 'Files', pos: loopPos, status, item: n });
    const events: RunEvent[] = [
      { type: 'play:start', play: 'Control', hosts: ['rs1'], check: false },
      { type: 'task:start', host: 'rs1', task: 'Files' },
      item('ok', 1),
      item('changed', 2),
      item('ok', 3),
      { type: 'task:start', host: 'rs1', task: 'Check' },
      result({ host: 'rs1', task: 'Check', status: 'failed', msg: 'exit 1', rescued: true }),
      { type: 'task:start', host: 'rs1', task: 'Recover' },
      result({ host: 'rs1', task: 'Recover', status: 'changed' }),
    ];
    for (const event of events) {
      term.renderer.listener(event);
      await tick(15);
    }
    await finishWithin(term.renderer.finish, 5000);
    expect(term.text()).toMatch(/rs1 {2}ok=2 changed=2 rescued=1\n/);
  });

  it('ends rows of hosts that never ran when the run stops early', async () => {
    const term = fakeTerminal();
    term.renderer.listener({ type: 'play:start', play: 'Rollout', hosts: ['rs1', 'rs2'], check: true });
    term.renderer.listener({ type: 'task:start', host: 'rs1', task: 'Drain' });
    await tick(30);
    await finishWithin(term.renderer.finish, 5000);
    const text = term.text();
    expect(text).toContain('PLAY [Rollout] (check mode: nothing will be changed)');
    expect(text).toContain('rs2  not run');
    expect(text).toMatch(/rs1 {2}ok=0 changed=0\n/);
  });

  it('writes no color when color is off, and color when it is on', async () => {
    const plain = fakeTerminal(false);
    checkRun.forEach(plain.renderer.listener);
    await finishWithin(plain.renderer.finish, 5000);
    expect(plain.raw()).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(plain.text()).toContain('(check) would change: [rs1] Set arp_ignore');
    // An ok result is kept under the rows when its dry-run answer comes with a caveat.
    expect(plain.text()).toContain("(check) ok: [rs1] Set arp_announce (already 2)\n    note: planned on state that task 'Reload firewall'");

    const colored = fakeTerminal(true);
    checkRun.forEach(colored.renderer.listener);
    await finishWithin(colored.renderer.finish, 5000);
    expect(colored.raw()).toContain('\x1b[33mchanged=2\x1b[0m');
  });

  it('falls back to plain lines, and says so, when the terminal cannot be drawn on', async () => {
    let screen = '';
    const errors: string[] = [];
    const renderer = createListrRenderer({
      verbosity: 0,
      diff: false,
      style: makeStyle(false),
      color: false,
      out: (t) => {
        if (t.includes('\x1b[?25l')) throw new Error('EIO: hide cursor');
        screen += t;
      },
      err: (t) => errors.push(t),
    });
    [...realRun, ...checkRun].forEach(renderer.listener);
    await finishWithin(renderer.finish, 5000);
    expect(errors).toEqual(['live progress failed (EIO: hide cursor); continuing with plain output\n']);
    expect(screen).toContain('\nPLAY [Real servers] ****');
    expect(screen).toContain('ok: [rs2] Set arp_ignore (already 1)\n');
    expect(screen).toContain('(check) would change: [rs1] Set arp_ignore');
    expect(screen.trimEnd().endsWith('elapsed: 850ms')).toBe(true);
  });

  it('does not keep the process alive when a run ends without finish()', () => {
    const listr = fileURLToPath(new URL('../../src/output/listr.ts', import.meta.url));
    const style = fileURLToPath(new URL('../../src/output/style.ts', import.meta.url));
    const script = `
      import { createListrRenderer } from ${JSON.stringify(listr)};
      import { makeStyle } from ${JSON.stringify(style)};
      const r = createListrRenderer({ verbosity: 0, diff: false, style: makeStyle(false), color: false, out: () => {}, err: () => {} });
      r.listener({ type: 'play:start', play: 'p', hosts: ['rs1'], check: false });
      r.listener({ type: 'task:start', host: 'rs1', task: 't' });
      setTimeout(() => console.log('abandoned'), 300);
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(child.error).toBeUndefined();
    expect(child.stdout).toBe('abandoned\n');
    expect(child.status).toBe(0);
  });
});
