/**
 * The version test and the string filters, against what ansible-playbook 2.14 (Debian's ansible)
 * printed for the same expressions (debug msg, json callback).
 */
import { describe, expect, it } from 'vitest';
import { renderValue } from '../../src/core/templating.ts';

const ANSIBLE_SAYS: [string, unknown][] = [
  ["{{ '1.2.10' is version('1.2.9', '>') }}", true],
  ["{{ '1.2' is version('1.2.0', '==') }}", false],
  ["{{ '2.4.0-rc1' is version('2.4.0', '<') }}", false],
  ["{{ '1.0a1' is version('1.0', '<', strict=true) }}", true],
  ["{{ '3.10' is version('3.9', 'gt', version_type='strict') }}", true],
  ["{{ '7' is version_compare('7.0', 'lt') }}", true],
  ["{{ 'a.b(c)*+?' | regex_escape }}", "a\\.b\\(c\\)\\*\\+\\?"],
  ["{{ 'x y' | hash('md5') }}", "c8d1ae9296335b1cfc3d0d1b47b664a7"],
  ["{{ \"it's\" | quote }}", "'it'\"'\"'s'"],
  ["{{ 'safe-_./@%+=:,' | quote }}", "safe-_./@%+=:,"],
  ["{{ '' | quote }}", "''"],
  ["{{ '%05.1f|%-4s|%x|%+d' | format(3.14159, 'ab', 255, 4) }}", "003.1|ab  |ff|+4"],
  ["{{ [1,2] is subset([1,2,3]) }}", true],
  ["{{ [1,2,3] is superset([3]) }}", true],
];

describe('version tests and string filters, as Ansible renders them', () => {
  it.each(ANSIBLE_SAYS)('%s', (expr, want) => {
    expect(renderValue(expr, {})).toEqual(want);
  });

  it('refuses what Python refuses: comparing a number with a word, an unknown operator, semver', () => {
    expect(() => renderValue("{{ '1.a' is version('1.2', '<') }}", {})).toThrow(/Version comparison failed/);
    expect(() => renderValue("{{ '1.2' is version('1.3', '~') }}", {})).toThrow(/Invalid operator type/);
    expect(() => renderValue("{{ '1.2.3' is version('1.3.0', '<', version_type='semver') }}", {})).toThrow(/semver' is not supported/);
    expect(() => renderValue("{{ '1.2.3.4' is version('1.3', '<', strict=true) }}", {})).toThrow(/invalid version number/);
  });
});
