/**
 * Adopting an operator's keepalived.conf: fixtures written for lvsdr in the shapes of public
 * configurations (each names its model) are read into the module's arguments, rendered back, and
 * compared twice — statement by statement, and by what the real keepalived --config-test says of
 * both files. What lvsdr cannot write back is refused at the conf's line:col, never dropped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { adoptKeepalivedConfig } from '../../src/core/adopt/keepalived-conf.ts';
import { formatProblem, UserError } from '../../src/core/errors.ts';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import { keepalivedStatements } from '../support/keepalived-statements.ts';

const DIR = 'test/fixtures/keepalived/adopt';
/** The fixtures name eth0 for VRRP; keepalived --config-test wants an interface this machine has. */
const iface = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up') ?? 'lo';

/** keepalived --config-test's messages without file names and line numbers, which differ between the two files. */
function configTest(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-adopt-'));
  try {
    const file = path.join(dir, 'keepalived.conf');
    writeFileSync(file, text.replace(/\beth0\b/g, iface));
    const r = spawnSync('keepalived', ['--config-test', '-f', file], { encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, messages: r.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^\((?:[^:)]*: )?Line \d+\) /, '')).sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const adoptable = ['quorum-nat.conf', 'vsg-mixed.conf', 'mixing-vrrp-lvs.conf', 'udp-nat-dev.conf'];

describe('adopting a keepalived.conf', () => {
  it.each(adoptable)('%s renders back to the same statements, and keepalived says the same of both', (name) => {
    const original = readFileSync(`${DIR}/${name}`, 'utf8');
    const config = adoptKeepalivedConfig(original, name);
    const rendered = renderKeepalivedConfig(config);
    expect(keepalivedStatements(rendered)).toEqual(keepalivedStatements(original));
    const [before, after] = [configTest(original), configTest(rendered)];
    // The one message that may go: the deprecation of a name lvsdr writes in its current form.
    expect(after.messages).toEqual(before.messages.filter((m) => !/is deprecated - please use/.test(m)));
    expect(after.code).toBe(after.messages.length === 0 ? 0 : before.code);
    // and the rendering adopts to the same arguments again
    expect(adoptKeepalivedConfig(rendered, 'rendered')).toEqual(config);
  });

  it("writes keepalived's defaults out where lvsdr's would differ, and reads a `!` in a value as keepalived does", () => {
    const config = adoptKeepalivedConfig(readFileSync(`${DIR}/mixing-vrrp-lvs.conf`, 'utf8'), 'x');
    expect(config.vrrp_instances?.[0].auth_pass).toBe('lab');
    const vsg = adoptKeepalivedConfig(readFileSync(`${DIR}/vsg-mixed.conf`, 'utf8'), 'x');
    expect(vsg.virtual_servers[0]).toMatchObject({ group: 'VSG_LAB', lvs_sched: 'rr', lvs_method: 'NAT', protocol: 'TCP' });
    expect(vsg.virtual_servers[0].real_servers[0].health_checks).toEqual([{ HTTP_GET: { url: [{ path: '/testurl/test.jsp', digest: '640205b7b0fc66c1ea91c463fac6334d' }], connect_timeout: 3, retry: 3, delay_before_retry: 3 } }]);
    const bare = adoptKeepalivedConfig('virtual_server 198.18.0.1 80 {\n  persistence_timeout\n  ops\n  real_server 198.18.0.11 80 {\n  }\n}\n', 'x');
    expect(bare.virtual_servers[0]).toMatchObject({ lvs_method: 'NAT', lvs_sched: 'wlc', protocol: 'UDP', persistence_timeout: 360 });
  });

  it('refuses what it cannot write back, every problem at its line:col', () => {
    let problems: string[] = [];
    try {
      adoptKeepalivedConfig(readFileSync(`${DIR}/refused.conf`, 'utf8'), 'refused.conf');
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems = err.problems.map(formatProblem).map((p) => p.split('\n')[0]);
    }
    expect(problems).toEqual([
      "refused.conf:4:1: keepalived's include is not adopted",
      "refused.conf:5:1: keepalived's conditional line @lab (for one config id) is not adopted",
      "refused.conf:10:5: vrrp_instance VI_1: 'debug' is not a keyword lvsdr adopts",
      'refused.conf:19:3: virtual_server 198.18.8.1 9999: lb_algo is given twice (keepalived keeps one of them)',
      "refused.conf:24:5: real_server 198.18.8.11: 'SMTP_CHECK' is not a keyword lvsdr adopts",
    ]);
  });

  it('names a $definition used as a value once, not also as a missing value', () => {
    expect(() => adoptKeepalivedConfig('vrrp_instance VI_1 {\n  interface $IF\n  virtual_router_id 5\n}\nvirtual_server 198.18.0.1 80 {\n  lvs_sched rr\n  real_server 198.18.0.11 80 {\n  }\n}\n', 'k.conf')).toThrow(
      /^k\.conf:2:13: keepalived's definition \$IF is not adopted\n {2}fix: [^\n]*$/,
    );
  });

  it('refuses, at the value, what the module refuses: a real server port that DR would reset', () => {
    const conf = 'virtual_server 198.18.0.1 443 {\n  lvs_sched rr\n  lvs_method DR\n  real_server 198.18.0.11 80 {\n  }\n}\n';
    expect(() => adoptKeepalivedConfig(conf, 'k.conf')).toThrow(/^k\.conf:4:27: argument 'virtual_servers\.0\.real_servers\.0\.port': .*lvs_method DR keeps the destination port/);
    expect(() => adoptKeepalivedConfig('virtual_server 198.18.0.1 80 {\n  lvs_sched fastest\n}\n', 'k.conf')).toThrow(/^k\.conf:2:13: argument 'virtual_servers\.0\.lvs_sched' must be one of/);
  });

  it('adopts a fwmark service, and the vars document says which mark rules the director playbook will ask for', async () => {
    const conf = 'virtual_server fwmark 7 {\n  lvs_sched wlc\n  lvs_method DR\n  real_server 198.18.0.11 {\n  }\n}\n';
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-adopt-'));
    try {
      writeFileSync(path.join(dir, 'k.conf'), conf);
      let out = '';
      expect(await runCli(['adopt-keepalived', path.join(dir, 'k.conf')], { stdout: (t) => (out += t), stderr: () => {} })).toBe(0);
      expect(out).toContain('# Add lvs_keepalived.fwmark_rules, the director\'s rules that mark fwmark 7 (keepalived.conf does not hold them):');
      expect(parse(out).lvs_keepalived.virtual_servers[0].fwmark).toBe(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`lvsdr adopt-keepalived` prints the vars document, which reads back to the same configuration', async () => {
    let out = '';
    const code = await runCli(['adopt-keepalived', `${DIR}/quorum-nat.conf`], { stdout: (t) => (out += t), stderr: () => {} });
    expect(code).toBe(0);
    expect(out.startsWith(`# ${DIR}/quorum-nat.conf adopted by lvsdr`)).toBe(true);
    const config = adoptKeepalivedConfig(readFileSync(`${DIR}/quorum-nat.conf`, 'utf8'), 'x');
    expect(parse(out)).toEqual({ lvs_keepalived: config });
    let err = '';
    expect(await runCli(['adopt-keepalived', `${DIR}/refused.conf`], { stdout: () => {}, stderr: (t) => (err += t) })).toBe(4);
    expect(err).toContain(`${DIR}/refused.conf:4:1: keepalived's include is not adopted`);
  });
});
