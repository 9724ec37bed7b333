import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { formatProblem, ProblemList, UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { checkModuleArgs, loadValidPlaybook, validatePlaybook } from '../../src/core/playbook/validate.ts';
import { filterNames } from '../../src/core/templating.ts';
import { fakeModules, INVENTORY, writeTree } from './playbook-helpers.ts';

function validate(site: string, extraVars: Record<string, unknown> = {}, files: Record<string, string> = {}): string[] {
  const dir = writeTree({ 'site.yml': site, 'inventory.yml': INVENTORY, ...files });
  const list = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules, extraVars, problems: list });
  expect(list.items.map(formatProblem)).toEqual([]);
  const inventory = loadInventory([join(dir, 'inventory.yml')]);
  return validatePlaybook(playbook, inventory, { modules: fakeModules, extraVars }).map((p) => formatProblem(p).replace(`${dir}/`, ''));
}

const tasks = (body: string, head = '- hosts: all\n') => `${head}  tasks:\n${body}`;

describe('module arguments before the run', () => {
  it('reports schema problems at the argument', () => {
    expect(validate(tasks('    - copy:\n        dest: etc/x\n        content: hi\n        mdoe: "0644"\n'))).toEqual([
      "site.yml:4:15: argument 'dest' must match pattern \"^/\" (got \"etc/x\")",
      "site.yml:6:15: module 'copy' has no argument 'mdoe'\n  fix: did you mean 'mode'? known arguments: dest, content, src, mode",
    ]);
  });

  it('explains a oneOf of required arguments once', () => {
    expect(validate(tasks('    - copy: { dest: /x }\n'))).toEqual(["site.yml:3:13: module 'copy' needs exactly one of: content, src\n  fix: give exactly one of content, src"]);
  });

  it('checks free-form arguments in their mapping form', () => {
    expect(validate(tasks('    - command: ls\n      args: { chdir: /tmp }\n'))[0]).toMatch(/module 'command' has no argument 'chdir'/);
  });

  it('lets a template wait for the run when its value is not known yet', () => {
    expect(validate(tasks('    - ping: { count: "{{ ansible_default_ipv4.address | length }}" }\n'))).toEqual([]);
    expect(validate(tasks('    - ping: { count: "{{ item }}" }\n      loop: [1, 2]\n'))).toEqual([]);    // an argument that renders to omit is left out, as in the run, not checked as the placeholder
    expect(validate(tasks('    - ping: { host: "{{ item.0.nosuch | default(omit) }}" }\n      loop: [[1]]\n'))).toEqual([]);
  });

  it("waits for the run where a rule's condition reads a template (command's creates, relative only without chdir)", () => {
    const check = (body: string) => {
      const dir = writeTree({ 'site.yml': tasks(body, '- hosts: all\n  vars: { base: /srv }\n'), 'inventory.yml': INVENTORY });
      const playbook = loadPlaybook(join(dir, 'site.yml'));
      return validatePlaybook(playbook, loadInventory([join(dir, 'inventory.yml')])).map((p) => formatProblem(p).replace(`${dir}/`, ''));
    };
    expect(check('    - command: touch {{ base }}/m\n      args: { creates: "{{ base }}/m" }\n')).toEqual([]);
    expect(check('    - command: touch m\n      args: { creates: m }\n')[0]).toMatch(/module 'command' is missing required argument 'chdir'/);
    // Rendered per host, a relative one is still refused.
    expect(check('    - command: touch m\n      args: { creates: "{{ base | basename }}" }\n')[0]).toMatch(/missing required argument 'chdir'/);
  });

  it('renders what it can per host and checks the result, naming the hosts', () => {
    expect(validate(tasks('    - ping: { host: "{{ target }}" }\n', '- hosts: realservers\n  vars: { target: "{{ vip }}" }\n'))).toEqual([]);
    const bad = validate(tasks('    - ping: { host: "{{ vip }}; reboot" }\n'));
    expect(bad).toEqual(["site.yml:3:21: argument 'host' must match format \"ipv4\" (got \"198.18.0.100; reboot\") on rs1, rs2, lb1 (after templating)\n  fix: fix the variable the template reads for these hosts"]);
    expect(validate(tasks('    - ping: { count: "{{ weight | default(0) }}" }\n'))[0]).toMatch(/argument 'count' must be >= 1 \(got 0\) on rs2, lb1 \(after templating\)/);
    // Through a variable that is itself a template, the hosts still differ by what that one reads.
    const viaVar = validate(tasks('    - ping: { count: "{{ outer }}" }\n', '- hosts: all\n  vars: { outer: "{{ inner }}", inner: "{{ weight | default(0) }}" }\n'));
    expect(viaVar).toHaveLength(1);
    expect(viaVar[0]).toMatch(/argument 'count' must be >= 1 \(got 0\) on rs2, lb1 \(after templating\)/);
  });

  it('never shows the values of a no_log task', () => {
    const out = validate(tasks('    - ping: { host: "{{ vip }}-secret" }\n      no_log: true\n'));
    expect(out[0]).toContain('(value hidden by no_log)');
    expect(out[0]).not.toContain('secret');
  });
});

