import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jinjaSource } from '../../src/core/templating-source.ts';
import {
  evalCondition,
  expressionRefs,
  renderTemplateText,
  renderValue,
  TemplateError,
  templateRefs,
  templateRoots,
} from '../../src/core/templating.ts';

const vars = {
  vip: '198.18.0.100',
  port: 80,
  ports: [80, 443],
  lvs: { vip: '198.18.0.100', weights: { rs1: 2 }, empty: null },
  enabled: true,
  name: 'Real Server',
};

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('renderValue', () => {
  it('returns native values for a string that is exactly one expression', () => {
    expect(renderValue('{{ ports }}', vars)).toEqual([80, 443]);
    expect(renderValue('{{ port + 1 }}', vars)).toBe(81);
    expect(renderValue('{{ lvs.weights }}', vars)).toEqual({ rs1: 2 });
    expect(renderValue('{{ enabled }}', vars)).toBe(true);
    expect(renderValue('{{ lvs.empty }}', vars)).toBeNull();
  });

  it('renders text around expressions as a string', () => {
    expect(renderValue('{{ vip }}/32', vars)).toBe('198.18.0.100/32');
    expect(renderValue('{{ port }}{{ port }}', vars)).toBe('8080');
    expect(renderValue('{% for p in ports %}{{ p }},{% endfor %}', vars)).toBe('80,443,');
  });

  it('goes over a mapping\'s keys in a for loop, as Jinja does', () => {
    const d = { checks: { http: { port: 80 }, ipvs: {} } };
    expect(renderValue('{% for name in checks %}{{ name }};{% endfor %}', d)).toBe('http;ipvs;');
    expect(renderValue('{% for k, v in checks.items() %}{{ k }}={{ v }};{% endfor %}', d)).toBe("http={'port': 80};ipvs={};");
    expect(renderValue('{% for name in checks %}{{ loop.index }}/{{ loop.length }} {% endfor %}', d)).toBe('1/2 2/2 ');
  });

  it('keeps set and macros to the template, leaving the variables untouched', () => {
    const v = { ...vars };
    expect(renderValue('{% set port = 8080 %}{% macro show(p) %}<{{ p }}>{% endmacro %}{{ show(port) }}', v)).toBe('<8080>');
    expect(v.port).toBe(80);
    expect(renderValue('{{ port }}', v)).toBe(80);
  });

  it("reads text of several parts that looks like a list, a mapping or a boolean back as one, as ansible-core 2.14's ansible_eval_concat (checked with ansible-playbook)", () => {
    expect(renderValue('{% set port = 8080 %}{% macro show(p) %}[{{ p }}]{% endmacro %}{{ show(port) }}', vars)).toEqual([8080]);
    expect(renderValue('{%- set peers = [] -%}{%- set _ = peers.append(vip) -%}{{ peers }}', vars)).toEqual(['198.18.0.100']);
    expect(renderValue("{{ 'Tr' }}ue", vars)).toBe(true);
    expect(renderValue('{{ "{" }}"a": {{ port }}}', vars)).toEqual({ a: 80 });
    // JSON's names are Python's there (its Json2Python), so JSON text built in a template is data.
    expect(renderValue("[{% for p in [1, 2] %}{{ {'x': p, 'on': true} | to_json }}, {% endfor %}null]", vars)).toEqual([{ x: 1, on: true }, { x: 2, on: true }, null]);
    expect(renderValue('{{ "tr" }}ue', vars)).toBe('true');
    // Not a literal: stays text.
    expect(renderValue('[ -e /x ] && echo {{ port }}', vars)).toBe('[ -e /x ] && echo 80');
  });

  it('+ is Python\'s: lists concatenate, numbers add, text joins, other mixes fail (Panzer1119/ansible-role-keepalived-setup)', () => {
    expect(renderValue('{{ [1] + [2] }}', vars)).toEqual([1, 2]);
    expect(renderValue('{{ port + 1 }}', vars)).toBe(81);
    expect(renderValue('{{ "a" + vip }}', vars)).toBe('a198.18.0.100');
    expect(() => renderValue('{{ "a" + port }}', vars)).toThrow(/unsupported operand type\(s\) for \+: 'str' and 'int'/);
  });

  it('renders deeply and leaves non-templates untouched', () => {
    const value = { a: ['{{ port }}', 'plain', 3, null], b: { c: '{{ vip }}' } };
    expect(renderValue(value, vars)).toEqual({ a: [80, 'plain', 3, null], b: { c: '198.18.0.100' } });
  });

  it('drops mapping keys whose value renders to omit', () => {
    expect(renderValue({ dest: '/x', mode: '{{ file_mode | default(omit) }}', list: ['{{ port }}'] }, vars)).toEqual({ dest: '/x', list: [80] });
    expect(renderValue({ mode: '{{ file_mode | default(omit) }}' }, { ...vars, file_mode: '0644' })).toEqual({ mode: '0644' });
    expect(templateRoots('{{ m | default(omit) }}')).toEqual(new Set());
  });

  it('accepts the Python spellings True, False and None', () => {
    expect(renderValue('{{ True and not False }}', vars)).toBe(true);
    expect(renderValue('{{ None }}', vars)).toBeNull();
  });

  it('offers the Python dict and string methods playbooks call', () => {
    expect(renderValue('{{ lvs.weights.items() | list }}', vars)).toEqual([['rs1', 2]]);
    expect(renderValue('{{ lvs.weights.keys() | list }}', vars)).toEqual(['rs1']);
    expect(renderValue('{{ name.split() }}', vars)).toEqual(['Real', 'Server']);
    expect(renderValue('{{ name.lower().startswith("real") }}', vars)).toBe(true);
    expect(renderValue('{{ lvs.get("missing", 7) }}', vars)).toBe(7);
  });
});

