/**
 * One setting of a firewalld zone (a port, a service, a rich rule, a source, an interface,
 * masquerade), read in the runtime and the permanent configuration separately with firewall-cmd's
 * `--query-*`, and changed with its `--add-*` / `--remove-*`. Without a running firewalld there is
 * no runtime configuration, and the permanent one is read and changed with firewall-offline-cmd.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { FIREWALLD_RUNNING, FIREWALLD_UNIT } from './firewalld-direct.ts';
import { unitProbe } from './lvs-state.ts';
import type { Probe } from './types.ts';

export type ZoneSettingKind = 'port' | 'service' | 'rich-rule' | 'source' | 'interface' | 'masquerade';

export interface ZoneSetting {
  kind: ZoneSettingKind;
  /** The setting's value (`80/tcp`, `http`, …); none for masquerade. */
  value?: string;
  /** Default: firewalld's default zone. */
  zone?: string;
}

export type Configuration = 'runtime' | 'permanent';

export const settingKey = (s: ZoneSetting, which: Configuration): string => `firewalld:${s.kind}:${which}:${s.zone ?? '(default)'}:${s.value ?? ''}`;

const zoneWords = (s: ZoneSetting): ShellText => (s.zone ? sh` --zone=${s.zone}` : new ShellText(''));

/** `--query-port=80/tcp`, `--add-masquerade`: the option with the setting's value, if it has one. */
export function settingOption(s: ZoneSetting, op: 'query' | 'add' | 'remove' | 'change'): ShellText {
  const option = new ShellText(`--${op}-${s.kind}`);
  return s.value === undefined ? sh`${zoneWords(s)} ${option}` : sh`${zoneWords(s)} ${option}=${s.value}`;
}

function yesNo(stdout: string, what: string): boolean {
  const answer = stdout.trim().split('\n').at(-1);
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  throw new Error(`${what}: unexpected answer ${JSON.stringify(stdout.trim())}`);
}

/** The unit, then the setting at runtime (null: firewalld is stopped) and in the permanent configuration. */
export function zoneSettingProbes(s: ZoneSetting): Probe[] {
  const query = settingOption(s, 'query');
  return [
    unitProbe(FIREWALLD_UNIT),
    {
      key: settingKey(s, 'runtime'),
      command: sh`if ${FIREWALLD_RUNNING}; then firewall-cmd${query}; else echo stopped; fi`,
      parse: (r) => (r.stdout.trim() === 'stopped' ? null : yesNo(r.stdout, `firewall-cmd --query-${s.kind}`)),
    },
    {
      key: settingKey(s, 'permanent'),
      command: sh`if ${FIREWALLD_RUNNING}; then firewall-cmd --permanent${query}; else firewall-offline-cmd${query} 2>/dev/null; fi`,
      parse: (r) => yesNo(r.stdout, `firewall-cmd --permanent --query-${s.kind}`),
    },
  ];
}

/** The command that adds or removes the setting in one configuration; offline when firewalld is stopped. */
export function settingCommand(s: ZoneSetting, which: Configuration, on: boolean, running: boolean): ShellText {
  // An interface belongs to one zone: --change-interface moves it from another zone, as Ansible's module does.
  const op = on ? (s.kind === 'interface' ? 'change' : 'add') : 'remove';
  const tool = which === 'runtime' ? sh`firewall-cmd` : running ? sh`firewall-cmd --permanent` : sh`firewall-offline-cmd`;
  return sh`${tool}${settingOption(s, op)}`;
}
