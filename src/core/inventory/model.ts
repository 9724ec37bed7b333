/** A loaded inventory: hosts and groups as read, and pattern selection over them. */
import type { SourcePos } from '../errors.ts';
import { IMPLICIT_LOCALHOST_NAMES, selectHosts, type PatternTarget } from './patterns.ts';
import type { Inventory, InventoryGroup, InventoryHost, SelectOptions } from './types.ts';

export class InventoryModel implements Inventory, PatternTarget {
  readonly sources: string[];
  readonly hosts: Map<string, InventoryHost>;
  readonly groups: Map<string, InventoryGroup>;
  readonly hostNames: string[];
  readonly groupNames: string[];
  private readonly members = new Map<string, string[]>();

  /** Builds a host under a name the inventory does not have (load.ts): Ansible's implicit localhost when `local`. */
  private readonly unlistedHost: (name: string, local: boolean) => InventoryHost;

  constructor(sources: string[], hosts: Map<string, InventoryHost>, groups: Map<string, InventoryGroup>, unlistedHost: (name: string, local: boolean) => InventoryHost) {
    this.unlistedHost = unlistedHost;
    this.sources = sources;
    this.hosts = hosts;
    this.groups = groups;
    this.hostNames = [...hosts.keys()];
    this.groupNames = [...groups.keys()];
    for (const h of hosts.values()) {
      for (const g of h.groups) {
        const list = this.members.get(g);
        if (list) list.push(h.name);
        else this.members.set(g, [h.name]);
      }
    }
  }

  membersOf(group: string): string[] {
    return this.members.get(group) ?? [];
  }

  /**
   * A group's hosts in Ansible's order for subscripts (`web[0]`): its own hosts, then its
   * descendants' level by level, each host once.
   */
  groupOrder(group: string): string[] {
    const hosts = new Set<string>();
    let level = [group];
    const seen = new Set(level);
    while (level.length > 0) {
      const next: string[] = [];
      for (const name of level) {
        const g = this.groups.get(name);
        if (!g) continue;
        for (const h of g.hosts) hosts.add(h);
        for (const c of g.children) {
          if (seen.has(c)) continue;
          seen.add(c);
          next.push(c);
        }
      }
      level = next;
    }
    return [...hosts];
  }

  select(pattern: string, at?: SourcePos, options: SelectOptions = {}): string[] {
    const selected = selectHosts(this, pattern, at, options.implicitLocalhost ?? true);
    for (const name of selected) if (!this.hosts.has(name)) this.hosts.set(name, this.unlistedHost(name, true));
    return selected;
  }

  delegateHost(name: string): InventoryHost {
    const listed = this.hosts.get(name);
    if (listed) return listed;
    if (IMPLICIT_LOCALHOST_NAMES.includes(name)) return this.hosts.get(this.select(name)[0])!;
    return this.unlistedHost(name, false);
  }
}
