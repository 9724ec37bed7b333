/**
 * wait_for (ansible.builtin.wait_for): until a TCP port accepts connections (or stops), a path
 * appears (or goes), a file or a port's first answer matches `search_regex`, or, with neither port
 * nor path, for `timeout` seconds; after `delay`, trying every `sleep` seconds until `timeout`, as
 * Ansible's module does (modules/wait_for.py), in one loop on the host. Waiting is not a change.
 * Ansible's module does not run in check mode, so the task is skipped there.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { ansibleIntSchema, toInt } from './ansible-values.ts';
import { PyRegexError, translatePyRegex } from './python-regex.ts';
import type { ModuleDef, Plan } from './types.ts';

interface WaitForArgs {
  port?: number | string;
  host?: string;
  path?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  search_regex?: string;
  delay?: number | string;
  timeout?: number | string;
  sleep?: number | string;
  connect_timeout?: number | string;
  msg?: string;
}

const gone = (a: WaitForArgs): boolean => a.state === 'stopped' || a.state === 'absent';

/**
 * The condition, tried once. bash's /dev/tcp opens a connection without nc on the host. A pattern
 * is Python's, run by grep -P (Perl's, which reads the patterns lvsdr accepts alike): in a file as
 * re.MULTILINE over its whole text (-z), in a port's answer line by line, as it arrives.
 */
function condition(a: WaitForArgs, host: string, port: number | undefined): ShellText {
  const connectTimeout = toInt(a.connect_timeout) ?? 5;
  if (port !== undefined) {
    const open = `exec 3<>/dev/tcp/${host}/${port}`;
    if (a.search_regex !== undefined && !gone(a)) {
      return sh`timeout "$left" bash -c ${`${open} || exit 1; grep -Pq -e "$1" <&3`} wait_for ${a.search_regex} 2>/dev/null`;
    }
    return sh`timeout ${connectTimeout} bash -c ${open} 2>/dev/null`;
  }
  if (a.search_regex !== undefined && !gone(a)) return sh`[ -e ${a.path!} ] && grep -Pzq -e ${`(?m)${a.search_regex}`} -- ${a.path!} 2>/dev/null`;
  return sh`[ -e ${a.path!} ]`;
}

/** Ansible's timeout messages (or `msg`). */
function timeoutMessage(a: WaitForArgs, host: string, port: number | undefined): string {
  if (a.msg !== undefined) return a.msg;
  if (port !== undefined) {
    if (gone(a)) return `Timeout when waiting for ${host}:${port} to stop.`;
    return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${host}:${port}` : `Timeout when waiting for ${host}:${port}`;
  }
  if (gone(a)) return `Timeout when waiting for ${a.path} to be absent.`;
  return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
}

function summaryOf(a: WaitForArgs, host: string, port: number | undefined, timeout: number): string {
  if (port === undefined && a.path === undefined) return `wait ${timeout} s`;
  const what = port !== undefined ? `port ${host}:${port} ${gone(a) ? 'closed' : 'open'}` : `${a.path} ${gone(a) ? 'absent' : 'present'}`;
  return `wait up to ${timeout} s for ${what}${a.search_regex !== undefined && !gone(a) ? ` and matching ${a.search_regex}` : ''}`;
}

const seconds = ansibleIntSchema(0);

export const waitForModule: ModuleDef<WaitForArgs> = {
  name: 'wait_for',
  summary: 'wait (bounded) for a TCP port, a path, a pattern in a file or a port, or some seconds',
  supportsCheckMode: false,
  schema: {
    type: 'object',
    properties: {
      port: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^[0-9]{1,5}$' }] },
      host: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }, { format: 'hostname' }] },
      path: { type: 'string', pattern: '^/' },
      state: { enum: ['started', 'stopped', 'present', 'absent'] },
      search_regex: { type: 'string' },
      delay: seconds,
      timeout: seconds,
      sleep: seconds,
      connect_timeout: seconds,
      msg: { type: 'string' },
    },
    additionalProperties: false,
  },
  argProblems(a) {
    const problems: { path: string; message: string }[] = [];
    if (a.port !== undefined && a.path !== undefined) problems.push({ path: '/path', message: 'port and path parameter can not both be passed to wait_for' });
    if (a.path !== undefined && a.state === 'stopped') problems.push({ path: '/state', message: 'state=stopped should only be used for checking a port in the wait_for module' });
    if (a.search_regex !== undefined) {
      try {
        translatePyRegex(a.search_regex, 'bytes', { multiline: true });
      } catch (err) {
        if (!(err instanceof PyRegexError)) throw err;
        problems.push({ path: '/search_regex', message: `${err.message} (at offset ${err.offset} of the regular expression)` });
      }
    }
    return problems;
  },
  plan(a): Plan {
    const host = a.host ?? '127.0.0.1';
    const port = toInt(a.port);
    const timeout = toInt(a.timeout) ?? 300;
    const delay = toInt(a.delay) ?? 0;
    const pause = toInt(a.sleep) ?? 1;
    const first = delay > 0 ? sh`sleep ${delay}; ` : new ShellText('');
    let loop: ShellText;
    if (port === undefined && a.path === undefined) loop = sh`sleep ${timeout}`;
    else {
      const test = condition(a, host, port);
      const met = gone(a) ? sh`! { ${test}; }` : test;
      // The time left bounds a wait for a port's answer, as Ansible's select() does.
      loop = sh`end=$(( $(date +%s) + ${timeout} )); while left=$(( end - $(date +%s) )); [ "$left" -gt 0 ]; do if ${met}; then exit 0; fi; sleep ${pause}; done; echo ${timeoutMessage(a, host, port)} >&2; exit 1`;
    }
    return {
      kind: 'action',
      summary: summaryOf(a, host, port, timeout),
      commands: [{ command: sh`${first}${loop}`, timeoutMs: (delay + timeout + Math.max(pause, toInt(a.connect_timeout) ?? 5) + 10) * 1000, touches: [] }],
      countsAsChange: false,
      result: { state: a.state ?? 'started', port: port ?? null, path: a.path ?? null, search_regex: a.search_regex ?? null },
    };
  },
};
