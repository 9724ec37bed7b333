/**
 * ignore_unreachable on this machine: the play runs locally, its ssh tasks go to a port nothing
 * listens on. The results and the recap are ansible-playbook 2.14's for the same file (its header).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lvsdr-unreachable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A local port nothing listens on: one the kernel handed out, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ignore_unreachable', () => {
  it('counts an unreachable task ok and ignored and goes on; without it the host stops', { timeout: 60_000 }, async () => {
    const inventory = join(dir, 'inventory.yml');
    writeFileSync(inventory, `all:\n  hosts:\n    h1: { ansible_host: 127.0.0.1, ansible_port: ${await closedPort()} }\n`);
    const r = await lvsdr('run', 'test/fixtures/lang/ignore-unreachable.yml', '-i', inventory, '--no-record', '--json', '-T', '5');
    expect(r.code, r.stderr).toBe(3);
    const results = r.events.filter((e) => e.type === 'task:result').map((e) => `${e.task}: ${e.status}${e.ignored ? ' (ignored)' : ''}`);
    expect(results).toEqual([
      'over ssh: unreachable (ignored)',
      `debug msg="{{ r.unreachable | default('undef') }} {{ r.failed |...: ok`,
      'again in block: unreachable (ignored)',
      'local still works: changed',
      'over ssh, not ignored: unreachable',
    ]);
    expect(r.events.find((e) => e.type === 'task:result' && e.module === 'debug')?.reason).toBe('True undef False True');
    expect(r.events.find((e) => e.type === 'recap')?.stats.h1).toMatchObject({ ok: 4, changed: 1, unreachable: 1, failed: 0, ignored: 2 });
  });
});
