/** The Ansible-YAML inventory a lab writes for lvsdr (and ansible-playbook) to use. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { HostPlan, HostRole } from './lab-names.ts';
import { labSubnet6, routerAddress, subnetPrefix, vip6Addresses, vipAddresses } from './lab-names.ts';
import { lvsVrrpVar } from './lab-pair.ts';
import type { LabPaths, LabState } from './lab-state.ts';

const GROUP_OF_ROLE: Record<HostRole, string> = {
  realserver: 'realservers',
  director: 'directors',
  client: 'clients',
};

export function inventoryDocument(state: LabState, paths: LabPaths): Record<string, unknown> {
  const hostVars = (h: HostPlan) => ({
    ansible_host: h.address,
    ansible_user: 'root',
    ansible_ssh_private_key_file: paths.privateKey,
    lvsdr_known_hosts_file: paths.knownHosts,
    // a director of a pair: its VRRP part, as playbooks/director.yml reads it
    ...(h.vrrp ? { lvs_vrrp: lvsVrrpVar(h.vrrp, 'eth0') } : {}),
    // a lab made with --ipv6: the host's IPv6 address, and a real server's as the director playbook reads it
    ...(h.address6 ? { lab_ip6: h.address6, ...(h.role === 'realserver' ? { lvs_real_ip6: h.address6 } : {}) } : {}),
  });
  const children: Record<string, { hosts: Record<string, unknown> }> = {};
  for (const group of Object.values(GROUP_OF_ROLE)) children[group] = { hosts: {} };
  for (const h of state.hosts) children[GROUP_OF_ROLE[h.role]].hosts[h.name] = hostVars(h);
  const vips = vipAddresses(state.frontSubnetIndex ?? state.subnetIndex);
  return {
    all: {
      vars: {
        lab_name: state.name,
        lab_flavor: state.flavor,
        lab_vip: vips[0],
        lab_vips: vips,
        lab_interface: 'eth0',
        ...(state.ipv6 ? { lab_subnet6: labSubnet6(state.subnetIndex), lab_vip6: vip6Addresses(state.subnetIndex)[0], lab_vips6: vip6Addresses(state.subnetIndex) } : {}),
        ...(state.clientSubnetIndex !== undefined
          ? {
              lab_topology: state.topology,
              lab_client_subnet: `${subnetPrefix(state.clientSubnetIndex)}.0/24`,
              lab_router: routerAddress(state.subnetIndex),
            }
          : {}),
      },
      children,
    },
  };
}

export async function writeInventory(state: LabState, paths: LabPaths): Promise<void> {
  const header = `# Written by 'lvsdr lab up' for lab ${state.name}; rewritten by every 'up'.\n`;
  await writeFile(paths.inventory, header + stringify(inventoryDocument(state, paths)));
}
