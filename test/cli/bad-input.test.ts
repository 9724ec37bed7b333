/**
 * The malformed-input corpus: every case under test/fixtures/bad must fail `lvsdr validate` and
 * `lvsdr run` alike, before any connection, with exit 4, `FILE:LINE:COL` pointing at the exact
 * node, a message that fits on one screen, and no stack trace.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const BAD = 'test/fixtures/bad';
const INVENTORY = `${BAD}/inventory.yml`;

interface Case {
  /** Directory under test/fixtures/bad holding site.yml. */
  dir: string;
  /** Where the (first) problem is: a path relative to the repository, then line and column. */
  at: string;
  message: RegExp;
  args?: string[];
  inventory?: string;
}

const site = (dir: string, line: number, col: number, message: RegExp, extra: Partial<Case> = {}): Case => ({
  dir,
  at: `${BAD}/${dir}/site.yml:${line}:${col}`,
  message,
  ...extra,
});

const cases: Case[] = [
  site('yaml-indentation', 5, 1, /YAML syntax error/),
  site('yaml-tab', 3, 1, /YAML syntax error: Tabs/),
  site('yaml-duplicate-key', 5, 7, /keys must be unique/),
  site('yaml-unclosed-quote', 5, 1, /YAML syntax error: Missing closing/),
  site('yaml-merge-scalar', 5, 5, /YAML error: a merge key \(<<\) needs a mapping[\s\S]*merge key \(<<\) takes a mapping/),
  site('yaml-vault-value', 3, 25, /this !vault value is vault-encrypted and no vault password was given/),
  site('yaml-vault-value', 3, 25, /no vault password given opens this !vault value/, {
    args: ['--vault-password-file', 'test/fixtures/vault/wrong-pass.txt'],
  }),
  site('yaml-unknown-tag', 3, 15, /unknown YAML tag !include/),
  site('yaml-datetime', 3, 18, /"2024-01-31 12:00:00" is a timestamp, which Ansible reads as a Python datetime/),
  site('not-a-list', 1, 1, /must be a list of plays, not a mapping/),
  site('empty-playbook', 1, 1, /no plays/),
  site('play-not-mapping', 1, 3, /a play must be a mapping/),
  site('play-no-hosts', 1, 3, /play has no 'hosts'/),
  site('play-unknown-keyword', 2, 3, /unknown play keyword 'taks'[\s\S]*did you mean 'tags'/),
  site('role-unknown', 3, 7, /role 'lvs' was not found[\s\S]*looked in .*bad\/role-unknown\/roles:/),
  site('unknown-module', 4, 7, /unknown module 'cpy'[\s\S]*did you mean 'copy'\? known modules: .*command/),
  site('two-modules', 7, 7, /more than one module: copy, file/),
  site('no-module', 3, 7, /task has no module/),
  site('unknown-task-keyword', 5, 7, /unknown task keyword 'whne'[\s\S]*did you mean 'when'/),
  site('args-string-not-freeform', 4, 13, /module 'copy' takes key=value arguments, not free-form text \("please"\)/),
  site('args-freeform-unbalanced', 4, 14, /arguments of module 'shell': unbalanced quotes/),
  site('args-freeform-unknown-option', 4, 14, /module 'shell' has no argument 'executable'/),
  site('args-cmd-twice', 4, 14, /module 'shell' has a command both here and in 'args: cmd'/),
  site('arg-wrong-type', 7, 17, /argument 'backup' must be a boolean/),
  site('arg-missing-required', 5, 9, /missing required argument 'dest'/),
  site('arg-unknown', 5, 16, /no argument 'destt'[\s\S]*did you mean 'dest'/),
  site('lineinfile-bad-regexp', 6, 17, /argument 'regexp': missing \), unterminated subpattern \(at offset 1 of the regular expression\)/),
  site('lineinfile-js-regexp', 6, 17, /argument 'regexp': '\(\?i\)…': inline flags, atomic groups and conditionals are not supported/),
  site('systemd-unknown-arg', 7, 19, /module 'systemd' has no argument 'no_block'/),
  site('replace-bad-group', 7, 18, /argument 'replace': invalid group reference 2/),
  site('arg-one-of', 5, 9, /exactly one of: content, src/),
  site('arg-enum', 6, 16, /argument 'state' must be one of "started"/),
  site('arg-pattern', 5, 15, /argument 'dest' must match pattern/),
  site('args-keyword-list', 5, 13, /'args' must be a mapping/),
  site('when-wrong-type', 6, 9, /'when' must be a condition/),
  site('register-bad-name', 5, 17, /'register' must be a variable name/),
  site('ignore-errors-not-bool', 5, 22, /'ignore_errors' must be true or false/),
  site('timeout-negative', 5, 16, /'timeout' must be a number at least 1/),
  site('loop-not-list', 5, 13, /'loop' must be a list/),
  site('tags-mapping', 6, 9, /'tags' must be a string or a list of strings/),
  site('rescue-without-block', 3, 7, /'rescue' without 'block'/),
  site('block-loop', 5, 7, /'loop' cannot be used on a block/),
  site('block-in-handler', 4, 7, /blocks are not supported among handlers/),
  site('loop-control-unknown', 6, 9, /unknown loop_control key 'loop_vra'[\s\S]*did you mean 'loop_var'/),
  site('loop-twice', 5, 7, /a task loops once: it has both 'loop' and 'with_items'/),
  site('retries-without-until', 4, 7, /'retries' without 'until'/),
  site('task-vars-list', 5, 9, /'vars' must be a mapping, not a list/),
  site('with-nested', 4, 7, /'with_nested' is not supported[\s\S]*product/),
  site('run-once-not-bool', 4, 17, /'run_once' must be true or false/),
  site('until-wrong-type', 5, 14, /'until' must be a condition/),
  site('loop-control-no-loop', 4, 7, /'loop_control' without a loop/),
  site('check-mode-not-bool', 5, 19, /'check_mode' must be true or false, not the string "sometimes"/),
  site('block-rescue-not-list', 6, 9, /'rescue' must be a list of tasks, not a mapping/),
  site('task-become-method-su', 5, 22, /become_method "su" is not supported: lvsdr becomes another user with sudo only[\s\S]*become_method: sudo/),
  site('import-become-method', 5, 22, /become_method "doas" is not supported/),
  site('play-become-flags', 3, 3, /'become_flags' is not supported[\s\S]*-H -S -n/),
  site('task-become-exe', 4, 7, /'become_exe' is not supported/),
  site('play-connection-docker', 2, 15, /connection "docker" is not supported: lvsdr connects with ssh \(also called smart\) or local/),
  site('task-connection-winrm', 4, 19, /connection "winrm" is not supported/),
  site('task-become-user-list', 5, 20, /'become_user' must be a string, not a list/),
  site('play-remote-user-mapping', 2, 16, /'remote_user' must be a string, not a mapping/),
  site('task-become-not-bool', 4, 15, /'become' must be true or false, not the string "sometimes"/),
  site('play-vars-connection-paramiko', 4, 25, /ansible_connection "paramiko" is not supported/),
  site('undefined-var-args', 4, 16, /undefined variable 'vipp' in task 'use vip'[\s\S]*did you mean 'vip'/),
  site('undefined-var-when', 5, 13, /undefined variable 'arp_methd' in task 'conditional'/),
  site('undefined-var-loop', 5, 13, /undefined variable 'prots' in task 'each port'/),
  site('undefined-var-some-hosts', 6, 18, /undefined variable 'weight' in task 'weighted' on rs2$/m),
  site('undefined-var-through-play-var', 6, 16, /undefined variable 'vip_adress' \(through 'vip_cidr'\)/),
  site('undefined-attribute-root', 4, 16, /undefined variable 'lvs'/),
  site('undefined-fact-no-gather', 5, 16, /undefined variable 'ansible_hostname'[\s\S]*gather_facts: true/),
  site('undefined-register-later', 4, 16, /undefined variable 'out'/),
  site('unknown-filter', 4, 16, /unknown filter 'uper' in task 'upper-case the vip'[\s\S]*did you mean 'upper'/),
  site('template-syntax', 5, 14, /template error in "echo \{\{ vip": expected variable end/),
  site('hosts-unknown-group', 1, 10, /"realserver" in host pattern[\s\S]*did you mean "realservers"/),
  site('hosts-bad-pattern', 1, 10, /in host pattern "realservers:&"/),
  site('hosts-empty-group', 1, 10, /selects no hosts/),
  site('hosts-mapping', 2, 5, /'hosts' must be a string or a list of strings/),
  site('vars-not-mapping', 3, 5, /'vars' must be a mapping/),
  site('vars-files-missing', 3, 7, /file not found: .*vars\/missing\.yml/),
  site('vars-files-undefined-path', 3, 7, /'vars_files': undefined variable 'env_name'/),
  site('serial-zero', 2, 11, /'serial' must be a batch size/),
  site('serial-bad-percent', 2, 15, /'serial' must be a batch size.*"150%"/),
  site('max-fail-too-big', 2, 24, /'max_fail_percentage' must be a number from 0 to 100/),
  site('notify-unknown-handler', 7, 15, /notifies 'restart keepalivd'[\s\S]*did you mean 'restart keepalived'/),
  site('role-no-name', 3, 7, /a role entry must name its role with 'role:'/),
  site('import-role-public', 5, 9, /import_role has no argument 'public'[\s\S]*belongs to include_role/),
  site('include-role', 3, 7, /include_role is not supported: lvsdr loads every role before the run[\s\S]*use import_role/),
  site('meta-refresh-inventory', 3, 13, /meta: refresh_inventory is not supported: lvsdr reads the inventory once/),
  site('meta-loop', 4, 7, /'loop' has no effect on a meta task/),
  site('meta-noop-when', 4, 7, /meta: noop does not evaluate 'when'/),
  site('meta-unknown-action', 4, 13, /argument 'free_form' must be one of "noop", "flush_handlers"/),
  site('meta-flush-in-handler', 7, 13, /meta: flush_handlers cannot be used as a handler/),
  site('throttle-template', 4, 17, /'throttle' must be a whole number of hosts \(0: no limit\), not the string/),
  site('strategy-free-pause', 4, 7, /the 'pause' module bypasses the host loop, which Ansible's free strategy does not support[\s\S]*leave strategy: free out/),
  site('strategy-linear', 2, 13, /strategy "linear" is not supported: lvsdr does not hold hosts in step[\s\S]*strategy: free/),
  site('environment-list', 3, 5, /'environment' must be a mapping of variable names to values, or a template giving one, not a list/),
  site('environment-bad-name', 5, 9, /environment variable name "http-proxy" is not valid/),
  site('environment-nested-value', 6, 19, /environment variable NO_PROXY must be a string, number or boolean, not a list/),
  site('include-vars-mixed', 5, 16, /argument 'depth': You are mixing file only and dir only arguments/),
  site('include-vars-hash-merge', 5, 25, /argument 'hash_behaviour' must be one of "replace", null, not "merge"/),
  site('include-vars-undefined', 4, 16, /undefined variable 'lvs_prot'[\s\S]*did you mean 'lvs_proto'/),
  site('include-vars-bad-regex', 5, 25, /argument 'files_matching': not a valid regular expression/),
  site('any-errors-fatal', 2, 21, /any_errors_fatal is not supported: lvsdr runs hosts as Ansible's free strategy does[\s\S]*serial: 1 and max_fail_percentage: 0/),
  site('ignore-unreachable-play', 2, 3, /'ignore_unreachable' is not supported on a play/),
  site('ignore-unreachable-not-bool', 4, 27, /'ignore_unreachable' must be true or false/),
  site('delegate-undefined', 4, 20, /undefined variable 'director_name'/),
  site('delegate-type', 4, 20, /'delegate_to' must be a string/),
  site('delegate-facts-type', 5, 23, /'delegate_facts' must be true or false/),
  site('delegate-empty', 4, 20, /'delegate_to' is empty/),
  site('include-tasks-missing', 3, 22, /include_tasks: file 'install.yml' not found[\s\S]*ansible-playbook fails the host when it reaches the line/),
  site('include-tasks-ignore-errors', 4, 7, /'ignore_errors' on include_tasks is not supported: in Ansible 2.14 it applies to the include line alone[\s\S]*apply:/),
  site('include-tasks-become', 4, 7, /'become' cannot be used on include_tasks[\s\S]*go under apply:/),
  site('include-tasks-bad-arg', 5, 9, /include_tasks has no argument 'vars'/),
  site('include-tasks-apply-loop', 7, 11, /'loop' cannot be used in include_tasks' apply/),
  site('include-tasks-handler', 5, 7, /include_tasks is not supported among handlers/),
  site('include-tasks-block-run-once', 3, 17, /include_tasks 'include_tasks' takes run_once from its block, which lvsdr does not support on an include/),
  { dir: 'include-tasks-bad-task', at: `${BAD}/include-tasks-bad-task/tasks/install.yml:4:3`, message: /unknown module 'sytemd'[\s\S]*did you mean 'systemd'/ },
  { dir: 'include-tasks-circular', at: `${BAD}/include-tasks-circular/tasks/b.yml:1:18`, message: /include cycle: .*site\.yml → .*a\.yml → .*b\.yml → .*a\.yml/ },
  { dir: 'include-tasks-run-once-loop', at: `${BAD}/include-tasks-run-once-loop/tasks/vip.yml:1:3`, message: /runs once for the batch, which lvsdr does not support in a file a looping include_tasks includes/ },
  { dir: 'include-tasks-undefined', at: `${BAD}/include-tasks-undefined/tasks/vip.yml:2:12`, message: /undefined variable 'item' in task 'announce'/ },
  site('pre-tasks-mapping', 3, 5, /'pre_tasks' must be a list of tasks, not a mapping/),
  site('role-undefined-var', 4, 16, /undefined variable 'lvs_weight' in task 'command echo/),
  site('import-playbook-when', 2, 3, /'when' cannot be used on import_playbook/),
  site('import-missing', 3, 21, /file not found: .*tasks\/nope\.yml/),
  site('several-problems', 4, 7, /unknown module 'cpy'/),
  site('hostile-variable', 5, 15, /argument 'host' must be one of: format ipv4; format ipv6; format hostname \(got "1\.2\.3\.4; touch \/tmp\/pwned"\) on rs1 \(after templating\)/, {
    inventory: `${BAD}/hostile-variable/inventory.yml`,
  }),
  { dir: 'vars-files-not-mapping', at: `${BAD}/vars-files-not-mapping/vars/list.yml:1:1`, message: /vars file must be a mapping/ },
  { dir: 'vars-files-vault', at: `${BAD}/vars-files-vault/vars/secret.yml:1:1`, message: /this file is vault-encrypted and no vault password was given/ },
  {
    dir: 'vars-files-vault',
    args: ['--vault-id', 'prod@test/fixtures/vault/prod-pass.txt'],
    at: `${BAD}/vars-files-vault/vars/secret.yml:1:1`,
    message: /no vault password given opens this file[\s\S]*tried prod from test\/fixtures\/vault\/prod-pass.txt/,
  },
  { dir: 'vars-files-become-method', at: `${BAD}/vars-files-become-method/vars/become.yml:2:24`, message: /ansible_become_method "su" is not supported/ },
  { dir: 'import-circular', at: `${BAD}/import-circular/tasks/b.yml:3:17`, message: /import cycle: .*site\.yml → .*a\.yml → .*b\.yml → .*a\.yml/ },
  { dir: 'role-circular', at: `${BAD}/role-circular/roles/arp/meta/main.yml:2:11`, message: /circular role dependency: lvs → arp → lvs[\s\S]*already being loaded from .*role-circular\/site\.yml:3:7/ },
  { dir: 'role-bad-task', at: `${BAD}/role-bad-task/roles/lvs/tasks/main.yml:6:12`, message: /argument 'state' must be one of/ },
  { dir: 'role-vars-connection', at: `${BAD}/role-vars-connection/roles/lvs/vars/main.yml:2:21`, message: /ansible_connection "docker" is not supported/ },
  { dir: 'import-bad-task', at: `${BAD}/import-bad-task/tasks/bad.yml:6:12`, message: /argument 'state' must be one of/ },
  { dir: 'inventory-bad-yaml', inventory: `${BAD}/inventory-bad-yaml/inventory.yml`, at: `${BAD}/inventory-bad-yaml/inventory.yml:3:9`, message: /YAML syntax error/ },
  ...[
    { dir: 'inv-bad-range', at: 'inventory.yml:5:9', message: /host range "\[01:x\]"/ },
    { dir: 'inv-hosts-list', at: 'inventory.yml:3:5', message: /hosts of group "all" must be a mapping/ },
    { dir: 'inv-vars-list', at: 'inventory.yml:3:5', message: /vars of group "all" must be a mapping/ },
    { dir: 'inv-children-cycle', at: 'inventory.yml:7:13', message: /group "a" is its own ancestor: a → b → a/ },
    { dir: 'inv-group-vars-file', at: 'group_vars/all.yml:1:1', message: /vars file must be a mapping/ },
    { dir: 'inv-connection-docker', at: 'inventory.yml:5:27', message: /ansible_connection "docker" is not supported/ },
    { dir: 'inv-become-method-file', at: 'group_vars/all.yml:3:24', message: /ansible_become_method "su" is not supported/ },
    { dir: 'inv-become-pass-list', at: 'inventory.yml:6:9', message: /ansible_become_password is \["not","a password"\], not a password/ },
  ].map((c) => ({ ...c, inventory: `${BAD}/${c.dir}/inventory.yml`, at: `${BAD}/${c.dir}/${c.at}` })),
  { dir: 'inv-script', inventory: `${BAD}/inv-script/inventory`, at: `${BAD}/inv-script/inventory/ec2.sh:1:1`, message: /executable inventory script, which lvsdr does not run/ },
  ...[
    { dir: 'inv-become-not-bool', at: 'inventory.ini:1:45', message: /ansible_become is "perhaps", not a boolean/ },
    { dir: 'inv-become-flags-group', at: 'inventory.ini:5:22', message: /ansible_become_flags is not supported/ },
    { dir: 'inv-ssh-common-args', at: 'inventory.ini:7:25', message: /ansible_ssh_common_args is not supported/ },
  ].map((c) => ({ ...c, inventory: `${BAD}/${c.dir}/inventory.ini`, at: `${BAD}/${c.dir}/${c.at}` })),
  { dir: 'inv-toml', inventory: `${BAD}/inv-toml/inventory.toml`, at: `${BAD}/inv-toml/inventory.toml:1:1`, message: /does not read TOML inventories/ },
  ...[
    { args: ['-e', 'foo'], at: '-e #1:1:1', message: /expected key=value, got "foo"/ },
    { args: ['-e', 'a=1 2b=3'], at: '-e #1:1:5', message: /invalid variable name "2b"/ },
    { args: ['-e', "a='unclosed"], at: '-e #1:1:3', message: /unterminated ' quote/ },
    { args: ['-e', '{"a": 1'], at: '-e #1:1:8', message: /YAML syntax error/ },
    { args: ['-e', 'ansible_connection=winrm'], at: '-e #1:1:1', message: /ansible_connection "winrm" is not supported/ },
    { args: ['-e', '{"ansible_become_method": "su"}'], at: '-e #1:1:1', message: /ansible_become_method "su" is not supported/ },
    { args: ['-e', 'vip=1.2.3.4', '-e', '[1, 2]'], at: '-e #2:1:1', message: /inline extra vars must be a mapping/ },
    { args: ['-e', `@${BAD}/extra-vars/missing.yml`], at: '-e #1:1:2', message: /file not found: .*missing\.yml/ },
    { args: ['-e', `@${BAD}/extra-vars/list.yml`], at: `${BAD}/extra-vars/list.yml:1:1`, message: /extra-vars file must be a mapping/ },
    { args: ['-e', `@${BAD}/extra-vars/broken.yml`], at: `${BAD}/extra-vars/broken.yml:3:1`, message: /YAML syntax error/ },
  ].map((c) => ({ dir: 'extra-vars', ...c })),
];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

function expectUserError(r: { code: number; out: string; err: string }, c: Case): void {
  expect(r.code, r.err).toBe(4);
  const lines = r.err.trimEnd().split('\n');
  expect(lines[0].startsWith(`${c.at}: `), `first line: ${lines[0]}`).toBe(true);
  expect(r.err).toMatch(c.message);
  expect(lines.length).toBeLessThan(25);
  expect(r.err).not.toMatch(/^\s+at |internal error/m);
}

describe('the malformed-input corpus', () => {
  it('holds at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of cases) {
    const argv = [`${BAD}/${c.dir}/site.yml`, '-i', c.inventory ?? INVENTORY, ...(c.args ?? [])];
    it(`${c.dir} ${c.args?.join(' ') ?? ''}: validate says ${c.at}`, async () => {
      expectUserError(await cli(['validate', ...argv]), c);
    });
    it(`${c.dir} ${c.args?.join(' ') ?? ''}: run refuses before connecting`, async () => {
      expectUserError(await cli(['run', '--check', '--connect-timeout', '1', ...argv]), c);
    });
  }

  it('reports every problem of a playbook at once, in file order', async () => {
    const r = await cli(['validate', `${BAD}/several-problems/site.yml`, '-i', INVENTORY]);
    const heads = r.err.split('\n').filter((l) => !l.startsWith('  '));
    expect(heads).toEqual([
      `${BAD}/several-problems/site.yml:4:7: unknown module 'cpy'`,
      `${BAD}/several-problems/site.yml:7:16: undefined variable 'nope' in task 'second'`,
      `${BAD}/several-problems/site.yml:10:9: module 'copy' is missing required argument 'dest'`,
      '',
    ]);
  });

  it('refuses a call without a playbook, or with an unknown option, with usage help', async () => {
    for (const args of [['validate', '-i', INVENTORY], ['validate', `${BAD}/extra-vars/site.yml`, '-i', INVENTORY, '--no-such-flag']]) {
      const r = await cli(args);
      expect(r.code).toBe(4);
      expect(r.err).toMatch(/lvsdr (COMMAND )?--help/);
      expect(r.err).not.toMatch(/^\s+at /m);
    }
  });

  it('refuses a connection or become method lvsdr does not have, as a usage error', async () => {
    for (const [flag, value] of [['-c', 'docker'], ['--connection', 'paramiko'], ['--become-method', 'su']]) {
      const r = await cli(['run', `${BAD}/extra-vars/site.yml`, '-i', INVENTORY, flag, value, '--connect-timeout', '1']);
      expect(r.code, `${flag} ${value}`).toBe(4);
      expect(r.err).toMatch(new RegExp(`Invalid values:[\\s\\S]*Given: "${value}"`));
      expect(r.err).not.toMatch(/internal error|^\s+at /m);
    }
  });

  it('refuses a rollout that names no host to add or remove, as a usage error', async () => {
    const r = await cli(['rollout', '-i', INVENTORY]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/a rollout needs hosts to add or remove[\s\S]*--add HOST/);
    expect(r.err).not.toMatch(/internal error|^\s+at /m);
  });

  it('refuses a rollout of a real server with an IPv6 VIP (followed by its IPv4 address only), before connecting', async () => {
    const r = await cli(['rollout', '-i', `${BAD}/rollout-ipv6/inventory.yml`, '--add', 'rs1', '--connect-timeout', '1']);
    expect(r.code, r.err).toBe(4);
    expect(r.err).toMatch(/rs1 serves the IPv6 VIP fd00::198:18:0:240, and lvsdr rollout follows real servers by their IPv4 address only[\s\S]*realserver\.yml/);
  });

  it('refuses a --lock-timeout that is negative or not a number, before connecting', async () => {
    for (const value of ['-1', 'soon', 'NaN']) {
      for (const command of [['run', `${BAD}/extra-vars/site.yml`], ['rollout', '--add', 'rs1']]) {
        const r = await cli([...command, '-i', INVENTORY, '--lock-timeout', value, '--connect-timeout', '1']);
        expect(r.code, `${command[0]} --lock-timeout ${value}`).toBe(4);
        expect(r.err).toMatch(/--lock-timeout \S+ is not a number of seconds[\s\S]*--lock-timeout 60/);
        expect(r.err).not.toMatch(/internal error|^\s+at /m);
      }
    }
  });

  it('refuses a timeout, fork or handshake count that is not a usable number, naming the flag, before connecting', async () => {
    const run = ['run', `${BAD}/extra-vars/site.yml`, '-i', INVENTORY];
    const facts = ['facts', '-i', INVENTORY];
    const rollout = ['rollout', '-i', INVENTORY, '--add', 'rs1'];
    const refusals: [string[], RegExp][] = [
      [[...run, '-T', '0'], /--timeout 0 is not a number of seconds[\s\S]*-T 30 \(alias --connect-timeout\)/],
      [[...run, '--timeout', 'soon'], /--timeout NaN is not a number of seconds/],
      [[...facts, '--connect-timeout', '-5'], /--timeout -5 is not a number of seconds/],
      [[...run, '--command-timeout', '0'], /--command-timeout 0 is not a number of seconds[\s\S]*--command-timeout 600/],
      [[...rollout, '--command-timeout', 'never'], /--command-timeout NaN is not a number of seconds/],
      [[...run, '--max-handshakes', '0'], /--max-handshakes 0 is not a number of handshakes[\s\S]*--max-handshakes 16/],
      [[...facts, '--max-handshakes', '2.5'], /--max-handshakes 2.5 is not a number of handshakes/],
      [[...run, '-f', '0'], /--forks 0 is not a number of hosts[\s\S]*--forks 20/],
    ];
    for (const [args, message] of refusals) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/internal error|^\s+at /m);
    }
  });

  it('names a missing playbook or inventory file', async () => {
    const noPlaybook = await cli(['validate', `${BAD}/nope.yml`, '-i', INVENTORY]);
    expect(noPlaybook.code).toBe(4);
    expect(noPlaybook.err).toMatch(/file not found: .*nope\.yml/);
    const noInventory = await cli(['validate', `${BAD}/extra-vars/site.yml`, '-i', `${BAD}/missing-inventory.yml`]);
    expect(noInventory.code).toBe(4);
    expect(noInventory.err).toMatch(/missing-inventory\.yml/);
  });
});
