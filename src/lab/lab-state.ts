/**
 * A lab's state directory (`.lvsdr/lab/NAME/` by default): lab.json, the SSH key pair, known_hosts,
 * the inventory, and per-host overlay layers. A registry under /run maps lab names to their state
 * directories, so `down --all` finds labs made from any working directory.
 */
import { access, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mountsUnder } from './lab-mounts.ts';
import type { HostFlavor, HostKind, HostPlan, LabTopology } from './lab-names.ts';

export const DEFAULT_STATE_BASE = path.join('.lvsdr', 'lab');
const REGISTRY_DIR = '/run/lvsdr-lab/labs';

export interface LabState {
  name: string;
  subnetIndex: number;
  /** How many /24s from subnetIndex on make the lab's own segment; absent (labs of one /24, and those made before wider ones): 1. */
  subnetSpan?: number;
  kind: HostKind;
  flavor: HostFlavor;
  hosts: HostPlan[];
  /** Absent in labs made before topologies: flat. */
  topology?: LabTopology;
  /** A routed lab's client segment. */
  clientSubnetIndex?: number;
  /** A two-NIC director's front segment (the VIPs are there). */
  frontSubnetIndex?: number;
  /** Made with --ipv6: the bridge and every host have IPv6 addresses too (`ipv6Of`). */
  ipv6?: boolean;
}

export interface LabPaths {
  dir: string;
  stateFile: string;
  privateKey: string;
  publicKey: string;
  knownHosts: string;
  inventory: string;
  hostsDir: string;
}

export function labPaths(stateBase: string, name: string): LabPaths {
  const dir = path.resolve(stateBase, name);
  return {
    dir,
    stateFile: path.join(dir, 'lab.json'),
    privateKey: path.join(dir, 'id_ed25519'),
    publicKey: path.join(dir, 'id_ed25519.pub'),
    knownHosts: path.join(dir, 'known_hosts'),
    inventory: path.join(dir, 'inventory.yml'),
    hostsDir: path.join(dir, 'hosts'),
  };
}

export function hostDir(paths: LabPaths, host: string): string {
  return path.join(paths.hostsDir, host);
}

export async function readLabState(paths: LabPaths): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(paths.stateFile, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export async function writeLabState(paths: LabPaths, state: LabState): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.stateFile, JSON.stringify(state, null, 2) + '\n');
  await mkdir(REGISTRY_DIR, { recursive: true });
  await writeFile(path.join(REGISTRY_DIR, state.name), paths.dir + '\n');
}

/** State directories of every registered lab, by name. */
export async function registeredLabs(): Promise<Map<string, string>> {
  const labs = new Map<string, string>();
  let names: string[] = [];
  try {
    names = await readdir(REGISTRY_DIR);
  } catch {
    return labs;
  }
  for (const name of names) {
    labs.set(name, (await readFile(path.join(REGISTRY_DIR, name), 'utf8')).trim());
  }
  return labs;
}

/**
 * Removes a lab's state. A host root mounted below it is an overlay of the machine's own `/`, so a
 * recursive delete must never run while anything is still mounted there.
 */
export async function forgetLab(name: string, dir: string | undefined): Promise<void> {
  if (dir) {
    const mounted = await mountsUnder(dir);
    if (mounted.length > 0) throw new Error(`not removing ${dir}: still mounted at ${mounted.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
  }
  await rm(path.join(REGISTRY_DIR, name), { force: true });
}

export async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
