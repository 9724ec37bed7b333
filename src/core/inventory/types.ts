/** An inventory as loaded: Ansible's YAML format, with group_vars/ and host_vars/ beside it. */
import type { SourcePos } from '../errors.ts';

export interface InventoryHost {
  name: string;
  /**
   * Effective variables: group vars (shallower groups first, `all` lowest) < host vars; the full
   * order is in load.ts. Connection vars are there under both their `ansible_*` and `lvsdr_*` names
   * (connection-vars.ts); read them with connectionVars().
   */
  vars: Record<string, unknown>;
  /** Every group the host is in, ancestors and `all` included: `all` first, then by precedence. */
  groups: string[];
  pos?: SourcePos;
  /** The host's own vars (inline and host_vars/), without group vars: what `--export` shows. */
  ownVars?: Record<string, unknown>;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under the group. */
  hosts: string[];
  children: string[];
  /** The group's own vars: inline, then its group_vars/ files on top. */
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
   * in inventory order. A pattern that names nothing known is a UserError, placed at `at` when the
   * pattern comes from a file (a play's `hosts:`).
   */
  select(pattern: string, at?: SourcePos, options?: SelectOptions): string[];
  /**
   * The host `delegate_to` names, as Ansible's VariableManager finds it: the inventory's, the
   * implicit localhost for `localhost`, `127.0.0.1` and `::1`, else a host of that name in no group
   * (`all`'s vars and its host_vars/ only), reached at its name.
   */
  delegateHost(name: string): InventoryHost;
}

export interface SelectOptions {
  /**
   * Whether `localhost` the inventory lacks is Ansible's implicit localhost (true, for a play's
   * hosts) or matches nothing (false, for --limit: ansible-playbook --limit localhost then targets no host).
   */
  implicitLocalhost?: boolean;
}
