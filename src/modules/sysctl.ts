/**
 * `lvs_sysctl`: a kernel parameter at runtime (`sysctl -w`) and in a sysctl.d file, where only the
 * parameter's own line is touched. Several tasks editing one file compose: each plans on the
 * file's current or would-be content (state key `file:<path>`) and records what it leaves there.
 */
import { normalizeSysctlName, normalizeSysctlValue, setSysctlConfLine, sysctlConfValues } from '../facts/parsers/sysctl-conf.ts';
import { sh } from '../shell/quote.ts';
import { layoutFor, noLayoutMessage } from './layout.ts';
import { pathSchema, stateSchema, type PresentAbsent } from './lvs-schema.ts';
import { removeFileChange, writeFileChange } from './persisted-file-change.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact, knownContent } from '../facts/file.ts';
import { sysctlFact } from '../facts/sysctl.ts';
import type { Change, ModuleContext, ModuleDef, Plan, StateView } from './types.ts';
import { sysctlRuntime, type SysctlRuntime } from './sysctl-effective.ts';

export interface SysctlArgs {
  name: string;
  value?: string | number;
  file?: string;
  state?: PresentAbsent;
  reload?: boolean;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    // Dotted (or slashed) names; interface parts may hold `@`, `:` and `-`, never spaces or `=`.
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*([./][A-Za-z0-9_@:-]+)+$', maxLength: 200 },
    value: {
      description: 'With state absent: the runtime value to put back (the line is removed from the file).',
      oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^[A-Za-z0-9_.:/,+-]+([ \\t][A-Za-z0-9_.:/,+-]+)*$', maxLength: 255 }],
    },
    file: { ...pathSchema, pattern: '^/[A-Za-z0-9_.@+/-]{1,249}\\.conf$' },
    state: stateSchema,
    reload: { type: 'boolean', default: true, description: 'Also set the runtime value with sysctl -w.' },
  },
  if: { properties: { state: { const: 'present' } } },
  then: { required: ['value'] },
};

function sysctlFile(args: SysctlArgs, ctx: ModuleContext): string | undefined {
  return args.file ?? layoutFor(ctx.facts.osFamily)?.sysctlFile;
}

export function planSysctl(args: SysctlArgs, state: StateView, ctx: ModuleContext): Plan {
  const file = sysctlFile(args, ctx);
  if (!file) return { kind: 'fail', message: noLayoutMessage(ctx.facts.osFamily, ['file']) };
  const name = normalizeSysctlName(args.name);
  const wanted = args.value === undefined ? null : normalizeSysctlValue(String(args.value));
  const present = (args.state ?? 'present') === 'present';
  const runtime = sysctlRuntime(name, state);
  const current = runtime.current;
  const fileState = state.fact(fileFact, file);
  const content = knownContent(fileState);
  if (fileState.exists && content === null) return { kind: 'fail', message: `${file} is too large or not a regular file; lvsdr will not edit it` };

  const changes: Change[] = [];
  const runtimeWanted = args.reload !== false && wanted !== null;
  if (runtimeWanted && current === null) {
    return { kind: 'fail', message: `sysctl ${name} does not exist on this host (for net.ipv4.conf.<interface>.*, is the interface there?)` };
  }
  const after = runtimeWanted ? wanted : current;
  const note = runtime.note(after);
  if (runtimeWanted && current !== wanted) {
    changes.push({
      summary: `${name} ${current} → ${wanted}${note}`,
      // Setting a conf.all or conf.default value can change other keys too.
      commands: [{ command: sh`sysctl -w ${name}=${wanted}`, touches: ['sysctl:*'] }],
      diff: { kind: 'value', name, before: current, after: wanted },
      effects: factEffect(sysctlFact, name, wanted),
    });
  }

  const inFile = sysctlConfValues(content, name);
  if (present && !(inFile.length === 1 && inFile[0] === wanted)) {
    const verb = inFile.length === 0 ? 'add' : 'set';
    // Written twice (two runs that raced, or a hand edit) is drift too: the file keeps one line.
    const twice = inFile.length > 1 ? ` (it was there ${inFile.length} times)` : '';
    changes.push(writeFileChange(`${verb} ${name} = ${wanted} in ${file}${twice}`, file, fileState, setSysctlConfLine(content, name, wanted)));
  } else if (!present && inFile.length > 0) {
    const rest = setSysctlConfLine(content, name, null);
    changes.push(
      rest.trim() === ''
        ? removeFileChange(`remove ${file} (its last line was ${name})`, file, fileState)
        : writeFileChange(`remove ${name} from ${file}`, file, fileState, rest),
    );
  }

  if (changes.length > 0) return { kind: 'change', changes };
  const shown = args.reload === false ? `runtime ${current ?? 'missing'} (not managed)` : `already ${current}`;
  const persisted = present ? `${file} has it` : `not in ${file}`;
  return {
    kind: 'noop',
    reason: `${name} ${shown}${note}; ${persisted}`,
    result: { value: current, ...effectiveResult(runtime) },
  };
}

function effectiveResult(runtime: SysctlRuntime): Record<string, unknown> {
  const effective = runtime.effective(runtime.current);
  return effective === undefined ? {} : { effective };
}

export const sysctlModule: ModuleDef<SysctlArgs> = {
  name: 'lvs_sysctl',
  summary: 'Set a kernel parameter at runtime and in its own line of a sysctl.d file',
  schema,
  plan: planSysctl,
};
