/** What `lvsdr facts` does (its flags: facts.ts). */
import { UnreachableError, type Connection } from '../connection/types.ts';
import { runPool } from '../core/executor/pool.ts';
import { loadInventory } from '../core/inventory/index.ts';
import { hostFactsCommand, parseHostFacts } from '../facts/host-facts.ts';
import type { CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { connectionFactory } from './connection-factory.ts';

export async function gatherFacts(argv: Record<string, unknown>): Promise<CommandOutcome> {
  const inventory = loadInventory(argv.inventory as string[]);
  const names = inventory.select((argv.limit as string | undefined) ?? 'all');
  const connectionFor = connectionFactory(argv);
  const facts: Record<string, unknown> = {};
  let unreachable = 0;
  await runPool(names, Number(argv.forks), async (name) => {
    let conn: Connection | undefined;
    try {
      conn = connectionFor(inventory.hosts.get(name)!);
      await conn.connect();
      facts[name] = parseHostFacts(await conn.exec(hostFactsCommand.text, { timeoutMs: 60_000 }));
    } catch (err) {
      unreachable++;
      facts[name] = { unreachable: err instanceof UnreachableError ? err.message : (err as Error).message };
    } finally {
      await conn?.close().catch(() => undefined);
    }
  });
  // An unreachable host appears as `{ "unreachable": why }`, so the output keeps one shape.
  const output = Object.fromEntries(names.map((n) => [n, facts[n]]));
  return { exitCode: unreachable ? ExitCode.hostUnreachable : ExitCode.ok, output };
}
