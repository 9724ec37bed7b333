/** ansible-playbook's flags: those lvsdr has, with their meaning; the others refused by name, with why. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { unsupportedSshArgs } from '../../src/core/ansible-config/ssh-args.ts';
import { passwordFromFile } from '../../src/core/password-file.ts';

const scratch = mkdtempSync(join(tmpdir(), 'lvsdr-flags-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const site = join(scratch, 'site.yml');
writeFileSync(site, '- name: first\n  hosts: all\n  tags: [p]\n  tasks:\n    - command: "true"\n      tags: [b, a]\n    - command: "true"\n- hosts: all\n  tasks:\n    - command: "true"\n      tags: c\n');

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return { code, out };
}

describe("ansible-playbook's flags", () => {
  it('--list-tags prints what ansible-playbook 2.14 prints for the same playbook', async () => {
    const r = await cli('run', site, '-i', 'localhost,', '--list-tags', '--skip-tags', 'a');
    expect(r.out).toBe(`playbook: ${site}\n\n  play #1 (all): first\tTAGS: [p]\n      TASK TAGS: [p]\n\n  play #2 (all): all\tTAGS: []\n      TASK TAGS: [c]\n`);
  });

  it.each([
    ['--start-at-task=no such task', /--start-at-task "no such task" matches no task[\s\S]*--list-tasks/],
    ['-k', /-k \(an ansible-playbook flag\) is not supported[\s\S]*key only/],
    ['--force-handlers', /--force-handlers \(an ansible-playbook flag\) is not supported/],
    ['--forsk=3', /unknown flag --forsk[\s\S]*did you mean --forks\?/],
    ['--ssh-common-args=-o ProxyJump=bastion', /--ssh-common-args sets ProxyJump, which lvsdr cannot pass on/],
  ])('%s is refused as a usage error (exit 4), saying why', async (flag, message) => {
    const r = await cli('run', site, '-i', 'localhost,', '--check', flag);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(message);
  });

  it('--become-password-file reads the file before anything connects', async () => {
    const r = await cli('run', site, '-i', 'localhost,', '--check', '--become-password-file', join(scratch, 'missing'));
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/cannot read the become password file .*missing: ENOENT/);
  });

  it('takes OpenSSH arguments that change nothing lvsdr does', () => {
    expect(unsupportedSshArgs('-C -o ControlMaster=auto -oControlPersist=60s -o ServerAliveInterval=30')).toEqual([]);
    expect(unsupportedSshArgs('-o StrictHostKeyChecking=no -4 -o UserKnownHostsFile=/dev/null')).toEqual(['StrictHostKeyChecking', '-4', 'UserKnownHostsFile']);
  });

  it('reads a password file as Ansible does: white space stripped from a file, line ends from a script', () => {
    const file = join(scratch, 'pw');
    writeFileSync(file, '  s3cret \n');
    expect(passwordFromFile(file, 'become password').toString()).toBe('s3cret');
    const script = join(scratch, 'pw.sh');
    writeFileSync(script, '#!/bin/sh\nprintf " from-script \\r\\n"\n');
    chmodSync(script, 0o755);
    expect(passwordFromFile(script, 'become password').toString()).toBe(' from-script ');
    expect(() => passwordFromFile(join(scratch, 'none'), 'become password')).toThrow(/cannot read the become password file .*ENOENT/);
  });
});
