/**
 * Runtime versus persisted rules on a real lab host (arptables saved in /etc/arptables.rules,
 * iptables in /etc/iptables/rules.v4): a rule lost at runtime but still saved, or saved no more
 * but still running, is drift. --check shows it as a change and changes nothing; a run repairs
 * it; the run after that changes nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, recapOf, type CliRun } from './run-helpers.ts';

const playbook = path.resolve('test/fixtures/reliability/drift.yml');
const skip = labUnavailable();

const summaries = (r: CliRun) =>
  r.events.filter((e) => e.type === 'task:result' && e.status === 'changed').flatMap((e) => e.changes.map((c: { summary: string }) => `${e.host}: ${c.summary}`));
const escaped = (s: string) => s.replaceAll('.', '\\.').replaceAll('/', '\\/');

interface Method {
  tag: string;
  saved: string;
  /** The running rules, without what changes between two reads (timestamps, packet counters). */
  runtime: string;
  rule: (vip: string) => RegExp;
  deleteRule: (vip: string) => string;
  addRule: (vip: string) => string;
}

const METHODS: Method[] = [
  {
    tag: 'arptables',
    saved: '/etc/arptables.rules',
    runtime: 'arptables-save | grep -v "^#"',
    rule: (vip) => new RegExp(`^-A INPUT -j DROP -d ${escaped(vip)}$`, 'm'),
    deleteRule: (vip) => `arptables -D INPUT -d ${vip} -j DROP`,
    addRule: (vip) => `arptables -A INPUT -d ${vip} -j DROP`,
  },
  {
    tag: 'iptables',
    saved: '/etc/iptables/rules.v4',
    runtime: 'iptables-save -t nat | grep -v "^#" | sed "s/\\[[0-9]*:[0-9]*\\]//"',
    rule: (vip) => new RegExp(`^-A PREROUTING -d ${escaped(vip)}(/32)? -p tcp (-m tcp )?--dport 80 -j REDIRECT$`, 'm'),
    deleteRule: (vip) => `iptables -w -t nat -D PREROUTING -p tcp -d ${vip} --dport 80 -j REDIRECT`,
    addRule: (vip) => `iptables -w -t nat -A PREROUTING -p tcp -d ${vip} --dport 80 -j REDIRECT`,
  },
];

