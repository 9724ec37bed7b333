import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeIptablesArgs, parseIptablesSave, sameIptablesRuleSet } from '../../src/facts/parsers/iptables-save.ts';
import { splitRuleWords } from '../../src/facts/parsers/rule-words.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const keyOf = (text: string) => normalizeIptablesArgs(splitRuleWords(text)).key;

describe('parseIptablesSave', () => {
  it('reads tables, policies and rules of iptables-nft output', () => {
    const set = parseIptablesSave(fixture('iptables-save-nft.txt'));
    expect(Object.keys(set)).toEqual(['filter', 'nat']);
    expect(set.nat.chains).toEqual({ PREROUTING: 'ACCEPT', INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', POSTROUTING: 'ACCEPT' });
    expect(set.nat.rules.map((r) => r.text)).toEqual([
      '-d 198.18.0.100/32 -p tcp -m tcp --dport 80 -j REDIRECT',
      '-d 198.18.0.100/32 -p udp -m udp --dport 53 -j REDIRECT --to-ports 5353',
      '-d 198.18.0.101/32 -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 8443',
    ]);
    expect(set.filter.rules.map((r) => r.chain)).toEqual(['INPUT', 'INPUT']);
  });

  it('matches rules semantically: /32, implied -m tcp, long option names, option order', () => {
    const saved = parseIptablesSave(fixture('iptables-save-legacy.txt')).nat.rules.map((r) => r.key);
    expect(saved).toContain(keyOf('-p tcp -d 198.18.0.100 --dport 80 -j REDIRECT'));
    expect(saved).toContain(keyOf('--destination 198.18.0.100/32 --protocol udp --destination-port 53 --jump REDIRECT --to-port 5353'));
    expect(saved).not.toContain(keyOf('-d 198.18.0.100 -p tcp --dport 81 -j REDIRECT'));
    expect(keyOf('-p tcp --dport 80 -j ACCEPT')).not.toBe(keyOf('-p udp --dport 80 -j ACCEPT'));
    expect(keyOf('! -d 1.2.3.4 -j DROP')).toBe(keyOf('-d ! 1.2.3.4/32 -j DROP'));
    expect(keyOf('! -d 1.2.3.4 -j DROP')).not.toBe(keyOf('-d 1.2.3.4 -j DROP'));
  });

  it('keeps quoted words (comments) whole', () => {
    const set = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "lvs vip" -j ACCEPT\nCOMMIT\n');
    expect(set.filter.rules[0].groups).toContainEqual({ option: '--comment', negated: false, values: ['lvs vip'] });
  });

  it('treats a table of empty ACCEPT chains as no table, and ignores counters', () => {
    const nat = parseIptablesSave(fixture('iptables-save-legacy.txt'));
    const withEmptyFilter = parseIptablesSave(`*filter\n:INPUT ACCEPT [5:300]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n${fixture('iptables-save-legacy.txt')}`);
    expect(sameIptablesRuleSet(nat, withEmptyFilter)).toBe(true);
    expect(sameIptablesRuleSet(nat, parseIptablesSave(fixture('iptables-save-nft.txt')))).toBe(false);
    expect(sameIptablesRuleSet(parseIptablesSave('*filter\n:INPUT DROP [0:0]\nCOMMIT\n'), {})).toBe(false);
  });
});
