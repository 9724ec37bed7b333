/**
 * listening: something listens on a port, on one of the given addresses or on all of them. A check,
 * not a change: a rollout's verification that a real server can serve its VIP (services on the VIP
 * itself for the arptables/sysctl methods, on INADDR_ANY for the REDIRECT methods).
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { READ_FROM_NO_FILE, type Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

interface ListeningArgs {
  port: number;
  protocol?: 'tcp' | 'udp';
  /** Specific addresses that also satisfy the check, besides the wildcard ones. */
  addresses?: string[];
}

const WILDCARDS = ['0.0.0.0', '*', '[::]', '::'];

/** Local addresses of listening sockets, from `ss -Hln[tu]` (4th column, `ADDR:PORT`). */
export function parseListening(r: ExecResult): { address: string; port: number }[] {
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[3])
    .filter((a): a is string => Boolean(a))
    .map((a) => {
      const i = a.lastIndexOf(':');
      return { address: a.slice(0, i).replace(/%\S+$/, ''), port: Number(a.slice(i + 1)) };
    });
}

/** The sockets listening on a protocol (`ss -Hln`): process state, in no file. */
const listeningFact: Fact<'tcp' | 'udp', { address: string; port: number }[]> = {
  kind: 'listening',
  id: (protocol) => protocol,
  read: { command: (protocol) => (protocol === 'udp' ? sh`ss -Hlnu` : sh`ss -Hlnt`) },
  parse: (r) => parseListening(r),
  unread: [],
  changedByWriting: READ_FROM_NO_FILE,
};

export const listeningModule: ModuleDef<ListeningArgs> = {
  name: 'listening',
  summary: 'check that a service listens on a port (on given addresses or on all)',
  schema: {
    type: 'object',
    properties: {
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      protocol: { enum: ['tcp', 'udp'] },
      addresses: { type: 'array', items: { type: 'string', format: 'ipv4' } },
    },
    required: ['port'],
    additionalProperties: false,
  },
  plan(args, state): Plan {
    const sockets = state.fact(listeningFact, args.protocol ?? 'tcp');
    const accepted = [...WILDCARDS, ...(args.addresses ?? [])];
    const match = sockets.find((s) => s.port === args.port && accepted.includes(s.address));
    if (match) return { kind: 'noop', reason: `${args.protocol ?? 'tcp'} port ${args.port} is listened on at ${match.address}` };
    const where = sockets.filter((s) => s.port === args.port).map((s) => s.address);
    return {
      kind: 'fail',
      message:
        `nothing listens on ${args.protocol ?? 'tcp'} port ${args.port} at ${accepted.filter((a) => a !== '*' && a !== '::').join(', ')}` +
        (where.length ? ` (only at ${where.join(', ')})` : ''),
    };
  },
};
