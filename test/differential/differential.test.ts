/**
 * The differential suite: every corpus entry (test/differential/corpus/*) run by ansible-playbook
 * against rs1 and by lvsdr against rs2, its twin (and, for an entry with a peer, each its own peer); each phase's recap must be the same, and so must
 * the end state after each run. Each entry is our own playbook written to exercise what a named real
 * one uses (its header comment says which: repository, path, commit). Some entries only:
 * `flock /tmp/lvsdr-heavy.lock vitest run test/differential -t 'rw-|NAME'` (test names start with
 * the entry's name).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleRun, endState, hasPeer, lvsdrRun, PHASES, setUp, type Twins } from '../support/differential.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const CORPUS = resolve('test/differential/corpus');
const entries = readdirSync(CORPUS).sort();

function ansibleMissing(): string | undefined {
  if (ansibleAvailable()) return undefined;
  if (process.env.CI === 'true') throw new Error('the differential suite needs Debian’s ansible package under CI (src/lab/debian-packages.txt)');
  console.warn('\n*** SKIPPING the differential suite: /usr/bin/ansible-playbook is not installed ***\n');
  return 'no ansible-playbook';
}

const skip = labUnavailable() ?? ansibleMissing();

describe.skipIf(skip)('ansible-playbook and lvsdr on twin hosts', () => {
  let lab: Lab;
  let peers: Lab | undefined;
  beforeAll(async () => {
    lab = await startLab({ name: 'differential', realservers: 2 });
    // Entries that delegate to another host get a twin peer each: light hosts of a lab of their own.
    if (entries.some((e) => hasPeer(join(CORPUS, e)))) peers = await startLab({ name: 'differential-peers', realservers: 2, kind: 'light' });
  }, LAB_TEST_TIMEOUT * 3);
  afterAll(async () => {
    await lab?.down();
    await peers?.down();
  });

  // Issue 15 asks for at least 20 real playbooks and roles.
  it('has a corpus of at least 20 entries', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of entries) {
    it(
      `${name}: same recaps in check, first run, second run and check again; same end state`,
      async () => {
        const entry = join(CORPUS, name);
        const peer = hasPeer(entry);
        // ansible-playbook works on rs1 (and the peers' rs1), lvsdr on rs2 (and the peers' rs2).
        const [ansibleHosts, ourHosts]: Twins[] = ['rs1', 'rs2'].map((host) => ({ target: { lab, host }, ...(peer && peers ? { peer: { lab: peers, host } } : {}) }));
        await Promise.all([ansibleHosts, ourHosts].flatMap((t) => [t.target, ...(t.peer ? [t.peer] : [])]).map((h) => setUp(h, entry)));
        for (const phase of PHASES) {
          const [ansible, ours] = await Promise.all([ansibleRun(ansibleHosts, entry, phase), lvsdrRun(ourHosts, entry, phase)]);
          expect(ours.recap, `${phase.name}\n--- ansible-playbook:\n${ansible.output}\n--- lvsdr:\n${ours.output}`).toEqual(ansible.recap);
          if (phase.args.length > 0) continue;
          expect(await endState(ourHosts.target, entry), `end state after the ${phase.name}`).toBe(await endState(ansibleHosts.target, entry));
          if (ourHosts.peer && ansibleHosts.peer) {
            expect(await endState(ourHosts.peer, entry, 'peer-state.sh'), `peer's end state after the ${phase.name}`).toBe(await endState(ansibleHosts.peer, entry, 'peer-state.sh'));
          }
        }
      },
      LAB_TEST_TIMEOUT * 3,
    );
  }
});
