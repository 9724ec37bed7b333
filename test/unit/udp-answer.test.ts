/**
 * The UDP answer check: the module's plans from what the probe saw, and both probes (the Python one
 * hosts run, the controller's in a rollout) against real sockets on this machine's loopback, where
 * UDP's trap shows as it does on a real server: asked on 127.0.0.2 by a client at 127.0.0.1, a
 * service bound to 0.0.0.0 that replies with a plain send answers from 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { probeVips } from '../../src/core/rollout/vip-probe.ts';
import type { HostFacts } from '../../src/facts/types.ts';
import { parseUdpAnswers, UDP_PROBE_SCRIPT, udpAnswerModule } from '../../src/modules/udp-answer.ts';
import { probesRead, stateOf } from '../support/fact-state.ts';

const facts = { defaultIpv4: '198.18.0.11', interfaces: [] } as unknown as HostFacts;
const ctx = { facts } as never;
const args = { address: '198.18.0.240', port: 53 };
/** What the host's probe saw, for the plan's one fact (whatever its source). */
const seen = (stdout: string, code = 0) => {
  const view = stateOf({});
  return { ...view, fact: () => parseUdpAnswers({ code, stdout, stderr: '' }) as never };
};
const keyOf = (a: typeof args & { source?: string }, c: unknown) => probesRead(udpAnswerModule, a, c as never)[0].key;

describe('udp_answer plans', () => {
  it('passes on an answer from the VIP', () => {
    expect(udpAnswerModule.plan(args, seen('FAIL timeout\nOK rs1\n'), ctx)).toEqual({ kind: 'noop', reason: 'udp 198.18.0.240:53 answered from 198.18.0.240:53 (rs1)' });
  });
  it('refuses an answer from another address, with the reason and the fix', () => {
    const plan = udpAnswerModule.plan(args, seen('FAIL from 198.18.0.11:53 rs1\nFAIL from 198.18.0.11:53 rs1\n'), ctx);
    expect(plan.kind).toBe('fail');
    const message = (plan as { message: string }).message;
    expect(message).toContain('answered from 198.18.0.11:53, not from the VIP');
    expect(message).toContain('fix: bind the service to 198.18.0.240, or have it answer from the address it was asked on (IP_PKTINFO)');
  });
  it('fails without an answer, naming what was tried; and without python, naming it', () => {
    expect(udpAnswerModule.plan(args, seen('FAIL timeout\nFAIL timeout\n'), ctx)).toMatchObject({ kind: 'fail', message: expect.stringMatching(/no answer to 2 datagram\(s\) from 198\.18\.0\.11 \(timeout, timeout\)/) });
    expect(udpAnswerModule.plan(args, seen('NO-PYTHON\n'), ctx)).toMatchObject({ kind: 'fail', message: expect.stringContaining('install python3') });
  });
  it('sends from the given source, else the default route\'s address, else one that is not the VIP', () => {
    expect(keyOf({ ...args, source: '198.18.0.12' }, ctx)).toBe('udp-answer:198.18.0.240:53:198.18.0.12:');
    expect(keyOf(args, ctx)).toBe('udp-answer:198.18.0.240:53:198.18.0.11:');
    const noRoute = { facts: { interfaces: [{ name: 'lo', up: true, addresses: [{ family: 'inet', address: '198.18.0.240', prefixlen: 32 }] }, { name: 'eth0', up: true, addresses: [{ family: 'inet', address: '198.18.0.13', prefixlen: 24 }] }] } } as never;
    expect(keyOf(args, noRoute)).toBe('udp-answer:198.18.0.240:53:198.18.0.13:');
    expect(udpAnswerModule.plan(args, seen(''), { facts: { interfaces: [] } } as never)).toMatchObject({ kind: 'fail', message: expect.stringContaining('give source') });
  });
});

describe('the UDP probes against real sockets', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  /** An echo of its own name, bound to `address`, replying with a plain send. */
  const service = async (address: string): Promise<number> => {
    const s = createSocket('udp4');
    sockets.push(s);
    s.on('message', (_m, from) => s.send('svc', from.port, from.address));
    await new Promise<void>((resolve) => s.bind(0, address, resolve));
    return s.address().port;
  };
  /** Run beside the service, not blocking it: the service answers on this process's event loop. */
  const pythonProbe = (port: number) =>
    new Promise<ReturnType<typeof parseUdpAnswers>>((resolve) => {
      execFile('python3', ['-S', '-c', UDP_PROBE_SCRIPT, '127.0.0.2', String(port), '1', '3', '127.0.0.1'], { timeout: 10_000 }, (error, stdout, stderr) =>
        resolve(parseUdpAnswers({ code: error ? 1 : 0, stdout, stderr })),
      );
    });

  it('a service bound to the address asked answers from it', async () => {
    const port = await service('127.0.0.2');
    expect(await pythonProbe(port)).toEqual({ python: true, fromAddress: ['svc'], elsewhere: [], failures: [] });
    expect(await probeVips([{ vip: '127.0.0.2', port, protocol: 'udp' }], 2)).toEqual([]);
  });
  it('a plain send from a socket bound to 0.0.0.0 answers from another address: both probes name it', async () => {
    const port = await service('0.0.0.0');
    expect(await pythonProbe(port)).toEqual({ python: true, fromAddress: [], elsewhere: [{ from: `127.0.0.1:${port}`, text: 'svc' }], failures: [] });
    expect(await probeVips([{ vip: '127.0.0.2', port, protocol: 'udp' }], 1)).toEqual([
      `127.0.0.2:${port}/udp: answered from 127.0.0.1:${port}, not from the VIP (a client drops such a reply)`,
    ]);
  });
  it('no service: the controller\'s probe says so within its time', async () => {
    const port = await service('127.0.0.3');
    expect(await probeVips([{ vip: '127.0.0.2', port, protocol: 'udp' }], 1, 300)).toEqual([expect.stringMatching(/^127\.0\.0\.2:\d+\/udp: /)]);
  });
});
