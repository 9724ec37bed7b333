/**
 * On real lab hosts: a hostile variable (shell text where an address or a name belongs) is refused
 * at validation, exit 4, before any host is touched; and secrets (the become password, values
 * used by no_log tasks) never appear in any output — plain, -vvv, --json, --diff, check mode, or a
 * failing run — of `bin/lvsdr` run as a real process, nor in the record each run leaves, nor in the
 * report made from it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailable, startLab, type Lab } from '../support/lab.ts';
import { lvsdr } from './run-helpers.ts';

const BIN = path.resolve('bin/lvsdr');
const fixture = (name: string) => path.resolve('test/fixtures/reliability', name);
const HOSTS = ['rs1', 'rs2'];
const PWNED = '/tmp/lvsdr-rel-pwned';
const TOKEN = 'S3cr3t-token-7f2a9';
const BECOME_PASSWORD = 'B3come-pw-41c8e';
const skip = labUnavailable();

function runBin(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(skip)('hostile values and secrets on lab hosts', () => {
  let lab: Lab;
  let inventory: string;
  beforeAll(async () => {
    lab = await startLab({ name: 'rel-secrets', realservers: 2, kind: 'light' });
    // Plain values for everyone in the inventory; the hostile ones come per case.
    const doc = parse(readFileSync(lab.inventoryPath, 'utf8'));
    Object.assign(doc.all.vars, { vip: lab.vip, arp_interface: 'eth0', arp_value: 1 });
    inventory = path.join(lab.info.stateDir, 'inventory-plain.yml');
    writeFileSync(inventory, stringify(doc));
  });
  afterAll(async () => {
    await lab?.down();
  });

  const untouched = async () => {
    expect(existsSync(PWNED)).toBe(false);
    for (const h of HOSTS) {
      const r = await lab.exec(h, `ls ${PWNED} /etc/lvsdr-rel-touched 2>&1; true`);
      expect(r.stdout).toMatch(new RegExp(`${PWNED}.*No such file[\\s\\S]*lvsdr-rel-touched.*No such file`));
    }
  };

  /** An inventory whose rs2 holds `vars` of its own. */
  function inventoryWithRs2(vars: Record<string, unknown>): string {
    const doc = parse(readFileSync(inventory, 'utf8'));
    Object.assign(doc.all.children.realservers.hosts.rs2, vars);
    const file = path.join(lab.info.stateDir, 'inventory-hostile.yml');
    writeFileSync(file, stringify(doc));
    return file;
  }

  const hostile: { name: string; args: () => string[]; refused: RegExp }[] = [
    { name: 'an extra var', args: () => ['-e', `vip='1.2.3.4; touch ${PWNED}'`], refused: /argument 'address' must be one of: format ipv4; format ipv6/ },
    { name: 'a host var', args: () => ['-i', inventoryWithRs2({ vip: `1.2.3.4$(touch ${PWNED})` })], refused: /argument 'address' must be one of: format ipv4; format ipv6.* on rs2/ },
    { name: 'an interface name', args: () => ['-e', `arp_interface='eth0;touch ${PWNED}'`], refused: /argument 'name' must match pattern/ },
    { name: 'a sysctl value', args: () => ['-e', `{"arp_value": "1\`touch ${PWNED}\`"}`], refused: /argument 'value'/ },
    { name: 'a newline in an address', args: () => ['-e', `{"vip": "1.2.3.4\\ntouch ${PWNED}"}`], refused: /argument 'address' must be one of: format ipv4; format ipv6/ },
  ];

  for (const c of hostile) {
    it(`a hostile value in ${c.name} is refused at validation (exit 4), no host touched`, { timeout: 90_000 }, async () => {
      rmSync(PWNED, { force: true });
      const args = c.args();
      const inv = args[0] === '-i' ? [] : ['-i', inventory];
      const r = await lvsdr('run', fixture('hostile.yml'), ...inv, ...args, '--json');
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/hostile\.yml:\d+:\d+/);
      expect(r.stderr).toMatch(c.refused);
      await untouched();
    });
  }

  it('with plain values the same playbook runs (the refusals above are the values, not the playbook)', { timeout: 90_000 }, async () => {
    const r = await lvsdr('run', fixture('hostile.yml'), '-i', inventory, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(PWNED)).toBe(false);
    await Promise.all(HOSTS.map((h) => lab.exec(h, `rm -f /etc/lvsdr-rel-touched /etc/sysctl.d/90-lvsdr-rel.conf; ip addr del ${lab.vip}/32 dev lo`)));
  });

  const variants: { name: string; args: string[]; code: number }[] = [
    { name: 'plain -vvv --diff', args: ['-vvv', '--diff'], code: 0 },
    { name: '--json -vvv --diff', args: ['--json', '-vvv', '--diff'], code: 0 },
    { name: '--check --diff -vvv', args: ['--check', '--diff', '-vvv'], code: 0 },
    { name: 'failing, -vvv --diff', args: ['-vvv', '--diff', '-e', 'secret_rc=3'], code: 2 },
    { name: 'failing, --json -vvv', args: ['--json', '-vvv', '-e', 'secret_rc=3'], code: 2 },
  ];

  it('secrets never reach stdout, stderr, the run record or its report, whatever the output mode, and the work is done', { timeout: 240_000 }, async () => {
    await Promise.all(HOSTS.map((h) => lab.exec(h, 'rm -rf /etc/lvsdr-rel')));
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-rel-records-'));
    for (const v of variants) {
      // The token also comes as an extra var, which the record's command line must hide.
      const args = ['run', fixture('secrets.yml'), '-i', inventory, '--become', '-e', `api_token=${TOKEN}`, '--record-dir', records, ...v.args];
      const r = await runBin(args, { LVSDR_BECOME_PASSWORD: BECOME_PASSWORD });
      expect({ variant: v.name, code: r.code }).toEqual({ variant: v.name, code: v.code });
      const all = r.stdout + r.stderr;
      // The output is really there (so an empty output cannot pass), and the tasks ran.
      expect(all).toMatch(/Secret command/);
      expect({ variant: v.name, token: all.includes(TOKEN), password: all.includes(BECOME_PASSWORD) }).toEqual({ variant: v.name, token: false, password: false });
      expect(all).toContain('no_log');
    }
    const recorded = readdirSync(records).filter((f) => f.endsWith('.jsonl'));
    expect(recorded).toHaveLength(variants.length);
    for (const f of recorded) {
      const report = await runBin(['report', path.join(records, f), '-o', path.join(records, `${f}.html`)], {});
      expect(report.code).toBe(0);
      for (const file of [f, `${f}.html`]) {
        const text = readFileSync(path.join(records, file), 'utf8');
        expect(text).toMatch(/Secret command/);
        expect({ file, token: text.includes(TOKEN), password: text.includes(BECOME_PASSWORD) }).toEqual({ file, token: false, password: false });
      }
    }
    rmSync(records, { recursive: true, force: true });
    for (const h of HOSTS) {
      const r = await lab.exec(h, 'cat /etc/lvsdr-rel/secret.conf /etc/lvsdr-rel/item.conf');
      expect(r.stdout).toBe(`token=${TOKEN}\n${TOKEN}\n`);
    }
  });
});
