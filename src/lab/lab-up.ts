/**
 * `lab up`: makes (or completes) a lab — bridge, key pair, hosts, known_hosts, inventory — and
 * waits until every host answers. Idempotent: running hosts are left alone, missing ones come back
 * with the /etc they had.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.ts';
import { installMissingPackages } from './debian-packages.ts';
import { ensureLabRepo, labRepoDir, recordElToolPackages } from './lab-repo.ts';
import { labRepoTree } from './lab-repo-tree.ts';
import { elFlavorTree } from './el-flavor-tree.ts';
import { baseTree } from './host-base-tree.ts';
import type { HostTree } from './host-tree.ts';
import { applyTree, mergeTrees } from './host-tree.ts';
import { claimBridge } from './lab-bridge.ts';
import type { LabInfo } from './lab-info.ts';
import { labInfo } from './lab-info.ts';
import { writeInventory } from './lab-inventory.ts';
import { ensureKeyPair, ensureKeyPairs, writeKnownHosts } from './lab-keys.ts';
import type { HostFlavor, HostKind, HostPlan } from './lab-names.ts';
import { bridgeName, checkLabName, checkRealservers, planHosts, spanFor, vip6Addresses, vipAddresses } from './lab-names.ts';
import { addBridgeIpv6, chooseIpv6, withIpv6 } from './lab-ipv6.ts';
import type { PairOptions } from './lab-pair.ts';
import { chooseDirectors } from './lab-pair.ts';
import { startRouter } from './lab-router.ts';
import { backVethName, chooseDirectorNics } from './lab-two-nic.ts';
import { chooseTopology } from './lab-topology.ts';
import { waitForPort, waitForSsh } from './lab-ssh.ts';
import type { LabPaths, LabState } from './lab-state.ts';
import { DEFAULT_STATE_BASE, hostDir, labPaths, pathExists, readLabState, writeLabState } from './lab-state.ts';
import type { LightHostStart } from './light-host.ts';
import { lightHostDirs, lightHostRunning, startLightHosts } from './light-host.ts';
import { inPool } from './run-command.ts';
import { bootSystemdHost, mountHostRoot, systemdHostRunning } from './systemd-host.ts';
import { systemdTree } from './systemd-tree.ts';
import { directorTree } from './director-tree.ts';
import { stopLabHost } from './lab-down.ts';
import { requireRoot } from './require-root.ts';

export interface LabUpOptions extends PairOptions {
  name?: string;
  /** Each of these defaults to what the lab has, or for a new lab: 2 real servers, systemd, debian, no director, no client. */
  realservers?: number;
  kind?: HostKind;
  flavor?: HostFlavor;
  client?: boolean;
  /** flat (default): one segment. routed: the client on its own segment behind a router. */
  topology?: string;
  /** 2: the director's front NIC on a segment of its own towards the router (the VIPs there), its back NIC with the real servers. */
  directorNics?: number;
  /** IPv6 addresses from fd00::/8 for the bridge and every host, beside the IPv4 ones (flat labs of systemd hosts). */
  ipv6?: boolean;
  /** Labs live in STATE_BASE/NAME; default `.lvsdr/lab` in the current directory. */
  stateBase?: string;
  /** How long to wait for every host to answer. */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export async function labUp(opts: LabUpOptions = {}): Promise<LabInfo> {
  requireRoot();
  const log = opts.log ?? (() => {});
  const name = checkLabName(opts.name ?? 'default');
  const paths = labPaths(opts.stateBase ?? DEFAULT_STATE_BASE, name);
  const previous = await readLabState(paths);
  const kind = opts.kind ?? previous?.kind ?? 'systemd';
  const flavor = opts.flavor ?? previous?.flavor ?? 'debian';
  if (previous && previous.flavor !== flavor) {
    throw new UserError({
      message: `lab ${name} exists with flavor ${previous.flavor}, not ${flavor}`,
      hint: `run 'lvsdr lab down --name ${name}' first, or leave out --flavor`,
    });
  }
  // Whatever is not given stays as the lab has it: `up` again completes a lab, it does not reshape it.
  const had = (role: string) => previous?.hosts.filter((h) => h.role === role).length;
  const { topology, client } = chooseTopology(name, opts, previous, (had('client') ?? 0) > 0);
  const realservers = opts.realservers ?? had('realserver') ?? 2;
  checkRealservers(realservers);
  const span = chooseSpan(name, realservers, previous);
  const directors = chooseDirectors(name, opts, previous?.hosts.filter((h) => h.role === 'director').map((h) => h.vrrp));
  const twoNic = chooseDirectorNics(name, opts.directorNics, previous && previous.frontSubnetIndex !== undefined, topology, directors);
  const ipv6 = chooseIpv6(name, opts.ipv6, previous, { topology, kind, span });
  await installMissingPackages(log);
  const { name: bridge, subnetIndex } = await claimBridge(name, previous?.subnetIndex, undefined, span);
  const clientSegment = topology === 'routed' ? await claimBridge(name, previous?.clientSubnetIndex, 'client') : undefined;
  const frontSegment = twoNic ? await claimBridge(name, previous?.frontSubnetIndex, 'front') : undefined;
  const planned = planHosts(subnetIndex, realservers, kind, directors, client, clientSegment?.subnetIndex, frontSegment?.subnetIndex, span);
  const hosts = ipv6 ? withIpv6(planned) : planned;
  if (ipv6) await addBridgeIpv6(bridge, subnetIndex);
  const state: LabState = {
    name,
    subnetIndex,
    ...(span > 1 ? { subnetSpan: span } : {}),
    kind,
    flavor,
    hosts,
    ...(clientSegment ? { topology, clientSubnetIndex: clientSegment.subnetIndex } : {}),
    ...(frontSegment ? { frontSubnetIndex: frontSegment.subnetIndex } : {}),
    ...(ipv6 ? { ipv6 } : {}),
  };
  for (const old of previous?.hosts ?? []) {
    const now = hosts.find((h) => h.name === old.name);
    if (!now || now.kind !== old.kind || now.address !== old.address) await stopLabHost(state, paths, old, true);
  }
  await writeLabState(paths, state);
  const clientKey = await ensureKeyPair(paths.privateKey, `lvsdr-lab-${name}`);
  log(`lab ${name}: bridge ${bridge}, ${hosts.length} hosts`);

  const hostKeys = await ensureKeyPairs(hosts.map((h) => path.join(hostDir(paths, h.name), 'ssh_host_ed25519_key')), `host@lvsdr-lab-${name}`);
  await writeKnownHosts(paths.knownHosts, hosts.map((h, i) => ({ name: h.name, address: h.address, publicKey: hostKeys[i] })));
  await writeInventory(state, paths);
  log(`lab ${name}: keys, known_hosts and inventory written`);

  if (clientSegment) {
    const router = await startRouter(
      name,
      { cluster: subnetIndex, clusterSpan: span, client: clientSegment.subnetIndex, front: frontSegment?.subnetIndex },
      { cluster: bridge, client: clientSegment.name, front: frontSegment?.name },
    );
    log(`lab ${name}: router ${router.address} (bridge ${bridge}) / ${router.clientAddress} (client bridge ${clientSegment.name})`);
  }
  // Light hosts share the machine's /usr: only systemd hosts get package sources.
  if (hosts.some((h) => h.kind === 'systemd')) await ensureLabRepo(paths.dir, log);
  const bridgeOf = (h: HostPlan) => (h.segment === 'client' && clientSegment ? clientSegment.name : h.segment === 'front' && frontSegment ? frontSegment.name : bridge);
  const prepared = await inPool(hosts, 8, (h) => prepareHost(state, paths, bridgeOf(h), h, clientKey));
  log(`lab ${name}: host files written`);
  const light = prepared.filter((p): p is LightHostStart => typeof p === 'object');
  await startLightHosts(name, subnetIndex, bridge, light);
  const running = prepared.filter((p) => p === 'running').length;
  log(`lab ${name}: started ${hosts.length - running}, already running ${running}`);
  await waitUntilReady(paths, hosts, Date.now() + (opts.readyTimeoutMs ?? 180_000));
  return labInfo(state, paths);
}

