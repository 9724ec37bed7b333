/** The run's open connections (issue 22): at most `limit`, the one idle longest closed first. */
import { describe, expect, it } from 'vitest';
import type { HostConnections } from '../../src/core/executor/host-connections.ts';
import { HostRun } from '../../src/core/executor/host-run.ts';
import { OpenConnections } from '../../src/core/executor/open-connections.ts';
import type { InventoryHost } from '../../src/core/inventory/types.ts';

function fixture() {
  const closed: string[] = [];
  const made: string[] = [];
  // Only close() matters here: what connects and how is host-connections.ts's.
  const make = (host: HostRun) => (): HostConnections => {
    made.push(host.name);
    return { close: async () => void closed.push(host.name) } as unknown as HostConnections;
  };
  const host = (name: string) => new HostRun({ name, vars: {} } as unknown as InventoryHost);
  return { closed, made, make, host };
}

describe('OpenConnections', () => {
  it('keeps idle connections only while there is room, closing the one idle longest first', async () => {
    const { closed, made, make, host } = fixture();
    const open = new OpenConnections(2);
    const [a, b, c] = ['a', 'b', 'c'].map(host);
    for (const h of [a, b]) await open.open(h, make(h));
    await open.release(a, true);
    await open.release(b, true);
    expect([open.size, closed]).toEqual([2, []]);
    // c needs room: a, idle longest, goes; b stays for its next play.
    await open.open(c, make(c));
    expect([open.size, closed, a.conn, b.conn !== undefined]).toEqual([2, ['a'], undefined, true]);
    // b's kept connection is reused, and a connects anew, closing c (idle) rather than b (busy).
    await open.open(b, make(b));
    await open.release(c, true);
    await open.open(a, make(a));
    expect(closed).toEqual(['a', 'c']);
    expect(made).toEqual(['a', 'b', 'c', 'a']);
    await open.release(b, false);
    expect(closed).toEqual(['a', 'c', 'b']);
    await open.closeAll();
    expect([open.size, closed]).toEqual([0, ['a', 'c', 'b', 'a']]);
  });

  it('drops what was read over a closed connection, keeps the check-mode overlay, and a finished host keeps only its results and set variables', async () => {
    const { make, host } = fixture();
    const open = new OpenConnections(1);
    const [a, b] = ['a', 'b'].map(host);
    await open.open(a, make(a));
    a.probeCache.set('probe', { value: 'x'.repeat(1000) });
    a.overlay.set('file:/etc/x', { exists: true });
    a.registered = { who: { stdout: 'a' } };
    a.stats.changed = 2;
    await open.release(a, true);
    await open.open(b, make(b));
    expect([a.conn, a.probeCache.size, a.overlay.size, a.registered]).toEqual([undefined, 0, 1, { who: { stdout: 'a' } }]);
    a.finish();
    // What the run set on it stays for hostvars, as Ansible keeps it.
    expect([a.registered, a.overlay.size, a.facts, a.stats.changed]).toEqual([{ who: { stdout: 'a' } }, 0, undefined, 2]);
  });
});
