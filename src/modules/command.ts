/**
 * command and shell: run something whose effect only running it tells. `creates`/`removes` make
 * them idempotent; without those they count as a change, unless `changed_when` says otherwise.
 */
import { posix } from 'node:path';
import { sh, ShellText } from '../shell/quote.ts';
import { expandedArgvCommand, needsExpansion } from './command-expansion.ts';
import { splitCommandLine } from './command-line.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact } from '../facts/file.ts';
import type { ModuleDef, Plan, StateView } from './types.ts';

interface CommandArgs {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
}

/**
 * `creates`/`removes`: Ansible checks them after changing to `chdir`, so a relative one is taken
 * from there (a relative one without `chdir` would depend on the login's home: refused). Ansible
 * matches them as globs; lvsdr checks one path, so a glob is refused rather than read literally.
 */
const guardPathSchema = {
  type: 'string',
  minLength: 1,
  pattern: '^[^*?[]*$',
  description: 'name one path (Ansible would read * ? [ as a glob, which lvsdr does not): an absolute one, or one relative to chdir',
};
// `{` left out of the condition: a templated path is checked once rendered, when the task runs.
const relativeNeedsChdir = (name: string) => ({ if: { properties: { [name]: { pattern: '^[^/{]' } }, required: [name] }, then: { required: ['chdir'] } });

function schema(withArgv: boolean): object {
  return {
    type: 'object',
    properties: {
      cmd: { type: 'string', minLength: 1 },
      ...(withArgv ? { argv: { type: 'array', items: { type: 'string' }, minItems: 1 } } : {}),
      chdir: { type: 'string', pattern: '^/' },
      creates: guardPathSchema,
      removes: guardPathSchema,
      stdin: { type: 'string' },
    },
    ...(withArgv ? { oneOf: [{ required: ['cmd'] }, { required: ['argv'] }] } : { required: ['cmd'] }),
    allOf: [relativeNeedsChdir('creates'), relativeNeedsChdir('removes')],
    additionalProperties: false,
  };
}

/** The absolute path of a `creates`/`removes` argument. */
function guardPath(args: CommandArgs, path: string | undefined): string | undefined {
  return path === undefined || path.startsWith('/') || !args.chdir ? path : posix.join(args.chdir, path);
}

function guard(args: CommandArgs, state: StateView): Plan | undefined {
  const creates = guardPath(args, args.creates);
  const removes = guardPath(args, args.removes);
  if (creates && state.fact(fileFact, creates).exists) {
    return { kind: 'noop', reason: `${creates} exists (creates)` };
  }
  if (removes && !state.fact(fileFact, removes).exists) {
    return { kind: 'noop', reason: `${removes} does not exist (removes)` };
  }
  return undefined;
}

/** `creates`/`removes` declare the command's effect, so check mode can plan later tasks on it. */
function declared(args: CommandArgs): { effects?: Record<string, unknown> } {
  const creates = guardPath(args, args.creates);
  const removes = guardPath(args, args.removes);
  const effects = {
    ...(creates ? factEffect(fileFact, creates, { exists: true, type: 'regular file' }) : {}),
    ...(removes ? factEffect(fileFact, removes, { exists: false }) : {}),
  };
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
  plan(args, state): Plan {
    const skip = guard(args, state);
    if (skip) return skip;
    const argv = args.argv ?? splitCommandLine(args.cmd!);
    if (argv.length === 0) return { kind: 'fail', message: 'command is empty' };
    const run = needsExpansion(argv) ? expandedArgvCommand(argv) : sh`${argv}`;
    return { kind: 'action', summary: argv.join(' '), commands: [{ command: inDir(args, run), stdin: args.stdin }], countsAsChange: true, ...declared(args) };
  },
};

export const shellModule: ModuleDef<CommandArgs> = {
  name: 'shell',
  summary: 'run a command line through /bin/sh',
  schema: schema(false),
  freeForm: (text) => ({ cmd: text }),
  plan(args, state): Plan {
    const skip = guard(args, state);
    if (skip) return skip;
    return { kind: 'action', summary: args.cmd!, commands: [{ command: inDir(args, sh`/bin/sh -c ${args.cmd!}`), stdin: args.stdin }], countsAsChange: true, ...declared(args) };
  },
};