describe('checkModuleArgs (the executor, after rendering)', () => {
  it('maps ajv paths to argument positions', () => {
    const dir = writeTree({ 'site.yml': tasks('    - ping:\n        ports: [80, "{{ p }}"]\n') });
    const task = leafTasks(loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0].tasks)[0];
    const problems = checkModuleArgs(task, { ports: [80, 'http'] }, fakeModules);
    expect(problems.map(formatProblem)).toEqual([`${dir}/site.yml:4:21: argument 'ports.1' must be an integer, not string "http"`]);
    expect(checkModuleArgs(task, { ports: [80, 443] }, fakeModules)).toEqual([]);
  });

  it('reports an unknown module', () => {
    const dir = writeTree({ 'site.yml': tasks('    - ping: {}\n') });
    const task = leafTasks(loadPlaybook(join(dir, 'site.yml'), { modules: fakeModules }).plays[0].tasks)[0];
    expect(checkModuleArgs({ ...task, module: 'nope' }, {}, fakeModules)[0].message).toBe("unknown module 'nope'");
  });
});

describe('hosts and notify', () => {
  it('a pattern naming nothing known, or selecting no host', () => {
    expect(validate('- hosts: realserver\n  tasks: []\n')[0]).toMatch(/^site\.yml:1:10: .*"realserver".*\n  fix: did you mean "realservers"/);
    expect(validate('- hosts: realservers:&directors\n  tasks: []\n')).toEqual([
      "site.yml:1:10: hosts pattern 'realservers:&directors' of play 'realservers:&directors' selects no hosts\n  fix: add hosts to the group in the inventory, or fix the pattern",
    ]);
  });

  it('notify must name a handler or a listen topic of the play', () => {
    const site = tasks('    - command: ls\n      notify: [restart, reload all, relaod]\n  handlers:\n    - name: restart\n      command: echo r\n    - name: reload\n      command: echo l\n      listen: reload all\n');
    expect(validate(site)).toEqual(["site.yml:4:15: task 'command ls' notifies 'relaod', which no handler of play 'all' is named or listens to\n  fix: did you mean 'reload'?"]);
  });
});

