/**
 * lvsdr against what ansible-core 2.14 printed for the same inventories (see the fixtures' READMEs):
 * structure, effective vars, precedence and patterns must agree. The only allowed difference is
 * lvsdr's `lvsdr_*` mirrors of connection vars.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleGraph, ansibleList, loadInventory } from '../../src/core/inventory/index.ts';

const FIXTURES = [
  { dir: 'test/fixtures/inventory/ansible-checked', inventory: 'hosts.yml' },
  { dir: 'test/fixtures/inventory/ansible-checked-ini', inventory: 'hosts' },
  { dir: 'test/fixtures/inventory/ansible-checked-dir', inventory: 'inventory' },
];

function withoutLvsdrVars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLvsdrVars);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !k.startsWith('lvsdr_'))
      .map(([k, v]) => [k, withoutLvsdrVars(v)]),
  );
}

describe.each(FIXTURES)('parity with ansible-inventory: $dir', ({ dir, inventory }) => {
  const inv = loadInventory([join(dir, inventory)]);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');

  it('--graph is identical', () => {
    expect(ansibleGraph(inv)).toBe(read('ansible-graph.txt'));
  });

  it('--list has the same groups, hosts and effective vars', () => {
    expect(withoutLvsdrVars(JSON.parse(ansibleList(inv)))).toEqual(JSON.parse(read('ansible-list.json')));
  });

  it('--list --export has the same group and host vars', () => {
    expect(withoutLvsdrVars(JSON.parse(ansibleList(inv, true)))).toEqual(JSON.parse(read('ansible-list-export.json')));
  });
});

describe('parity with ansible --list-hosts', () => {
  const dir = FIXTURES[0].dir;
  const inv = loadInventory([join(dir, FIXTURES[0].inventory)]);
  const patterns = readFileSync(join(dir, 'ansible-patterns.tsv'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
  it.each(patterns)('pattern %s selects what ansible does', (pattern, hosts) => {
    expect(inv.select(pattern).slice().sort()).toEqual(hosts.split(' '));
  });
});

describe('parity with ansible --list-hosts: slices as shards', () => {
  const dir = 'test/fixtures/inventory/ansible-slices';
  const inv = loadInventory([join(dir, 'hosts.yml')]);
  const patterns = readFileSync(join(dir, 'ansible-slices.tsv'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
  it.each(patterns)('pattern %s selects what ansible does', (pattern, hosts) => {
    expect(inv.select(pattern).slice().sort()).toEqual(hosts ? hosts.split(' ') : []);
  });

  it('shards of a slice cover the group once, in its order', () => {
    const shards = ['realservers[0:3]', 'realservers[4:7]', 'realservers[8:]'].map((p) => inv.select(p));
    expect(shards.flat()).toEqual(inv.select('realservers'));
  });
});
