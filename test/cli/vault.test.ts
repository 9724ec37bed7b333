/**
 * Ansible Vault as ansible-playbook reads it: vault-encrypted vars files, `!vault` values (format 1.2
 * with a vault id), files copy reads, and the ways a password is given. The fixtures in
 * test/fixtures/vault were made with Debian's ansible-vault (2.14); the same run with
 * ansible-playbook gives the same result (ok=2 changed=1, the file decrypted).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openVault, parseVaultEnvelope, trialOrder, VaultFormatError } from '../../src/core/vault/vault-cipher.ts';
import { readVaultSecrets } from '../../src/core/vault/vault-secrets.ts';
import { runCli } from '../../src/cli/main.ts';
import { lvsdr } from '../support/cli.ts';

const V = 'test/fixtures/vault';
const scratch = mkdtempSync(join(tmpdir(), 'lvsdr-vault-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the vault format', () => {
  const secretsFile = readFileSync(`${V}/secrets.yml`, 'utf8');

  it('opens 1.1 text with the right password and not with another', () => {
    const envelope = parseVaultEnvelope(secretsFile);
    expect(envelope).toMatchObject({ version: '1.1', cipher: 'AES256', id: undefined });
    expect(openVault(envelope, Buffer.from('lvsdr-test-vault'))?.toString()).toContain('vrrp_auth_pass: s3cret-vrrp');
    expect(openVault(envelope, Buffer.from('wrong-password'))).toBeUndefined();
  });

  it('reads the vault id of 1.2 text and tries its secrets first', () => {
    const envelope = parseVaultEnvelope(readFileSync(`${V}/files/motd.vault`, 'utf8'));
    expect(envelope.id).toBe('prod');
    const secrets = ['default', 'prod', 'other'].map((id) => ({ id, password: Buffer.from(id), source: id }));
    expect(trialOrder(envelope, secrets).map((s) => s.id)).toEqual(['prod', 'default', 'other']);
  });

  it('refuses text whose HMAC was tampered with, and text that is not vault text', () => {
    const lines = secretsFile.split('\n');
    const flipped = lines[1][0] === '6' ? '3' + lines[1].slice(1) : '6' + lines[1].slice(1);
    expect(openVault(parseVaultEnvelope([lines[0], flipped, ...lines.slice(2)].join('\n')), Buffer.from('lvsdr-test-vault'))).toBeUndefined();
    expect(() => parseVaultEnvelope('$ANSIBLE_VAULT;1.3;AES256\n6162\n')).toThrow(/1\.3 is not one Ansible writes/);
    expect(() => parseVaultEnvelope('$ANSIBLE_VAULT;1.1;AES256\nzz\n')).toThrow(VaultFormatError);
  });
});

describe('vault passwords', () => {
  it('strips a file of white space and runs an executable file, giving a -client script its vault id', async () => {
    const client = join(scratch, 'pass-client.sh');
    writeFileSync(client, '#!/bin/sh\n[ "$1" = --vault-id ] && printf "%s-pw\\r\\n" "$2"\n');
    chmodSync(client, 0o755);
    const secrets = await readVaultSecrets({ ids: [`${V}/prod-pass.txt`, `lab@${client}`], askVaultPass: false });
    expect(secrets.map((s) => [s.id, s.password.toString()])).toEqual([
      ['default', 'prod-secret'],
      ['lab', 'lab-pw'],
    ]);
  });

  it('refuses a prompt without a terminal, an empty password and a missing file', async () => {
    await expect(readVaultSecrets({ ids: [], askVaultPass: true })).rejects.toThrow(/needs a terminal/);
    const empty = join(scratch, 'empty');
    writeFileSync(empty, ' \n');
    await expect(readVaultSecrets({ ids: [empty], askVaultPass: false })).rejects.toThrow(/is empty/);
    await expect(readVaultSecrets({ ids: [join(scratch, 'nope')], askVaultPass: false })).rejects.toThrow(/cannot read the vault password file .*ENOENT/);
  });
});

describe('a run with vaulted inputs (connection local)', () => {
  const pw = ['--vault-id', `prod@${V}/prod-pass.txt`, '--vault-password-file', `${V}/vault-pass.txt`];

  it('decrypts vars files, !vault values and copied files, then changes nothing the second time', async () => {
    const dest = mkdtempSync(join(scratch, 'run-'));
    const args = ['run', `${V}/site.yml`, '-i', `${V}/inventory.yml`, ...pw, '-e', `dest_dir=${dest}`, '--json'];
    const first = await lvsdr(...args);
    expect(first.code, first.text).toBe(0);
    expect(readFileSync(join(dest, 'motd'), 'utf8')).toBe('line one of a secret file\n');
    expect(first.events.find((e) => e.type === 'summary')).toMatchObject({ changed: ['here'] });
    const second = await lvsdr(...args);
    expect(second.events.find((e) => e.type === 'summary'), second.text).toMatchObject({ changed: [], failed: [] });
  });

  it('shows decrypted inventory vars', async () => {
    let out = '';
    const code = await runCli(['inventory', '-i', `${V}/inventory.yml`, '--host', 'here', '--vault-id', `prod@${V}/prod-pass.txt`], {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    });
    expect(code, out).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ db_password: 'db-pass-42' });
  });

  it('refuses before any host is contacted when a password is missing', async () => {
    const r = await lvsdr('run', `${V}/site.yml`, '-i', `${V}/inventory.yml`, '--vault-id', `prod@${V}/prod-pass.txt`, '-e', 'dest_dir=/nonexistent');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/secrets\.yml:1:1: this file is vault-encrypted and no vault password was given|no vault password given opens this file/);
  });
});
