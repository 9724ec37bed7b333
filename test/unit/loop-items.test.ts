/**
 * Loop expansion with Ansible's meaning. Expected values are what ansible-playbook (ansible-core
 * 2.14.18, Debian 12) printed for the same terms.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loopStatus } from '../../src/core/events.ts';
import { LoopError, loopItems, loopItemVars, sequence } from '../../src/core/executor/loop-items.ts';
import { writeTree } from './playbook-helpers.ts';

describe('loop and with_<lookup>', () => {
  it('loop takes a list as it is and refuses anything else', () => {
    expect(loopItems(undefined, [1, [2, 3]], '/')).toEqual([1, [2, 3]]);
    expect(() => loopItems(undefined, 'a', '/')).toThrow(LoopError);
  });
  it('with_items flattens one level; a single string is one item', () => {
    expect(loopItems('items', [1, [2, [3]], 'a'], '/')).toEqual([1, 2, [3], 'a']);
    expect(loopItems('items', 'x', '/')).toEqual(['x']);
  });
  it('with_list keeps nested lists', () => {
    expect(loopItems('list', [[1, 2], 3], '/')).toEqual([[1, 2], 3]);
  });
  it('with_dict gives key/value pairs', () => {
    expect(loopItems('dict', { a: 1, b: 2 }, '/')).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ]);
    expect(() => loopItems('dict', [1], '/')).toThrow('with_dict expects a dict');
  });
  it('with_together transposes, filling with null', () => {
    expect(loopItems('together', [[1, 2], [3]], '/')).toEqual([
      [1, 3],
      [2, null],
    ]);
  });
  it('with_subelements pairs each outer item (without its list) with each inner one', () => {
    const users = [
      { name: 'a', keys: ['k1', 'k2'] },
      { name: 'b', keys: ['k3'] },
      { name: 'c' },
    ];
    expect(() => loopItems('subelements', [users, 'keys'], '/')).toThrow("could not find 'keys' key");
    expect(loopItems('subelements', [users, 'keys', { skip_missing: true }], '/')).toEqual([
      [{ name: 'a' }, 'k1'],
      [{ name: 'a' }, 'k2'],
      [{ name: 'b' }, 'k3'],
    ]);
    expect(users[0].keys).toEqual(['k1', 'k2']);
  });
  it('with_sequence: the shortcut and the key=value forms, printf formats', () => {
    expect(sequence('start=0x0f00 count=4 format=%04x')).toEqual(['0f00', '0f01', '0f02', '0f03']);
    expect(sequence('4:host%02d')).toEqual(['host01', 'host02', 'host03', 'host04']);
    expect(sequence('2-10/2')).toEqual(['2', '4', '6', '8', '10']);
    expect(sequence('start=1 count=5 stride=2')).toEqual(['1', '3', '5', '7', '9']);
    expect(sequence('start=5 end=1 stride=-2')).toEqual(['5', '3', '1']);
    expect(() => sequence('start=5 end=1')).toThrow('to count backwards make stride negative');
    expect(() => sequence('start=1')).toThrow('must specify count or end');
    expect(() => sequence('end=3 bogus=1')).toThrow("unrecognized arguments to with_sequence: ['bogus']");
    expect(loopItems('sequence', 'end=2', '/')).toEqual(['1', '2']);
    // Python 3's int(s, 0): 0x and 0o, but no leading-zero octal (the lookup's docstring predates it).
    expect(sequence('start=0o10 end=0x0a')).toEqual(['8', '9', '10']);
    expect(() => sequence('start=0664 end=0665')).toThrow("can't parse start=0664 as integer");
  });
  it('with_fileglob finds regular files in files/ beside the playbook, then beside it', () => {
    const dir = writeTree({ 'files/a.conf': '', 'files/b.conf': '', 'c.conf': '', 'conf/d.conf': '' });
    mkdirSync(join(dir, 'files/dir.conf'));
    writeFileSync(join(dir, 'files/note.txt'), '');
    expect(loopItems('fileglob', '*.conf', dir)).toEqual([join(dir, 'files/a.conf'), join(dir, 'files/b.conf')]);
    expect(loopItems('fileglob', ['c.*', 'conf/*.conf'], dir)).toEqual([join(dir, 'c.conf'), join(dir, 'conf/d.conf')]);
    expect(loopItems('fileglob', '*.none', dir)).toEqual([]);
  });
});

describe('a loop’s status', () => {
  it('is the worst of its items’, and skipped only when every item was', () => {
    expect(loopStatus(['ok', 'changed', 'skipped'])).toBe('changed');
    expect(loopStatus(['changed', 'failed', 'ok'])).toBe('failed');
    expect(loopStatus(['failed', 'unreachable'])).toBe('unreachable');
    expect(loopStatus(['skipped', 'ok'])).toBe('ok');
    expect(loopStatus(['skipped', 'skipped'])).toBe('skipped');
  });
});

describe('loop variables', () => {
  it('item by default, loop_var and index_var as named', () => {
    expect(loopItemVars(undefined, ['a', 'b'], 1)).toEqual({ item: 'b', ansible_loop_var: 'item' });
    expect(loopItemVars({ loopVar: 'port', indexVar: 'i', extended: false }, [80, 443], 0)).toEqual({ port: 80, ansible_loop_var: 'port', i: 0, ansible_index_var: 'i' });
  });
  it('extended gives ansible_loop as Ansible does', () => {
    expect(loopItemVars({ loopVar: 'item', extended: true }, ['x', 'y'], 0).ansible_loop).toEqual({
      allitems: ['x', 'y'],
      index: 1,
      index0: 0,
      first: true,
      last: false,
      length: 2,
      revindex: 2,
      revindex0: 1,
      nextitem: 'y',
    });
    expect(loopItemVars({ loopVar: 'item', extended: true, allItems: false }, ['x', 'y'], 1).ansible_loop).toEqual({
      index: 2,
      index0: 1,
      first: false,
      last: true,
      length: 2,
      revindex: 1,
      revindex0: 0,
      previtem: 'x',
    });
  });
});
