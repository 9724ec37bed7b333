/**
 * The rollout's health signal on a lab director, in both configurations: keepalived's checker data
 * (the DATA signal, as `lvsdr rollout` asks for it) against `ipvsadm -Ln`. With inhibit_on_failure
 * a real server whose check fails stays listed at weight 0 — listed, not healthy; without it, it
 * leaves the table. Either way the rollout's condition says not healthy, and healthy again once
 * its service is back. (The director's keepalived.service is the lab's stand-in, which writes the
 * dump in keepalived's format: src/lab/README.md.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allHealthy, type DirectorView } from '../../src/core/rollout/director-watch.ts';
import { ipvsServiceName, parseIpvsadm } from '../../src/facts/ipvsadm.ts';
import { keepalivedCheckDataCommand, parseKeepalivedCheckData } from '../../src/facts/keepalived-check-data.ts';
import type { Lab } from '../support/lab.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab } from '../support/lab.ts';

const skip = labUnavailable();

describe.skipIf(skip)("the rollout's health signal: keepalived's checker state", () => {
  let lab: Lab;
  let second: string;
  const addr = (name: string) => lab.hosts.find((h) => h.name === name)!.address;
  const out = async (host: string, command: string, input?: string) => {
    const r = await lab.exec(host, command, { input });
    expect(r.code, `${host}: ${command}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const view = async (): Promise<DirectorView> => ({
    services: parseIpvsadm(await out('director', 'ipvsadm -Ln')),
    checked: parseKeepalivedCheckData(await out('director', keepalivedCheckDataCommand.text)),
  });
  const endpoint = (host: string, vip: string) => ({ host, ip: addr(host), services: [{ vip, port: 80, protocol: 'tcp' as const }] });
  /** Polls (bounded) until `ready` holds for the director's view. */
  const waitFor = async (ready: (v: DirectorView) => boolean): Promise<DirectorView> => {
    const deadline = Date.now() + 20_000;
    let last = await view();
    while (!ready(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      last = await view();
    }
    expect(ready(last), JSON.stringify(last)).toBe(true);
    return last;
  };
  const service = (inhibit: boolean, vip: string) => `virtual_server ${vip} 80 {
    delay_loop 1
    lvs_sched wlc
    lvs_method DR
    protocol TCP
${inhibit ? '    inhibit_on_failure\n' : ''}${['rs1', 'rs2'].map((h) => `    real_server ${addr(h)} 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }`).join('\n')}
}
`;

  beforeAll(async () => {
    lab = await startLab({ name: 'i18-health', realservers: 2, director: true });
    second = lab.vip.replace(/\.\d+$/, '.242');
    await out('director', 'cat > /etc/keepalived/keepalived.conf && systemctl reload keepalived.service', service(true, lab.vip) + service(false, second));
  }, LAB_TEST_TIMEOUT);
  afterAll(async () => {
    await lab?.down();
  }, LAB_TEST_TIMEOUT);

  it('a failed real server: listed at weight 0 with inhibit_on_failure, gone without; not healthy in either; healthy again when back', async () => {
    const both = (host: string) => [endpoint(host, lab.vip), endpoint(host, second)];
    await waitFor((v) => allHealthy([...both('rs1'), ...both('rs2')])(v));
    await out('rs1', 'systemctl stop lvsdr-lab-web.service');
    try {
      // ipvsadm lists a service's real servers in the order IPVS holds them, which is not the config's.
      const listedIn = (v: DirectorView) => Object.fromEntries(v.services.map((s) => [ipvsServiceName(s), s.realServers.map((r) => `${r.ip} w${r.weight}`).sort()]));
      const inhibited = [`${addr('rs1')} w0`, `${addr('rs2')} w1`].sort();
      // The view reads ipvsadm, then the checker's data: the checker may have marked rs1 down an
      // instant before IPVS shows its weight 0 (or drops it), so both are waited for together.
      const down = await waitFor((v) => {
        const listed = listedIn(v);
        return !allHealthy([endpoint('rs1', lab.vip)])(v) && !allHealthy([endpoint('rs1', second)])(v) && JSON.stringify(listed[`TCP ${lab.vip}:80`]) === JSON.stringify(inhibited) && JSON.stringify(listed[`TCP ${second}:80`]) === JSON.stringify([`${addr('rs2')} w1`]);
      });
      const listed = listedIn(down);
      expect(listed[`TCP ${lab.vip}:80`]).toEqual(inhibited);
      expect(listed[`TCP ${second}:80`]).toEqual([`${addr('rs2')} w1`]);
      expect(allHealthy(both('rs2'))(down)).toBe(true);
    } finally {
      await out('rs1', 'systemctl start lvsdr-lab-web.service');
    }
    await waitFor((v) => allHealthy(both('rs1'))(v));
  }, LAB_TEST_TIMEOUT);
});
