/**
 * An inventory while it is being read: groups, hosts and their inline vars, gathered from every
 * source in order. Sources add to the same draft, as Ansible merges several `-i` sources: a group or
 * host seen again keeps its first position and gets the later vars on top.
 */
import type { SourcePos } from '../errors.ts';

export interface DraftGroup {
  name: string;
  /** Hosts listed directly under the group, in order of first appearance. */
  hosts: Set<string>;
  /** Child group → where it was listed as a child. */
  children: Map<string, SourcePos | undefined>;
  /** Vars written in the inventory itself (not group_vars/), normalised, later sources on top. */
  vars: Record<string, unknown>;
  pos?: SourcePos;
}

export interface DraftHost {
  name: string;
  /** Vars written in the inventory itself (not host_vars/), normalised, later sources on top. */
  vars: Record<string, unknown>;
  pos?: SourcePos;
}

export class InventoryDraft {
  readonly groups = new Map<string, DraftGroup>();
  readonly hosts = new Map<string, DraftHost>();

  constructor() {
    // Like Ansible, `all` and `ungrouped` always exist, even in an empty inventory.
    this.group('all');
    this.group('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  group(name: string, pos?: SourcePos): DraftGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: new Set(), children: new Map(), vars: {}, pos };
      this.groups.set(name, g);
    } else if (!g.pos) {
      g.pos = pos;
    }
    return g;
  }

  host(name: string, pos?: SourcePos): DraftHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, pos };
      this.hosts.set(name, h);
    }
    return h;
  }

  addHostToGroup(group: string, host: string): void {
    this.group(group).hosts.add(host);
  }

  addChild(parent: string, child: string, pos?: SourcePos): void {
    const g = this.group(parent);
    if (!g.children.has(child)) g.children.set(child, pos);
  }
}
