/** The lab's bridge: one per lab, named by its subnet index, its alias naming the lab. */
import { BRIDGE_PREFIX, OBJECT_PREFIX, bridgeAddress, bridgeAlias, bridgeName } from './lab-names.ts';
import { runChecked, runCommand } from './run-command.ts';

interface IpLink {
  ifname: string;
  ifalias?: string;
}

export interface LabBridge {
  ifname: string;
  /** The lab name from the alias; undefined for a half-made bridge whose alias was never set. */
  lab?: string;
  subnetIndex: number;
}

export async function labBridges(): Promise<LabBridge[]> {
  const out = await runChecked('ip', ['-j', 'link', 'show', 'type', 'bridge']);
  const links = JSON.parse(out || '[]') as IpLink[];
  return links
    .filter((l) => l.ifname.startsWith(BRIDGE_PREFIX))
    .map((l) => ({
      ifname: l.ifname,
      lab: l.ifalias?.startsWith(OBJECT_PREFIX) ? l.ifalias.slice(OBJECT_PREFIX.length) : undefined,
      subnetIndex: Number(l.ifname.slice(BRIDGE_PREFIX.length)),
    }));
}

/** The lab's subnet index: its bridge's if it has one, else the remembered one if free, else the first free. */
export async function chooseSubnetIndex(lab: string, remembered: number | undefined): Promise<number> {
  const bridges = await labBridges();
  const own = bridges.find((b) => b.lab === lab);
  if (own) return own.subnetIndex;
  const used = new Set(bridges.map((b) => b.subnetIndex));
  if (remembered !== undefined && !used.has(remembered)) return remembered;
  for (let i = 1; i < 512; i++) if (!used.has(i)) return i;
  throw new Error('every /24 of 198.18.0.0/15 is taken by a lab bridge; run `lvsdr lab down --all`');
}

export async function ensureBridge(lab: string, subnetIndex: number): Promise<string> {
  const name = bridgeName(subnetIndex);
  const exists = await runCommand('ip', ['link', 'show', 'dev', name]);
  if (exists.code !== 0) await runChecked('ip', ['link', 'add', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await runChecked('ip', ['link', 'set', 'dev', name, 'alias', bridgeAlias(lab)]);
  await runChecked('ip', ['addr', 'replace', `${bridgeAddress(subnetIndex)}/24`, 'dev', name]);
  await runChecked('ip', ['link', 'set', 'dev', name, 'up']);
  return name;
}

export async function deleteBridge(ifname: string): Promise<void> {
  await runCommand('ip', ['link', 'del', 'dev', ifname]);
}
