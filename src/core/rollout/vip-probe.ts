/**
 * The client-side check of a rollout: from the controller, bounded TCP connections to each VIP
 * port must all be answered. With direct routing the handshake completes only if the director
 * forwarded the SYN and a real server answered, so this tests the whole data path.
 */
import { connect } from 'node:net';
import type { VipPort } from './endpoints.ts';

function tcpConnect(vip: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: vip, port });
    const done = (error?: string): void => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done());
    socket.once('error', (e) => done(e.message));
  });
}

/** Failures as `vip:port: why`, empty when every attempt connected. */
export async function probeVips(services: VipPort[], attempts: number, timeoutMs = 2000): Promise<string[]> {
  const failures: string[] = [];
  for (const s of services.filter((x) => x.protocol === 'tcp')) {
    for (let i = 0; i < attempts; i++) {
      const error = await tcpConnect(s.vip, s.port, timeoutMs);
      if (error) failures.push(`${s.vip}:${s.port}: ${error}`);
    }
  }
  return failures;
}
