/**
 * keepalived: the director's keepalived.conf (virtual servers, lvs_method DR unless told
 * otherwise; VRRP instances, scripts and sync groups) rendered from structured arguments, checked by keepalived itself before it replaces
 * the live file, and applied with a reload — never a restart, which would drop every virtual
 * server and VIP until keepalived came back.
 */
import { createHash } from 'node:crypto';
import {
  installConfigCommands,
  keepalivedDaemonFact,
  reloadCommand,
  startCommand,
  type KeepalivedRunning,
} from './keepalived-commands.ts';
import { renderKeepalivedConfig } from './keepalived-config.ts';
import { fwmarkRuleProblems, missingFwmarkRules } from './keepalived-marks.ts';
import { keepalivedConfigProblems } from './keepalived-problems.ts';
import { DEFAULT_KEEPALIVED_CONF, keepalivedSchema, type KeepalivedArgs } from './keepalived-schema.ts';
import { writtenFile } from './persisted-file-change.ts';
import { factEffect } from '../facts/fact.ts';
import { fileFact, knownContent, type RemoteFile } from '../facts/file.ts';
import { parentDirCommand } from './remote-file.ts';
import type { Change, ModuleDef, Plan } from './types.ts';

/** A new file may hold the VRRP password, so it is not world-readable. */
const NEW_FILE_MODE = '0640';

/** The VRRP password never appears in --diff or --json output; the summary says when it changed. */
function hideSecrets(text: string | null): string | null {
  return text === null ? null : text.replace(/^(\s*auth_pass\s+)\S+/gm, '$1(hidden)');
}

const secretOf = (text: string) => /^\s*auth_pass\s+(\S+)/m.exec(text)?.[1];

function sameContent(current: RemoteFile, content: string): boolean {
  if (!current.exists) return false;
  if (current.content !== undefined) return current.content === content;
  return current.sha256 === createHash('sha256').update(content).digest('hex');
}

function configChange(live: string, current: RemoteFile, content: string, running: KeepalivedRunning, state: KeepalivedArgs['state']): Change {
  const before = knownContent(current);
  const mode = current.exists && current.mode ? current.mode : NEW_FILE_MODE;
  const notes = ['installed only if keepalived --config-test accepts it'];
  if (before !== null && secretOf(before) !== secretOf(content)) notes.push('auth_pass changed');
  if (running === 'none' && state !== 'started') notes.push('keepalived is not running, so nothing reloads it');
  return {
    summary: `${current.exists ? 'update' : 'create'} ${live} (${notes.join('; ')})`,
    // Before keepalived is installed (or for a path of one's own) the directory may not exist yet.
    commands: [...(current.exists ? [] : [parentDirCommand(live)]), ...installConfigCommands(live, content, mode)],
    diff: { kind: 'file', path: live, before: hideSecrets(before), after: hideSecrets(content) },
    effects: factEffect(fileFact, live, writtenFile(current, content, mode)),
  };
}

/** What the configuration and its fwmark rules contradict, each at its argument. */
const keepalivedArgProblems = (args: KeepalivedArgs) => [...keepalivedConfigProblems(args), ...fwmarkRuleProblems(args, args.fwmark_rules ?? [])];

/** `unmarked`: why the fwmark services' traffic is not marked on the director yet (keepalived-marks.ts), if so. */
export function planKeepalived(args: KeepalivedArgs, current: RemoteFile, running: KeepalivedRunning, systemd: boolean, unmarked?: string): Plan {
  const live = args.path ?? DEFAULT_KEEPALIVED_CONF;
  const problems = keepalivedArgProblems(args);
  if (problems.length > 0) return { kind: 'fail', message: problems.map((p) => p.message).join('\n') };
  if (unmarked) return { kind: 'fail', message: unmarked };
  if (current.exists && !current.type?.startsWith('regular')) {
    return { kind: 'fail', message: `${live} exists and is a ${current.type}, not a regular file; remove it or give another path` };
  }
  const content = renderKeepalivedConfig(args);
  const changes: Change[] = [];
  if (!sameContent(current, content)) {
    changes.push(configChange(live, current, content, running, args.state));
    if (running !== 'none') {
      changes.push({ summary: 'reload keepalived (SIGHUP: virtual servers and VIPs stay up)', commands: [reloadCommand(running)], effects: {} });
    }
  }
  if (running === 'none' && args.state === 'started') {
    changes.push({
      summary: 'start keepalived',
      commands: [startCommand(systemd, live)],
      diff: { kind: 'value', name: 'keepalived running', before: 'false', after: 'true' },
      effects: factEffect(keepalivedDaemonFact, undefined, systemd ? 'unit' : 'process'),
    });
  }
  if (changes.length === 0) {
    return { kind: 'noop', reason: `${live} already has this configuration${running === 'none' ? '' : ' and keepalived is running'}` };
  }
  return { kind: 'change', changes };
}

export const keepalivedModule: ModuleDef<KeepalivedArgs> = {
  name: 'keepalived',
  summary: "render the director's keepalived.conf (LVS virtual servers, VRRP), validate it, reload keepalived",
  schema: keepalivedSchema,
  argProblems: keepalivedArgProblems,
  plan(args, state, ctx): Plan {
    const live = args.path ?? DEFAULT_KEEPALIVED_CONF;
    const unmarked = missingFwmarkRules(args.fwmark_rules ?? [], state, ctx);
    return planKeepalived(args, state.fact(fileFact, live), state.fact(keepalivedDaemonFact, undefined), ctx.facts.systemdRunning, unmarked);
  },
};
