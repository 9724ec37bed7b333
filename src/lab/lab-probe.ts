/**
 * `lab probe`: from the client host, N bounded HTTP requests (or UDP datagrams) to a VIP (each real
 * server's test web and UDP services answer with its host name) and an ARP probe listing every MAC that answers for the VIP,
 * named by the lab host that owns it — for an IPv6 VIP a neighbour solicitation (ndisc6 -m: every
 * answer), IPv6's ARP. Also a background stream of requests for rollout tests.
 */
import { isIPv6 } from 'node:net';
import { spawn } from 'node:child_process';
import { UserError } from '../core/errors.ts';
import { UDP_PROBE_SCRIPT } from '../modules/udp-answer.ts';
import { sh } from '../shell/quote.ts';
import type { LabInfo } from './lab-info.ts';
import { sshTarget } from './lab-info.ts';
import { machineName } from './lab-names.ts';
import { routerExec } from './lab-router.ts';
import { runCommand } from './run-command.ts';
import { sshArgs, sshExec } from './lab-ssh.ts';

export interface ProbeTally {
  requests: number;
  failures: number;
  /** Answers per real server host name. */
  servedBy: Record<string, number>;
}

export interface ArpAnswer {
  mac: string;
  /** The lab host whose interface has this MAC, if it is one of this lab's. */
  host?: string;
}

export type ProbeProtocol = 'tcp' | 'udp';

export interface ProbeResult extends ProbeTally {
  vip: string;
  port: number;
  protocol: ProbeProtocol;
  /** UDP: answers that came from another address than VIP:PORT (a client drops them), by answering host. */
  wrongSource: Record<string, number>;
  /** One entry per request, in order: the answering host name, or null for a failure. */
  answers: (string | null)[];
  arp: ArpAnswer[];
}

const CLIENT = 'client';

/** http://VIP:PORT/, an IPv6 VIP in brackets. */
const urlOf = (vip: string, port: number): string => `http://${isIPv6(vip) ? `[${vip}]` : vip}:${port}/`;

function requestLoop(url: string, count: number, seconds: number, pauseSec: number) {
  // -g: the brackets of an IPv6 URL are the address's, not curl's globbing
  return sh`end=$(( $(date +%s) + ${seconds} )); i=0; while [ "$i" -lt ${count} ] && [ "$(date +%s)" -lt "$end" ]; do i=$((i+1)); if r=$(curl -g -s -f --connect-timeout 1 -m 2 ${url}); then echo "OK $r"; else echo "FAIL $?"; fi; sleep ${pauseSec}; done`;
}

/** The lab's UDP probe is IPv4's (lvsdr's udp_answer script): an IPv6 VIP is probed over TCP. */
function refuseUdp6(vip: string, protocol: ProbeProtocol): void {
  if (protocol === 'udp' && isIPv6(vip)) throw new UserError({ message: `lab probe --udp sends IPv4 datagrams; ${vip} is an IPv6 VIP`, hint: 'probe an IPv6 VIP over HTTP (leave out --udp)' });
}

/** UDP: lvsdr's UDP probe (the udp_answer module's) on the client's stdin, one datagram per request from a fresh port. */
function udpRequestLoop(vip: string, port: number, count: number, seconds: number, pauseSec = 0) {
  return sh`python3 -S - ${vip} ${port} ${count} ${seconds} '' '' ${pauseSec}`;
}

function tallyLines(lines: string[], tally: ProbeTally, answers?: (string | null)[], wrongSource?: Record<string, number>): void {
  for (const line of lines) {
    const wrong = /^FAIL from \S+ (\S+)$/.exec(line);
    if (wrong && wrongSource) wrongSource[wrong[1]] = (wrongSource[wrong[1]] ?? 0) + 1;
    if (line.startsWith('OK ')) {
      const host = line.slice(3).trim();
      tally.requests++;
      tally.servedBy[host] = (tally.servedBy[host] ?? 0) + 1;
      answers?.push(host);
    } else if (line.startsWith('FAIL')) {
      tally.requests++;
      tally.failures++;
      answers?.push(null);
    }
  }
}

