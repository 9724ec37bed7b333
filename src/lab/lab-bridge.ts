/**
 * The lab's bridges, named by their subnet index, their alias naming the lab: one per lab, and a
 * routed lab's second one for the client's segment (alias suffix `_client`).
 */
import type { Segment } from './lab-names.ts';
import { BRIDGE_PREFIX, OBJECT_PREFIX, SEGMENTS, bridgeAddress, bridgeAlias, bridgeName } from './lab-names.ts';
import { runChecked, runCommand } from './run-command.ts';

interface IpLink {
  ifname: string;
  ifalias?: string;
}

export interface LabBridge {
  ifname: string;
  /** The lab name from the alias; undefined for a half-made bridge whose alias was never set. */
  lab?: string;
  /** 'client' for a routed lab's client segment, 'front' for a two-NIC director's front segment. */
  segment?: Segment;
  subnetIndex: number;
}

export async function labBridges(): Promise<LabBridge[]> {
  const out = await runChecked('ip', ['-j', 'link', 'show', 'type', 'bridge']);
  const links = JSON.parse(out || '[]') as IpLink[];
  return links
    .filter((l) => l.ifname.startsWith(BRIDGE_PREFIX))
    .map((l) => {
      // lab names have no underscore, so the first one (if any) starts the segment
      const [lab, segment] = l.ifalias?.startsWith(OBJECT_PREFIX) ? l.ifalias.slice(OBJECT_PREFIX.length).split('_') : [];
      return {
        ifname: l.ifname,
        lab,
        ...(SEGMENTS.includes(segment as Segment) ? { segment: segment as Segment } : {}),
        subnetIndex: Number(l.ifname.slice(BRIDGE_PREFIX.length)),
      };
    });
}

/**
 * The lab's bridge, made if missing, and its subnet index: its existing bridge's, else the
 * remembered one if free, else the first free. Creating the link is the claim: two labs coming up
 * at once cannot take the same /24, because only one `ip link add` of a name succeeds.
 */
export async function claimBridge(lab: string, remembered: number | undefined, segment?: Segment): Promise<{ name: string; subnetIndex: number }> {
  const bridges = await labBridges();
  const own = bridges.find((b) => b.lab === lab && b.segment === segment);
  if (own) return { name: await configureBridge(lab, own.subnetIndex, segment), subnetIndex: own.subnetIndex };
  const used = new Set(bridges.map((b) => b.subnetIndex));
  const candidates = [...(remembered !== undefined ? [remembered] : []), ...Array.from({ length: 511 }, (_, i) => i + 1)];
  for (const index of candidates) {
    if (used.has(index)) continue;
    used.add(index);
    const add = await runCommand('ip', ['link', 'add', bridgeName(index), 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    if (add.code === 0) return { name: await configureBridge(lab, index, segment), subnetIndex: index };
  }
  throw new Error('every /24 of 198.18.0.0/15 is taken by a lab bridge; run `lvsdr lab down --all`');
}

async function configureBridge(lab: string, subnetIndex: number, segment: Segment | undefined): Promise<string> {
  const name = bridgeName(subnetIndex);
  await runChecked('ip', ['link', 'set', 'dev', name, 'alias', bridgeAlias(lab, segment)]);
  await runChecked('ip', ['addr', 'replace', `${bridgeAddress(subnetIndex)}/24`, 'dev', name]);
  await runChecked('ip', ['link', 'set', 'dev', name, 'up']);
  return name;
}

export async function deleteBridge(ifname: string): Promise<void> {
  await runCommand('ip', ['link', 'del', 'dev', ifname]);
}
