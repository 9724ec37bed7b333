/**
 * Faults on real lab hosts: a host down before the run, sshd killed while a task runs, a command
 * that hangs, a filesystem too small for a write. Each ends that host alone (unreachable or
 * failed, with a message saying why), the others finish, and a second run completes the work
 * without reporting a change that did not happen.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { hostPids, killSshd, setLink, startSshd, waitForHostProcess } from './lab-faults.ts';
import { lvsdr, lvsdrWatching, recapOf, resultsOf, unreachableOf, type CliRun } from './run-helpers.ts';

const fixture = (name: string) => path.resolve('test/fixtures/reliability', name);
const HOSTS = ['rs1', 'rs2', 'rs3'];
const skip = labUnavailable();

/** host | task | status, for every task result that claims a change. */
const changed = (r: CliRun) =>
  r.events.filter((e) => e.type === 'task:result' && e.status === 'changed').map((e) => `${e.host} | ${e.task}`).sort();

describe.skipIf(skip)('faults on lab hosts', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-faults', realservers: 3, kind: 'light' });
  });
  afterAll(async () => {
    await lab?.down();
  });
  const cleanAll = () => Promise.all(HOSTS.map((h) => lab.exec(h, 'rm -rf /etc/lvsdr-rel /tmp/after-hang')));

  it('a host down before the run is unreachable, the others finish (exit 3); once it is back, a second run completes it', { timeout: 150_000 }, async () => {
    await cleanAll();
    await setLink(lab, 'rs3', 'down');
    let first: CliRun;
    try {
      // -T is the connection timeout, as in ansible-playbook (--connect-timeout is its alias).
      first = await lvsdr('run', fixture('marker.yml'), '-i', lab.inventoryPath, '-T', '2', '--json');
    } finally {
      await setLink(lab, 'rs3', 'up');
    }
    expect(first.code).toBe(3);
    expect(unreachableOf(first, 'rs3')).toMatch(/root@\S+:22: timed out after 2 s while connecting/);
    expect(recapOf(first).stats.rs3).toMatchObject({ unreachable: 1, ok: 0, changed: 0 });
    expect(changed(first)).toEqual(['rs1 | Directory', 'rs1 | Marker file', 'rs2 | Directory', 'rs2 | Marker file']);

    const second = await lvsdr('run', fixture('marker.yml'), '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    expect(changed(second)).toEqual(['rs3 | Directory', 'rs3 | Marker file']);
    expect((await lab.exec('rs3', 'cat /etc/lvsdr-rel/marker')).stdout).toBe('host=rs3\n');
  });

  it('sshd killed while a task runs ends that host with a clear message; the others finish; a second run completes it', { timeout: 150_000 }, async () => {
    await cleanAll();
    let killed: Promise<void> | undefined;
    const first = await lvsdrWatching(['run', fixture('slow.yml'), '-i', lab.inventoryPath, '--json'], (e) => {
      if (e.type === 'task:start' && e.host === 'rs2' && e.task === 'Slow command') {
        killed = (async () => {
          expect(await waitForHostProcess(lab, 'rs2', 'sleep 5')).toBe(true);
          await killSshd(lab, 'rs2');
        })();
      }
    });
    await killed;
    expect(first.code).not.toBe(0);
    const slow = resultsOf(first, 'rs2').find((r) => r.task === 'Slow command')!;
    expect(['unreachable', 'failed']).toContain(slow.status);
    expect(slow.msg).toMatch(/connection lost|closed by the server|did not finish/);
    expect(resultsOf(first, 'rs2').map((r) => r.task)).toEqual(['Directory', 'Before', 'Slow command']);
    expect(changed(first)).toEqual(
      ['rs1', 'rs2', 'rs3'].flatMap((h) => [`${h} | Before`, `${h} | Directory`]).concat(['rs1 | After', 'rs3 | After']).sort(),
    );
    for (const h of ['rs1', 'rs3']) expect(recapOf(first).stats[h]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(await hostPids(lab, 'rs2', 'sshd')).toEqual([]);

    await startSshd(lab, 'rs2');
    const second = await lvsdr('run', fixture('slow.yml'), '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    // Only what the first run did not do; what it did is not claimed again.
    expect(changed(second)).toEqual(['rs2 | After']);
    expect((await lab.exec('rs2', 'cat /etc/lvsdr-rel/before /etc/lvsdr-rel/after')).stdout).toBe('before\nafter\n');
  });

  it('a connection that goes silent mid-task (link down, no reset) ends that host as unreachable once keepalives go unanswered', { timeout: 150_000 }, async () => {
    await cleanAll();
    let cut: Promise<void> | undefined;
    let first: CliRun;
    try {
      first = await lvsdrWatching(['run', fixture('slow.yml'), '-i', lab.inventoryPath, '--json'], (e) => {
        if (e.type === 'task:start' && e.host === 'rs2' && e.task === 'Slow command') {
          cut = (async () => {
            expect(await waitForHostProcess(lab, 'rs2', 'sleep 5')).toBe(true);
            await setLink(lab, 'rs2', 'down');
          })();
        }
      });
      await cut;
    } finally {
      await setLink(lab, 'rs2', 'up');
    }
    expect(first.code).toBe(3);
    const slow = resultsOf(first, 'rs2').find((r) => r.task === 'Slow command')!;
    expect(slow).toMatchObject({ status: 'unreachable' });
    expect(slow.msg).toMatch(/connection lost/);
    // Noticed by keepalives (about 20 s), not by the 300 s task timeout.
    expect(slow.durationMs).toBeLessThan(60_000);
    for (const h of ['rs1', 'rs3']) expect(recapOf(first).stats[h]).toMatchObject({ failed: 0, unreachable: 0, changed: 3 });

    const second = await lvsdr('run', fixture('slow.yml'), '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    expect(changed(second)).toEqual(['rs2 | After']);
  });

  for (const [tag, flags] of [
    ['keyword', []],
    ['flag', ['--command-timeout', '2']],
  ] as const) {
    it(`a hanging command times out (${tag === 'keyword' ? 'task timeout: 2' : '--command-timeout 2'}) and fails that host only, its process killed`, { timeout: 150_000 }, async () => {
      await cleanAll();
      const started = Date.now();
      const r = await lvsdr('run', fixture('hang.yml'), '-i', lab.inventoryPath, '-t', tag, '--json', ...flags);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(r.code).toBe(2);
      const hang = resultsOf(r, 'rs2').find((x) => x.task.startsWith('Hang'))!;
      expect(hang.status).toBe('failed');
      expect(hang.msg).toMatch(/timed out after 2 s/);
      expect(hang.durationMs).toBeGreaterThanOrEqual(2_000);
      expect(hang.durationMs).toBeLessThan(15_000);
      expect(resultsOf(r, 'rs2').map((x) => x.task)).not.toContain('After the hang');
      for (const h of ['rs1', 'rs3']) {
        expect(recapOf(r).stats[h]).toMatchObject({ failed: 0, changed: 1 });
        expect((await lab.exec(h, 'cat /tmp/after-hang')).stdout).toBe('done\n');
      }
      expect(await hostPids(lab, 'rs2', 'sleep 600')).toEqual([]);
    });
  }

  /** A 64 KiB tmpfs at /etc/lvsdr-tiny on rs1 (mounted once, in the host's own mount namespace), emptied. */
  const tinyFs = async () => {
    const r = await lab.exec('rs1', 'mkdir -p /etc/lvsdr-tiny && { mountpoint -q /etc/lvsdr-tiny || mount -t tmpfs -o size=64k lvsdr-lab_rel-faults_rs1 /etc/lvsdr-tiny; } && rm -rf /etc/lvsdr-tiny/* /etc/lvsdr-tiny/.[!.]*');
    expect(r.code).toBe(0);
  };

  it('a write to a full filesystem fails the task and leaves the old file byte-identical, with no temporary file', { timeout: 150_000 }, async () => {
    await tinyFs();
    const setup = await lab.exec('rs1', 'cat > /etc/lvsdr-tiny/app.conf && sha256sum /etc/lvsdr-tiny/app.conf', { input: 'old content\n'.repeat(500) });
    expect(setup.code).toBe(0);
    const big = path.join(lab.info.stateDir, 'big.yml');
    writeFileSync(big, JSON.stringify({ big: 'new content that does not fit\n'.repeat(4_000) }));

    const r = await lvsdr('run', fixture('tiny.yml'), '-i', lab.inventoryPath, '-e', `@${big}`, '--json');
    expect(r.code).toBe(2);
    const [write] = resultsOf(r, 'rs1');
    expect(write).toMatchObject({ status: 'failed', changes: [] });
    expect(write.msg).toMatch(/update \/etc\/lvsdr-tiny\/app\.conf: exit \d+: .*No space left on device/);

    const after = await lab.exec('rs1', 'sha256sum /etc/lvsdr-tiny/app.conf; ls -A /etc/lvsdr-tiny');
    expect(after.stdout).toBe(`${setup.stdout}app.conf\n`);
  });

  it('saving rules to a full filesystem keeps the old saved rules whole; once there is room, the next run saves them', { timeout: 150_000 }, async () => {
    await tinyFs();
    const setup = await lab.exec('rs1', 'printf "# old rules\\n" > /etc/lvsdr-tiny/rules.v4 && { cat /dev/zero > /etc/lvsdr-tiny/filler 2>/dev/null; true; } && sha256sum /etc/lvsdr-tiny/rules.v4');
    expect(setup.code).toBe(0);

    const full = await lvsdr('run', fixture('tiny-rules.yml'), '-i', lab.inventoryPath, '--json');
    expect(full.code).toBe(2);
    const [save] = resultsOf(full, 'rs1');
    expect(save.status).toBe('failed');
    expect(save.msg).toMatch(/save iptables rules to \/etc\/lvsdr-tiny\/rules\.v4 .*: exit \d+: .*No space left on device/);
    // The runtime rule went in before the save failed, and the report says so.
    expect(save.changes.map((c: { summary: string }) => c.summary)).toEqual([expect.stringMatching(/^add iptables rule/)]);
    const after = await lab.exec('rs1', 'sha256sum /etc/lvsdr-tiny/rules.v4; ls -A /etc/lvsdr-tiny');
    expect(after.stdout).toBe(`${setup.stdout}filler\nrules.v4\n`);

    await lab.exec('rs1', 'rm /etc/lvsdr-tiny/filler');
    const next = await lvsdr('run', fixture('tiny-rules.yml'), '-i', lab.inventoryPath, '--json');
    expect(next.code).toBe(0);
    expect(changed(next)).toEqual(['rs1 | Packets for the VIP are redirected']);
    expect(resultsOf(next, 'rs1')[0].changes.map((c: { summary: string }) => c.summary)).toEqual([
      expect.stringMatching(/^save iptables rules to \/etc\/lvsdr-tiny\/rules\.v4 \(saved rules differ from the running ones\)/),
    ]);
    expect((await lab.exec('rs1', 'cat /etc/lvsdr-tiny/rules.v4')).stdout).toMatch(/--dport 8080 -j REDIRECT/);
  });
});