describe.skipIf(skip)('runtime vs persisted drift on a lab host', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-drift', realservers: 1, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });

  for (const m of METHODS) {
    describe(m.tag, { timeout: 240_000 }, () => {
      const run = (...flags: string[]) => lvsdr('run', playbook, '-i', lab.inventoryPath, '-t', m.tag, '--json', ...flags);
      const runtime = async () => (await lab.exec('rs1', m.runtime)).stdout;
      const saved = async () => (await lab.exec('rs1', `cat ${m.saved}`)).stdout;

      async function expectDriftRepaired(change: RegExp): Promise<void> {
        const before = { runtime: await runtime(), saved: await saved() };
        const check = await run('--check', '--detailed-exitcode');
        // Changes pending, for cron and CI: 10, with a one-line summary in --json.
        expect(check.code).toBe(10);
        expect(check.events.at(-1)).toEqual({ type: 'summary', check: true, changed: ['rs1'], failed: [], unreachable: [], exitCode: 10 });
        expect(summaries(check)).toEqual([expect.stringMatching(change)]);
        expect({ runtime: await runtime(), saved: await saved() }).toEqual(before);

        const repair = await run();
        expect(repair.code).toBe(0);
        expect(summaries(repair)).toEqual(summaries(check));
        expect(await runtime()).toMatch(m.rule(lab.vip));
        expect(await saved()).toMatch(m.rule(lab.vip));

        const again = await run();
        expect(recapOf(again).stats.rs1).toMatchObject({ changed: 0, failed: 0 });
        const clean = await run('--check', '--detailed-exitcode');
        expect(clean.code).toBe(0);
        expect(clean.events.at(-1)).toMatchObject({ type: 'summary', changed: [], exitCode: 0 });
      }

      it('starts in agreement: the rule runs and is saved, and a check after the run changes nothing', async () => {
        expect((await run()).code).toBe(0);
        expect(await runtime()).toMatch(m.rule(lab.vip));
        expect(await saved()).toMatch(m.rule(lab.vip));
        expect(summaries(await run('--check'))).toEqual([]);
      });

      it('a rule saved but lost at runtime is reported by --check and put back by a run', async () => {
        expect((await lab.exec('rs1', m.deleteRule(lab.vip))).code).toBe(0);
        expect(await runtime()).not.toMatch(m.rule(lab.vip));
        await expectDriftRepaired(new RegExp(`^rs1: add ${m.tag} rule`));
      });

      it('a rule present twice at runtime is drift: --check reports it, a run leaves one copy', async () => {
        expect((await lab.exec('rs1', m.addRule(lab.vip))).code).toBe(0);
        expect((await runtime()).match(new RegExp(m.rule(lab.vip).source, 'gm'))).toHaveLength(2);
        await expectDriftRepaired(new RegExp(`^rs1: remove 1 duplicate\\(s\\) of ${m.tag} rule`));
        expect((await runtime()).match(new RegExp(m.rule(lab.vip).source, 'gm'))).toHaveLength(1);
      });

      it('a rule saved twice is drift: --check reports it, a run saves it once', async () => {
        const line = (await saved()).split('\n').find((l) => m.rule(lab.vip).test(l))!;
        expect((await lab.exec('rs1', `sed -i 's|^${line.replaceAll('.', '\\.')}$|&\\n&|' ${m.saved}`)).code).toBe(0);
        expect((await saved()).match(new RegExp(m.rule(lab.vip).source, 'gm'))).toHaveLength(2);
        await expectDriftRepaired(new RegExp(`^rs1: save ${m.tag} rules to ${escaped(m.saved)} \\(saved rules differ from the running ones\\)`));
        expect((await saved()).match(new RegExp(m.rule(lab.vip).source, 'gm'))).toHaveLength(1);
      });

      it('a rule running but no longer saved is reported by --check and saved again by a run', async () => {
        expect((await lab.exec('rs1', `: > ${m.saved}`)).code).toBe(0);
        await expectDriftRepaired(new RegExp(`^rs1: save ${m.tag} rules to ${escaped(m.saved)} \\(saved rules differ from the running ones\\)`));
      });
    });
  }
  describe('duplicates outside rule sets', { timeout: 240_000 }, () => {
    const run = (tag: string, ...flags: string[]) => lvsdr('run', playbook, '-i', lab.inventoryPath, '-t', tag, '--json', ...flags);
    async function expectOneLeft(tag: string, change: RegExp, count: () => Promise<number>): Promise<void> {
      expect(await count()).toBe(2);
      const check = await run(tag, '--check', '--detailed-exitcode');
      expect(check.code).toBe(10);
      expect(summaries(check)).toEqual([expect.stringMatching(change)]);
      expect(await count()).toBe(2);
      const repair = await run(tag);
      expect(summaries(repair)).toEqual(summaries(check));
      expect(await count()).toBe(1);
      expect(recapOf(await run(tag)).stats.rs1).toMatchObject({ changed: 0, failed: 0 });
    }

    it('a sysctl key written twice in lvsdr\'s file is written once', async () => {
      const file = '/etc/sysctl.d/90-lvsdr.conf';
      expect((await run('sysctl')).code).toBe(0);
      await lab.exec('rs1', `echo 'net.ipv4.conf.all.arp_ignore = 1' >> ${file}`);
      const count = async () => Number((await lab.exec('rs1', `grep -c arp_ignore ${file}`)).stdout.trim());
      await expectOneLeft('sysctl', /^rs1: set net\.ipv4\.conf\.all\.arp_ignore = 1 in \/etc\/sysctl\.d\/90-lvsdr\.conf \(it was there 2 times\)$/, count);
    });

    it('a VIP present twice (on another interface too) is removed where it does not belong', async () => {
      expect((await run('vip')).code).toBe(0);
      await lab.exec('rs1', `ip addr add ${lab.vip}/32 dev eth0`);
      const count = async () => Number((await lab.exec('rs1', `ip -o -4 addr show | grep -c ' ${lab.vip}/'`)).stdout.trim());
      await expectOneLeft('vip', new RegExp(`^rs1: remove duplicate VIP ${escaped(lab.vip)} from eth0/32 \\(kept on lo/32\\)$`), count);
      await lab.exec('rs1', `ip addr del ${lab.vip}/32 dev lo`);
    });
  });
});
