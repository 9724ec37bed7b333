/**
 * ansible.cfg and ANSIBLE_* settings: found where Ansible finds them, read as configparser reads them,
 * each key honoured as a flag default, accepted at lvsdr's own value, of no effect, or refused at its
 * file:line:col before any host is contacted.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { findConfigFile, readConfigFile } from '../../src/core/ansible-config/config-file.ts';
import { loadAnsibleConfig } from '../../src/core/ansible-config/load-config.ts';
import { UserError, type Problem } from '../../src/core/errors.ts';

const F = resolve('test/fixtures/ansible-cfg');
const scratch = mkdtempSync(join(tmpdir(), 'lvsdr-cfg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(scratch, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const flagsOf = (cfg: ReturnType<typeof loadAnsibleConfig>) => Object.fromEntries(cfg.defaults.map((d) => [d.flag, d.value]));

describe('reading ansible.cfg as configparser does', () => {
  it('takes inline ; comments, continuation lines, `:` separators and %% as %', () => {
    const problems: Problem[] = [];
    const cfg = readConfigFile(write('a.cfg', '[defaults]\nforks: 5 ; five\n# comment\n[ssh_connection]\nssh_args = -o A=1\n  -o B=2\ncontrol_path = /t/%%h\n'), problems);
    expect(problems).toEqual([]);
    expect(cfg.entries.map((e) => [e.section, e.key, e.value])).toEqual([
      ['defaults', 'forks', '5'],
      ['ssh_connection', 'ssh_args', '-o A=1\n-o B=2'],
      ['ssh_connection', 'control_path', '/t/%h'],
    ]);
  });

  it('refuses a key set twice, a line before any section, and %(name)s interpolation, each at its place', () => {
    const problems: Problem[] = [];
    const file = write('b.cfg', 'forks = 1\n[defaults]\nforks = 2\nFORKS = 3\nlog = %(home)s/x\n');
    readConfigFile(file, problems);
    expect(problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}`)).toEqual([
      '1:1 a setting before any [section]',
      '4:1 forks is set twice in [defaults]',
      '5:7 log uses % interpolation, which lvsdr does not do',
    ]);
  });
});

describe('finding ansible.cfg', () => {
  it('takes ANSIBLE_CONFIG (a file or a directory) first, then ./ansible.cfg', () => {
    const dir = join(scratch, 'find');
    const cwdCfg = write('find/ansible.cfg', '[defaults]\n');
    const other = write('other/ansible.cfg', '[defaults]\n');
    expect(findConfigFile(dir, {}, [])).toBe(cwdCfg);
    expect(findConfigFile(dir, { ANSIBLE_CONFIG: join(scratch, 'other') }, [])).toBe(other);
    expect(findConfigFile(dir, { ANSIBLE_CONFIG: other }, [])).toBe(other);
  });

  it('skips ./ansible.cfg in a world-writable directory, with Ansible’s warning', () => {
    const dir = join(scratch, 'open');
    write('open/ansible.cfg', '[defaults]\n');
    chmodSync(dir, 0o777);
    const warnings: string[] = [];
    expect(findConfigFile(dir, { HOME: scratch }, warnings)).not.toBe(join(dir, 'ansible.cfg'));
    expect(warnings[0]).toMatch(/world writable directory .*ignoring it as an ansible.cfg source/);
  });
});

describe('what each setting means here', () => {
  it('turns a real project’s ansible.cfg into flag defaults, paths taken from its directory', () => {
    const cfg = loadAnsibleConfig(join(F, 'project'), {});
    expect(cfg.file).toBe(join(F, 'project/ansible.cfg'));
    expect(flagsOf(cfg)).toEqual({
      inventory: [join(F, 'project/hosts.yml')],
      user: 'deploy',
      forks: 7,
      timeout: 25,
      'accept-new-host-keys': true,
      become: true,
      'become-method': 'sudo',
    });
  });

  it('lets the environment beat the file', () => {
    expect(flagsOf(loadAnsibleConfig(join(F, 'project'), { ANSIBLE_FORKS: '3', ANSIBLE_HOST_KEY_CHECKING: 'yes' }))).toMatchObject({
      forks: 3,
      'accept-new-host-keys': false,
    });
  });

  it('refuses what lvsdr cannot honour, every problem at once with its place', () => {
    let err: unknown;
    try {
      loadAnsibleConfig(join(F, 'refused'), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const lines = (err as UserError).message.split('\n').filter((l) => !l.startsWith(' '));
    const at = (line: number, col: number) => `${join(F, 'refused/ansible.cfg')}:${line}:${col}: `;
    expect(lines).toEqual([
      `${at(4, 12)}log_path is not supported`,
      `${at(5, 18)}hash_behaviour = merge is not supported`,
      `${at(9, 12)}ssh_args sets StrictHostKeyChecking, which lvsdr cannot pass on`,
      `${at(12, 1)}lvsdr does not read forks in [defaults_typo] of ansible.cfg`,
    ]);
  });
});

describe('on the command line', () => {
  const saved = process.env.ANSIBLE_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_CONFIG;
    else process.env.ANSIBLE_CONFIG = saved;
  });

  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
    return { code, out };
  }

  it('reads the inventory ansible.cfg names when -i is not given, and -i when it is', async () => {
    process.env.ANSIBLE_CONFIG = join(F, 'project/ansible.cfg');
    const fromCfg = await cli(['run', join(F, 'project/site.yml'), '--list-hosts']);
    expect(fromCfg.code, fromCfg.out).toBe(0);
    expect(fromCfg.out).toMatch(/rs1[\s\S]*rs2/);
    const inline = write('inline.yml', 'all:\n  hosts:\n    only1:\n');
    const given = await cli(['run', join(F, 'project/site.yml'), '-i', inline, '--list-hosts']);
    expect(given.out).toMatch(/only1/);
    expect(given.out).not.toMatch(/rs1/);
  });

  it('asks for the become password with -K (or become_ask_pass), and refuses without a terminal', async () => {
    process.env.ANSIBLE_CONFIG = write('ask/ansible.cfg', '[privilege_escalation]\nbecome_ask_pass = yes\n');
    for (const extra of [['-K'], []]) {
      const r = await cli(['run', join(F, 'project/site.yml'), '-i', join(F, 'project/hosts.yml'), '--check', ...extra]);
      expect(r.code).toBe(4);
      expect(r.out).toMatch(/-K \(--ask-become-pass\) needs a terminal/);
    }
  });

  it('refuses a refused setting before contacting any host (exit 4)', async () => {
    process.env.ANSIBLE_CONFIG = join(F, 'refused/ansible.cfg');
    const r = await cli(['run', join(F, 'project/site.yml'), '--check']);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/refused\/ansible\.cfg:4:12: log_path is not supported/);
  });
});

describe('the README', () => {
  it('says what every ansible.cfg key lvsdr reads means', async () => {
    const { readFileSync } = await import('node:fs');
    const { SETTINGS } = await import('../../src/core/ansible-config/config-settings.ts');
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Coming from Ansible'), readme.indexOf('## The four ARP-suppression methods'));
    for (const key of SETTINGS.flatMap((s) => s.ini.map((id) => id.split('.')[1]))) {
      const mentioned = section.includes(`\`${key}\``) || section.includes(`\`${key} `) || (key.endsWith('_warnings') && section.includes('`*_warnings`')) || (key.startsWith('display_') && section.includes('`display_*`')) || (key.endsWith('_plugins') && section.includes('`*_plugins`')) || (key.startsWith('collections_path') && section.includes('`collections_path(s)`'));
      expect(mentioned, key).toBe(true);
    }
  });
});

describe('roles_path', () => {
  const saved = { config: process.env.ANSIBLE_CONFIG, roles: process.env.ANSIBLE_ROLES_PATH };
  afterEach(() => {
    for (const [name, value] of [['ANSIBLE_CONFIG', saved.config], ['ANSIBLE_ROLES_PATH', saved.roles]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is read from ansible.cfg (paths from its directory, colon-separated), ANSIBLE_ROLES_PATH beats it, --roles-path beats both', async () => {
    const play = write('rp/site.yml', '- hosts: all\n  gather_facts: false\n  roles: [web]\n');
    const inventory = write('rp/inventory.yml', 'all:\n  hosts:\n    h1:\n');
    for (const dir of ['cfg-roles', 'env-roles', 'flag-roles']) write(`rp/${dir}/web/tasks/main.yml`, `- name: from ${dir}\n  command: echo ${dir}\n`);
    process.env.ANSIBLE_CONFIG = write('rp/ansible.cfg', '[defaults]\nroles_path = /nonexistent:cfg-roles\n');
    const tasks = async (...extra: string[]) => {
      let out = '';
      const code = await runCli(['run', play, '-i', inventory, '--list-tasks', ...extra], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
      expect(code, out).toBe(0);
      return out;
    };
    expect(await tasks()).toMatch(/web : from cfg-roles/);
    process.env.ANSIBLE_ROLES_PATH = join(scratch, 'rp/env-roles');
    expect(await tasks()).toMatch(/web : from env-roles/);
    expect(await tasks('--roles-path', `/nonexistent:${join(scratch, 'rp/flag-roles')}`)).toMatch(/web : from flag-roles/);
  });
});
