/**
 * The real keepalived (a local process, no network) judges what lvsdr renders, and the module's
 * install commands run under /bin/sh against a temporary directory: a broken configuration must
 * leave the live file as it was and fail with keepalived's own words.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installConfigCommands, keepalivedDaemonProbe } from '../../src/modules/keepalived-commands.ts';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import type { KeepalivedArgs } from '../../src/modules/keepalived-schema.ts';
import { planKeepalived } from '../../src/modules/keepalived.ts';
import { fileProbe } from '../../src/modules/remote-file.ts';
import type { Plan, RemoteCommand } from '../../src/modules/types.ts';
import { fullArgs, minimalArgs } from './keepalived-args.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/keepalived/${name}`, import.meta.url), 'utf8');

function run(command: string, stdin?: string) {
  const r = spawnSync('/bin/sh', ['-c', command], { input: stdin ?? '', encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A file's state, read by the probe's own command and its parser. */
function probeFile(p: string) {
  return fileProbe(p).parse(run(fileProbe(p).command.text));
}

/** Runs commands in order and stops at the first failure, as the executor does. */
function runAll(commands: RemoteCommand[]) {
  let last = { code: 0 as number | null, stdout: '', stderr: '' };
  for (const c of commands) {
    last = run(c.command.text, c.stdin);
    if (last.code !== 0) break;
  }
  return last;
}

/** keepalived checks that a VRRP interface exists: use one this machine has. */
function upInterface(): string {
  const name = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up');
  if (!name) throw new Error('no interface is up on this machine; keepalived --config-test needs one for the VRRP instance');
  return name;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-keepalived-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keepalived --config-test on rendered configurations', () => {
  it.each<[string, () => KeepalivedArgs]>([
    ['full (VRRP, HTTP_GET, persistence, weight 0)', () => fullArgs(upInterface())],
    ['minimal', minimalArgs],
  ])('accepts the %s configuration', (_name, args) => {
    const file = path.join(dir, 'keepalived.conf');
    writeFileSync(file, renderKeepalivedConfig(args()));
    const r = run(`keepalived --config-test -f ${file}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects an unknown keyword, naming it', () => {
    const file = path.join(dir, 'keepalived.conf');
    writeFileSync(file, fixture('invalid-keyword.conf'));
    const r = run(`keepalived --config-test -f ${file}`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Unknown keyword 'persistance_timeout'");
  });
});

describe('the install commands under /bin/sh', () => {
  it('leave the live file untouched and fail with keepalived\'s message when the configuration is broken', () => {
    const live = path.join(dir, 'keepalived.conf');
    const previous = fixture('minimal.conf');
    writeFileSync(live, previous);
    const r = runAll(installConfigCommands(live, fixture('invalid-keyword.conf'), '0640'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`(${live}.lvsdr-new: Line 8) Unknown keyword 'persistance_timeout'`);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`keepalived --config-test rejected the new configuration (exit ${r.code}); ${live} was not changed`);
    expect(readFileSync(live, 'utf8')).toBe(previous);
    expect(readdirSync(dir)).toEqual(['keepalived.conf']);
  });

  it('probe, plan and apply a good configuration with no keepalived running, then plan nothing', () => {
    const live = path.join(dir, 'keepalived.conf');
    writeFileSync(live, fixture('minimal.conf'));
    const args: KeepalivedArgs = { ...fullArgs(upInterface()), path: live };
    const probe = keepalivedDaemonProbe();
    // The reload step must be exercised against a keepalived that is not running, never a real one.
    const running = probe.parse(run(probe.command.text));
    expect(running).toBe('none');
    const planOnHost = (): Plan => planKeepalived(args, probeFile(live), running, false);

    const plan = planOnHost();
    expect(plan.kind).toBe('change');
    const r = runAll(plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands) : []);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(live, 'utf8')).toBe(renderKeepalivedConfig(args));
    expect(existsSync(`${live}.lvsdr-new`)).toBe(false);
    expect(readdirSync(dir)).toEqual(['keepalived.conf']);
    expect(planOnHost()).toMatchObject({ kind: 'noop' });
  });

  it('create the directory of a first configuration', () => {
    const live = path.join(dir, 'etc', 'keepalived.conf');
    const plan = planKeepalived({ ...minimalArgs(), path: live }, probeFile(live), 'none', false);
    const r = runAll(plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands) : []);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(live, 'utf8')).toBe(renderKeepalivedConfig(minimalArgs()));
  });
});