/** MACs on the lab bridge, by the lab host behind each bridge port (from the ports' names). */
async function macOwners(info: LabInfo): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const subnetIndex = Number(info.bridge.split('-')[1]);
  const portHost = new Map<string, string>();
  for (const h of info.hosts) {
    portHost.set(`vb-${machineName(subnetIndex, h.name)}`, h.name);
    portHost.set(`lv${subnetIndex}-${h.name}`.slice(0, 15), h.name);
  }
  const r = await runCommand('bridge', ['-j', 'fdb', 'show', 'br', info.vipBridge]);
  for (const e of JSON.parse(r.stdout || '[]') as { mac: string; ifname: string; flags?: string[]; state?: string }[]) {
    const host = portHost.get(e.ifname);
    if (host && e.state !== 'permanent') owners.set(e.mac.toLowerCase(), host);
  }
  return owners;
}

export async function labProbe(info: LabInfo, vip: string, port = 80, requests = 20, protocol: ProbeProtocol = 'tcp'): Promise<ProbeResult> {
  refuseUdp6(vip, protocol);
  const target = sshTarget(info, CLIENT);
  const seconds = Math.max(10, requests * 3);
  const loop = protocol === 'udp' ? udpRequestLoop(vip, port, requests, seconds) : requestLoop(urlOf(vip, port), requests, seconds, 0);
  const arping = (iface: string) => (isIPv6(vip) ? sh`ndisc6 -m -n -r 3 -w 1000 ${vip} ${iface} || true` : sh`arping -c 3 -w 4 -I ${iface} ${vip} || true`);
  // A routed client is not on the VIP's segment: the router, which is, asks. It asks first, because
  // an ARP reply updates the router's existing neighbour entry for the VIP and would hide what the
  // requests taught it (what a routed test reads afterwards).
  const routerArp = info.router ? (await routerExec(info.router, arping(info.router.vipInterface).text)).stdout : undefined;
  const input = protocol === 'udp' ? UDP_PROBE_SCRIPT : undefined;
  const r = await sshExec(target, routerArp === undefined ? `${loop.text}; echo ARP; ${arping('eth0').text}` : loop.text, 30_000 + requests * 3_000, input);
  if (r.code !== 0) throw new Error(`probe from ${CLIENT} failed (exit ${r.code}): ${r.stderr.trim()}`);
  const [http, arp = routerArp ?? ''] = r.stdout.split('\nARP\n');
  const tally: ProbeTally = { requests: 0, failures: 0, servedBy: {} };
  const answers: (string | null)[] = [];
  const wrongSource: Record<string, number> = {};
  tallyLines(http.split('\n'), tally, answers, wrongSource);
  const owners = await macOwners(info);
  // arping prints `[MAC]`, ndisc6 `Target link-layer address: MAC`
  const macs = new Set([...arp.matchAll(/(?:\[|address: )([0-9A-Fa-f:]{17})\b/g)].map((m) => m[1].toLowerCase()));
  return { vip, port, protocol, ...tally, wrongSource, answers, arp: [...macs].map((mac) => ({ mac, host: owners.get(mac) })) };
}

export interface ProbeStream {
  /** Stops the stream (if still running) and returns the tally of what was sent. */
  stop(): Promise<ProbeTally>;
  /** Resolves when the stream ends by itself (its count or time ran out). */
  finished: Promise<ProbeTally>;
}

/**
 * Streams requests from the client in the background, at most `maxRequests` within `maxSeconds`,
 * about 50 a second (HTTP requests, or UDP datagrams each from a fresh port).
 */
export function startProbeStream(info: LabInfo, vip: string, port = 80, maxRequests = 2000, maxSeconds = 120, protocol: ProbeProtocol = 'tcp'): ProbeStream {
  refuseUdp6(vip, protocol);
  const target = sshTarget(info, CLIENT);
  const udp = protocol === 'udp';
  const loop = udp ? udpRequestLoop(vip, port, maxRequests, maxSeconds, 0.02) : requestLoop(urlOf(vip, port), maxRequests, maxSeconds, 0.02);
  const child = spawn('ssh', [...sshArgs(target), '--', loop.text], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.end(udp ? UDP_PROBE_SCRIPT : '');
  const tally: ProbeTally = { requests: 0, failures: 0, servedBy: {} };
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    tallyLines(lines, tally);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), (maxSeconds + 30) * 1000);
  const finished = new Promise<ProbeTally>((resolve) => {
    child.on('close', () => {
      clearTimeout(killer);
      resolve(tally);
    });
  });
  return {
    finished,
    async stop() {
      child.kill('SIGTERM');
      return finished;
    },
  };
}
