/**
 * wait_for: until a TCP port accepts (or refuses) connections, or a path appears (or goes), with a
 * bounded number of one-second tries. Waiting is not a change; a condition already met is a no-op.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh, ShellText } from '../shell/quote.ts';
import type { Fact } from '../facts/fact.ts';
import type { ModuleDef, Plan } from './types.ts';

interface WaitForArgs {
  port?: number;
  host?: string;
  path?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  timeout?: number;
}

/** bash's /dev/tcp opens a connection without needing nc or curl on the host. */
function condition(args: WaitForArgs): ShellText {
  const wantGone = args.state === 'stopped' || args.state === 'absent';
  const test = args.port !== undefined
    ? sh`timeout 2 bash -c ${`exec 3<>/dev/tcp/${args.host ?? '127.0.0.1'}/${args.port}`} 2>/dev/null`
    : sh`[ -e ${args.path!} ]`;
  return wantGone ? sh`! { ${test}; }` : test;
}

function what(args: WaitForArgs): string {
  const gone = args.state === 'stopped' || args.state === 'absent';
  return args.port !== undefined
    ? `port ${args.host ?? '127.0.0.1'}:${args.port} ${gone ? 'closed' : 'open'}`
    : `${args.path} ${gone ? 'absent' : 'present'}`;
}

/** Whether the condition holds already: then the task waits for nothing. */
const conditionMetFact: Fact<WaitForArgs, boolean> = {
  kind: 'wait_for',
  id: what,
  read: { command: (args) => sh`if ${condition(args)}; then echo met; else echo unmet; fi` },
  parse: (r: ExecResult) => r.stdout.trim() === 'met',
  unread: false,
};

export const waitForModule: ModuleDef<WaitForArgs> = {
  name: 'wait_for',
  summary: 'wait (bounded) for a TCP port or a path',
  schema: {
    type: 'object',
    properties: {
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      host: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }, { format: 'hostname' }] },
      path: { type: 'string', pattern: '^/' },
      state: { enum: ['started', 'stopped', 'present', 'absent'] },
      timeout: { type: 'integer', minimum: 1, maximum: 3600 },
    },
    oneOf: [{ required: ['port'] }, { required: ['path'] }],
    additionalProperties: false,
  },
  plan(args, state): Plan {
    if (state.fact(conditionMetFact, args)) return { kind: 'noop', reason: `${what(args)}` };
    const tries = args.timeout ?? 30;
    const loop = sh`i=0; until ${condition(args)}; do i=$((i+1)); if [ "$i" -ge ${tries} ]; then echo ${`timed out after ${tries} s waiting for ${what(args)}`} >&2; exit 1; fi; sleep 1; done`;
    return {
      kind: 'action',
      summary: `wait up to ${tries} s for ${what(args)}`,
      commands: [{ command: loop, timeoutMs: (tries * 3 + 10) * 1000 }],
      countsAsChange: false,
    };
  },
};