/**
 * The lab's span: what its real servers need, or an existing lab's own (its hosts keep their
 * addresses). Growing an existing lab past its block would move its bridge: refused, with the fix.
 */
function chooseSpan(name: string, realservers: number, previous: LabState | undefined): number {
  const needed = spanFor(realservers);
  if (!previous) return needed;
  const had = previous.subnetSpan ?? 1;
  if (needed > had) {
    throw new UserError({
      message: `lab ${name} spans ${had} /24${had > 1 ? 's' : ''}, too few for ${realservers} real servers (they need ${needed})`,
      hint: `run 'lvsdr lab down --name ${name}' first, or use another --name`,
    });
  }
  return had;
}

function hostTree(state: LabState, repoDir: string, host: HostPlan, hostKey: { privateKey: string; publicKey: string }, clientKey: string): HostTree {
  const vip = vipAddresses(state.frontSubnetIndex ?? state.subnetIndex)[0];
  const vip6 = state.ipv6 ? vip6Addresses(state.subnetIndex)[0] : undefined;
  return mergeTrees(
    baseTree(host, hostKey, clientKey),
    ...(host.kind === 'systemd' ? [systemdTree(host, vip, vip6), labRepoTree(state.flavor, repoDir)] : []),
    ...(state.flavor === 'el' ? [elFlavorTree()] : []),
    ...(host.role === 'director' ? [directorTree(host, vip)] : []),
  );
}

