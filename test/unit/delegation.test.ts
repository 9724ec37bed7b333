/**
 * A delegated task's host and how it is reached (executor/delegation.ts, task-access.ts), as
 * ansible-core 2.14 decides them (vars/manager.py _get_delegated_vars, play_context.py
 * set_task_and_variable_override): the delegate's variables decide the connection, login user and
 * become; the task's own host's never do; the keywords still apply; a `local` keyword meant the
 * task's host; a name the inventory lacks is reached at that name with `all`'s variables.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../../src/core/errors.ts';
import { delegationOf, type DelegationScope } from '../../src/core/executor/delegation.ts';
import { HostRun } from '../../src/core/executor/host-run.ts';
import { AccessError, resolveAccess } from '../../src/core/executor/task-access.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import type { InventoryHost } from '../../src/core/inventory/types.ts';
import { loadPlaybook } from '../../src/core/playbook/load.ts';
import { leafTasks, type Play } from '../../src/core/playbook/types.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import { writeTree } from './playbook-helpers.ts';

const INVENTORY = `all:
  vars:
    ansible_user: ops
  children:
    directors:
      hosts:
        lb1: { ansible_host: 198.18.0.10, ansible_user: admin, ansible_port: 2222, ansible_become_user: ipvs }
    realservers:
      hosts:
        rs1: { ansible_host: 198.18.0.11, ansible_user: deploy, ansible_become: true, ansible_become_user: web }
        rs2: { ansible_host: 198.18.0.12, ansible_connection: local }
`;

const SITE = `- hosts: realservers
  gather_facts: false
  remote_user: playuser
  tasks:
    - name: to the director
      command: ipvsadm -Ln
      delegate_to: "{{ groups['directors'][0] }}"
    - name: to localhost
      command: hostname
      delegate_to: localhost
    - name: to a host the inventory lacks
      command: hostname
      delegate_to: 198.18.0.99
      remote_user: taskuser
    - name: per item
      command: "true"
      delegate_to: "{{ item }}"
      loop: [lb1, rs2]
    - name: local keyword
      command: "true"
      connection: local
      delegate_to: lb1
    - name: undefined
      command: "true"
      delegate_to: "{{ nowhere }}"
    - name: itself
      command: "true"
      delegate_to: "{{ inventory_hostname }}"
`;

function setUp() {
  const dir = writeTree({ 'inventory.yml': INVENTORY, 'site.yml': SITE });
  const inventory = loadInventory([join(dir, 'inventory.yml')]);
  const problems = new ProblemList();
  const playbook = loadPlaybook(join(dir, 'site.yml'), { problems });
  expect(problems.items).toEqual([]);
  const play: Play = playbook.plays[0];
  const states = new Map<string, HostRun>();
  const scope: DelegationScope = {
    inventory,
    play,
    extraVars: {},
    check: false,
    cli: { become: false },
    stateOf: (h: InventoryHost) => states.get(h.name) ?? states.set(h.name, new HostRun(h)).get(h.name)!,
  };
  const task = (name: string) => leafTasks(play.tasks).find((t) => t.name === name)!;
  const host = scope.stateOf(inventory.hosts.get('rs1')!);
  const vars = (name: string, extra: Record<string, unknown> = {}) => ({
    ...buildHostVars({ inventory, host: host.inventoryHost, play, task: task(name), extraVars: {}, registered: {}, checkMode: false, playbookDir: dir }),
    ...extra,
  });
  return { scope, task, host, vars, states };
}

describe('delegate_to: where the task runs and how', () => {
  it("reaches an inventory delegate with its own login user and become user, not the host's", () => {
    const { scope, task, host, vars } = setUp();
    const d = delegationOf(scope, task('to the director'), host, vars('to the director'))!;
    expect(d.name).toBe('lb1');
    expect(d.host.vars.ansible_port).toBe(2222);
    expect(d.access).toMatchObject({ connection: 'ssh', remoteUser: 'admin', become: false });
    // inventory_hostname in what the task renders stays the host's: only the access is the delegate's.
    expect(vars('to the director').inventory_hostname).toBe('rs1');
  });

  it("runs on the implicit localhost over a local connection", () => {
    const { scope, task, host, vars } = setUp();
    const d = delegationOf(scope, task('to localhost'), host, vars('to localhost'))!;
    expect(d.access.connection).toBe('local');
    expect(d.host.groups).toEqual([]);
  });

  it("reaches a name the inventory lacks at that name, with all's variables and the task's remote_user under them", () => {
    const { scope, task, host, vars, states } = setUp();
    const d = delegationOf(scope, task('to a host the inventory lacks'), host, vars('to a host the inventory lacks'))!;
    expect(d.host).toMatchObject({ name: '198.18.0.99', groups: [] });
    expect(d.host.vars.ansible_host).toBeUndefined();
    // all's ansible_user beats the task's remote_user, as a variable beats a keyword.
    expect(d.access).toMatchObject({ connection: 'ssh', remoteUser: 'ops' });
    expect(states.get('198.18.0.99')).toBe(d.state);
  });

  it('renders the delegate per loop item', () => {
    const { scope, task, host, vars } = setUp();
    const t = task('per item');
    expect(delegationOf(scope, t, host, vars('per item', { item: 'lb1' }))!.access.connection).toBe('ssh');
    expect(delegationOf(scope, t, host, vars('per item', { item: 'rs2' }))!.access.connection).toBe('local');
  });

  it('reaches a delegate over ssh when connection: local meant the task\'s host', () => {
    const { scope, task, host, vars } = setUp();
    expect(delegationOf(scope, task('local keyword'), host, vars('local keyword'))!.access.connection).toBe('ssh');
  });

  it('fails the task on a delegate that cannot be rendered', () => {
    const { scope, task, host, vars } = setUp();
    expect(() => delegationOf(scope, task('undefined'), host, vars('undefined'))).toThrow(AccessError);
    expect(() => delegationOf(scope, task('undefined'), host, vars('undefined', { nowhere: '' }))).toThrow(/renders empty/);
    expect(() => delegationOf(scope, task('undefined'), host, vars('undefined', { nowhere: ['a'] }))).toThrow(/not a host name/);
  });

  it('keeps the host as its own state when it delegates to itself', () => {
    const { scope, task, host, vars } = setUp();
    const d = delegationOf(scope, task('itself'), host, vars('itself'))!;
    expect(d.state).toBe(host);
    expect(d.access).toMatchObject({ remoteUser: 'deploy', become: true, becomeUser: 'web' });
  });
});

describe('resolveAccess for a delegate (play_context.py: no ansible_connection among its variables)', () => {
  it.each([
    // [delegate, task's host, the delegate's variables, keyword connection, connection]
    ['localhost', 'localhost', {}, undefined, 'local'],
    ['127.0.0.1', 'localhost', {}, 'ssh', 'local'],
    ['lb1', 'localhost', { ansible_host: '127.0.0.1' }, undefined, 'local'],
    // An inventory host called localhost, from another host: over ssh, as Ansible.
    ['localhost', 'rs1', {}, undefined, 'ssh'],
    ['lb1', 'rs1', {}, 'local', 'ssh'],
    ['lb1', 'localhost', { ansible_host: '198.18.0.10' }, 'local', 'ssh'],
    ['lb1', 'rs1', { ansible_connection: 'local' }, 'ssh', 'local'],
  ] as const)('delegate %s from %s with %j, keyword %s: %s', (delegate, host, vars, keyword, expected) => {
    const a = resolveAccess([keyword ? { connection: keyword } : {}], { become: false }, vars, { delegate, host });
    expect(a.connection).toBe(expected);
  });
});
