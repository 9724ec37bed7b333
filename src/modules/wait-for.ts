/**
 * wait_for: until a TCP port accepts (or refuses) connections, or a path appears (or goes), with a
 * bounded number of one-second tries. Waiting is not a change; a condition already met is a no-op.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh, ShellText } from '../shell/quote.ts';
import { ansibleIntSchema, toInt } from './ansible-values.ts';
import type { ModuleDef, Plan } from './types.ts';

interface WaitForArgs {
  /** Digits as a string too: `wait_for: port=80 timeout=20` gives strings, which Ansible's int type takes. */
  port?: number | string;
  host?: string;
  path?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  timeout?: number | string;
}

/** bash's /dev/tcp opens a connection without needing nc or curl on the host. */
function condition(args: WaitForArgs): ShellText {
  const wantGone = args.state === 'stopped' || args.state === 'absent';
  const test = args.port !== undefined
    ? sh`timeout 2 bash -c ${`exec 3<>/dev/tcp/${args.host ?? '127.0.0.1'}/${toInt(args.port)}`} 2>/dev/null`
    : sh`[ -e ${args.path!} ]`;
  return wantGone ? sh`! { ${test}; }` : test;
}

function what(args: WaitForArgs): string {
  const gone = args.state === 'stopped' || args.state === 'absent';
  return args.port !== undefined
    ? `port ${args.host ?? '127.0.0.1'}:${toInt(args.port)} ${gone ? 'closed' : 'open'}`
    : `${args.path} ${gone ? 'absent' : 'present'}`;
}

export const waitForModule: ModuleDef<WaitForArgs> = {
  name: 'wait_for',
  summary: 'wait (bounded) for a TCP port or a path',
  // Ansible's wait_for does not support check mode: skipped there, as ansible-playbook reports it.
  noCheckMode: true,
  schema: {
    type: 'object',
    properties: {
      port: ansibleIntSchema(1, 65535),
      host: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }, { format: 'hostname' }] },
      path: { type: 'string', pattern: '^/' },
      state: { enum: ['started', 'stopped', 'present', 'absent'] },
      timeout: ansibleIntSchema(1, 3600),
    },
    oneOf: [{ required: ['port'] }, { required: ['path'] }],
    additionalProperties: false,
  },
  probes: (args) => [
    {
      key: `wait_for:${what(args)}`,
      command: sh`if ${condition(args)}; then echo met; else echo unmet; fi`,
      parse: (r: ExecResult) => r.stdout.trim() === 'met',
    },
  ],
  plan(args, state): Plan {
    if (state.get<boolean>(`wait_for:${what(args)}`)) return { kind: 'noop', reason: `${what(args)}` };
    // Ansible's default timeout: 300 seconds.
    const tries = toInt(args.timeout) ?? 300;
    const loop = sh`i=0; until ${condition(args)}; do i=$((i+1)); if [ "$i" -ge ${tries} ]; then echo ${`timed out after ${tries} s waiting for ${what(args)}`} >&2; exit 1; fi; sleep 1; done`;
    return {
      kind: 'action',
      summary: `wait up to ${tries} s for ${what(args)}`,
      commands: [{ command: loop, timeoutMs: (tries * 3 + 10) * 1000 }],
      changes: false,
    };
  },
};