describe('undefined variables are errors, naming the variable', () => {
  const cases: [string, string][] = [
    ['{{ vipp }}', 'vipp'],
    ['address {{ vipp }}', 'vipp'],
    ['{{ vipp + 1 }}', 'vipp'],
    ['{{ vipp | upper }}', 'vipp'],
    ['{% if vipp %}x{% endif %}', 'vipp'],
    ['{{ "x" in vipp }}', 'vipp'],
    ['{{ vipp() }}', 'vipp'],
    ['{% for x in vipp %}{{ x }}{% endfor %}', 'vipp'],
    ['{{ lvs.vipp }}', 'lvs.vipp'],
    ['{{ lvs.weights.rs9 }}', 'lvs.weights.rs9'],
    ['{{ lvs.empty.x }}', 'lvs.empty.x'],
    ['{{ ports[5] }}', 'ports[5]'],
    ['{{ port | default(vipp) }}', 'vipp'],
  ];
  for (const [template, variable] of cases) {
    it(template, () => {
      const err = errorOf(() => renderValue(template, vars));
      expect(err.variable).toBe(variable);
      expect(err.message).toContain(`undefined variable '${variable}'`);
    });
  }

  it('is allowed under is defined, is not defined and default', () => {
    expect(renderValue('{{ vipp is defined }}', vars)).toBe(false);
    expect(renderValue('{{ vipp is not defined }}', vars)).toBe(true);
    expect(renderValue('{{ vipp is undefined }}', vars)).toBe(true);
    expect(renderValue('{{ lvs.vipp is defined }}', vars)).toBe(false);
    expect(renderValue('{{ vipp | default(1) }}', vars)).toBe(1);
    expect(renderValue('{{ vipp.x.y | d("z") }}', vars)).toBe('z');
    expect(renderValue('{% if vipp is defined and vipp %}a{% else %}b{% endif %}', vars)).toBe('b');
  });

  it('refuses to reach the Function constructor', () => {
    expect(() => renderValue('{{ range.constructor("return 1")() }}', vars)).toThrow(/constructor/);
    expect(() => renderValue('{{ (range.constructor | default(none))("return 1")() }}', vars)).toThrow(TemplateError);
    expect(renderValue('{{ lvs.__proto__ is defined }}', vars)).toBe(false);
  });

  it('reports syntax errors with the template text', () => {
    expect(errorOf(() => renderValue('{{ vip ', vars)).message).toMatch(/template error in "\{\{ vip ": expected variable end/);
  });
});

