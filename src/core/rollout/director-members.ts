/**
 * Which real servers the directors have in service now, read from their keepalived.conf. A rollout
 * changes only the hosts it is asked to: a host of the `realservers` group that no director names
 * yet (added to the inventory, not rolled out) stays out of the configuration it writes.
 */
import type { Connection } from '../../connection/types.ts';
import { sh } from '../../shell/quote.ts';
import type { Inventory } from '../inventory/types.ts';
import { DEFAULT_KEEPALIVED_CONF } from '../../modules/keepalived-schema.ts';
import { renderValue } from '../templating.ts';

/** Addresses of every `real_server` in a keepalived configuration. */
export function realServerAddresses(conf: string): Set<string> {
  return new Set([...conf.matchAll(/^\s*real_server\s+(\S+)\s+\d+/gm)].map((m) => m[1]));
}

export async function directorMembers(inventory: Inventory, connectionFor: (name: string) => Connection): Promise<Set<string>> {
  const members = new Set<string>();
  for (const director of inventory.select('directors')) {
    const vars = inventory.hosts.get(director)!.vars;
    const path = String(renderValue(vars.lvs_keepalived_conf ?? DEFAULT_KEEPALIVED_CONF, vars));
    const conn = connectionFor(director);
    try {
      await conn.connect();
      const r = await conn.exec(sh`cat ${path} 2>/dev/null || true`.text, { timeoutMs: 30_000 });
      for (const ip of realServerAddresses(r.stdout)) members.add(ip);
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
  return members;
}
