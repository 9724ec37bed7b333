import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const DIR = 'test/fixtures/playbooks/valid';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('lvsdr validate', () => {
  it('prints a one-line OK summary and exits 0 for a valid playbook', async () => {
    const r = await cli(['validate', `${DIR}/site.yml`, '-i', `${DIR}/inventory.yml`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${DIR}/site.yml: OK (2 plays, 4 tasks, 3 hosts)\n`);
  });

  it('uses extra vars, in paths too', async () => {
    const r = await cli(['validate', `${DIR}/site.yml`, '-i', `${DIR}/inventory.yml`, '-e', 'env=prod']);
    expect(r.code).toBe(0);
    const missing = await cli(['validate', `${DIR}/site.yml`, '-i', `${DIR}/inventory.yml`, '-e', 'env=staging']);
    expect(missing.code).toBe(4);
    expect(missing.err).toMatch(new RegExp(`^${DIR}/site.yml:4:7: file not found: ${DIR}/vars/staging.yml`));
  });

  it('checks values from -e against the module schemas', async () => {
    const r = await cli(['validate', `${DIR}/site.yml`, '-i', `${DIR}/inventory.yml`, '-e', '{"vip": "198.18.0.100; reboot"}']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/site\.yml:29:15: argument 'host' must be one of: format ipv4; .* on lb1 \(after templating\)/);
  });

  it('reports problems of the inventory, the extra vars and the playbook together', async () => {
    const r = await cli(['validate', 'test/fixtures/bad/several-problems/site.yml', '-i', 'test/fixtures/bad/inventory-bad-yaml/inventory.yml', '-e', 'novalue']);
    expect(r.code).toBe(4);
    const heads = r.err.split('\n').filter((l) => l && !l.startsWith('  '));
    expect(heads).toEqual([
      '-e #1:1:1: expected key=value, got "novalue"',
      "test/fixtures/bad/inventory-bad-yaml/inventory.yml:3:9: YAML syntax error: All mapping items must start at the same column",
      "test/fixtures/bad/several-problems/site.yml:4:7: unknown module 'cpy'",
    ]);
  });

  it('needs an inventory', async () => {
    const r = await cli(['validate', `${DIR}/site.yml`]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/inventory/);
  });
});
