/** An inventory as loaded: Ansible's YAML format, with group_vars/ and host_vars/ beside it. */
import type { SourcePos } from '../errors.ts';

export interface InventoryHost {
  name: string;
  /** Effective variables: group vars (shallower groups first, `all` lowest) < host vars. */
  vars: Record<string, unknown>;
  /** Every group the host is in, ancestors and `all` included. */
  groups: string[];
  pos?: SourcePos;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under the group. */
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
  pos?: SourcePos;
}

export interface Inventory {
  sources: string[];
  /** In the order hosts first appear in the inventory. */
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
  /**
   * Host names matching an Ansible pattern (`all`, `web`, `a:b`, `a:&b`, `a:!b`, `rs*`, names),
   * in inventory order. A pattern that names nothing known is a UserError.
   */
  select(pattern: string): string[];
}