describe('undefined variables', () => {
  const messages = (site: string, extraVars: Record<string, unknown> = {}, files: Record<string, string> = {}) =>
    validate(site, extraVars, files).map((p) => p.split('\n')[0]);

  it('finds them in args, name, when, loop, changed_when, with the closest name', () => {
    const site = tasks(`    - name: "show {{ nme }}"
      command: echo {{ vipp }}
      when: enabled
      loop: "{{ prts }}"
      changed_when: rc_ok
`);
    expect(validate(site)).toEqual([
      "site.yml:3:13: undefined variable 'nme' in task 'show {{ nme }}'\n  fix: define it in the inventory, the play's vars or vars_files, or with -e nme=...",
      "site.yml:4:16: undefined variable 'vipp' in task 'show {{ nme }}'\n  fix: did you mean 'vip'? define it in the inventory, the play's vars or vars_files, or with -e vipp=...",
      "site.yml:5:13: undefined variable 'enabled' in task 'show {{ nme }}'\n  fix: define it in the inventory, the play's vars or vars_files, or with -e enabled=...",
      "site.yml:6:13: undefined variable 'prts' in task 'show {{ nme }}'\n  fix: define it in the inventory, the play's vars or vars_files, or with -e prts=...",
      "site.yml:7:21: undefined variable 'rc_ok' in task 'show {{ nme }}'\n  fix: define it in the inventory, the play's vars or vars_files, or with -e rc_ok=...",
    ]);
  });

  it('accepts every source of variables', () => {
    const site = `- hosts: realservers
  vars: { port: 80 }
  vars_files: [vars.yml]
  tasks:
    - command: echo {{ vip }} {{ port }} {{ from_file }} {{ from_e }} {{ inventory_hostname }} {{ groups.all }} {{ ansible_default_ipv4.address }}
      register: first
    - command: echo {{ item }} {{ first.stdout }}
      loop: [1]
      register: second
      changed_when: second.rc == 0
`;
    expect(validate(site, { from_e: 1 }, { 'vars.yml': 'from_file: 1\n' })).toEqual([]);
  });

  it('facts are undefined in plays that do not gather them', () => {
    expect(messages(tasks('    - command: echo {{ ansible_hostname }}\n', '- hosts: all\n  gather_facts: false\n'))).toEqual([
      "site.yml:4:16: undefined variable 'ansible_hostname' in task 'command echo {{ ansible_hostname }}'",
    ]);
  });

  it('registered names count from the task that registers them on, across plays', () => {
    const site = `- hosts: all
  tasks:
    - command: echo {{ out.stdout }}
    - command: hostname
      register: out
- hosts: all
  tasks:
    - command: echo {{ out.stdout }}
`;
    expect(messages(site)).toEqual(["site.yml:3:16: undefined variable 'out' in task 'command echo {{ out.stdout }}'"]);
  });

  it('item only inside loops', () => {
    expect(messages(tasks('    - command: echo {{ item }}\n'))).toEqual(["site.yml:3:16: undefined variable 'item' in task 'command echo {{ item }}'"]);
  });

  it('names the hosts that lack it when only some do', () => {
    expect(messages(tasks('    - command: echo {{ weight }}\n'))).toEqual(["site.yml:3:16: undefined variable 'weight' in task 'command echo {{ weight }}' on rs2, lb1"]);
  });

  it('is satisfied by is defined in when, and by default', () => {
    expect(validate(tasks('    - command: echo {{ weight }}\n      when: weight is defined\n'))).toEqual([]);
    expect(validate(tasks('    - command: echo {{ weight | default(1) }}\n'))).toEqual([]);
    expect(validate(tasks('    - command: echo {{ weight }}\n      when: weight is defined and weight > 1\n'))).toEqual([]);
    // A default in `when` does not prove the variable exists for the arguments.
    expect(messages(tasks('    - command: echo {{ weight }}\n      when: weight | default(2) > 1\n'))).toEqual(["site.yml:3:16: undefined variable 'weight' in task 'command echo {{ weight }}' on rs2, lb1"]);
  });

  it('follows variables whose values are templates', () => {
    const site = tasks('    - command: echo {{ cidr }}\n', '- hosts: all\n  vars: { cidr: "{{ vip_address }}/32" }\n');
    expect(messages(site)).toEqual(["site.yml:4:16: undefined variable 'vip_address' (through 'cidr') in task 'command echo {{ cidr }}'"]);
  });

  it('a variable followed from a loop may read item, as Ansible renders it in the task (Panzer1119/ansible-role-keepalived-setup)', () => {
    const site = tasks('    - command: echo {{ name }}\n      loop: [{ n: a }]\n      vars:\n        name: "{{ item.n }}-x"\n');
    expect(validate(site)).toEqual([]);
    // Outside a loop the same variable still lacks item.
    expect(messages(tasks('    - command: echo {{ name }}\n      vars:\n        name: "{{ item.n }}-x"\n'))).toEqual(["site.yml:3:16: undefined variable 'item' (through 'name') in task 'command echo {{ name }}'"]);
  });

  it('reports unknown filters and tests, with the closest name', () => {
    expect(validate(tasks('    - command: echo {{ vip | ipadr }} {{ [vip] | map("uper") | list }}\n      when: vip is strng and [1] | select("evn")\n'))).toEqual([
      "site.yml:3:16: unknown filter 'ipadr' in task 'command echo {{ vip | ipadr }} {{ [vip] | map(\"uper\") | list }}'\n  fix: known filters: " + filterNames().join(', '),
      "site.yml:3:16: unknown filter 'uper' in task 'command echo {{ vip | ipadr }} {{ [vip] | map(\"uper\") | list }}'\n  fix: did you mean 'upper'?",
      "site.yml:4:13: unknown test 'strng' in task 'command echo {{ vip | ipadr }} {{ [vip] | map(\"uper\") | list }}'\n  fix: did you mean 'string'?",
      "site.yml:4:13: unknown test 'evn' in task 'command echo {{ vip | ipadr }} {{ [vip] | map(\"uper\") | list }}'\n  fix: did you mean 'even'?",
    ]);
  });

  it('reads condition arguments (assert that) like when', () => {
    expect(messages(tasks('    - assert:\n        that:\n          - vip is defined\n          - prot == 80\n    - assert: { that: "port == 80" }\n'))).toEqual([
      "site.yml:6:13: undefined variable 'prot' in task 'assert'",
      "site.yml:7:23: undefined variable 'port' in task 'assert that=port == 80'",
    ]);
  });

  it('says lookup plugins are not supported', () => {
    expect(validate(tasks('    - command: echo {{ lookup("env", "HOME") }}\n'))[0]).toMatch(/undefined variable 'lookup'[\s\S]*lookup plugins are not supported/);
  });

  it('reports template syntax errors at the template', () => {
    expect(messages(tasks('    - command:\n        cmd: echo {{ vip\n'))).toEqual(['site.yml:4:14: template error in "echo {{ vip": expected variable end in task \'command cmd=echo {{ vip\'']);
  });
});

