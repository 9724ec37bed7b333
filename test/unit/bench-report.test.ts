/** The bench's arithmetic and its reading of recaps (scripts/bench): what its table claims rests on these. */
import { describe, expect, it } from 'vitest';
import { median, ratios, rows, type Samples } from '../../scripts/bench/report.ts';
import { parseRecap } from '../../scripts/bench/rounds.ts';
import type { Measurement } from '../../scripts/bench/measure.ts';

const m = (wallS: number, cpuS = 1, peakRssMb = 100): Measurement => ({ wallS, cpuS, peakRssMb, code: 0, output: '' });

describe('bench report', () => {
  it('medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ratios compare the medians of the contenders', () => {
    const samples: Samples = new Map([
      ['floor', [m(2), m(1), m(3)]],
      ['lvsdr no-change', [m(1), m(1.5), m(9)]],
      ['lvsdr first', [m(4)]],
      ['ansible no-change', [m(30)]],
    ]);
    const q = ratios(rows(samples));
    expect(q.noChangeOverFloor).toBeCloseTo(0.75);
    expect(q.firstOverFloor).toBeCloseTo(2);
    expect(q.ansibleOverLvsdrNoChange).toBeCloseTo(20);
    expect(q.checkOverFloor).toBeUndefined();
  });

  it('sums the per-host recap lines of lvsdr and of ansible-playbook, not the total line', () => {
    const lvsdr = [
      'PLAY RECAP ****',
      'rs1             : ok=5  changed=5  unreachable=0 failed=0 skipped=1 ignored=0',
      'rs2             : ok=5  changed=4  unreachable=0 failed=1 skipped=1 ignored=0',
      'total (2 hosts) : ok=10 changed=9 unreachable=0 failed=1 skipped=2 ignored=0',
    ].join('\n');
    expect(parseRecap(lvsdr)).toEqual({ changed: 9, failed: 1, unreachable: 0 });
    const ansible = 'rs1                        : ok=13   changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n';
    expect(parseRecap(ansible)).toEqual({ changed: 0, failed: 0, unreachable: 1 });
  });
});
