/**
 * The client-side check of a rollout: from the controller, bounded TCP connections to each VIP
 * port must all be answered. With direct routing the handshake completes only if the director
 * forwarded the SYN and a real server answered, so this tests the whole data path. A UDP port gets
 * datagrams instead, each from a fresh port, and its answer must come from VIP:PORT: the socket is
 * not connected, so a reply from another address is seen and named (a real client drops it), as
 * lvsdr's UDP probe on hosts does (src/modules/udp-answer-probe.py).
 */
import { createSocket } from 'node:dgram';
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

/** The datagram of a UDP probe: the service's own (`udp_payload`, hex) or the probe's text, as on hosts. */
export const udpPayload = (s: VipPort): Buffer => (s.payload ? Buffer.from(s.payload, 'hex') : Buffer.from('lvsdr-probe'));

function udpExchange(s: VipPort, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    function done(error?: string): void {
      clearTimeout(timer);
      socket.close();
      resolve(error);
    }
    socket.once('message', (_answer, from) => {
      if (from.address === s.vip && from.port === s.port) done();
      else done(`answered from ${from.address}:${from.port}, not from the VIP (a client drops such a reply)`);
    });
    socket.once('error', (e) => done(e.message));
    socket.send(udpPayload(s), s.port, s.vip);
  });
}

/** Failures as `vip:port: why` (`vip:port/udp: why`), empty when every attempt was answered. */
export async function probeVips(services: VipPort[], attempts: number, timeoutMs = 2000): Promise<string[]> {
  const failures: string[] = [];
  for (const s of services) {
    for (let i = 0; i < attempts; i++) {
      const error = s.protocol === 'udp' ? await udpExchange(s, timeoutMs) : await tcpConnect(s.vip, s.port, timeoutMs);
      if (error) failures.push(`${s.vip}:${s.port}${s.protocol === 'udp' ? '/udp' : ''}: ${error}`);
    }
  }
  return failures;
}
