/**
 * The lab as a test fixture: bring a lab up once per test file (beforeAll), use its hosts, take it
 * down (afterAll). Under CI=true lab tests always run (a missing root is a failure); elsewhere,
 * without root, they skip with a loud message.
 *
 *   const skip = labUnavailable();
 *   describe.skipIf(skip)('…', () => {
 *     let lab: Lab;
 *     beforeAll(async () => { lab = await startLab({ name: 'engine', realservers: 2 }); });
 *     afterAll(async () => { await lab?.down(); });
 *     it('…', async () => { expect((await lab.exec('rs1', 'hostname')).stdout).toBe('rs1\n'); });
 *   });
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sh } from '../../src/shell/quote.ts';
import type { LabHostInfo, LabInfo } from '../../src/lab/lab-info.ts';
import { sshTarget } from '../../src/lab/lab-info.ts';
import { labDown } from '../../src/lab/lab-down.ts';
import type { HostFlavor, HostKind } from '../../src/lab/lab-names.ts';
import type { ProbeProtocol, ProbeResult, ProbeStream } from '../../src/lab/lab-probe.ts';
import { labProbe, startProbeStream } from '../../src/lab/lab-probe.ts';
import type { PairOptions } from '../../src/lab/lab-pair.ts';
import type { PowerOffResult } from '../../src/lab/lab-power.ts';
import { labPowerOff } from '../../src/lab/lab-power.ts';
import type { RebootResult } from '../../src/lab/lab-reboot.ts';
import { labReboot } from '../../src/lab/lab-reboot.ts';
import { routerExec } from '../../src/lab/lab-router.ts';
import { sshExec } from '../../src/lab/lab-ssh.ts';
import { labUp } from '../../src/lab/lab-up.ts';
import type { CommandResult } from '../../src/lab/run-command.ts';

export { sh };

/** Where test labs keep their state: outside the repository, one directory for all test labs. */
export const TEST_LAB_STATE = path.join(tmpdir(), 'lvsdr-test-labs');

/** Per-test timeout for lab tests: they wait on real hosts (boots, health checks) on two busy cores. */
export const LAB_TEST_TIMEOUT = 120_000;

/** Why lab tests cannot run here, or undefined when they can. Under CI they must always run. */
export function labUnavailable(): string | undefined {
  const reason = process.getuid?.() !== 0 ? 'not running as root (the lab makes namespaces, bridges and mounts)' : undefined;
  if (reason && process.env.CI === 'true') throw new Error(`lab tests cannot run under CI: ${reason}`);
  if (reason) console.warn(`\n*** SKIPPING lab tests: ${reason} ***\n`);
  return reason;
}

export interface StartLabOptions extends PairOptions {
  /** Unique per test file, so files never share (or tear down) each other's hosts. */
  name: string;
  realservers?: number;
  kind?: HostKind;
  flavor?: HostFlavor;
  client?: boolean;
  topology?: 'flat' | 'routed';
  /** 2: a two-NIC director (routed labs). */
  directorNics?: number;
  /** IPv6 addresses (fd00::/8) for every host and the VIPs too. */
  ipv6?: boolean;
}

export interface Lab {
  info: LabInfo;
  inventoryPath: string;
  hosts: LabHostInfo[];
  vip: string;
  /** The IPv6 VIP of a lab started with ipv6. */
  vip6?: string;
  /** Runs shell text (build it with `sh`) on a host over SSH, as root, strict host key checking on. */
  exec(host: string, command: string, options?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
  reboot(host: string): Promise<RebootResult>;
  /** Powers a systemd host off (`hard`: the power is cut, no unit stops); `powerOn` brings it back. */
  powerOff(host: string, hard: boolean): Promise<PowerOffResult>;
  /** `lab up` again: every host that is off boots, with the /etc it had. */
  powerOn(): Promise<void>;
  /** Runs shell text (build it with `sh`) in a routed lab's router namespace. */
  onRouter(command: string): Promise<CommandResult>;
  /** N requests from the client to the VIP, and who answers ARP for it. Needs `client: true`. */
  probe(options?: { vip?: string; port?: number; requests?: number; protocol?: ProbeProtocol }): Promise<ProbeResult>;
  /** Requests from the client in the background (bounded by count and time) for rollout tests. */
  probeStream(options?: { vip?: string; port?: number; maxRequests?: number; maxSeconds?: number; protocol?: ProbeProtocol }): ProbeStream;
  down(): Promise<void>;
}

/** Brings a lab up from a clean slate (leftovers of an earlier run under the same name go first). */
export async function startLab(options: StartLabOptions): Promise<Lab> {
  const stateBase = TEST_LAB_STATE;
  await labDown({ name: options.name, stateBase });
  let info: LabInfo;
  try {
    info = await labUp({ ...options, stateBase });
  } catch (err) {
    // A lab that did not come up whole is taken down here: the test's afterAll never sees it.
    await labDown({ name: options.name, stateBase }).catch(() => undefined);
    throw err;
  }
  return {
    info,
    inventoryPath: info.inventoryPath,
    hosts: info.hosts,
    vip: info.vip,
    vip6: info.vip6,
    exec: (host, command, opts = {}) => sshExec(sshTarget(info, host), command, opts.timeoutMs ?? 60_000, opts.input),
    reboot: (host) => labReboot(info, host),
    powerOff: (host, hard) => labPowerOff(info, host, hard),
    powerOn: async () => {
      await labUp({ name: options.name, stateBase });
    },
    onRouter: (command) => {
      if (!info.router) throw new Error(`lab ${info.name} has no router: start it with topology 'routed'`);
      return routerExec(info.router, command);
    },
    probe: (opts = {}) => labProbe(info, opts.vip ?? info.vip, opts.port ?? 80, opts.requests ?? 20, opts.protocol),
    probeStream: (opts = {}) =>
      startProbeStream(info, opts.vip ?? info.vip, opts.port ?? 80, opts.maxRequests ?? 2000, opts.maxSeconds ?? 120, opts.protocol),
    down: async () => {
      await labDown({ name: options.name, stateBase });
    },
  };
}
