import { describe, expect, it } from 'vitest';
import { colorEnabled, createRenderer, type OutputMode } from '../../src/output/renderer.ts';
import { realRun } from './output-events.ts';

async function render(mode: OutputMode, isTTY: boolean, color: boolean) {
  let out = '';
  const renderer = createRenderer({ mode, verbosity: 1, diff: true, color, isTTY, out: (t) => (out += t), err: () => {}, columns: 100 });
  realRun.forEach(renderer.listener);
  await renderer.finish();
  return out;
}

const cursorMoves = /\x1b\[\d*[AB]/;
const colors = /\x1b\[[0-9;]*m/;

describe('colorEnabled', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
  ])('%o on a terminal: %s → %s', (env, isTTY, expected) => {
    expect(colorEnabled(env, isTTY)).toBe(expected);
  });
});

describe('createRenderer', () => {
  it('prints plain lines when not on a terminal', async () => {
    const out = await render('auto', false, false);
    expect(out).toContain('\nchanged: [rs1] Set arp_ignore -> net.ipv4.conf.all.arp_ignore 0 → 1\n');
    expect(out).not.toMatch(cursorMoves);
    expect(await render('plain', true, false)).toBe(out);
  });

  it('draws live rows on a terminal, or when asked to', async () => {
    expect(await render('auto', true, false)).toMatch(cursorMoves);
    expect(await render('tty', false, false)).toMatch(cursorMoves);
  });

  it('prints JSON lines, never colored', async () => {
    const out = await render('json', true, true);
    expect(out).not.toContain('\x1b');
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l).type)).toEqual(realRun.map((e) => e.type));
  });

  it('writes no escape codes for color under NO_COLOR, in any mode', async () => {
    const color = colorEnabled({ NO_COLOR: '1' }, true);
    for (const mode of ['auto', 'plain', 'json'] as const) expect(await render(mode, true, color)).not.toMatch(colors);
    expect(await render('plain', true, colorEnabled({}, true))).toMatch(colors);
  });
});
