/**
 * `lab down`: removes what a lab made — processes, network namespaces, veths, mounts, the bridge,
 * the state directory — by the names it gave them, so half-made leftovers (no state file, a
 * namespace without a process, a mount without a process) go too.
 */
import { rm } from 'node:fs/promises';
import { deleteBridge, labBridges } from './lab-bridge.ts';
import type { HostPlan } from './lab-names.ts';
import { OBJECT_PREFIX, bridgeName, checkLabName, labObjectPrefix } from './lab-names.ts';
import { mountsBySource, mountsUnder } from './lab-mounts.ts';
import { killPids, markedProcessTrees, netnsPids } from './lab-processes.ts';
import type { LabPaths, LabState } from './lab-state.ts';
import { DEFAULT_STATE_BASE, forgetLab, hostDir, labPaths, readLabState, registeredLabs } from './lab-state.ts';
import { stopLightHost } from './light-host.ts';
import { runCommand } from './run-command.ts';
import { stopSystemdHost, unmountAll } from './systemd-host.ts';
import { requireRoot } from './require-root.ts';

/** Stops one host (and, with `forget`, removes its layers, so it comes back fresh). */
export async function stopLabHost(state: LabState, paths: LabPaths, host: HostPlan, forget: boolean): Promise<void> {
  const dir = hostDir(paths, host.name);
  if (host.kind === 'light') await stopLightHost(state.name, state.subnetIndex, host.name);
  else await stopSystemdHost(state.name, host.name, dir);
  if (!forget) return;
  const mounted = await mountsUnder(dir);
  if (mounted.length > 0) throw new Error(`not removing ${dir}: still mounted at ${mounted.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
}

async function labNetns(prefix: string): Promise<string[]> {
  const r = await runCommand('ip', ['netns', 'list']);
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(prefix));
}

/** Removes every object whose name starts with `prefix` (one lab's, or every lab's). */
async function removeObjects(prefix: string): Promise<void> {
  const namespaces = await labNetns(prefix);
  await killPids([...(await markedProcessTrees(prefix)), ...(await netnsPids(...namespaces))]);
  if (namespaces.length > 0) {
    await runCommand('ip', ['-force', '-batch', '-'], { input: namespaces.map((ns) => `netns del ${ns}\n`).join('') });
  }
  const mounts = (await mountsBySource(prefix)).sort((a, b) => b.length - a.length);
  for (const m of mounts) await unmountAll(m);
}

export interface LabDownResult {
  removed: string[];
}

export async function labDown(opts: { name?: string; stateBase?: string }): Promise<LabDownResult> {
  requireRoot();
  const name = checkLabName(opts.name ?? 'default');
  const paths = labPaths(opts.stateBase ?? DEFAULT_STATE_BASE, name);
  const state = await readLabState(paths);
  const registered = (await registeredLabs()).get(name);
  await removeObjects(labObjectPrefix(name));
  const bridges = await labBridges();
  // the lab's own /24, a routed lab's client segment, a two-NIC director's front segment
  const indexes = state ? [state.subnetIndex, state.clientSubnetIndex, state.frontSubnetIndex].filter((i) => i !== undefined) : [];
  const names = state ? [bridgeName(state.subnetIndex, state.subnetSpan), ...indexes.slice(1).map((i) => bridgeName(i))] : [];
  for (const b of bridges) {
    // a bridge without an alias is a half-made one of ours; one with another lab's alias is not ours
    const halfMade = b.lab === undefined && names.includes(b.ifname);
    if (b.lab === name || halfMade) await deleteBridge(b.ifname);
  }
  for (const index of indexes) {
    const takenByOther = bridges.some((b) => b.lab !== undefined && b.lab !== name && b.subnetIndex === index);
    if (!takenByOther) await removeLightVeths(index);
  }
  await forgetLab(name, state ? paths.dir : registered);
  if (registered && registered !== paths.dir) await forgetLab(name, registered);
  return { removed: [name] };
}

/** A veth whose namespace went first would be left in the machine's namespace; its name says whose it is. */
async function removeLightVeths(subnetIndex: number): Promise<void> {
  const r = await runCommand('ip', ['-o', 'link', 'show', 'type', 'veth']);
  const prefix = `lv${subnetIndex}-`;
  for (const line of r.stdout.split('\n')) {
    const ifname = line.split(':')[1]?.trim().split('@')[0];
    if (ifname?.startsWith(prefix)) await runCommand('ip', ['link', 'del', 'dev', ifname]);
  }
}

/** Removes every lab on this machine, registered or not, and the default state directory's labs. */
export async function labDownAll(stateBase = DEFAULT_STATE_BASE): Promise<LabDownResult> {
  requireRoot();
  const registered = await registeredLabs();
  await removeObjects(OBJECT_PREFIX);
  const bridges = await labBridges();
  for (const b of bridges) {
    await deleteBridge(b.ifname);
    await removeLightVeths(b.subnetIndex);
  }
  const names = new Set([...registered.keys(), ...bridges.flatMap((b) => (b.lab ? [b.lab] : []))]);
  for (const [name, dir] of registered) await forgetLab(name, dir);
  for (const name of names) {
    const local = labPaths(stateBase, name);
    if (await readLabState(local)) await forgetLab(name, local.dir);
  }
  return { removed: [...names].sort() };
}
