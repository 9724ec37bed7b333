import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendKnownHost, checkHostKey, hostKeyAlgorithmsFor, knownHostName, parseKnownHosts } from '../../src/connection/known-hosts.ts';
import { KnownHostsIndex, readKnownHostsIndex } from '../../src/connection/known-hosts-index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lvsdr-known-hosts-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Key blobs only need to differ here: no signature is checked.
const key = (n: number) => ({ type: 'ssh-ed25519', key: Buffer.from(`key-${n}`).toString('base64') });
const rsa = { type: 'ssh-rsa', key: Buffer.from('rsa-key').toString('base64') };

/** A name hashed as `ssh-keygen -H` writes it. */
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const line = (hosts: string, k: { type: string; key: string }, marker = '') => `${marker ? `@${marker} ` : ''}${hosts} ${k.type} ${k.key}`;

describe('KnownHostsIndex', () => {
  // Every kind of line: plain names (one twice, under two key types), comma lists, case, [host]:port,
  // wildcards, negation, hashed names, @revoked and @cert-authority.
  const text = [
    line('web1,198.18.0.1', key(1)),
    line('WEB2', key(2)),
    line('web1', rsa),
    line('[198.18.0.7]:2222', key(3)),
    line('rs?.lab,*.example.com,!bad.example.com', key(4)),
    line(hashed('hashed1'), key(5)),
    line('*', key(6), 'revoked'),
    line('*.lab', key(7), 'cert-authority'),
    line('rs1.lab', key(8)),
    line('web2', key(9)),
  ].join('\n');
  const all = parseKnownHosts(text, '/k');
  const index = new KnownHostsIndex(all);
  const names = ['web1', 'web2', 'Web1', '198.18.0.1', knownHostName('198.18.0.7', 2222), '198.18.0.7', 'rs1.lab', 'bad.example.com', 'good.example.com', 'hashed1', 'hashed2', 'nobody'];
  const offers = [key(1), key(2), key(3), key(4), key(5), key(6), key(7), key(8), key(9), rsa, key(10)];

  it('gives the same verdicts and host key algorithms as the whole file, for every kind of line', () => {
    for (const name of names) {
      const entries = index.entriesFor(name);
      expect(hostKeyAlgorithmsFor(entries, name), name).toEqual(hostKeyAlgorithmsFor(all, name));
      for (const offered of offers) expect(checkHostKey(entries, name, offered), `${name} ${offered.key}`).toEqual(checkHostKey(all, name, offered));
    }
  });

  it('keeps file order among the lines it returns', () => {
    expect(index.entriesFor('web1').map((e) => e.line)).toEqual([1, 3, 7]);
    expect(index.entriesFor('rs1.lab').map((e) => e.line)).toEqual([5, 7, 9]);
  });

  it('matches no line one by one for hosts named plainly: a lookup costs the same whatever the file holds', () => {
    const big = new KnownHostsIndex(parseKnownHosts(Array.from({ length: 1000 }, (_, i) => line(`198.18.${8 + (i >> 8)}.${i & 255}`, key(i))).join('\n'), '/k'));
    expect(big.scannedCount).toBe(0);
    expect(big.entriesFor('198.18.9.2').map((e) => e.line)).toEqual([259]);
    expect(index.scannedCount).toBe(3);
  });
});

describe('readKnownHostsIndex', () => {
  it('parses a file once while it is unchanged, and again once a key is recorded in it', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, line('web1', key(1)) + '\n');
    const first = await readKnownHostsIndex(file);
    expect(await readKnownHostsIndex(file)).toBe(first);
    await appendKnownHost(file, 'web2', key(2));
    const second = await readKnownHostsIndex(file);
    expect(second).not.toBe(first);
    expect(checkHostKey(second.entriesFor('web2'), 'web2', key(2)).kind).toBe('match');
    expect(checkHostKey(second.entriesFor('web1'), 'web1', key(1)).kind).toBe('match');
  });

  it('sees an edit that keeps the size of the file (a key replaced by another of its type)', async () => {
    const file = join(dir, 'replaced');
    writeFileSync(file, line('web1', key(1)) + '\n');
    expect(checkHostKey((await readKnownHostsIndex(file)).entriesFor('web1'), 'web1', key(2)).kind).toBe('changed');
    writeFileSync(file, line('web1', key(2)) + '\n');
    expect(checkHostKey((await readKnownHostsIndex(file)).entriesFor('web1'), 'web1', key(2)).kind).toBe('match');
  });

  it('reads a missing file as empty, and the file once it appears', async () => {
    const file = join(dir, 'later');
    expect((await readKnownHostsIndex(file)).entriesFor('web1')).toEqual([]);
    writeFileSync(file, line('web1', key(1)) + '\n');
    expect(checkHostKey((await readKnownHostsIndex(file)).entriesFor('web1'), 'web1', key(1)).kind).toBe('match');
  });
});
