/**
 * The lab's bridges, named by their subnet index (and span, for a lab wider than a /24), their alias
 * naming the lab: one per lab, and a routed lab's second one for the client's segment (alias suffix
 * `_client`).
 */
import type { Segment } from './lab-names.ts';
import { OBJECT_PREFIX, SEGMENTS, bridgeAddress, bridgeAlias, bridgeName, parseBridgeName, prefixLength } from './lab-names.ts';
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
  /** How many /24s it spans from subnetIndex on. */
  span: number;
}

export async function labBridges(): Promise<LabBridge[]> {
  const out = await runChecked('ip', ['-j', 'link', 'show', 'type', 'bridge']);
  const links = JSON.parse(out || '[]') as IpLink[];
  return links.flatMap((l) => {
    const named = parseBridgeName(l.ifname);
    if (!named) return [];
    // lab names have no underscore, so the first one (if any) starts the segment
    const [lab, segment] = l.ifalias?.startsWith(OBJECT_PREFIX) ? l.ifalias.slice(OBJECT_PREFIX.length).split('_') : [];
    return [{ ifname: l.ifname, lab, ...(SEGMENTS.includes(segment as Segment) ? { segment: segment as Segment } : {}), ...named }];
  });
}

/** The subnet indexes a bridge's block covers. */
function covered(b: { subnetIndex: number; span: number }): number[] {
  return Array.from({ length: b.span }, (_, i) => b.subnetIndex + i);
}

/** Whether two blocks share a /24. */
function overlap(a: { subnetIndex: number; span: number }, b: { subnetIndex: number; span: number }): boolean {
  return a.subnetIndex < b.subnetIndex + b.span && b.subnetIndex < a.subnetIndex + a.span;
}

/**
 * The lab's bridge, made if missing, and its subnet index: its existing bridge's, else the
 * remembered one if free, else the first free block of `span` /24s (aligned to its size). Creating
 * the link is the claim: only one `ip link add` of a name succeeds, and since blocks of different
 * sizes have different names, a claim then lists the bridges again and gives its block up if another
 * overlaps it (of two claims made at once, at least the later one sees the other).
 */
export async function claimBridge(lab: string, remembered: number | undefined, segment?: Segment, span = 1): Promise<{ name: string; subnetIndex: number }> {
  const bridges = await labBridges();
  const own = bridges.find((b) => b.lab === lab && b.segment === segment);
  if (own) return { name: await configureBridge(lab, own.subnetIndex, own.span, segment), subnetIndex: own.subnetIndex };
  const used = new Set(bridges.flatMap(covered));
  const aligned = Array.from({ length: Math.floor(511 / span) }, (_, i) => (i + 1) * span).filter((i) => i + span - 1 <= 511);
  const candidates = [...(remembered !== undefined && remembered % span === 0 ? [remembered] : []), ...aligned];
  for (const index of candidates) {
    const block = { subnetIndex: index, span };
    if (covered(block).some((i) => used.has(i))) continue;
    for (const i of covered(block)) used.add(i);
    const name = bridgeName(index, span);
    const add = await runCommand('ip', ['link', 'add', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    if (add.code !== 0) continue;
    if ((await labBridges()).some((b) => b.ifname !== name && overlap(b, block))) {
      await deleteBridge(name);
      continue;
    }
    return { name: await configureBridge(lab, index, span, segment), subnetIndex: index };
  }
  throw new Error(`no free ${span > 1 ? `block of ${span} /24s` : '/24'} of 198.18.0.0/15 is left for a lab bridge; run \`lvsdr lab down --all\``);
}

async function configureBridge(lab: string, subnetIndex: number, span: number, segment: Segment | undefined): Promise<string> {
  const name = bridgeName(subnetIndex, span);
  await runChecked('ip', ['link', 'set', 'dev', name, 'alias', bridgeAlias(lab, segment)]);
  await runChecked('ip', ['addr', 'replace', `${bridgeAddress(subnetIndex)}/${prefixLength(span)}`, 'dev', name]);
  await runChecked('ip', ['link', 'set', 'dev', name, 'up']);
  return name;
}

export async function deleteBridge(ifname: string): Promise<void> {
  await runCommand('ip', ['link', 'del', 'dev', ifname]);
}
