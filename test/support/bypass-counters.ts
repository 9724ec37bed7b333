/**
 * Whether DR replies bypass the director: nft counters on the director's NICs, ahead of the
 * stand-in's own ingress rules, for packets from the VIP. `sentToIt` counts frames sent to the
 * director's own MAC (a reply routed through it: DR broken); `flooded` counts frames the bridge
 * floods to every port because it has not learned (or has aged out) the destination MAC, as a
 * switch does — they reach the NIC but are not sent to the director, which drops them.
 */
import type { Lab } from './lab.ts';
import { sh } from './lab.ts';

const TABLE = 'lvsdr_test_bypass';

export async function installBypassCounters(lab: Lab, host: string, nics: readonly string[]): Promise<void> {
  const chains = nics.map(
    (nic) => `  chain in_${nic} { type filter hook ingress device "${nic}" priority -10; policy accept;
    ip saddr ${lab.vip} meta pkttype host counter name sent_to_it
    ip saddr ${lab.vip} meta pkttype != host counter name flooded
  }`,
  );
  const table = `table netdev ${TABLE} {\n  counter sent_to_it { }\n  counter flooded { }\n${chains.join('\n')}\n}\n`;
  const r = await lab.exec(host, 'nft -f -', { input: table });
  if (r.code !== 0) throw new Error(`bypass counters on ${host}: ${r.stderr}`);
}

export async function readBypassCounters(lab: Lab, host: string): Promise<{ sentToIt: number; flooded: number }> {
  const count = async (name: string) => {
    const r = await lab.exec(host, sh`nft list counter netdev ${TABLE} ${name}`.text);
    return Number(/packets (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  };
  return { sentToIt: await count('sent_to_it'), flooded: await count('flooded') };
}
