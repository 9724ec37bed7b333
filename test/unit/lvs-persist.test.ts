import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveOutputChange } from '../../src/modules/persisted-file-change.ts';
import { absent, regular } from './lvs-helpers.ts';

/** The save-to-file command, run for real in a local shell against a fake save tool. */
describe('saving a tool\'s output to a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-persist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tool = (name: string, script: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${script}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  const run = (command: string) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });

  it('writes what the tool prints, atomically, with a new file mode of 0600', () => {
    const dest = path.join(dir, 'rules');
    const save = tool('save', "printf '*filter\\n-A INPUT -j DROP -d 198.18.0.100\\n'");
    const change = saveOutputChange('save', save, dest, absent, '', { mode: '0600' });
    for (const c of change.commands) expect(run(c.command.text).status).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('*filter\n-A INPUT -j DROP -d 198.18.0.100\n');
    expect(execFileSync('stat', ['-c', '%a', dest], { encoding: 'utf8' }).trim()).toBe('600');
    expect(readdirSync(dir).sort()).toEqual(['rules', 'save']);
  });

  it('leaves the old file alone when the save tool fails', () => {
    const dest = path.join(dir, 'rules');
    writeFileSync(dest, 'old rules\n');
    const save = tool('save', 'echo partial; exit 3');
    const change = saveOutputChange('save', save, dest, regular('old rules\n'), '');
    const result = run(change.commands[0].command.text);
    expect(result.status).not.toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('old rules\n');
    expect(readdirSync(dir).sort()).toEqual(['rules', 'save']);
  });

  it('creates the missing parent directory first', () => {
    const dest = path.join(dir, 'iptables', 'rules.v4');
    const change = saveOutputChange('save', tool('save', 'echo COMMIT'), dest, absent, '');
    expect(change.commands[0].command.text).toBe(`[ -d ${path.dirname(dest)} ] || mkdir -p ${path.dirname(dest)}`);
    for (const c of change.commands) expect(run(c.command.text).status).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('COMMIT\n');
  });
});
