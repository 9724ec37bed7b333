import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unifiedDiff } from '../../src/output/unified-diff.ts';

const labels = { fromLabel: 'a', toLabel: 'b' };
const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n', labels)).toEqual([]);
    expect(unifiedDiff('', '', labels)).toEqual([]);
  });

  it('shows a changed line with three lines of context', () => {
    const before = lines(9);
    const after = before.replace('line 5\n', 'line five\n');
    expect(unifiedDiff(before, after, labels)).toEqual([
      '--- a',
      '+++ b',
      '@@ -2,7 +2,7 @@',
      ' line 2',
      ' line 3',
      ' line 4',
      '-line 5',
      '+line five',
      ' line 6',
      ' line 7',
      ' line 8',
    ]);
  });

  it('shows an added and a removed line', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\nc\n', labels)).toEqual(['--- a', '+++ b', '@@ -1,2 +1,3 @@', ' a', ' b', '+c']);
    expect(unifiedDiff('a\nb\nc\n', 'a\nc\n', labels)).toEqual(['--- a', '+++ b', '@@ -1,3 +1,2 @@', ' a', '-b', ' c']);
  });

  it('diffs against an empty text, as for a created or removed file', () => {
    expect(unifiedDiff('', 'x\ny\n', labels)).toEqual(['--- a', '+++ b', '@@ -0,0 +1,2 @@', '+x', '+y']);
    expect(unifiedDiff('x\n', '', labels)).toEqual(['--- a', '+++ b', '@@ -1 +0,0 @@', '-x']);
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb', labels)).toEqual([
      '--- a',
      '+++ b',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '+b',
      '\\ No newline at end of file',
    ]);
  });

  it('splits changes far apart into hunks and joins close ones', () => {
    const before = lines(30);
    const far = before.replace('line 3\n', 'three\n').replace('line 25\n', 'twenty-five\n');
    expect(unifiedDiff(before, far, labels).filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,6 +1,6 @@', '@@ -22,7 +22,7 @@']);
    // Six unchanged lines between two changes: their contexts touch, so one hunk.
    const near = before.replace('line 10\n', 'ten\n').replace('line 17\n', 'seventeen\n');
    expect(unifiedDiff(before, near, labels).filter((l) => l.startsWith('@@'))).toEqual(['@@ -7,14 +7,14 @@']);
    const apart = before.replace('line 10\n', 'ten\n').replace('line 18\n', 'eighteen\n');
    expect(unifiedDiff(before, apart, labels).filter((l) => l.startsWith('@@'))).toEqual(['@@ -7,7 +7,7 @@', '@@ -15,7 +15,7 @@']);
  });

  it('honours a smaller context', () => {
    expect(unifiedDiff(lines(5), lines(5).replace('line 3\n', 'x\n'), { ...labels, context: 0 })).toEqual([
      '--- a',
      '+++ b',
      '@@ -3 +3 @@',
      '-line 3',
      '+x',
    ]);
  });
});

describe('unifiedDiff against GNU tools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-udiff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Few distinct lines, so random texts share many lines and the alignment is not trivial.
  const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd\n', 'e', ''), { maxLength: 25 }).map((xs) => xs.join(''));

  it('produces patches that `patch` applies exactly, with as few edits as `diff --minimal`', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const file = join(dir, 'f');
        writeFileSync(file, before);
        writeFileSync(join(dir, 'after'), after);
        const diff = unifiedDiff(before, after, labels);
        if (diff.length > 0) {
          execFileSync('patch', ['-s', '-u', file], { input: diff.join('\n') + '\n' });
        }
        expect(readFileSync(file, 'utf8')).toBe(after);

        writeFileSync(file, before);
        const gnu = spawnSync('diff', ['--minimal', '-U0', file, join(dir, 'after')], { encoding: 'utf8' }).stdout;
        const edits = (out: string[]) => out.filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
        expect(edits(diff)).toBe(edits(gnu.split('\n')));
      }),
      { numRuns: 60 },
    );
  });
});

describe('unifiedDiff beyond its edit budget', () => {
  it('puts deletions before insertions within a change', () => {
    expect(unifiedDiff('x\nold\ny\n', 'x\nnew\ny\n', labels).slice(2)).toEqual(['@@ -1,3 +1,3 @@', ' x', '-old', '+new', ' y']);
  });

  it('falls back to removing everything then adding everything, still a correct patch', () => {
    const before = Array.from({ length: 2500 }, (_, i) => `a${i}\n`).join('');
    const after = Array.from({ length: 2500 }, (_, i) => `b${i}\n`).join('') + 'no newline';
    const diff = unifiedDiff(before, after, labels);
    expect(diff.slice(0, 3)).toEqual(['--- a', '+++ b', '@@ -1,2500 +1,2501 @@']);
    expect(diff.slice(3, 2503)).toEqual(before.split('\n').slice(0, -1).map((l) => `-${l}`));
    expect(diff.slice(2503)).toEqual([...after.split('\n').map((l) => `+${l}`), '\\ No newline at end of file']);
  });

  it('falls back for a text that becomes empty, as for a removed file', () => {
    const before = Array.from({ length: 2500 }, (_, i) => `a${i}\n`).join('');
    const diff = unifiedDiff(before, '', labels);
    expect(diff.slice(0, 3)).toEqual(['--- a', '+++ b', '@@ -1,2500 +0,0 @@']);
    expect(diff).toHaveLength(2503);
  });
});
