/**
 * The record a run leaves and `lvsdr report` of it, on this machine (`ansible_connection: local`):
 * what the record holds, --no-record, a record directory that cannot be written, a record cut off
 * or damaged, a run that does not exist, and hostile strings that must stay text in the HTML.
 * The runs are checks: a check takes no host lock, so another run on this machine holding the
 * local host's lock cannot hold these tests up (a real run's record is in the lab tests).
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideExtraVars } from '../../src/cli/run-record.ts';
import { lvsdr } from '../support/cli.ts';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
let dir: string;
let records: string;
let playbook: string;
let inventory: string;

const lines = (file: string): Record<string, any>[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const only = (d: string): string => {
  const files = readdirSync(d).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return path.join(d, files[0]);
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-record-'));
  records = path.join(dir, 'runs');
  inventory = path.join(dir, 'inventory.yml');
  writeFileSync(inventory, 'all:\n  hosts:\n    here: { ansible_connection: local }\n');
  playbook = path.join(dir, 'site.yml');
  writeFileSync(
    playbook,
    `- name: Local
  hosts: all
  gather_facts: false
  tasks:
    - name: ${JSON.stringify(`Write ${HOSTILE}`)}
      copy: { dest: ${JSON.stringify(path.join(dir, 'out.txt'))}, content: ${JSON.stringify(`${HOSTILE}\n`)} }
    - name: Read
      command: cat ${path.join(dir, 'out.txt')}
      changed_when: false
    - name: Secret
      command: echo {{ token }}
      no_log: true
    - name: Fail when asked
      fail: { msg: asked to fail }
      when: fail | default(false) | bool
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the run record', () => {
  it('holds who ran what on which files, every event with its time, the recap, diffs and the exit code; no extra var, nothing of a no_log task', async () => {
    rmSync(records, { recursive: true, force: true });
    const r = await lvsdr('run', playbook, '-i', inventory, '-e', 'token=Tok3n-9d1', '--record-dir', records, '--check');
    expect(r.code).toBe(0);
    const file = only(records);
    expect(path.basename(file)).toMatch(/^\d{8}-\d{6}-\d{3}-[0-9a-f]{12}\.jsonl$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('Tok3n-9d1');
    // Command output is in it: for its owner only.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [header, ...rest] = lines(file);
    expect(header).toMatchObject({
      type: 'record:start',
      kind: 'run',
      command: ['lvsdr', 'run', playbook, '-i', inventory, '-e', '<hidden>', '--record-dir', records, '--check'],
      check: true,
      playbooks: [{ path: playbook, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      inventories: [{ path: inventory }],
    });
    expect(header.version).toMatch(/^\d+\.\d+\.\d+/);
    const end = rest.at(-1)!;
    expect(end).toMatchObject({ type: 'record:end', exitCode: 0 });
    const results = rest.filter((e) => e.type === 'task:result');
    expect(results.map((e) => e.task)).toEqual([`Write ${HOSTILE}`, 'Read', 'Secret', 'Fail when asked']);
    expect(results.map((e) => e.status)).toEqual(['changed', 'skipped', expect.any(String), 'skipped']);
    // The diff is kept without --diff; times only grow.
    expect(results[0].changes[0].diff).toMatchObject({ kind: 'file', after: `${HOSTILE}\n` });
    const times = rest.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(rest.find((e) => e.type === 'recap')!.stats.here).toMatchObject({ changed: results.filter((e) => e.status === 'changed').length, failed: 0 });
  });

  it('--no-record leaves none; a record directory that cannot be written costs one warning, not the run', async () => {
    rmSync(records, { recursive: true, force: true });
    const none = await lvsdr('run', playbook, '-i', inventory, '-e', 'token=x', '--record-dir', records, '--no-record', '--check');
    expect(none.code).toBe(0);
    expect(existsSync(records)).toBe(false);
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const r = await lvsdr('run', playbook, '-i', inventory, '-e', 'token=x', '--record-dir', path.join(blocked, 'runs'), '--check');
    expect(r.code).toBe(0);
    expect(r.stderr.match(/warning/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/the run record .*a-file\/runs\/.* cannot be written .*the run goes on without it/);
    expect(r.stdout).toMatch(/PLAY RECAP/);
  });

  it('a failed run records its exit code', { timeout: 200_000 }, async () => {
    rmSync(records, { recursive: true, force: true });
    const r = await lvsdr('run', playbook, '-i', inventory, '-e', 'token=x', '-e', 'fail=true', '--record-dir', records, '--check');
    expect(r.code).toBe(2);
    expect(lines(only(records)).at(-1)).toMatchObject({ type: 'record:end', exitCode: 2 });
  });
});

describe('lvsdr report', () => {
  let file: string;
  beforeAll(async () => {
    rmSync(records, { recursive: true, force: true });
    await lvsdr('run', playbook, '-i', inventory, '-e', 'token=x', '-e', 'fail=true', '--record-dir', records, '--check');
    await lvsdr('run', playbook, '-i', inventory, '-e', 'token=x', '--record-dir', records, '--check');
    file = readdirSync(records).sort().map((f) => path.join(records, f)).at(-1)!;
  });

  it('writes one self-contained HTML file in which hostile strings stay text', async () => {
    const out = path.join(dir, 'report.html');
    const r = await lvsdr('report', '--last', '--record-dir', records, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    // One script, ours; nothing fetched from anywhere.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).toContain('completed, changes pending (check mode)');
    expect(html).toContain(`${playbook}:5`);
  });

  it('--list shows the recent runs newest first; a run is found by its id', async () => {
    const r = await lvsdr('report', '--list', '--record-dir', records);
    expect(r.code).toBe(0);
    const listed = r.stdout.trim().split('\n');
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/exit 0 .* \(check\) .* lvsdr run .* \d{8}-\d{6}-\d{3}-[0-9a-f]{12}\.jsonl$/);
    expect(listed[1]).toMatch(/exit 2 .* \(check\) .*-e <hidden> -e <hidden>/);
    const id = path.basename(file, '.jsonl').split('-').at(-1)!;
    const byId = await lvsdr('report', id, '--record-dir', records, '-o', path.join(dir, 'by-id.html'));
    expect(byId.code).toBe(0);
  });

  it('a run that does not exist, or a record damaged in its middle, is an error naming it', async () => {
    const missing = await lvsdr('report', 'nosuchrun', '--record-dir', records);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no recorded run nosuchrun in .*runs/);
    const damaged = path.join(dir, 'damaged.jsonl');
    const good = readFileSync(file, 'utf8').split('\n');
    const result = JSON.parse(good.find((l) => l.includes('"task:result"'))!);
    writeFileSync(damaged, [good[0], JSON.stringify({ ...result, host: 3 }), ...good.slice(1)].join('\n'));
    const r = await lvsdr('report', damaged, '-o', path.join(dir, 'damaged.html'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/damaged\.jsonl:2: not a run record line: \/host must be string/);
  });

  it('a record a killed run left (last line cut off, no end line) is shown, and the report says what is missing', async () => {
    const cut = path.join(dir, 'cut.jsonl');
    const text = readFileSync(file, 'utf8');
    const upToRecap = text.slice(0, text.indexOf('{"type":"recap"'));
    writeFileSync(cut, upToRecap);
    appendFileSync(cut, '{"type":"recap","check":fal');
    const out = path.join(dir, 'cut.html');
    const r = await lvsdr('report', cut, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cut\.jsonl:\d+: the last line is cut off/);
    expect(r.stderr).toMatch(/cut\.jsonl: no end line/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('did not finish');
    expect(html).toContain('the last line is cut off');
  });
});

describe('the command line a record keeps', () => {
  it('hides the values of extra vars however the flag is spelled, and keeps @files', () => {
    const args = ['run', 'x.yml', '-e', 'pw=1', '-Ce', 'a=b', '--extra-vars=k=v', '-epw=2', '-e', '@vars.yml', '--forks', '1'];
    expect(hideExtraVars(args, ['pw=1', 'a=b', 'k=v', 'pw=2', '@vars.yml'])).toEqual([
      'run', 'x.yml', '-e', '<hidden>', '-Ce', '<hidden>', '--extra-vars=<hidden>', '-e<hidden>', '-e', '@vars.yml', '--forks', '1',
    ]);
  });
});
