/**
 * delegate_to between real hosts over ssh (issue 15), with Ansible 2.14's meaning: a task of rs1
 * delegated to rs2 changes rs2 only, renders rs1's variables and registers on rs1; delegate_facts
 * gives set_fact's facts to the delegate, without it they stay rs1's; a host the inventory lacks is
 * reached at its address with `all`'s variables; two hosts delegating to one at once each get there
 * (the delegate's lock shared by the run); run_once delegates once; check mode changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const skip = labUnavailable();
const FIXTURES = 'test/fixtures/delegate';

describe.skipIf(skip)('delegate_to between lab hosts', () => {
  let lab: Lab;
  let scratch: string;
  let inventory: string;
  const address = (name: string) => lab.hosts.find((h) => h.name === name)!.address;

  beforeAll(async () => {
    lab = await startLab({ name: 'delegate', realservers: 3, kind: 'light' });
    scratch = mkdtempSync(path.join(tmpdir(), 'lvsdr-delegate-'));
    // rs3 is left out of this inventory: the first playbook reaches it by address, with all's variables.
    inventory = path.join(scratch, 'inventory.yml');
    const all = { ansible_user: 'root', ansible_ssh_private_key_file: lab.info.privateKey, lvsdr_known_hosts_file: lab.info.knownHosts };
    writeFileSync(inventory, stringify({ all: { vars: all, hosts: { rs1: { ansible_host: address('rs1') }, rs2: { ansible_host: address('rs2') } } } }));
    for (const h of ['rs1', 'rs2', 'rs3']) {
      const r = await lab.exec(h, `rm -rf /etc/lvsdr-delegate && mkdir -p /etc/lvsdr-delegate && echo ${h} > /etc/lvsdr-delegate/name`);
      expect(r.code, r.stderr).toBe(0);
    }
  }, LAB_TEST_TIMEOUT);
  afterAll(async () => {
    await lab?.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  const message = (events: Record<string, any>[], task: string) => events.find((e) => e.type === 'task:result' && e.task === task)?.reason;

  it("runs on the delegate with the host's variables, registers on the host, and gives facts as delegate_facts says", { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await lvsdr('run', `${FIXTURES}/between-hosts.yml`, '-i', inventory, '-e', `outside_address=${address('rs3')}`, '--json');
    expect(r.code, r.text).toBe(0);
    const written = r.events.find((e) => e.type === 'task:result' && e.task.startsWith('a file on the delegate'));
    expect(written).toMatchObject({ host: 'rs1', delegatedTo: 'rs2', status: 'changed' });
    expect(message(r.events, 'what the host holds')).toContain(`True rs2 rs1 rs2 rs3 none`);
    expect(message(r.events, 'what the delegate holds')).toContain('rs1 none');
    // rs2 holds the file, rendered with rs1's variables; rs1 does not.
    expect((await lab.exec('rs2', 'cat /etc/lvsdr-delegate/from-rs1')).stdout).toBe(`rs1 ${address('rs1')}\n`);
    expect((await lab.exec('rs1', 'ls /etc/lvsdr-delegate')).stdout.trim()).toBe('name');
    // The delegated tasks count on rs1 alone; rs2 counts only its own play's task.
    const recap = r.events.find((e) => e.type === 'recap')!.stats;
    expect(Object.keys(recap)).toEqual(['rs1', 'rs2']);
    expect(recap.rs1).toMatchObject({ ok: 7, changed: 1, failed: 0 });
    expect(recap.rs2).toMatchObject({ ok: 1, changed: 0 });

    const again = await lvsdr('run', `${FIXTURES}/between-hosts.yml`, '-i', inventory, '-e', `outside_address=${address('rs3')}`, '--json');
    expect(again.code, again.text).toBe(0);
    expect(again.events.find((e) => e.type === 'recap')!.stats.rs1).toMatchObject({ ok: 7, changed: 0 });
  });

  it('delegates two hosts to one at once, and run_once once; check mode first changes nothing', { timeout: LAB_TEST_TIMEOUT }, async () => {
    const all = path.join(scratch, 'three.yml');
    const vars = { ansible_user: 'root', ansible_ssh_private_key_file: lab.info.privateKey, lvsdr_known_hosts_file: lab.info.knownHosts };
    writeFileSync(all, stringify({ all: { vars, hosts: Object.fromEntries(['rs1', 'rs2', 'rs3'].map((h) => [h, { ansible_host: address(h) }])) } }));

    const check = await lvsdr('run', `${FIXTURES}/to-one-host.yml`, '-i', all, '--check', '--json');
    expect(check.code, check.text).toBe(0);
    const checkRecap = check.events.find((e) => e.type === 'recap')!.stats;
    expect(checkRecap.rs1.changed + checkRecap.rs3.changed).toBe(3);
    expect((await lab.exec('rs2', 'ls /etc/lvsdr-delegate')).stdout).not.toContain('pool-');

    const r = await lvsdr('run', `${FIXTURES}/to-one-host.yml`, '-i', all, '--forks', '2', '--json');
    expect(r.code, r.text).toBe(0);
    expect((await lab.exec('rs2', 'cat /etc/lvsdr-delegate/pool-rs1 /etc/lvsdr-delegate/pool-rs3 /etc/lvsdr-delegate/once')).stdout).toBe('server rs1\nserver rs3\nwritten once\n');
    const recap = r.events.find((e) => e.type === 'recap')!.stats;
    expect(Object.keys(recap).sort()).toEqual(['rs1', 'rs3']);
    expect(recap.rs1.changed + recap.rs3.changed).toBe(3);
    const once = r.events.filter((e) => e.type === 'task:result' && e.task === 'one file for the batch');
    expect(once).toHaveLength(1);
    expect(once[0].delegatedTo).toBe('rs2');

    const again = await lvsdr('run', `${FIXTURES}/to-one-host.yml`, '-i', all, '--json');
    const recapAgain = again.events.find((e) => e.type === 'recap')!.stats;
    expect(recapAgain.rs1.changed + recapAgain.rs3.changed).toBe(0);
  });
});
