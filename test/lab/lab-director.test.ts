/**
 * The lab director (the stand-in for IPVS behind keepalived.service) and the client's probe: a
 * keepalived.conf listing both real servers serves from both with zero failures; a reload under
 * traffic keeps every established flow; weight 0 and a failed health check take no new flows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import type { ProbeResult } from '../../src/lab/lab-probe.ts';
import type { Lab } from '../support/lab.ts';
import { LAB_TEST_TIMEOUT, TEST_LAB_STATE, labUnavailable, sh, startLab } from '../support/lab.ts';

const skip = labUnavailable();

interface StandInStatus {
  generation: number;
  errors: string[];
  virtual_servers: { vip: string; real_servers: { ip: string; weight: number; healthy: boolean }[] }[];
}

function keepalivedConf(vip: string, servers: { ip: string; weight: number }[]): string {
  const real = servers
    .map(
      (s) => `    real_server ${s.ip} 80 {
        weight ${s.weight}
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
        }
    }`,
    )
    .join('\n');
  return `global_defs {
    router_id lab_director
}
virtual_server ${vip} 80 {
    delay_loop 1
    lvs_sched wlc
    lvs_method DR
    protocol TCP
${real}
}
`;
}

describe.skipIf(skip)('lab director and client', () => {
  let lab: Lab;
  const addr = (name: string) => lab.hosts.find((h) => h.name === name)!.address;

  const out = async (host: string, command: string, input?: string) => {
    const r = await lab.exec(host, command, { input });
    expect(r.code, `${host}: ${command}\n${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  const status = async (): Promise<StandInStatus> => JSON.parse(await out('director', 'lvsdr-lab-ipvsadm --json'));

  /** Polls the stand-in's status (bounded) until `ready` holds. */
  const waitForStatus = async (ready: (s: StandInStatus) => boolean): Promise<StandInStatus> => {
    const deadline = Date.now() + 20_000;
    let last = await status();
    while (!ready(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      last = await status();
    }
    expect(ready(last), JSON.stringify(last)).toBe(true);
    return last;
  };

  const configure = async (weights: { rs1: number; rs2: number }) => {
    const before = (await status()).generation;
    const conf = keepalivedConf(lab.vip, [
      { ip: addr('rs1'), weight: weights.rs1 },
      { ip: addr('rs2'), weight: weights.rs2 },
    ]);
    await out('director', 'cat > /etc/keepalived/keepalived.conf && keepalived --config-test -f /etc/keepalived/keepalived.conf', conf);
    await out('director', 'systemctl reload keepalived.service');
    return waitForStatus((s) => s.generation > before);
  };

  beforeAll(async () => {
    lab = await startLab({ name: 'director-test', realservers: 2, director: true, client: true });
    for (const rs of ['rs1', 'rs2']) {
      await out(rs, sh`ip addr add ${lab.vip}/32 dev lo && sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2`.text);
    }
  });
  afterAll(async () => {
    await lab?.down();
  }, LAB_TEST_TIMEOUT);

  it('serves the VIP from both real servers with zero failures; only the director answers ARP', async () => {
    await configure({ rs1: 1, rs2: 1 });
    await waitForStatus((s) => s.virtual_servers[0]?.real_servers.every((r) => r.healthy) ?? false);
    const probe = await lab.probe({ requests: 30 });
    expect(probe.failures).toBe(0);
    expect(probe.requests).toBe(30);
    expect(probe.servedBy.rs1).toBeGreaterThan(0);
    expect(probe.servedBy.rs2).toBeGreaterThan(0);
    expect(probe.arp.map((a) => a.host)).toEqual(['director']);
  }, LAB_TEST_TIMEOUT);

  it('keeps every flow through a reload under traffic, and weight 0 takes no new flows', async () => {
    const stream = lab.probeStream({ maxRequests: 400, maxSeconds: 30 });
    await new Promise((r) => setTimeout(r, 1500));
    await configure({ rs1: 1, rs2: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    const tally = await stream.stop();
    expect(tally.requests).toBeGreaterThan(10);
    expect(tally.failures).toBe(0);
    const after = await lab.probe({ requests: 12 });
    expect(after.failures).toBe(0);
    expect(after.servedBy).toEqual({ rs1: 12 });
  }, LAB_TEST_TIMEOUT);

  it('takes a real server whose health check fails out of new flows', async () => {
    await configure({ rs1: 1, rs2: 1 });
    await out('rs1', 'systemctl stop lvsdr-lab-web.service');
    await waitForStatus((s) => s.virtual_servers[0]?.real_servers.find((r) => r.ip === addr('rs1'))?.healthy === false);
    const probe = await lab.probe({ requests: 10 });
    expect(probe.failures).toBe(0);
    expect(probe.servedBy).toEqual({ rs2: 10 });
    await out('rs1', 'systemctl start lvsdr-lab-web.service');
    await waitForStatus((s) => s.virtual_servers[0]?.real_servers.every((r) => r.healthy) ?? false);
  }, LAB_TEST_TIMEOUT);

  it('refuses a config keepalived --config-test refuses, keeping the rules it has', async () => {
    const before = await status();
    await out('director', 'cp /etc/keepalived/keepalived.conf /root/good.conf && echo "virtual_server 1.2.3 { bogus" > /etc/keepalived/keepalived.conf && systemctl reload keepalived.service');
    const refused = await waitForStatus((s) => s.errors.some((e) => e.includes('config-test')));
    expect(refused.generation).toBe(before.generation);
    expect((await lab.probe({ requests: 6 })).failures).toBe(0);
    await out('director', 'cp /root/good.conf /etc/keepalived/keepalived.conf && systemctl reload keepalived.service');
    await waitForStatus((s) => s.generation > before.generation && s.errors.length === 0);
  }, LAB_TEST_TIMEOUT);

  it('says which services it does not forward (fwmark) and keeps serving the TCP one', async () => {
    const before = (await status()).generation;
    const extra = `
virtual_server fwmark 1 {
    lvs_sched wlc
    lvs_method DR
    real_server ${addr('rs1')} {
        weight 1
    }
}
`;
    const conf = keepalivedConf(lab.vip, [{ ip: addr('rs1'), weight: 1 }, { ip: addr('rs2'), weight: 1 }]) + extra;
    await out('director', 'cat > /etc/keepalived/keepalived.conf && keepalived --config-test -f /etc/keepalived/keepalived.conf', conf);
    await out('director', 'systemctl reload keepalived.service');
    const s = await waitForStatus((x) => x.generation > before);
    expect(s.errors).toEqual(['virtual_server fwmark 1: the lab stand-in forwards only TCP or UDP to an address and port; not forwarded']);
    expect(s.virtual_servers.map((v) => v.vip)).toEqual([lab.vip]);
    await waitForStatus((x) => x.virtual_servers[0]?.real_servers.every((r) => r.healthy) ?? false);
    expect((await lab.probe({ requests: 10 })).failures).toBe(0);
    await configure({ rs1: 1, rs2: 1 });
  }, LAB_TEST_TIMEOUT);

  it('answers `lvsdr lab probe --json` and `lvsdr lab ssh` from the CLI', async () => {
    let stdout = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: () => {} };
    const common = ['--name', 'director-test', '--state-dir', TEST_LAB_STATE];
    expect(await runCli(['lab', 'probe', `${lab.vip}:80`, '--requests', '4', '--json', ...common], io)).toBe(0);
    const probe = JSON.parse(stdout) as ProbeResult;
    expect(probe).toMatchObject({ vip: lab.vip, port: 80, requests: 4, failures: 0 });
    expect(await runCli(['lab', 'ssh', 'rs2', ...common, '--', 'exit', '7'], io)).toBe(7);
  }, LAB_TEST_TIMEOUT);
});
