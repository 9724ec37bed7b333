/** What a lab is, as returned to the CLI and to tests: where its files are and how to reach its hosts. */
import { UserError, closestName } from '../core/errors.ts';
import type { HostPlan, LabTopology } from './lab-names.ts';
import type { RouterInfo } from './lab-router.ts';
import { routerInfo } from './lab-router.ts';
import { bridgeName, labSubnet, labSubnet6, vip6Addresses, vipAddresses } from './lab-names.ts';
import type { LabPaths, LabState } from './lab-state.ts';
import type { SshTarget } from './lab-ssh.ts';

export interface LabHostInfo extends HostPlan {
  running?: boolean;
}

export interface LabInfo {
  name: string;
  stateDir: string;
  inventoryPath: string;
  privateKey: string;
  knownHosts: string;
  bridge: string;
  subnet: string;
  vip: string;
  vips: string[];
  /** A lab made with --ipv6: its IPv6 segment and VIPs (the IPv4 ones' twins). */
  subnet6?: string;
  vip6?: string;
  vips6?: string[];
  hosts: LabHostInfo[];
  topology: LabTopology;
  /** A routed lab's client segment: its bridge and /24, and the router between the two. */
  clientBridge?: string;
  clientSubnet?: string;
  router?: RouterInfo & { running?: boolean };
  /** The bridge the VIPs are on: the lab's own, or a two-NIC director's front segment. */
  vipBridge: string;
}

export function labInfo(state: LabState, paths: LabPaths, running?: Map<string, boolean>): LabInfo {
  const vips = vipAddresses(state.frontSubnetIndex ?? state.subnetIndex);
  return {
    name: state.name,
    stateDir: paths.dir,
    inventoryPath: paths.inventory,
    privateKey: paths.privateKey,
    knownHosts: paths.knownHosts,
    bridge: bridgeName(state.subnetIndex, state.subnetSpan),
    subnet: labSubnet(state.subnetIndex, state.subnetSpan),
    vip: vips[0],
    vips,
    ...(state.ipv6 ? { subnet6: labSubnet6(state.subnetIndex), vip6: vip6Addresses(state.subnetIndex)[0], vips6: vip6Addresses(state.subnetIndex) } : {}),
    hosts: state.hosts.map((h) => (running ? { ...h, running: running.get(h.name) ?? false } : { ...h })),
    topology: state.topology ?? 'flat',
    vipBridge: state.frontSubnetIndex !== undefined ? bridgeName(state.frontSubnetIndex) : bridgeName(state.subnetIndex, state.subnetSpan),
    ...(state.clientSubnetIndex !== undefined
      ? {
          clientBridge: bridgeName(state.clientSubnetIndex),
          clientSubnet: labSubnet(state.clientSubnetIndex),
          router: routerInfo(state.name, state.subnetIndex, state.clientSubnetIndex, state.frontSubnetIndex),
        }
      : {}),
  };
}

export function sshTarget(info: LabInfo, host: string): SshTarget {
  const h = info.hosts.find((x) => x.name === host);
  if (!h) {
    const known = info.hosts.map((x) => x.name);
    const close = closestName(host, known);
    throw new UserError({
      message: `lab ${info.name} has no host '${host}'`,
      hint: close ? `did you mean ${close}? (hosts: ${known.join(', ')})` : `name one of: ${known.join(', ')}`,
    });
  }
  return { address: h.address, privateKey: info.privateKey, knownHosts: info.knownHosts };
}
