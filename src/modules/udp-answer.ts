/**
 * udp_answer: a UDP service answers a datagram sent to ADDRESS:PORT, and answers FROM that address.
 * A check, not a change: a rollout's verification of a real server's UDP services. A UDP service
 * bound to 0.0.0.0 that replies with a plain sendto answers from the address the route to the
 * client gives (the real IP), not from the VIP it was asked on, and every client drops the reply;
 * TCP cannot fail this way (a connection's replies always carry the address it was made to).
 *
 * The datagram goes from the host's own (real) address to the VIP on the host itself: the kernel
 * picks the reply's source exactly as it does for a remote client, so a service answers from the
 * real IP here where it would answer from it there. Only where the VIP is on the host (the sysctl
 * and arptables methods): with REDIRECT, conntrack gives the reply the VIP as its source anyway.
 * The probe is lvsdr's one UDP probe (udp-answer-probe.py, also `lvsdr lab probe --udp`'s), run by
 * python3 or RHEL's platform-python: the shell has no way to read a datagram's sender.
 */
import { readFileSync } from 'node:fs';
import type { ExecResult } from '../connection/types.ts';
import type { HostFacts } from '../facts/types.ts';
import { sh } from '../shell/quote.ts';
import type { Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

/** The probe script, run on a host with `python3 -S -` (the text on stdin) or `-c TEXT`. */
export const UDP_PROBE_SCRIPT = readFileSync(new URL('./udp-answer-probe.py', import.meta.url), 'utf8');

interface UdpAnswerArgs {
  /** The VIP the service is asked on. */
  address: string;
  port: number;
  /** The local address the datagram is sent from (default: the host's real IP). */
  source?: string;
  /** The datagram, in hex (a service that answers only its own protocol: DNS, RADIUS…); default: a short text. */
  payload?: string;
}

/** Datagrams sent, each waiting 2 s: one lost datagram is no verdict. */
const ATTEMPTS = 2;

/** What the probe saw: answers from the address asked, from another, or nothing. */
export type UdpAnswers =
  | { python: false }
  | { python: true; fromAddress: string[]; elsewhere: { from: string; text: string }[]; failures: string[] };

export function parseUdpAnswers(r: ExecResult): UdpAnswers {
  if (/^NO-PYTHON$/m.test(r.stdout)) return { python: false };
  const answers: UdpAnswers = { python: true, fromAddress: [], elsewhere: [], failures: [] };
  for (const line of r.stdout.split('\n')) {
    const wrong = /^FAIL from (\S+) ?(.*)$/.exec(line);
    if (wrong) answers.elsewhere.push({ from: wrong[1], text: wrong[2] });
    else if (line.startsWith('OK ')) answers.fromAddress.push(line.slice(3));
    else if (line.startsWith('FAIL ')) answers.failures.push(line.slice(5));
  }
  if (r.code !== 0 && answers.fromAddress.length + answers.elsewhere.length + answers.failures.length === 0) {
    answers.failures.push(`the probe exited ${r.code}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  return answers;
}

/** The host's real IP: the default route's address, else the first global IPv4 that is not `vip`. */
function realIp(args: UdpAnswerArgs, facts: HostFacts): string | undefined {
  if (args.source) return args.source;
  if (facts.defaultIpv4 && facts.defaultIpv4 !== args.address) return facts.defaultIpv4;
  return facts.interfaces
    .filter((i) => i.name !== 'lo')
    .flatMap((i) => i.addresses)
    .find((a) => a.family === 'inet' && a.address !== args.address && !a.address.startsWith('127.'))?.address;
}

/** A datagram sent from `source` to the service, and where the answers came from. */
interface Asking {
  args: UdpAnswerArgs;
  source: string;
}

export const udpAnswersFact: Fact<Asking, UdpAnswers> = {
  kind: 'udp-answer',
  id: ({ args, source }) => `${args.address}:${args.port}:${source}:${args.payload ?? ''}`,
  read: {
    command: ({ args, source }) => {
      const run = sh`"$py" -S -c ${UDP_PROBE_SCRIPT} ${args.address} ${String(args.port)} ${String(ATTEMPTS)} ${String(ATTEMPTS * 2 + 1)} ${source} ${args.payload ?? ''}`;
      return sh`py=; for c in python3 /usr/libexec/platform-python; do if command -v "$c" >/dev/null 2>&1; then py=$c; break; fi; done; if [ -n "$py" ]; then ${run}; else echo NO-PYTHON; fi`;
    },
  },
  parse: (r) => parseUdpAnswers(r),
  unread: { python: true, fromAddress: [], elsewhere: [], failures: [] },
};

export const udpAnswerModule: ModuleDef<UdpAnswerArgs> = {
  name: 'udp_answer',
  summary: 'check that a UDP service answers a datagram to ADDRESS:PORT from that address (a DR-ready UDP service)',
  schema: {
    type: 'object',
    properties: {
      address: { type: 'string', format: 'ipv4' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      source: { type: 'string', format: 'ipv4' },
      payload: { type: 'string', pattern: '^([0-9A-Fa-f]{2})*$' },
    },
    required: ['address', 'port'],
    additionalProperties: false,
  },
  plan(args, state, ctx): Plan {
    const source = realIp(args, ctx.facts);
    const asked = `udp ${args.address}:${args.port}`;
    if (!source) return { kind: 'fail', message: `${asked}: this host has no IPv4 address to send the datagram from besides the VIP; give source` };
    const seen = state.fact(udpAnswersFact, { args, source });
    if (!seen.python) {
      return { kind: 'fail', message: `${asked}: python3 (or /usr/libexec/platform-python) is needed on the host to read where a UDP answer comes from; install python3` };
    }
    if (seen.fromAddress.length > 0) return { kind: 'noop', reason: `${asked} answered from ${args.address}:${args.port} (${seen.fromAddress[0]})` };
    if (seen.elsewhere.length > 0) {
      const from = seen.elsewhere[0].from;
      return {
        kind: 'fail',
        message:
          `${asked}: the service answered from ${from}, not from the VIP: every client drops such a reply ` +
          `(a UDP socket bound to 0.0.0.0 that replies with a plain sendto answers from the host's own address). ` +
          `fix: bind the service to ${args.address}, or have it answer from the address it was asked on (IP_PKTINFO)`,
      };
    }
    return {
      kind: 'fail',
      message: `${asked}: no answer to ${ATTEMPTS} datagram(s) from ${source} (${seen.failures.join(', ') || 'none'}); a UDP service must answer the verification's datagram (lvs_vips[].udp_payload: the one it answers, in hex)`,
    };
  },
};
