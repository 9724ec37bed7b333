/**
 * `npm run demo`: lvsdr on a lab cluster, start to finish, in a few screens. The RHEL guide's
 * network: a client behind a router, a director pair with real keepalived VRRP, three real servers
 * serving TCP and UDP on the VIP. A dry run, the real run, a second run that changes nothing, the
 * directors, probes of the VIP over TCP and UDP; a third real server rolled out under TCP and UDP
 * traffic; the primary director's keepalived stopped under traffic (the backup takes the VIP) and
 * started again; the lab removed. About a minute on two cores.
 */
import path from 'node:path';
import { runCli } from '../src/cli/main.ts';
import { labDown } from '../src/lab/lab-down.ts';
import type { LabInfo } from '../src/lab/lab-info.ts';
import { labProbe, startProbeStream, type ProbeResult, type ProbeTally } from '../src/lab/lab-probe.ts';
import { sshTarget } from '../src/lab/lab-info.ts';
import { sshExec } from '../src/lab/lab-ssh.ts';
import { labUp } from '../src/lab/lab-up.ts';
import { sh } from '../src/shell/quote.ts';

const NAME = 'demo';
const root = path.resolve(import.meta.dirname, '..');
const say = (text: string): void => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs lvsdr in-process; shows the command and the lines that matter (recap, summaries, errors). */
async function lvsdr(args: string[], keep: (line: string) => boolean = isSummary): Promise<number> {
  console.log(`$ lvsdr ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`);
  let out = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), isTTY: false });
  console.log(out.split('\n').filter(keep).map((l) => `  ${l}`).join('\n'));
  if (code !== 0) throw new Error(`lvsdr ${args[0]} exited ${code}:\n${out}`);
  return code;
}

function isSummary(line: string): boolean {
  return /^(\S+\s+: ok=|total |ROLLOUT|left out|stopped|added|would add|failed|unreachable|\(check\) failed)/.test(line);
}

/** The lab as drawn in the README, with this lab's addresses. */
function drawTopology(lab: LabInfo): void {
  const at = (name: string) => lab.hosts.find((h) => h.name === name)!.address;
  const r = lab.router!;
  console.log(`
     client ${at('client')}   (segment ${lab.clientSubnet})
        │
     router  eth1 ${r.clientAddress}  ── ip_forward ──  eth0 ${r.address}
        │
  ──────┴──────── ${lab.subnet} ────────────────────────────────────
     │                    │                    │           │          │
  director1 ${at('director1')}  director2 ${at('director2')}  rs1 ${at('rs1')}  rs2 ${at('rs2')}  rs3 ${at('rs3')}
  (VRRP MASTER, 150)   (BACKUP, 100)        replies go back through the router, never the directors
  VIP ${lab.vip}: on whichever director VRRP makes master; on each real server's lo (sysctl method)`);
}

function printProbe(p: ProbeResult): void {
  const wrong = Object.keys(p.wrongSource).length ? `, answers from the wrong source: ${JSON.stringify(p.wrongSource)}` : '';
  console.log(`  ${p.protocol.toUpperCase()} ${p.vip}:${p.port}: ${p.requests} requests, ${p.failures} failed, served by ${JSON.stringify(p.servedBy)}${wrong}`);
}

const printTally = (name: string, t: ProbeTally): void =>
  console.log(`  ${name}: ${t.requests} requests, ${t.failures} failed, served by ${JSON.stringify(t.servedBy)}`);

async function main(): Promise<void> {
  say('1. A lab: the client behind a router, a director pair (real keepalived VRRP), three real servers (real systemd hosts)');
  const lab = await labUp({ name: NAME, realservers: 3, topology: 'routed', directors: 2, vrrpPriority: [150, 100], log: (l) => console.log(`  ${l}`) });
  drawTopology(lab);
  const inv = ['-i', lab.inventoryPath, '-i', path.join(root, 'inventories/lab-tcp-udp.yml')];
  const pb = (name: string): string => path.join(root, 'playbooks', name);
  const onHost = (host: string, command: string) => sshExec(sshTarget(lab, host), command, 30_000);
  /** Whether `host` holds the VIP within `seconds` (VRRP puts it on the master's eth0). */
  const takesVip = async (host: string, seconds: number) =>
    (await onHost(host, sh`for i in $(seq ${seconds * 10}); do ip -o -4 addr show dev eth0 | grep -q ${` ${lab.vip}/`} && exit 0; sleep 0.1; done; exit 1`.text)).code === 0;
  console.log(`  inventory: ${lab.inventoryPath}; TCP and UDP port 80 on the VIP; rs3 is not in service yet`);

  say('2. Dry run of the real-server playbook (sysctl method): what would change, nothing changed');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2', '--check']);
  say('3. The real run');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2']);
  say('4. Again: nothing left to change (changed=0)');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2']);

  say('5. Both directors: keepalived with lvs_method DR, the VRRP instance, UDP_CHECK for UDP; config-tested, reloaded');
  await lvsdr(['run', pb('director.yml'), ...inv, '-e', '{"lvs_director_exclude": ["rs3"]}']);

  say(`6. From the routed client to the VIP ${lab.vip}: TCP, and UDP (every answer must come from the VIP)`);
  printProbe(await labProbe(lab, lab.vip, 80, 20));
  printProbe(await labProbe(lab, lab.vip, 80, 20, 'udp'));

  say('7. Roll out rs3 while the client keeps sending TCP requests and UDP datagrams');
  const tcp = startProbeStream(lab, lab.vip, 80, 5000, 120);
  const udp = startProbeStream(lab, lab.vip, 80, 5000, 120, 'udp');
  await lvsdr(['rollout', ...inv, '--add', 'rs3']);
  await sleep(3000); // let rs3 take its share of the streams
  printTally('TCP during the rollout', await tcp.stop());
  printTally('UDP during the rollout', await udp.stop());

  say('8. Failover: keepalived stops on director1 under traffic; director2 takes the VIP; then director1 takes it back (preempt)');
  const during = startProbeStream(lab, lab.vip, 80, 5000, 60);
  await sleep(1500);
  await onHost('director1', 'systemctl stop keepalived');
  console.log(`  director2 ${(await takesVip('director2', 10)) ? 'holds' : 'did NOT take'} the VIP`);
  await sleep(3000);
  printProbe(await labProbe(lab, lab.vip, 80, 10, 'udp'));
  await onHost('director1', 'systemctl start keepalived');
  console.log(`  director1 ${(await takesVip('director1', 15)) ? 'holds the VIP again' : 'did NOT take the VIP back'}`);
  await sleep(2000);
  printTally('TCP through both switches', await during.stop());

  say('9. The VIP now, rs3 in service, director1 the master');
  printProbe(await labProbe(lab, lab.vip, 80, 30));
  printProbe(await labProbe(lab, lab.vip, 80, 30, 'udp'));
}

try {
  await main();
  say('Done: the lab is removed');
} finally {
  await labDown({ name: NAME });
}
