/**
 * Runtime versus persisted rules on a real lab host (arptables, saved in /etc/arptables.rules): a
 * rule lost at runtime but still saved, or saved no more but still running, is drift. --check
 * shows it as a change (and changes nothing); a run repairs it; the run after that changes nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr, recapOf, type CliRun } from './run-helpers.ts';

const playbook = path.resolve('test/fixtures/reliability/drift.yml');
const SAVED = '/etc/arptables.rules';
const skip = labUnavailable();

const summaries = (r: CliRun) =>
  r.events.filter((e) => e.type === 'task:result' && e.status === 'changed').flatMap((e) => e.changes.map((c: { summary: string }) => `${e.host}: ${c.summary}`));

describe.skipIf(skip)('runtime vs persisted drift on a lab host', () => {
  let lab: Lab;
  let rule: RegExp;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-drift', realservers: 1, kind: 'light' });
    rule = new RegExp(`^-A INPUT -j DROP -d ${lab.vip.replaceAll('.', '\\.')}$`, 'm');
    const first = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(first.code).toBe(0);
  });
  afterAll(async () => {
    await lab?.down();
  });

  // Without arptables-save's timestamp comments, so two reads of the same rules compare equal.
  const runtime = async () => (await lab.exec('rs1', 'arptables-save | grep -v "^#"')).stdout;
  const saved = async () => (await lab.exec('rs1', `cat ${SAVED}`)).stdout;

  async function expectDriftRepaired(change: RegExp): Promise<void> {
    const before = { runtime: await runtime(), saved: await saved() };
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(check.code).toBe(0);
    expect(summaries(check)).toEqual([expect.stringMatching(change)]);
    expect({ runtime: await runtime(), saved: await saved() }).toEqual(before);

    const run = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(run.code).toBe(0);
    expect(summaries(run)).toEqual(summaries(check));
    expect(await runtime()).toMatch(rule);
    expect(await saved()).toMatch(rule);

    const again = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(recapOf(again).stats.rs1).toMatchObject({ changed: 0, failed: 0 });
  }

  it('starts in agreement: the rule runs and is saved, and a second run changes nothing', { timeout: 60_000 }, async () => {
    expect(await runtime()).toMatch(rule);
    expect(await saved()).toMatch(rule);
    const again = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(summaries(again)).toEqual([]);
  });

  it('a rule saved but lost at runtime is reported by --check and put back by a run', { timeout: 120_000 }, async () => {
    expect((await lab.exec('rs1', `arptables -D INPUT -d ${lab.vip} -j DROP`)).code).toBe(0);
    expect(await runtime()).not.toMatch(rule);
    await expectDriftRepaired(/^rs1: add arptables rule/);
  });

  it('a rule running but no longer saved is reported by --check and saved again by a run', { timeout: 120_000 }, async () => {
    expect((await lab.exec('rs1', `: > ${SAVED}`)).code).toBe(0);
    await expectDriftRepaired(/^rs1: save arptables rules to \/etc\/arptables\.rules \(saved rules differ from the running ones\)/);
  });
});
