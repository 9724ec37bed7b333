/**
 * A routed lab's router: a bare network namespace (no processes, nothing to log into) with one veth
 * on the lab's bridge (eth0) and one on the client's segment (eth1), each at .254, and
 * ip_forward=1. It is the gateway the RHEL guide gives the real servers: requests reach the VIP
 * through it (it ARPs for the VIP), and replies go from the real servers to the client through it.
 * With a two-NIC director, a third leg (eth2, .254) on the front segment, where the VIPs are.
 * `lab down` removes it with the lab's other namespaces; its veths go with the namespace.
 */
import { existsSync } from 'node:fs';
import { hostObjectName, lightVethName, prefixLength, routerAddress } from './lab-names.ts';
import type { CommandResult } from './run-command.ts';
import { runChecked, runCommand } from './run-command.ts';

export const ROUTER = 'router';

export interface RouterInfo {
  /** The network namespace: `ip netns exec NAMESPACE …` runs there. */
  namespace: string;
  /** eth0, on the lab's bridge. */
  address: string;
  /** eth1, on the client's segment. */
  clientAddress: string;
  /** eth2, on a two-NIC director's front segment. */
  frontAddress?: string;
  /** The leg on the VIPs' segment: eth0, or eth2 with a front segment. */
  vipInterface: string;
}

export function routerInfo(lab: string, subnetIndex: number, clientSubnetIndex: number, frontSubnetIndex?: number): RouterInfo {
  return {
    namespace: hostObjectName(lab, ROUTER),
    address: routerAddress(subnetIndex),
    clientAddress: routerAddress(clientSubnetIndex),
    ...(frontSubnetIndex !== undefined ? { frontAddress: routerAddress(frontSubnetIndex) } : {}),
    vipInterface: frontSubnetIndex !== undefined ? 'eth2' : 'eth0',
  };
}

export function routerRunning(router: RouterInfo): boolean {
  return existsSync(`/run/netns/${router.namespace}`);
}

/** Makes the router unless its namespace is there (leftover veths of a half-made one go first). */
export async function startRouter(
  lab: string,
  subnets: { cluster: number; clusterSpan: number; client: number; front?: number },
  bridges: { cluster: string; client: string; front?: string },
): Promise<RouterInfo> {
  const router = routerInfo(lab, subnets.cluster, subnets.client, subnets.front);
  if (routerRunning(router)) return router;
  const front = subnets.front !== undefined && bridges.front ? { outer: lightVethName(subnets.front, ROUTER), bridge: bridges.front } : undefined;
  const outer = [lightVethName(subnets.cluster, ROUTER), lightVethName(subnets.client, ROUTER), ...(front ? [front.outer] : [])];
  for (const veth of outer) if (existsSync(`/sys/class/net/${veth}`)) await runCommand('ip', ['link', 'del', 'dev', veth]);
  const ns = router.namespace;
  await runChecked('ip', ['-batch', '-'], {
    input: [
      `netns add ${ns}`,
      `link add ${outer[0]} type veth peer name eth0 netns ${ns}`,
      `link add ${outer[1]} type veth peer name eth1 netns ${ns}`,
      `link set dev ${outer[0]} master ${bridges.cluster} up`,
      `link set dev ${outer[1]} master ${bridges.client} up`,
      ...(front ? [`link add ${front.outer} type veth peer name eth2 netns ${ns}`, `link set dev ${front.outer} master ${front.bridge} up`] : []),
      '',
    ].join('\n'),
  });
  await runChecked('ip', ['-n', ns, '-batch', '-'], {
    input: [
      'link set dev lo up',
      `addr add ${router.address}/${prefixLength(subnets.clusterSpan)} dev eth0`,
      `addr add ${router.clientAddress}/24 dev eth1`,
      'link set dev eth0 up',
      'link set dev eth1 up',
      ...(router.frontAddress ? [`addr add ${router.frontAddress}/24 dev eth2`, 'link set dev eth2 up'] : []),
      '',
    ].join('\n'),
  });
  await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  return router;
}

/** Runs shell text (build it with `sh`) in the router's namespace. */
export function routerExec(router: RouterInfo, command: string): Promise<CommandResult> {
  return runCommand('ip', ['netns', 'exec', router.namespace, 'sh', '-c', command]);
}
