/** The handshake pacer (issue 22): at most `limit` in flight, the others start in the order they asked. */
import { describe, expect, it } from 'vitest';
import { HandshakePacer } from '../../src/connection/handshake-pacing.ts';

describe('HandshakePacer', () => {
  it('keeps at most limit handshakes in flight and starts the waiting ones in order, failures included', async () => {
    const pacer = new HandshakePacer(3);
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        pacer.paced(async () => {
          started.push(i);
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
          inFlight--;
          if (i % 4 === 0) throw new Error(`handshake ${i} failed`);
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(3);
    // Every slot came back: the next three start at once.
    let now = 0;
    await Promise.all([1, 2, 3].map(() => pacer.paced(async () => void now++)));
    expect(now).toBe(3);
  });
});
