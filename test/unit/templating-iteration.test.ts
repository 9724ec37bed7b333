/**
 * Jinja2's iteration as Ansible renders it: a mapping iterates as its keys, a string as its
 * characters, and selectattr/rejectattr apply their test. Expected values are what ansible-playbook
 * 2.14 printed for the same expressions (debug msg, json callback).
 */
import { describe, expect, it } from 'vitest';
import { renderValue } from '../../src/core/templating.ts';

const vars = {
  d: { a: 1, b: 2, c: 3 },
  users: [
    { name: 'x', active: true, groups: ['lvs', 'web'], uid: 1 },
    { name: 'y', active: false, groups: ['web'] },
  ],
};

const ANSIBLE_SAYS: [string, unknown][] = [
  ["{{ d | list }}", ["a", "b", "c"]],
  ["{{ d | dict2items | rejectattr('key', 'in', ['a']) | items2dict }}", {"b": 2, "c": 3}],
  ["{{ d | first }}", "a"],
  ["{{ d | sort }}", ["a", "b", "c"]],
  ["{{ d | map('upper') | list }}", ["A", "B", "C"]],
  ["{{ d | dict2items | selectattr('value', 'gt', 1) | map(attribute='key') | list }}", ["b", "c"]],
  ["{{ d | dict2items | selectattr('key', 'equalto', 'a') | list }}", [{"key": "a", "value": 1}]],
  ["{{ users | selectattr('groups', 'contains', 'lvs') | map(attribute='name') | list }}", ["x"]],
  ["{{ users | rejectattr('active') | map(attribute='name') | list }}", ["y"]],
  ["{{ users | selectattr('uid', 'defined') | map(attribute='name') | join(',') }}", "x"],
  ["{{ 'abc' | list }}", ["a", "b", "c"]],
  ["{{ d | join('-') }}", "a-b-c"],
  ["{{ d | last }}", "c"],
];

describe('iterating mappings and selecting by attribute, as Ansible does', () => {
  it.each(ANSIBLE_SAYS)('%s', (expr, want) => {
    expect(renderValue(expr, vars)).toEqual(want);
  });
});
