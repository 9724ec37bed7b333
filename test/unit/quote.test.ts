import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quote, sh, ShellText } from '../../src/shell/quote.ts';

/** Runs `printf %s <quoted>` in a real POSIX shell and returns what the shell saw. */
function roundTrip(value: string): string {
  return execFileSync('/bin/sh', ['-c', `printf %s ${quote(value)}`], { encoding: 'utf8' });
}

describe('quote', () => {
  it('leaves plain words readable', () => {
    expect(quote('eth0')).toBe('eth0');
    expect(quote('/etc/sysctl.d/90-lvs.conf')).toBe('/etc/sysctl.d/90-lvs.conf');
    expect(quote('net.ipv4.conf.all.arp_ignore=1')).toBe('net.ipv4.conf.all.arp_ignore=1');
  });

  it('quotes the empty string and shell syntax', () => {
    expect(quote('')).toBe("''");
    expect(quote('1.2.3.4; touch /tmp/pwned')).toBe("'1.2.3.4; touch /tmp/pwned'");
    expect(quote("it's")).toBe(`'it'"'"'s'`);
  });

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/);
  });

  it('round-trips arbitrary strings through a real shell', () => {
    const noNul = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(noNul, (s) => {
        expect(roundTrip(s)).toBe(s);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips the classic injection attempts', () => {
    for (const s of ['$(id)', '`id`', '"; rm -rf /; "', "'", '\n', 'a\nb', '$HOME', '*', '-n', '\\']) {
      expect(roundTrip(s)).toBe(s);
    }
  });
});

describe('sh template', () => {
  it('quotes values and keeps literal parts', () => {
    const key = 'net.ipv4.conf.all.arp_ignore';
    expect(sh`sysctl -w ${key}=${1}`.text).toBe('sysctl -w net.ipv4.conf.all.arp_ignore=1');
    expect(sh`echo ${'a b'}`.text).toBe("echo 'a b'");
  });

  it('splices arrays as words and nested sh text verbatim', () => {
    const inner = sh`ip addr show dev ${'lo'}`;
    expect(sh`${inner} && echo ${['x y', 'z']}`.text).toBe("ip addr show dev lo && echo 'x y' z");
    expect(inner).toBeInstanceOf(ShellText);
  });
});