describe('variables whose values are templates', () => {
  it('are rendered when read, with the same variables', () => {
    const v = { ...vars, vip_cidr: '{{ vip }}/32', cfg: { addr: '{{ vip_cidr }}' } };
    expect(renderValue('{{ vip_cidr }}', v)).toBe('198.18.0.100/32');
    expect(renderValue('{{ cfg.addr }}', v)).toBe('198.18.0.100/32');
  });

  it('that refer to themselves are an error', () => {
    expect(() => renderValue('{{ a }}', { a: '{{ b }}', b: '{{ a }}' })).toThrow(/'a' refers to itself \(a → b → a\)/);
  });

  it('except registered results, which are data', () => {
    const result = { changed: false, failed: false, skipped: false, stdout: 'literally {{ vip }} {# x' };
    expect(renderValue('{{ out.stdout }}', { ...vars, out: result })).toBe('literally {{ vip }} {# x');
    expect(evalCondition('"vip }}" in out.stdout', { ...vars, out: result })).toBe(true);
    const looped = { changed: true, failed: false, skipped: false, results: [result] };
    expect(renderValue('{{ out.results[0].stdout }}', { ...vars, out: looped })).toBe('literally {{ vip }} {# x');
  });
});

describe('Jinja2 syntax nunjucks lacks', () => {
  it('reads item.0 as item[0], outside strings and numbers', () => {
    const v = { item: [{ vip: 'a', ports: [1] }, 8], pairs: [[1, 2]] };
    expect(renderValue('{{ item.1 }}', v)).toBe(8);
    expect(renderValue('{{ item.0.vip }}-{{ item.0.ports.0 }}', v)).toBe('a-1');
    expect(renderValue('{{ pairs[0].1 }}', v)).toBe(2);
    expect(renderValue('{{ "v1.0" }} {{ 1.5 + 1 }}', v)).toBe('v1.0 2.5');
    expect(renderValue('item.0 {{ item.1 }}', v)).toBe('item.0 8');
    expect(templateRoots('{{ item.0.vip }}')).toEqual(new Set(['item']));
  });

  it('balances braces, so nested dict literals end where Jinja2 ends them', () => {
    expect(renderValue('{{ {"a": {"b": 1}} }}', vars)).toEqual({ a: { b: 1 } });
    expect(renderValue('{{ {"a": {"x": 1}} | combine({"a": {"y": 2}}, recursive=true) }}', vars)).toEqual({ a: { x: 1, y: 2 } });
    expect(renderValue('{{ "}}" }}', vars)).toBe('}}');
    expect(renderValue('{% set d = {"k": {"v": port}} %}{{ d.k.v }}', vars)).toBe('80');
  });

  it('changes nothing else', () => {
    const piece = fc.constantFrom('{{ ', ' }}', '{% ', ' %}', 'x', '.', 'a.b', '"', "'", '{', '}', ' ', '1.5', '(', ')', '\\');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const src = parts.join('');
        const text = jinjaSource(src).text;
        // Only the two rewrites: `.N` → `[N]` and a space between two closing braces.
        expect(text.replace(/\[(\d+)\]/g, '.$1').replace(/ /g, '')).toBe(src.replace(/ /g, ''));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('leaves raw blocks alone', () => {
    expect(renderValue('{% raw %}{{ item.0 }} {{ {"a": {}} }}{% endraw %}', vars)).toBe('{{ item.0 }} {{ {"a": {}} }}');
  });
});

describe('evalCondition', () => {
  it('evaluates bare expressions and booleans', () => {
    expect(evalCondition('port == 80 and enabled', vars)).toBe(true);
    expect(evalCondition('port > 80', vars)).toBe(false);
    expect(evalCondition(true, vars)).toBe(true);
    expect(evalCondition('false', vars)).toBe(false);
    expect(evalCondition('vipp is defined', vars)).toBe(false);
  });

  it('uses Python truthiness (empty list and mapping are false)', () => {
    expect(evalCondition('[]', vars)).toBe(false);
    expect(evalCondition('{}', vars)).toBe(false);
    expect(evalCondition('ports', vars)).toBe(true);
  });

  it('tolerates {{ }} around a condition', () => {
    expect(evalCondition('{{ port == 80 }}', vars)).toBe(true);
    expect(evalCondition('{{ port == 81 }}', vars)).toBe(false);
  });

  it('fails on undefined variables', () => {
    expect(errorOf(() => evalCondition('vipp == 1', vars)).variable).toBe('vipp');
  });
});

describe('renderTemplateText', () => {
  it('renders a whole file', () => {
    expect(renderTemplateText('virtual_server {{ vip }} {{ port }} {\n}\n', vars, 'k.conf.j2')).toBe('virtual_server 198.18.0.100 80 {\n}\n');
  });

  it("ends with the template's trailing newlines and knows ansible_managed, as Ansible's template action (checked with ansible-playbook)", () => {
    const text = '# {{ ansible_managed }}\nbackend\n    {% for h in [1] %}\n    s {{ h }}\n    {% endfor %}\n';
    expect(renderTemplateText(text, vars, 't.j2')).toBe('# Ansible managed\nbackend\n        s 1\n    \n');
    expect(renderTemplateText('a{% if true %}\n{% endif %}\n\n', vars, 't.j2')).toBe('a\n\n');
  });

  it('names the template and the line in errors', () => {
    expect(() => renderTemplateText('a\n{{ oops }}\n', vars, 'keepalived.conf.j2')).toThrow(/^keepalived\.conf\.j2:2: undefined variable 'oops'$/);
    expect(() => renderTemplateText('{{ oops }}', vars, 'k.j2')).toThrow(/^k\.j2:1: /);
    expect(() => renderTemplateText('a\n{% for p in ports %}\n\n{{ p.x }}{% endfor %}', vars, 'k.j2')).toThrow(/^k\.j2:4: undefined variable 'p\.x'/);
    expect(() => renderTemplateText('a\n\n{{ ports | combine({}) }}', vars, 'k.j2')).toThrow(/^k\.j2:3: filter 'combine' expects a mapping/);
  });
});

describe('filters', () => {
  const r = (t: string, v: Record<string, unknown> = vars) => renderValue(t, v);
  it('bool, int, float, string', () => {
    expect(r('{{ "yes" | bool }}')).toBe(true);
    expect(r('{{ "off" | bool }}')).toBe(false);
    expect(r('{{ 1 | bool }}')).toBe(true);
    expect(r('{{ "42" | int + 1 }}')).toBe(43);
    expect(r('{{ "x" | int }}')).toBe(0);
    expect(r('{{ "x" | int(5) }}')).toBe(5);
    expect(r('{{ "ff" | int(base=16) }}')).toBe(255);
    expect(r('{{ 3.9 | int }}')).toBe(3);
    expect(r('{{ "x" | float }}')).toBe(0);
    expect(r('{{ "1.5" | float }}')).toBe(1.5);
    expect(r('{{ port | string }}')).toBe('80');
  });
  it('to_json, to_nice_json, from_json', () => {
    expect(r('{{ {"b": 1, "a": [1, 2]} | to_json }}')).toBe('{"b": 1, "a": [1, 2]}');
    expect(r('{{ {"b": 1, "a": [1]} | to_nice_json(indent=2) }}')).toBe('{\n  "a": [\n    1\n  ],\n  "b": 1\n}');
    expect(r(`{{ '{"a": [1, 2]}' | from_json }}`)).toEqual({ a: [1, 2] });
  });
  it("indent as Jinja2 3's: blank lines stay empty unless blank=true, first, a string width (outputs of Debian's python3-jinja2)", () => {
    expect(r('{{ "a\nb\n\nc\n" | indent(4) }}')).toBe('a\n    b\n\n    c\n');
    expect(r('{{ "a\nb\n" | indent(2, true) }}')).toBe('  a\n  b\n');
    expect(r('{{ "a\n\nb" | indent(width="> ", blank=true) }}')).toBe('a\n> \n> b');
    expect(r('{{ "x" | indent(first=True) }}')).toBe('    x');
  });
  it('regex_replace and regex_search with Python syntax', () => {
    expect(r('{{ "eth0.100" | regex_replace("^(\\\\w+)\\\\.(\\\\d+)$", "\\\\2-\\\\1") }}')).toBe('100-eth0');
    expect(r('{{ "a-b" | regex_replace("(?P<x>a)", "\\\\g<x>\\\\g<x>") }}')).toBe('aa-b');
    expect(r('{{ "ABC" | regex_replace("b", "x", ignorecase=true) }}')).toBe('AxC');
    expect(r('{{ "rs12.lab" | regex_search("\\\\d+") }}')).toBe('12');
    expect(r('{{ "rs12.lab" | regex_search("(\\\\w+?)(\\\\d+)", "\\\\2") }}')).toEqual(['12']);
    expect(r('{{ "abc" | regex_search("z") }}')).toBeNull();
    expect(r('{{ "a1b22" | regex_findall("\\\\d+") }}')).toEqual(['1', '22']);
  });
  it('unique and flatten', () => {
    expect(r('{{ [1, 2, 1, [3], [3]] | unique }}')).toEqual([1, 2, [3]]);
    expect(r('{{ [1, [2, [3, None]]] | flatten }}')).toEqual([1, 2, 3]);
    expect(r('{{ [1, [2, [3]]] | flatten(levels=1) }}')).toEqual([1, 2, [3]]);
  });
  it('ternary and mandatory', () => {
    expect(r('{{ enabled | ternary("on", "off") }}')).toBe('on');
    expect(r('{{ (port > 100) | ternary("big", "small") }}')).toBe('small');
    expect(r('{{ None | ternary(1, 2, 3) }}')).toBe(3);
    expect(r('{{ port | mandatory }}')).toBe(80);
    expect(() => r('{{ missing | mandatory }}')).toThrow(/undefined variable 'missing'/);
  });
  it('dict2items, items2dict, combine', () => {
    expect(r('{{ {"a": 1} | dict2items }}')).toEqual([{ key: 'a', value: 1 }]);
    expect(r('{{ {"a": 1} | dict2items(key_name="k", value_name="v") }}')).toEqual([{ k: 'a', v: 1 }]);
    expect(r('{{ [{"key": "a", "value": 1}] | items2dict }}')).toEqual({ a: 1 });
    expect(r('{{ {"a": {"x": 1}, "b": 1} | combine({"a": {"y": 2}}) }}')).toEqual({ a: { y: 2 }, b: 1 });
    expect(r('{{ {"a": {"x": 1}} | combine({"a": {"y": 2}}, recursive=true) }}')).toEqual({ a: { x: 1, y: 2 } });
    expect(r('{{ {"l": [1]} | combine({"l": [2]}, list_merge="append") }}')).toEqual({ l: [1, 2] });
    expect(() => r('{{ [1] | combine({}) }}')).toThrow(/combine' expects a mapping/);
  });
  it('map, select and reject', () => {
    const hosts = { hosts: [{ name: 'rs1', w: 2 }, { name: 'rs2' }] };
    expect(r('{{ hosts | map(attribute="name") | list }}', hosts)).toEqual(['rs1', 'rs2']);
    expect(r('{{ hosts | map(attribute="w", default=1) | list }}', hosts)).toEqual([2, 1]);
    expect(r('{{ ports | map("string") | list }}')).toEqual(['80', '443']);
    expect(r('{{ [0, 1, 2] | select | list }}')).toEqual([1, 2]);
    expect(r('{{ ["rs1", "lb1"] | select("match", "rs") | list }}')).toEqual(['rs1']);
    expect(r('{{ ["rs1", "lb1"] | reject("search", "b") | list }}')).toEqual(['rs1']);
    expect(r('{{ ports | select("equalto", 80) | list }}')).toEqual([80]);
  });
  it('subelements, zip, product, union, intersect, difference', () => {
    const vips = { vips: [{ vip: 'a', ports: [80, 443] }, { vip: 'b', ports: [] }, { vip: 'c' }] };
    expect(r('{{ vips | subelements("ports", skip_missing=true) | map(attribute="1") | list }}', vips)).toEqual([80, 443]);
    expect(() => r('{{ vips | subelements("ports") }}', vips)).toThrow(/'ports' of .* is not a list/);
    expect(r('{{ [1, 2] | zip(["a", "b", "c"]) }}')).toEqual([[1, 'a'], [2, 'b']]);
    expect(r('{{ [1, 2] | product(["a"]) }}')).toEqual([[1, 'a'], [2, 'a']]);
    expect(r('{{ [1, 2] | union([2, 3]) }}')).toEqual([1, 2, 3]);
    expect(r('{{ [1, 2] | intersect([2, 3]) }}')).toEqual([2]);
    expect(r('{{ [1, 2] | difference([2, 3]) }}')).toEqual([1]);
  });
  it('d, basename, dirname, split', () => {
    expect(r('{{ nothing | d("x") }}')).toBe('x');
    expect(r('{{ "/etc/sysctl.d/90-lvs.conf" | basename }}')).toBe('90-lvs.conf');
    expect(r('{{ "/etc/sysctl.d/90-lvs.conf" | dirname }}')).toBe('/etc/sysctl.d');
    expect(r('{{ "a,b" | split(",") }}')).toEqual(['a', 'b']);
  });
  it('count, min, max, yaml and base64', () => {
    expect(r('{{ ports | count }}')).toBe(2);
    expect(r('{{ ports | min }}-{{ ports | max }}')).toBe('80-443');
    expect(r('{{ {"a": [1]} | to_yaml }}')).toBe('a:\n  - 1\n');
    expect(r('{{ "a: [1]" | from_yaml }}')).toEqual({ a: [1] });
    // yaml.safe_load, as Ansible's filter: YAML 1.1 with PyYAML's types (y stays a string).
    expect(r('{{ "a: y\nb: yes\nc: 0644" | from_yaml }}')).toEqual({ a: 'y', b: true, c: 420 });
    expect(r('{{ "lvs" | b64encode }}')).toBe('bHZz');
    expect(r('{{ "bHZz" | b64decode }}')).toBe('lvs');
  });
  it('Jinja2 type tests', () => {
    expect(r('{{ [None is none, 1 is integer, 1.5 is float, true is boolean, ports is sequence, true is true, 0 is false] }}')).toEqual([true, true, true, true, true, true, false]);
  });
  it('tests on registered results', () => {
    const v = { out: { changed: true, failed: false } };
    expect(evalCondition('out is changed', v)).toBe(true);
    expect(evalCondition('out is succeeded', v)).toBe(true);
    expect(evalCondition('out is failed', v)).toBe(false);
    expect(evalCondition('out is skipped', v)).toBe(false);
  });
});

describe('templateRoots and templateRefs', () => {
  it('finds the root variables a value reads', () => {
    expect(templateRoots({ a: ['{{ lvs.vip }}/{{ port + offset }}', 'plain'], b: '{{ hostvars[host].x }}' })).toEqual(new Set(['lvs', 'port', 'offset', 'hostvars', 'host']));
  });

  it('leaves out names the template binds and globals', () => {
    expect(templateRoots('{% for p in ports %}{{ p }}{{ loop.index }}{% endfor %}{% set n = 1 %}{{ n }}{{ range(2) }}')).toEqual(new Set(['ports']));
  });

  it('leaves out filter and test names and keyword argument names', () => {
    expect(templateRoots('{{ items | map(attribute="name") | select("match", pat) | list }}')).toEqual(new Set(['items', 'pat']));
  });

  it('separates reads guarded by is defined or default', () => {
    const refs = templateRefs('{{ a | default(b) }}{% if c is defined %}{{ c }}{% endif %}{{ d.e is not defined }}');
    expect(refs.required).toEqual(new Set(['b']));
    expect(refs.guarded).toEqual(new Set(['a', 'c', 'd']));
  });

  it('knows which names a condition proves defined', () => {
    const required = (t: string) => [...templateRefs(t).required].sort();
    expect(required('{{ x if x is defined else y }}')).toEqual(['y']);
    expect(required('{{ y if x is not defined else x }}')).toEqual(['y']);
    expect(required('{{ x is defined and x > 1 }}')).toEqual([]);
    expect(required('{{ x is undefined or x > 1 }}')).toEqual([]);
    expect(required('{{ x.a if (x is defined and z is defined) else z }}')).toEqual(['z']);
    expect(required('{{ x if (x is defined or z is defined) else 0 }}')).toEqual(['x']);
    expect(required('{% if x is defined %}{{ x }}{% else %}{{ w }}{% endif %}')).toEqual(['w']);
    expect(required('{% if not x is defined %}{{ w }}{% else %}{{ x }}{% endif %}')).toEqual(['w']);
    expect(required('{{ x > 1 and x is defined }}')).toEqual(['x']);
  });

  it('reads conditions as bare expressions', () => {
    expect(expressionRefs('vip is defined and port > min_port').required).toEqual(new Set(['port', 'min_port']));
    expect(expressionRefs(true).required.size).toBe(0);
  });

  it('throws a TemplateError on a syntax error', () => {
    expect(() => templateRoots('{{ a ')).toThrow(TemplateError);
  });
});

describe('variables that are templates, read under default or is defined', () => {
  it('render like any other read', async () => {
    const { renderValue, evalCondition } = await import('../../src/core/templating.ts');
    const vars = { lab_interface: 'eth0', lvs_interface: '{{ lab_interface }}', chain: "{{ lvs_interface | default('none') }}" };
    expect(renderValue("{{ lvs_interface | default('lo') }}", vars)).toBe('eth0');
    expect(renderValue('{{ chain }}', vars)).toBe('eth0');
    expect(renderValue("{{ missing | default(lvs_interface) }}", vars)).toBe('eth0');
    expect(evalCondition("lvs_interface is defined and lvs_interface == 'eth0'", vars)).toBe(true);
  });
});
