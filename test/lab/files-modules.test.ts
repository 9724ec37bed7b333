/**
 * The modules of issue 16 on a lab host (systemd booted): check mode predicts the first run
 * exactly (but for a validate command, which only a real run runs), the second run changes nothing, --diff shows the files' diffs, and the host ends as the
 * tasks say (unit enabled and running, upower masked, the file's text, the sysctl at runtime and in
 * its file, a failed validate leaving the file as it was).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, lvsdr } from '../support/cli.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const playbook = path.resolve('test/fixtures/files-modules/site.yml');
const skip = labUnavailable();

describe.skipIf(skip)('files and services modules on a lab host', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ name: 'files-modules', realservers: 1 });
  }, LAB_TEST_TIMEOUT);
  afterAll(async () => {
    await lab?.down();
  });

  it('check predicts the first run, the second changes nothing, the host ends as told', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const check = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    expect(check.code).toBe(0);
    // stat answers for the file the earlier tasks would write: the same checksum as the real run's.
    const said = (r: typeof check) => r.events.find((e) => e.type === 'task:result' && e.task === 'Say so')?.reason;
    expect((await lab.exec('rs1', 'ls /etc/lvsdr-fm 2>&1; systemctl is-enabled upower; true')).stdout).toMatch(/No such file[\s\S]*disabled/);

    const first = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json', '--diff');
    expect(first.code).toBe(0);
    // Check mode cannot run a validate command: it reports the edit a real run then refuses.
    const validated = 'A validate that fails leaves the file as it was';
    expect(changedTasks(first)).toEqual(changedTasks(check).filter((t) => !t.includes(validated)));
    expect(changedTasks(first).map((t) => t.split(' | ')[1])).toEqual(
      [
        'A block of real servers',
        'A config file made by lineinfile',
        'A setting replaced by regexp',
        'A setting through the sysctl.d link to /etc/sysctl.conf',
        'A unit file',
        'keepalived logs in detail',
        'The ARP setting through the collection\'s sysctl',
        'Unit loaded, enabled and running',
        'upower masked',
      ].sort(),
    );
    expect(said(check)).toBe(said(first));
    expect(said(first)).toMatch(/has checksum [0-9a-f]{40}$/);
    const refused = first.events.find((e) => e.type === 'task:result' && e.task === validated);
    expect(refused).toMatchObject({ status: 'failed', ignored: true });

    const second = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--json');
    expect(second.code).toBe(0);
    expect(changedTasks(second)).toEqual([]);
    const again = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--check', '--json');
    // Only the edit whose validate a real run refuses, as ansible-playbook --check reports it too.
    expect(changedTasks(again)).toEqual([`rs1 | ${validated} | /etc/lvsdr-fm/app.conf: line added`]);
    // A daemon-reload check mode does not run still returns the unit's result for later tasks.
    const skipped = again.events.filter((e) => e.type === 'task:result' && e.status === 'skipped').map((e) => e.task);
    expect(skipped).toEqual(['The failure was reported']);

    const host = await lab.exec(
      'rs1',
      'cat /etc/lvsdr-fm/app.conf; stat -c %a /etc/lvsdr-fm/app.conf; systemctl is-enabled lvsdr-fm upower; systemctl is-active lvsdr-fm; sysctl -n net.ipv4.conf.all.arp_ignore; cat /etc/sysctl.d/90-lvsdr-fm.conf; grep ^DAEMON /etc/default/keepalived; readlink /etc/sysctl.d/99-sysctl.conf; tail -1 /etc/sysctl.conf',
    );
    expect(host.stdout).toBe(
      'listen=0.0.0.0\nport=8080\n# BEGIN lvsdr real servers\nrs=198.18.0.11\nrs=198.18.0.12\n# END lvsdr real servers\n640\nenabled\nmasked\nactive\n1\nnet.ipv4.conf.all.arp_ignore=1\nDAEMON_ARGS="--log-detail"\n../sysctl.conf\nnet.ipv4.conf.all.arp_announce = 2\n',
    );
  });

  it('--diff shows a file edit as a unified diff and a unit change as before → after', { timeout: LAB_TEST_TIMEOUT }, async () => {
    await lab.exec('rs1', "sed -i 's/^port=8080$/port=9090/' /etc/lvsdr-fm/app.conf && systemctl stop lvsdr-fm");
    const r = await lvsdr('run', playbook, '-i', lab.inventoryPath, '--diff', '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/-port=9090\n.*\+port=8080/);
    expect(r.stdout).toMatch(/lvsdr-fm active: false → true/);
  });
});
