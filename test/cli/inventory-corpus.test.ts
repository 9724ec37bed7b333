/**
 * The corpus of malformed inventories: every .yml or .ini file in test/fixtures/inventory/malformed/
 * must make `lvsdr inventory --list` exit 4 and print exactly the problems its `# expect: LINE:COL: message`
 * header lines name, each with a fix. To add a case, add a file: write the inventory, then one
 * `# expect:` line per problem at the top (the header lines count in LINE).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const DIR = 'test/fixtures/inventory/malformed';
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml') || f.endsWith('.ini'))
  .sort()
  .map((f) => {
    const file = join(DIR, f);
    const expected = [...readFileSync(file, 'utf8').matchAll(/^# expect: (.+)$/gm)].map((m) => `${file}:${m[1]}`);
    return { name: f, file, expected };
  });

describe('malformed inventory corpus', () => {
  it('holds at least 20 cases, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const c of cases) expect(c.expected, c.name).not.toEqual([]);
  });

  it.each(cases)('$name: exit 4 with file:line:col and a fix', async ({ file, expected }) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['inventory', '-i', file, '--list'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(code).toBe(4);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('  fix: '))).toEqual(expected);
    expect(lines.filter((l) => l.startsWith('  fix: '))).toHaveLength(expected.length);
  });
});