/**
 * Writes a host's files the first time (they persist, like a disk) and reports whether it needs
 * starting; a systemd host is booted here, a light host is returned for the batch start.
 */
async function prepareHost(state: LabState, paths: LabPaths, bridge: string, host: HostPlan, clientKey: string): Promise<LightHostStart | 'booted' | 'running'> {
  const dir = hostDir(paths, host.name);
  const repoDir = labRepoDir(paths.dir);
  const preparedMark = path.join(dir, 'prepared');
  const prepared = await pathExists(preparedMark);
  const keyFile = path.join(dir, 'ssh_host_ed25519_key');
  const hostKey = { privateKey: await readFile(keyFile, 'utf8'), publicKey: await readFile(`${keyFile}.pub`, 'utf8') };
  if (host.kind === 'light') {
    if (await lightHostRunning(state.name, host.name)) return 'running';
    if (!prepared) await applyTree(hostTree(state, repoDir, host, hostKey, clientKey), lightHostDirs(dir).etcUpper, 'etc/');
    await writeFile(preparedMark, '');
    return { plan: host, dir };
  }
  const root = await mountHostRoot(state.name, host.name, dir);
  if (!prepared) {
    await applyTree(hostTree(state, repoDir, host, hostKey, clientKey), root);
    if (state.flavor === 'el') await recordElToolPackages(repoDir, root);
  }
  await writeFile(preparedMark, '');
  if (await systemdHostRunning(state.name, host.name)) return 'running';
  const back = host.back ? { outer: backVethName(state.subnetIndex), bridge: bridgeName(state.subnetIndex, state.subnetSpan) } : undefined;
  await bootSystemdHost(state.name, state.subnetIndex, bridge, host.name, dir, repoDir, back);
  return 'booted';
}

async function waitUntilReady(paths: LabPaths, hosts: readonly HostPlan[], deadline: number): Promise<void> {
  const ready = await inPool(hosts, 16, async (h) => {
    const target = { address: h.address, privateKey: paths.privateKey, knownHosts: paths.knownHosts };
    const sshUp = h.kind === 'light' ? await waitForPort(h.address, 22, deadline) : await waitForSsh(target, deadline);
    const webUp = h.role !== 'realserver' || (await waitForPort(h.address, 80, deadline));
    return sshUp && webUp;
  });
  const late = hosts.filter((_, i) => !ready[i]).map((h) => h.name);
  if (late.length > 0) {
    throw new Error(`lab hosts did not answer in time: ${late.join(', ')} (logs under ${paths.hostsDir}/HOST/)`);
  }
}
