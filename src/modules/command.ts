/**
 * command and shell: run something whose effect only running it tells. `creates`/`removes` make
 * them idempotent; without those they count as a change, unless `changed_when` says otherwise.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { splitCommandLine } from './command-line.ts';
import { fileKey, fileProbe, type RemoteFile } from './remote-file.ts';
import type { ModuleDef, Plan, Probe, StateView } from './types.ts';

interface CommandArgs {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
}

const pathSchema = { type: 'string', pattern: '^/' };

function schema(withArgv: boolean): object {
  return {
    type: 'object',
    properties: {
      cmd: { type: 'string', minLength: 1 },
      ...(withArgv ? { argv: { type: 'array', items: { type: 'string' }, minItems: 1 } } : {}),
      chdir: pathSchema,
      creates: pathSchema,
      removes: pathSchema,
      stdin: { type: 'string' },
    },
    ...(withArgv ? { oneOf: [{ required: ['cmd'] }, { required: ['argv'] }] } : { required: ['cmd'] }),
    additionalProperties: false,
  };
}

function guardProbes(args: CommandArgs): Probe[] {
  return [args.creates, args.removes].filter((p): p is string => Boolean(p)).map((p) => fileProbe(p));
}

function guard(args: CommandArgs, state: StateView): Plan | undefined {
  if (args.creates && state.get<RemoteFile>(fileKey(args.creates)).exists) {
    return { kind: 'noop', reason: `${args.creates} exists (creates)` };
  }
  if (args.removes && !state.get<RemoteFile>(fileKey(args.removes)).exists) {
    return { kind: 'noop', reason: `${args.removes} does not exist (removes)` };
  }
  return undefined;
}

/** `creates`/`removes` declare the command's effect, so check mode can plan later tasks on it. */
function declared(args: CommandArgs): { effects?: Record<string, unknown> } {
  const effects: Record<string, unknown> = {};
  if (args.creates) effects[fileKey(args.creates)] = { exists: true, type: 'regular file' } satisfies RemoteFile;
  if (args.removes) effects[fileKey(args.removes)] = { exists: false } satisfies RemoteFile;
  return Object.keys(effects).length > 0 ? { effects } : {};
}

function inDir(args: CommandArgs, command: ShellText): ShellText {
  return args.chdir ? sh`cd ${args.chdir} && ${command}` : command;
}

export const commandModule: ModuleDef<CommandArgs> = {
  name: 'command',
  summary: 'run a program with arguments (no shell)',
  schema: schema(true),
  freeForm: (text) => ({ cmd: text }),
  probes: guardProbes,
  plan(args, state): Plan {
    const skip = guard(args, state);
    if (skip) return skip;
    const argv = args.argv ?? splitCommandLine(args.cmd!);
    if (argv.length === 0) return { kind: 'fail', message: 'command is empty' };
    return { kind: 'action', summary: argv.join(' '), commands: [{ command: inDir(args, sh`${argv}`), stdin: args.stdin }], changes: true, ...declared(args) };
  },
};

export const shellModule: ModuleDef<CommandArgs> = {
  name: 'shell',
  summary: 'run a command line through /bin/sh',
  schema: schema(false),
  freeForm: (text) => ({ cmd: text }),
  probes: guardProbes,
  plan(args, state): Plan {
    const skip = guard(args, state);
    if (skip) return skip;
    return { kind: 'action', summary: args.cmd!, commands: [{ command: inDir(args, sh`/bin/sh -c ${args.cmd!}`), stdin: args.stdin }], changes: true, ...declared(args) };
  },
};
