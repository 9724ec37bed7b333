/**
 * What lvsdr reads of a systemd unit, under one state key per unit (`service:NAME`) that every module
 * touching units shares (systemd, service, and lvsdr's own units), so in check mode each sees the
 * others' would-be effects.
 */
import type { Fact } from '../facts/fact.ts';
import { fileKey } from '../facts/file.ts';
import { readFromUnitFiles, unitFileName } from '../facts/unit.ts';
import { sh } from '../shell/quote.ts';

export { parseServiceState, serviceKey, unitFact, unitFileName, unitStateProbe, type ServiceState } from '../facts/unit.ts';

/** What `systemctl enable`/`disable`/`mask` can change (RemoteCommand.touches): units, and their links. */
export const ENABLE_TOUCHES = ['service:*', fileKey('/etc/systemd/system')];
/** What `systemctl daemon-reload` can change: what systemd knows of every unit. */
export const RELOAD_TOUCHES = ['service:*'];

/** Where an administrator's (or a copy task's) unit file for `name` lives. */
export function localUnitPath(name: string): string {
  return `/etc/systemd/system/${unitFileName(name)}`;
}

/**
 * Every property `systemctl show` prints, as Ansible's systemd module returns them (`status`).
 * Only keys starting with Exec hold values over several lines, between braces; a lone line holding
 * `{` elsewhere (a Description) is a value of its own (Ansible's parse_systemctl_show).
 */
export function parseSystemctlShow(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  let key: string | undefined;
  let multi: string[] = [];
  for (const line of text.split('\n')) {
    if (key === undefined) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
      if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
        key = k;
        multi = [v];
        continue;
      }
      parsed[k] = v.trim();
    } else {
      multi.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed[key] = multi.join('\n').trim();
        key = undefined;
      }
    }
  }
  return parsed;
}

/**
 * The unit's `systemctl show` properties, reported as the result's `status`. Its key is of the
 * `service` kind, so whatever makes a unit's state be read again makes this be read again too.
 * Without a running systemd there is nothing to show: an empty status, as Ansible's.
 */
export const unitShowFact: Fact<string, Record<string, string>> = {
  kind: 'service',
  id: (name) => `${name}#show`,
  read: { command: (name) => sh`systemctl show ${name} 2>/dev/null || true` },
  parse: (r) => parseSystemctlShow(r.stdout),
  unread: {},
  changedByWriting: () => readFromUnitFiles,
};
