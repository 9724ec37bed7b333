import { describe, expect, it } from 'vitest';
import { recapLines, totalStats } from '../../src/output/recap.ts';
import { formatDuration } from '../../src/output/result-lines.ts';
import { makeStyle, stripColor } from '../../src/output/style.ts';

const zero = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

describe('recap', () => {
  const stats = {
    'rs1.lab': { ...zero, ok: 12, changed: 3, skipped: 1 },
    rs2: { ...zero, ok: 5, failed: 1 },
    director: { ...zero, unreachable: 1 },
  };

  it('aligns hosts and every column, with a total row and the duration', () => {
    expect(recapLines(stats, 125_400, { style: makeStyle(false), check: false })).toEqual([
      'PLAY RECAP *********************************************************************',
      'rs1.lab         : ok=12 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0',
      'rs2             : ok=5  changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0',
      'director        : ok=0  changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0',
      'total (3 hosts) : ok=17 changed=3 unreachable=1 failed=1 skipped=1 rescued=0 ignored=0',
      'elapsed: 2m 05s',
    ]);
  });

  it('colors non-zero counts and host names by outcome without moving the columns', () => {
    const colored = recapLines(stats, 1, { style: makeStyle(true), check: false });
    expect(colored[1]).toBe('\x1b[33mrs1.lab\x1b[0m         : \x1b[32mok=12\x1b[0m \x1b[33mchanged=3\x1b[0m unreachable=0 failed=0 \x1b[36mskipped=1\x1b[0m rescued=0 ignored=0');
    expect(colored[2].startsWith('\x1b[31mrs2\x1b[0m')).toBe(true);
    expect(colored.map(stripColor)).toEqual(recapLines(stats, 1, { style: makeStyle(false), check: false }));
  });

  it('says when nothing was changed because it was a dry run', () => {
    expect(recapLines({ rs1: zero }, 0, { style: makeStyle(false), check: true })[0]).toMatch(/^PLAY RECAP \(check mode: nothing was changed\) \*+$/);
  });

  it('sums all hosts', () => {
    expect(totalStats(stats)).toEqual({ ok: 17, changed: 3, unreachable: 1, failed: 1, skipped: 1, rescued: 0, ignored: 0 });
    expect(totalStats({})).toEqual(zero);
  });

  it('formats durations for people', () => {
    expect([850, 999.7, 4230, 59_940, 59_960, 61_000].map(formatDuration)).toEqual(['850ms', '1.0s', '4.2s', '59.9s', '1m 00s', '1m 01s']);
  });
});
