import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arptablesChain, normalizeArptablesArgs, parseArptablesSave, sameArptablesRuleSet } from '../../src/facts/parsers/arptables-save.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captured/${name}`, import.meta.url), 'utf8');
const keyOf = (text: string) => normalizeArptablesArgs(text.split(' ')).key;

describe('parseArptablesSave', () => {
  it('reads arptables-nft-save output, skipping its date comments', () => {
    const set = parseArptablesSave(fixture('arptables-save-nft.txt'));
    expect(set.policies).toEqual({ INPUT: 'ACCEPT', OUTPUT: 'ACCEPT' });
    expect(set.rules.map((r) => [r.chain, r.text])).toEqual([
      ['INPUT', '-j DROP -d 198.18.0.100'],
      ['INPUT', '-j DROP -d 198.18.0.101'],
      ['OUTPUT', '-j mangle -s 198.18.0.100 --mangle-ip-s 198.18.0.10'],
    ]);
  });

  it('reads legacy arptables-save output the same way', () => {
    const nft = parseArptablesSave(fixture('arptables-save-nft.txt'));
    const legacy = parseArptablesSave(fixture('arptables-save-legacy.txt'));
    expect(sameArptablesRuleSet(nft, legacy)).toBe(true);
    expect(sameArptablesRuleSet(parseArptablesSave(fixture('arptables-save-nft-varied.txt')), parseArptablesSave(fixture('arptables-save-legacy-varied.txt')))).toBe(true);
  });

  it('reads legacy output after arptables-restore: a FORWARD chain and trailing spaces', () => {
    const restored = parseArptablesSave(fixture('arptables-save-legacy-restored.txt'));
    expect(restored.policies).toEqual({ INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', FORWARD: 'ACCEPT' });
    expect(restored.rules.map((r) => r.text)).toEqual(['-j DROP -d 198.18.6.240', '-j mangle -s 198.18.6.240 --mangle-ip-s 198.18.6.11']);
    const asAdded = parseArptablesSave('-A INPUT -d 198.18.6.240 -j DROP\n-A OUTPUT -s 198.18.6.240 -j mangle --mangle-ip-s 198.18.6.11\n');
    expect(sameArptablesRuleSet(restored, asAdded)).toBe(true);
  });

  it('reads the empty outputs: nft prints nothing before the table exists, legacy prints its chains', () => {
    expect(parseArptablesSave(fixture('arptables-save-nft-empty.txt'))).toEqual({ policies: {}, rules: [] });
    const legacy = parseArptablesSave(fixture('arptables-save-legacy-empty.txt'));
    expect(legacy.rules).toEqual([]);
    expect(sameArptablesRuleSet(legacy, { policies: {}, rules: [] })).toBe(true);
  });

  it('matches the guide-order rule with the tool-order saved one, /32 or not', () => {
    const saved = parseArptablesSave(fixture('arptables-save-nft-varied.txt'));
    const keys = saved.rules.map((r) => r.key);
    expect(keys).toContain(keyOf('-d 198.18.0.100/32 -j DROP'));
    expect(keys).toContain(keyOf('-s 198.18.0.100 -j mangle --mangle-ip-s 198.18.0.10'));
    expect(keys).toContain(keyOf('--destination-ip 198.18.0.105 --in-interface lo --jump DROP'));
    // --opcode Reply was saved as --opcode 2
    expect(keys).toContain(keyOf('-o lo -s 198.18.0.106 --opcode Reply -j mangle --mangle-ip-s 198.18.0.10'));
    expect(keys).not.toContain(keyOf('-d 198.18.0.102 -j DROP'));
    expect(keyOf('-d 198.18.0.100 -j DROP')).not.toBe(keyOf('-s 198.18.0.100 -j DROP'));
  });

  it("maps the guide's IN/OUT chains to INPUT/OUTPUT", () => {
    expect(arptablesChain('IN')).toBe('INPUT');
    expect(arptablesChain('OUT')).toBe('OUTPUT');
    expect(arptablesChain('INPUT')).toBe('INPUT');
  });

  it('compares order within a chain and policies, not line order across chains', () => {
    const a = parseArptablesSave('*filter\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n-A INPUT -j DROP -d 1.1.1.1\n-A OUTPUT -j DROP -s 1.1.1.1\n');
    const b = parseArptablesSave('-A OUTPUT -s 1.1.1.1 -j DROP\n-A INPUT -d 1.1.1.1/32 -j DROP\n');
    expect(sameArptablesRuleSet(a, b)).toBe(true);
    const swapped = parseArptablesSave('-A INPUT -j DROP -d 1.1.1.2\n-A INPUT -j DROP -d 1.1.1.1\n');
    expect(sameArptablesRuleSet(parseArptablesSave('-A INPUT -j DROP -d 1.1.1.1\n-A INPUT -j DROP -d 1.1.1.2\n'), swapped)).toBe(false);
    expect(sameArptablesRuleSet(parseArptablesSave(':INPUT DROP\n'), parseArptablesSave(':INPUT ACCEPT\n'))).toBe(false);
  });

  it('refuses lines it does not understand', () => {
    expect(() => parseArptablesSave('-I INPUT -j DROP\n')).toThrow(/unexpected line/);
  });
});
