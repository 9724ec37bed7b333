import { describe, expect, it } from 'vitest';
import { createJsonRenderer } from '../../src/output/json.ts';
import { capture, checkRun, realRun } from './output-events.ts';

const parse = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line));

describe('json renderer', () => {
  it('prints one JSON object per event, each with its type', () => {
    const text = capture((out) => createJsonRenderer({ diff: false, out }), realRun);
    expect(text.endsWith('\n')).toBe(true);
    const records = parse(text);
    expect(records.map((r) => r.type)).toEqual(realRun.map((e) => e.type));
    expect(records[0]).toEqual({ type: 'play:start', play: 'Real servers', hosts: ['rs1', 'rs2', 'rs3'], check: false });
    expect(records[2]).toEqual({ type: 'host:unreachable', host: 'rs3', msg: 'connect ETIMEDOUT 198.18.0.13:22' });
  });

  it('keeps stable field names for task results, and diffs only with --diff', () => {
    const [, , , changed] = parse(capture((out) => createJsonRenderer({ diff: false, out }), realRun));
    expect(changed).toEqual({
      type: 'task:result',
      host: 'rs1',
      task: 'Set arp_ignore',
      module: 'sysctl',
      status: 'changed',
      check: false,
      pos: { file: 'playbooks/arp.yml', line: 12, col: 7 },
      changes: [{ summary: 'net.ipv4.conf.all.arp_ignore 0 → 1', commands: ['sysctl -w net.ipv4.conf.all.arp_ignore=1'] }],
      durationMs: 40,
    });
    const withDiff = parse(capture((out) => createJsonRenderer({ diff: true, out }), realRun))[3];
    expect(withDiff.changes[0].diff).toEqual({ kind: 'value', name: 'net.ipv4.conf.all.arp_ignore', before: '0', after: '1' });
  });

  it('ends with the recap, its totals and whether it was a dry run', () => {
    const recap = parse(capture((out) => createJsonRenderer({ diff: false, out }), checkRun)).at(-1);
    expect(recap).toEqual({
      type: 'recap',
      check: true,
      durationMs: 850,
      stats: { rs1: { ok: 3, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } },
      total: { ok: 3, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
  });

  it('carries the check-mode note of a result', () => {
    const noted = parse(capture((out) => createJsonRenderer({ diff: false, out }), checkRun)).find((r) => r.note);
    expect(noted).toMatchObject({ task: 'Set arp_announce', status: 'ok', check: true, note: expect.stringContaining('Reload firewall') });
  });

  it('never writes escape codes', () => {
    expect(capture((out) => createJsonRenderer({ diff: true, out }), [...realRun, ...checkRun])).not.toContain('\x1b');
  });
});
