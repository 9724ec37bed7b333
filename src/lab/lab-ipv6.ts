/**
 * A lab's IPv6 (`lab up --ipv6`): the bridge and every host get an address from fd00::/8 beside their
 * IPv4 one (`ipv6Of`), so IPv6 VIPs can be served and probed. Chosen when a lab is made and kept:
 * `up` completes a lab, it does not reshape it. Only the flat, one-/24 shape with systemd real
 * servers has it; the others are refused with the reason rather than left IPv4-only without a word.
 */
import { UserError } from '../core/errors.ts';
import type { HostKind, HostPlan, LabTopology } from './lab-names.ts';
import { IPV6_PREFIX_LENGTH, bridgeAddress, ipv6Of } from './lab-names.ts';
import type { LabState } from './lab-state.ts';
import { runChecked } from './run-command.ts';

export interface Ipv6Shape {
  topology: LabTopology;
  kind: HostKind;
  span: number;
}

export function chooseIpv6(name: string, asked: boolean | undefined, previous: LabState | undefined, shape: Ipv6Shape): boolean {
  const had = previous ? previous.ipv6 === true : undefined;
  const ipv6 = asked ?? had ?? false;
  if (had !== undefined && had !== ipv6) {
    throw new UserError({
      message: `lab ${name} exists ${had ? 'with' : 'without'} IPv6, and --${ipv6 ? '' : 'no-'}ipv6 asks otherwise`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out --${ipv6 ? '' : 'no-'}ipv6`,
    });
  }
  if (!ipv6) return false;
  const why =
    shape.topology !== 'flat'
      ? 'a routed lab (its router has no IPv6)'
      : shape.kind === 'light'
        ? 'light real servers (their start script sets IPv4 only)'
        : shape.span > 1
          ? 'a lab wider than one /24'
          : undefined;
  if (why) {
    throw new UserError({
      message: `--ipv6 is not available for ${why}`,
      hint: 'use a flat lab of systemd hosts with at most 229 real servers for IPv6, or leave out --ipv6',
    });
  }
  return true;
}

/** Every host's IPv6 address: its IPv4 address's twin. */
export function withIpv6(hosts: HostPlan[]): HostPlan[] {
  return hosts.map((h) => ({ ...h, address6: ipv6Of(h.address) }));
}

/** The machine's side of the bridge gets the .1 twin, as it has the IPv4 .1. */
export async function addBridgeIpv6(bridge: string, subnetIndex: number): Promise<void> {
  await runChecked('ip', ['-6', 'addr', 'replace', `${ipv6Of(bridgeAddress(subnetIndex))}/${IPV6_PREFIX_LENGTH}`, 'dev', bridge, 'nodad']);
}
