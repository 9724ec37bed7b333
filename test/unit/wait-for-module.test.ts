/**
 * wait_for: Ansible's arguments checked, and the loop it plans run on this machine with /bin/sh as
 * a host runs it: a path that appears, a pattern in a file, a port's answer, a timeout's message,
 * a path that must go, and a plain wait.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../src/modules/types.ts';
import { waitForModule } from '../../src/modules/wait-for.ts';
import { stateOf } from '../support/fact-state.ts';

const ctx = {} as Parameters<typeof waitForModule.plan>[2];
const none: StateView = stateOf({});

/** The planned command run with sh (it waits on purpose; the test's own server answers meanwhile). */
async function run(args: Parameters<typeof waitForModule.plan>[0], during?: string) {
  const plan = waitForModule.plan(args, none, ctx);
  if (plan.kind !== 'action') throw new Error('not an action');
  const script = during ? `( ${during} ) & ${plan.commands[0].command.text}` : plan.commands[0].command.text;
  const started = Date.now();
  const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 }, (err, _out, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr })),
  );
  return { ...r, ms: Date.now() - started };
}

let dir: string;
let server: Server;
let port: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lvsdr-wait-'));
  // A waiter that connects and leaves at once resets the connection: that is no error here.
  server = createServer((s) => s.on('error', () => undefined).end('SSH-2.0-lab\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wait_for', () => {
  it("refuses what Ansible's refuses, and a pattern lvsdr cannot read as Python does", () => {
    expect(waitForModule.argProblems!({ port: 80, path: '/x' })[0].message).toBe('port and path parameter can not both be passed to wait_for');
    expect(waitForModule.argProblems!({ path: '/x', state: 'stopped' })[0].message).toMatch(/only be used for checking a port/);
    expect(waitForModule.argProblems!({ path: '/x', search_regex: '(?i)x' })).toHaveLength(1);
  });

  it('waits for a path to appear, and for a pattern in it', async () => {
    const file = join(dir, 'ready');
    expect((await run({ path: file, timeout: 10 }, `sleep 1; touch ${file}`)).code).toBe(0);
    writeFileSync(file, 'state=starting\n');
    const r = await run({ path: file, search_regex: '^state=(up|ready)$', timeout: 10 }, `sleep 1; printf 'a\\nstate=ready\\nb\\n' > ${file}`);
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(900);
  });

  it("fails with Ansible's message (or msg) when the time runs out", async () => {
    expect(await run({ path: join(dir, 'never'), timeout: 1 })).toMatchObject({ code: 1, stderr: `Timeout when waiting for file ${join(dir, 'never')}\n` });
    expect(await run({ path: join(dir, 'never'), timeout: 1, msg: 'no ready file' })).toMatchObject({ code: 1, stderr: 'no ready file\n' });
    expect((await run({ path: join(dir, 'never'), search_regex: 'x', timeout: 1 })).stderr).toMatch(/^Timeout when waiting for search string x in /);
  });

  it("waits for a port, and for its answer to match; a path that must go; and plain seconds after a delay", async () => {
    expect((await run({ port, host: '127.0.0.1', timeout: 5 })).code).toBe(0);
    expect(await run({ port, search_regex: 'OpenSSH', timeout: 2 })).toMatchObject({ code: 1, stderr: `Timeout when waiting for search string OpenSSH in 127.0.0.1:${port}\n` });
    expect((await run({ port, search_regex: '^SSH-2\\.0', timeout: 5 })).code).toBe(0);
    const gone = join(dir, 'lock');
    writeFileSync(gone, '');
    expect((await run({ path: gone, state: 'absent', timeout: 10 }, `sleep 1; rm ${gone}`)).code).toBe(0);
    const plain = await run({ timeout: 1, delay: 1 });
    expect(plain.code).toBe(0);
    expect(plain.ms).toBeGreaterThanOrEqual(1900);
  });
});