describe('loadValidPlaybook', () => {
  it('does not add follow-on problems for a task with a bad keyword', () => {
    const dir = writeTree({
      'inventory.yml': INVENTORY,
      'site.yml': tasks('    - command: hostname\n      register: out\n      timeout: never\n      loop: 3\n      notify: 5\n    - command: echo {{ out.results }} {{ item }}\n      loop: [1]\n'),
    });
    const inventory = loadInventory([join(dir, 'inventory.yml')]);
    expect(() => loadValidPlaybook(join(dir, 'site.yml'), inventory, { modules: fakeModules })).toThrow(UserError);
    try {
      loadValidPlaybook(join(dir, 'site.yml'), inventory, { modules: fakeModules });
    } catch (err) {
      expect((err as UserError).problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}`)).toEqual([
        "5:16 'timeout' must be a number at least 1, not the string \"never\"",
        "6:13 'loop' must be a list or a template giving one, not number 3",
        "7:15 task 'command hostname' notifies '5', which no handler of play 'all' is named or listens to",
      ]);
    }
  });

  it('returns a valid playbook and throws every problem, in file order, for an invalid one', () => {
    const dir = writeTree({ 'inventory.yml': INVENTORY, 'ok.yml': tasks('    - command: echo {{ vip }}\n'), 'bad.yml': tasks('    - command: echo {{ nope }}\n    - cpy: {}\n') });
    const inventory = loadInventory([join(dir, 'inventory.yml')]);
    expect(loadValidPlaybook(join(dir, 'ok.yml'), inventory, { modules: fakeModules }).plays).toHaveLength(1);
    try {
      loadValidPlaybook(join(dir, 'bad.yml'), inventory, { modules: fakeModules });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).problems.map((p) => `${p.pos?.line}:${p.pos?.col} ${p.message}`)).toEqual([
        "3:16 undefined variable 'nope' in task 'command echo {{ nope }}'",
        "4:7 unknown module 'cpy'",
      ]);
    }
  });
});
