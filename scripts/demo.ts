/**
 * `npm run demo`: lvsdr on a lab cluster, start to finish, in a few screens. Two real servers, a
 * director and a client; a dry run, the real run, a second run that changes nothing, the director,
 * a probe of the VIP; then a third real server rolled out under client traffic, and the lab removed.
 */
import path from 'node:path';
import { runCli } from '../src/cli/main.ts';
import { labDown } from '../src/lab/lab-down.ts';
import { labProbe, startProbeStream } from '../src/lab/lab-probe.ts';
import { labUp } from '../src/lab/lab-up.ts';

const NAME = 'demo';
const root = path.resolve(import.meta.dirname, '..');
const say = (text: string): void => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

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

async function main(): Promise<void> {
  say('1. A lab: two real servers, a director that owns the VIP, a client (real systemd hosts)');
  const lab = await labUp({ name: NAME, realservers: 3, director: true, client: true, log: (l) => console.log(`  ${l}`) });
  const inv = ['-i', lab.inventoryPath, '-i', path.join(root, 'inventories/lab-realservers.yml')];
  const pb = (name: string): string => path.join(root, 'playbooks', name);
  console.log(`  inventory: ${lab.inventoryPath}, VIP ${lab.vip}; rs3 is not in service yet`);

  say('2. Dry run of the real-server playbook (sysctl method): what would change, nothing changed');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2', '--check']);
  say('3. The real run');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2']);
  say('4. Again: nothing left to change (changed=0)');
  await lvsdr(['run', pb('realserver.yml'), ...inv, '-l', 'rs1:rs2']);

  say('5. The director: keepalived with lb_kind DR for rs1 and rs2, config-tested, reloaded');
  await lvsdr(['run', pb('director.yml'), ...inv, '-e', '{"lvs_director_exclude": ["rs3"]}']);

  say(`6. Requests from the client to the VIP ${lab.vip}, and who answers ARP for it`);
  printProbe(await labProbe(lab, lab.vip, 80, 20));

  say('7. Roll out rs3 while the client keeps sending requests');
  const stream = startProbeStream(lab, lab.vip, 80, 3000, 240);
  await lvsdr(['rollout', ...inv, '--add', 'rs3']);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let rs3 take its share of the stream
  const tally = await stream.stop();
  console.log(`  during the rollout: ${tally.requests} requests, ${tally.failures} failed, served by ${JSON.stringify(tally.servedBy)}`);
  if (tally.failures > 0) throw new Error('requests failed during the rollout');

  say('8. The VIP now, with rs3 in service');
  printProbe(await labProbe(lab, lab.vip, 80, 30));
}

function printProbe(p: Awaited<ReturnType<typeof labProbe>>): void {
  console.log(`  ${p.requests} requests, ${p.failures} failed, served by ${JSON.stringify(p.servedBy)}`);
  console.log(`  ARP for the VIP answered by: ${p.arp.map((a) => `${a.mac} (${a.host ?? 'unknown'})`).join(', ')}`);
}

try {
  await main();
  say('Done: the lab is removed');
} finally {
  await labDown({ name: NAME });
}
