/**
 * What `{{ x }}` prints inside text is Python's str() of x, as under Ansible: the expected strings are
 * what ansible-playbook 2.14 printed for the same templates (debug msg, json callback).
 */
import { describe, expect, it } from 'vitest';
import { renderTemplateText, renderValue } from '../../src/core/templating.ts';

const vars = { l: ['a', "it's"], d: { k: 1, s: 'x' }, t: true, n: null, f: 1.5, nested: [{ a: [1, 'x', true, null] }] };

describe('printed values', () => {
  it.each([
    ['x {{ l }}', `x ['a', "it's"]`],
    ['x {{ d }}', "x {'k': 1, 's': 'x'}"],
    ['x {{ t }}', 'x True'],
    ['x {{ n }}', 'x '],
    ['x {{ f }}', 'x 1.5'],
    ['x {{ nested }}', "x [{'a': [1, 'x', True, None]}]"],
    ['{{ t }} y', 'True y'],
    ['x {{ none }}', 'x '],
  ])('%s prints %s', (template, printed) => {
    expect(renderValue(template, vars)).toBe(printed);
  });

  it('keeps a lone expression native, and prints the same way in template files', () => {
    expect(renderValue('{{ l }}', vars)).toEqual(['a', "it's"]);
    expect(renderTemplateText('enabled={{ t }}\nlist={{ l }}\n', vars, 't.j2')).toBe(`enabled=True\nlist=['a', "it's"]\n`);
  });
});

describe('== and != in templates', () => {
  it('compare lists and mappings by value, as Python does', () => {
    const v = { l: ['a', 'b'], d: { k: [1, 2] }, n: 11 };
    expect(renderValue("{{ l == ['a', 'b'] }}", v)).toBe(true);
    expect(renderValue("{{ d != {'k': [1, 2]} }}", v)).toBe(false);
    expect(renderValue("{{ l == ['b', 'a'] }}", v)).toBe(false);
    expect(renderValue("{{ n == '11' }}", v)).toBe(true);
  });
});
