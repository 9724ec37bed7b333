import { probesRead } from '../support/fact-state.ts';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.ts';
import { runProbes } from '../../src/core/executor/probe-batch.ts';
import { sysctlProbe } from '../support/fact-keys.ts';
import { fileProbe, parseFileProbe } from '../../src/modules/remote-file.ts';
import { serviceModule } from '../../src/modules/service.ts';
import { MAX_INLINE_BYTES } from '../../src/facts/file.ts';
import { parseRead } from '../../src/facts/fact.ts';
import { unitStateProbe } from '../../src/facts/unit.ts';
import type { ModuleContext, Probe } from '../../src/modules/types.ts';
import { sh } from '../../src/shell/quote.ts';

const conn = new LocalConnection();
/** A probe run by its own command and read by its own parser: the same value as in a batch. */
const alone = async (p: Probe) => p.parse(await conn.exec(p.command.text));
const filesRead = fileProbe('x').shared!.batch;
const unitsRead = unitStateProbe('x').shared!.batch;

describe('shared sysctl reads', () => {
  const names = ['net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.nosuchif0.arp_ignore', 'net.ipv4.ip_local_port_range', 'kernel/ostype'];
  it('answer every key from one sysctl exactly as each key alone', async () => {
    const probes = [...names, names[0]].map(sysctlProbe);
    const together = (await runProbes(conn, [...probes, { key: 'plain', command: sh`echo plain`, parse: (r) => r.stdout }])).map((r, i) =>
      i < probes.length ? parseRead(probes[i], r) : r.stdout,
    );
    const each = await Promise.all(probes.map(alone));
    expect(together).toEqual([...each, 'plain\n']);
    expect(together[0]).toBe(spawnSync('sysctl', ['-n', names[0]], { encoding: 'utf8' }).stdout.trim());
    expect(together[1]).toBeNull();
    expect(together[2]).toMatch(/^\d+ \d+$/);
    expect(together[3]).toBe('Linux');
  });
});

describe('shared unit reads', () => {
  const split = (stdout: string, names: string[]) => unitsRead.split({ code: 0, stdout, stderr: '' }, names).map((r) => r.stdout);
  it('reads list-unit-files by name, and is-active line by line', () => {
    const out = 'b.service enabled enabled\na.service disabled enabled\nx@1.service enabled\n@@lvsdr-active\nactive\ninactive\nactive\nfailed\n';
    expect(split(out, ['a', 'b.service', 'x@1.service', 'c.timer'])).toEqual(['disabled\nactive\n', 'enabled\ninactive\n', 'enabled\nactive\n', 'not-found\nfailed\n']);
    expect(split('@@lvsdr-active\noffline\n', ['a'])).toEqual(['not-found\noffline\n']);
  });
  it('asks an instance by name, since it has no unit file of its own', () => {
    const text = unitsRead.command(['a', 'x@1.service']).text;
    expect(text).toContain('list-unit-files --no-legend --no-pager a.service 2>');
    expect(text).toContain("printf '%s ' x@1.service; systemctl is-enabled x@1.service");
  });
  it('says a unit a host does not have is not found', async () => {
    const ctx = { facts: { systemdRunning: true } } as unknown as ModuleContext;
    const probe = probesRead(serviceModule, { name: 'lvsdr-no-such-unit', enabled: true }, ctx)[0];
    expect(await alone(probe)).toMatchObject({ exists: false, enabled: false });
  });
});

describe('shared file reads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-files-'));
    writeFileSync(path.join(dir, 'a.conf'), 'x = 1\nnon-ASCII: é → ✓\n');
    writeFileSync(path.join(dir, 'no newline'), 'tail');
    writeFileSync(path.join(dir, 'empty'), '');
    writeFileSync(path.join(dir, 'pipe|and\nnewline'), 'odd name\n');
    writeFileSync(path.join(dir, 'large'), 'y'.repeat(MAX_INLINE_BYTES + 1));
    writeFileSync(path.join(dir, 'nul'), 'a\0b\n');
    symlinkSync(path.join(dir, 'a.conf'), path.join(dir, 'link'));
    mkdirSync(path.join(dir, 'sub'));
    chmodSync(path.join(dir, 'a.conf'), 0o640);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const names = ['a.conf', 'missing', 'no newline', 'empty', 'pipe|and\nnewline', 'large', 'nul', 'link', 'sub'];
  it('answer every file from two finds exactly as each file alone', async () => {
    const probes = names.map((n) => fileProbe(path.join(dir, n)));
    const together = (await runProbes(conn, probes)).map((r, i) => parseRead(probes[i], r));
    expect(together).toEqual(await Promise.all(probes.map(alone)));
    const [a, missing, noNewline, empty, odd, large, nul, link, sub] = together;
    expect(a).toMatchObject({ exists: true, type: 'regular file', mode: '640', content: 'x = 1\nnon-ASCII: é → ✓\n' });
    expect(missing).toEqual({ exists: false });
    expect(noNewline.content).toBe('tail');
    expect(empty).toMatchObject({ type: 'regular empty file', size: 0, content: '' });
    expect(odd.content).toBe('odd name\n');
    expect(large).toMatchObject({ size: MAX_INLINE_BYTES + 1, sha256: createHash('sha256').update('y'.repeat(MAX_INLINE_BYTES + 1)).digest('hex') });
    expect(large.content).toBeUndefined();
    expect(nul.content).toBe('a\0b\n');
    expect(link).toMatchObject({ type: 'symbolic link', content: 'x = 1\nnon-ASCII: é → ✓\n' });
    expect(sub).toMatchObject({ type: 'directory' });
    expect(sub.content).toBeUndefined();
  });
  it('read a relative path that looks like an option', async () => {
    const probe = fileProbe('-name');
    expect(filesRead.command(['-name']).text).toContain('./-name');
    expect(await alone(probe)).toEqual({ exists: false });
  });
  it('leave contents unknown, never crossed, when text was not UTF-8', () => {
    const stdout = `f|644|root|root|2|/a\0f|644|root|root|2|/b\0\n@@lvsdr-content\ni2|/a\0i2|/b\0\uFFFDb\uFFFD`;
    const [a, b] = filesRead.split({ code: 0, stdout, stderr: '' }, ['/a', '/b']).map((r) => parseFileProbe(r));
    expect(a).toMatchObject({ exists: true, size: 2 });
    expect(a.content).toBeUndefined();
    expect(b.content).toBeUndefined();
  });
});
