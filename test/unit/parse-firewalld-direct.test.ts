import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firewalldDirectKey, parseFirewalldDirectRules } from '../../src/facts/parsers/firewalld-direct.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');

describe('parseFirewalldDirectRules', () => {
  it('reads the runtime rules with their stored argument text', () => {
    const rules = parseFirewalldDirectRules(fixture('firewall-cmd-direct-runtime.txt'));
    expect(rules.map((r) => [r.ipv, r.table, r.chain, r.priority, r.args.join(' ')])).toEqual([
      ['ipv4', 'nat', 'PREROUTING', 0, '-d 198.18.0.100 -p tcp -m tcp --dport 80 -j REDIRECT'],
      ['ipv4', 'nat', 'PREROUTING', 0, '-d 198.18.0.100 -p udp -m udp --dport 53 -j REDIRECT'],
      ['ipv4', 'nat', 'PREROUTING', 1, '-d 198.18.0.101/32 -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 8443'],
    ]);
  });

  it('reads the permanent rules and the empty output', () => {
    expect(parseFirewalldDirectRules(fixture('firewall-cmd-direct-permanent.txt'))).toHaveLength(1);
    expect(parseFirewalldDirectRules(fixture('firewall-cmd-direct-empty.txt'))).toEqual([]);
  });

  it('keys rules by meaning, priority included (firewalld itself compares the text)', () => {
    const [first, , third] = parseFirewalldDirectRules(fixture('firewall-cmd-direct-runtime.txt'));
    expect(first.key).toBe(firewalldDirectKey('ipv4', 'nat', 'PREROUTING', 0, ['-p', 'tcp', '--dport', '80', '-d', '198.18.0.100/32', '-j', 'REDIRECT']));
    expect(third.key).not.toBe(firewalldDirectKey('ipv4', 'nat', 'PREROUTING', 0, third.args));
  });

  it('refuses a line without a numeric priority', () => {
    expect(() => parseFirewalldDirectRules('ipv4 nat PREROUTING x -j ACCEPT\n')).toThrow(/unexpected line/);
  });
});
