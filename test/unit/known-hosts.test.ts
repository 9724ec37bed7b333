import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  checkHostKey,
  entryMatchesHost,
  fingerprint,
  hostKeyAlgorithmsFor,
  knownHostName,
  offeredKeyFromBlob,
  parseKnownHosts,
  readKnownHostsText,
} from '../../src/connection/known-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'lvsdr-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real key pair made by ssh-keygen; returns the public key's type and base64 blob. */
function realKey(name: string, type = 'ed25519'): { type: string; key: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const [keyType, key] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  return { type: keyType, key };
}

const a = realKey('a');
const b = realKey('b');
const rsa = realKey('r', 'rsa');

describe('parseKnownHosts', () => {
  it('reads entries with their line numbers, skipping comments, blanks and unknown markers', () => {
    const text = `# comment\n\nweb1,198.18.0.1 ${a.type} ${a.key}\n@revoked * ${b.type} ${b.key}\n@bogus x ${a.type} ${a.key}\n@cert-authority *.lab ${a.type} ${a.key} ca\nbroken-line\n`;
    const entries = parseKnownHosts(text, '/k');
    expect(entries.map((e) => [e.line, e.marker, e.hosts])).toEqual([
      [3, undefined, 'web1,198.18.0.1'],
      [4, 'revoked', '*'],
      [6, 'cert-authority', '*.lab'],
    ]);
  });
});

describe('entryMatchesHost', () => {
  const entry = (hosts: string) => parseKnownHosts(`${hosts} ${a.type} ${a.key}`, '/k')[0];

  it('matches names in a comma list, [host]:port and wildcards, honouring negation', () => {
    expect(entryMatchesHost(entry('web1,198.18.0.1'), '198.18.0.1')).toBe(true);
    expect(entryMatchesHost(entry('web1'), 'web2')).toBe(false);
    expect(entryMatchesHost(entry('[198.18.0.1]:2222'), knownHostName('198.18.0.1', 2222))).toBe(true);
    expect(entryMatchesHost(entry('198.18.0.1'), knownHostName('198.18.0.1', 2222))).toBe(false);
    expect(entryMatchesHost(entry('rs?.lab,*.example.com'), 'rs1.lab')).toBe(true);
    expect(entryMatchesHost(entry('*.example.com,!bad.example.com'), 'bad.example.com')).toBe(false);
    expect(entryMatchesHost(entry('WEB1'), 'web1')).toBe(true);
  });

  it('matches hashed names exactly as ssh-keygen -H writes them', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `web1 ${a.type} ${a.key}\n[198.18.0.7]:2222 ${b.type} ${b.key}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(entries, 'web1', a).kind).toBe('match');
    expect(checkHostKey(entries, knownHostName('198.18.0.7', 2222), b).kind).toBe('match');
    expect(checkHostKey(entries, 'web2', a).kind).toBe('unknown');
    expect(checkHostKey(entries, 'web1', b)).toMatchObject({ kind: 'changed', entry: { line: 1 } });
  });
});

describe('checkHostKey', () => {
  const text = [`web1 ${a.type} ${a.key}`, `web2 ${rsa.type} ${rsa.key}`, `@revoked * ${b.type} ${b.key}`, `@cert-authority * ${a.type} ${a.key}`].join('\n');
  const entries = parseKnownHosts(text, '/home/u/.ssh/known_hosts');

  it('says match, unknown, or changed with the line of the old key', () => {
    expect(checkHostKey(entries, 'web1', a).kind).toBe('match');
    expect(checkHostKey(entries, 'web9', a).kind).toBe('unknown');
    const changed = checkHostKey(entries, 'web1', realKey('c'));
    expect(changed).toMatchObject({ kind: 'changed', entry: { file: '/home/u/.ssh/known_hosts', line: 1 } });
  });

  it('treats a host known only under another key type as changed, not new', () => {
    expect(checkHostKey(entries, 'web2', a)).toMatchObject({ kind: 'changed', entry: { line: 2 } });
  });

  it('refuses a revoked key for any host and ignores @cert-authority lines', () => {
    expect(checkHostKey(entries, 'web9', b)).toMatchObject({ kind: 'revoked', entry: { line: 3 } });
    expect(checkHostKey(parseKnownHosts(`@cert-authority * ${a.type} ${a.key}`, '/k'), 'web1', a).kind).toBe('unknown');
  });

  it('offers the key types already known for the host first', () => {
    expect(hostKeyAlgorithmsFor(entries, 'web2').slice(0, 2)).toEqual(['rsa-sha2-512', 'rsa-sha2-256']);
    expect(hostKeyAlgorithmsFor(entries, 'web9')[0]).toBe('ssh-ed25519');
  });
});

describe('key blobs and files', () => {
  it('reads the type from a wire-format blob and prints the fingerprint ssh-keygen prints', () => {
    const offered = offeredKeyFromBlob(Buffer.from(a.key, 'base64'));
    expect(offered).toEqual(a);
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'a.pub')], { encoding: 'utf8' });
    expect(printed).toContain(fingerprint(offered));
  });

  it('appends accepted keys on their own line and reads them back; a missing file is empty', async () => {
    const file = join(dir, 'sub', 'known_hosts');
    expect(await readKnownHostsText(file)).toBe('');
    await appendKnownHost(file, '[127.0.0.1]:2200', a);
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd());
    await appendKnownHost(file, 'web1', b);
    const entries = parseKnownHosts(await readKnownHostsText(file), file);
    expect(entries.map((e) => [e.line, e.hosts, e.key])).toEqual([
      [1, '[127.0.0.1]:2200', a.key],
      [2, 'web1', b.key],
    ]);
  });
});
