/**
 * A host's connections (executor/host-connections.ts): one per way of reaching it, and one to the
 * last host its tasks delegated to — a task delegating elsewhere closes the earlier delegate's first,
 * so a host holds at most one connection beyond its own ways. Each connection takes the lock of the
 * host it reaches.
 */
import { describe, expect, it } from 'vitest';
import type { Connection, ConnectOptions } from '../../src/connection/types.ts';
import { HostConnections } from '../../src/core/executor/host-connections.ts';
import type { TaskAccess } from '../../src/core/executor/task-access.ts';
import type { InventoryHost } from '../../src/core/inventory/types.ts';

const host = (name: string): InventoryHost => ({ name, vars: {}, groups: ['all'] });
const ssh: TaskAccess = { connection: 'ssh', become: false, becomeUser: 'root' };

function connections() {
  const log: string[] = [];
  const factory = (h: InventoryHost): Connection => ({
    name: h.name,
    connect: async (options?: ConnectOptions) => void log.push(`open ${h.name} lock ${String(options?.lock?.runId)}`),
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    close: async () => void log.push(`close ${h.name}`),
  });
  const conns = new HostConnections(host('rs1'), factory, (name) => ({ lock: { mode: 'take', timeoutSec: 0, runId: `run-for-${name}`, holder: 'test' } }));
  return { conns, log };
}

describe('HostConnections and delegates', () => {
  it("keeps one connection to the last delegate, taking that delegate's lock", async () => {
    const { conns, log } = connections();
    await conns.via(ssh);
    const first = await conns.toDelegate(host('lb1'), ssh);
    expect(await conns.toDelegate(host('lb1'), ssh)).toBe(first);
    await conns.toDelegate(host('lb2'), ssh);
    await conns.close();
    expect(log).toEqual(['open rs1 lock run-for-rs1', 'open lb1 lock run-for-lb1', 'close lb1', 'open lb2 lock run-for-lb2', 'close rs1', 'close lb2']);
  });

  it('opens the delegate again after it was forgotten (unreachable)', async () => {
    const { conns, log } = connections();
    await conns.toDelegate(host('lb1'), ssh);
    await conns.forgetDelegate();
    await conns.toDelegate(host('lb1'), ssh);
    expect(log).toEqual(['open lb1 lock run-for-lb1', 'close lb1', 'open lb1 lock run-for-lb1']);
  });
});
