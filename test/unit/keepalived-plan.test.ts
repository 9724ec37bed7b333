import { describe, expect, it } from 'vitest';
import { keepalivedDaemonKey, parseKeepalivedRunning } from '../../src/modules/keepalived-commands.ts';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import { planKeepalived } from '../../src/modules/keepalived.ts';
import { fileKey, type RemoteFile } from '../../src/modules/remote-file.ts';
import type { Plan } from '../../src/modules/types.ts';
import { fullArgs, minimalArgs } from './keepalived-args.ts';

const LIVE = '/etc/keepalived/keepalived.conf';
const regular = (content: string, mode = '644'): RemoteFile => ({ exists: true, type: 'regular file', mode, owner: 'root', group: 'root', size: content.length, content });
const commandsOf = (p: Plan): string[] => (p.kind === 'change' ? p.changes.flatMap((c) => c.commands.map((x) => x.command.text)) : []);

/** The shell creates the candidate with the mode already right: 0666 less the umask. */
const writeCandidate = (umask: string) =>
  `tmp=/etc/keepalived/.keepalived.conf.lvsdr-new.lvsdr-$$ && { umask ${umask} && dd of="$tmp" bs=65536 conv=excl,fsync status=none && mv -f "$tmp" /etc/keepalived/keepalived.conf.lvsdr-new && sync /etc/keepalived; } || { rc=$?; rm -f "$tmp"; exit $rc; }`;
const configTest =
  `out=$(keepalived --config-test -f /etc/keepalived/keepalived.conf.lvsdr-new 2>&1); rc=$?; if [ "$rc" -ne 0 ]; then rm -f /etc/keepalived/keepalived.conf.lvsdr-new; printf '%s\\n' "$out" >&2; echo "keepalived --config-test rejected the new configuration (exit $rc); "/etc/keepalived/keepalived.conf" was not changed" >&2; exit "$rc"; fi`;
const install = 'mv -f /etc/keepalived/keepalived.conf.lvsdr-new /etc/keepalived/keepalived.conf && sync /etc/keepalived';

describe('planKeepalived', () => {
  const content = renderKeepalivedConfig(fullArgs());

  it('is a no-op when the live file already has the configuration', () => {
    expect(planKeepalived(fullArgs(), regular(content), 'unit', true)).toEqual({ kind: 'noop', reason: `${LIVE} already has this configuration and keepalived is running` });
    expect(planKeepalived(fullArgs(), regular(content), 'none', true)).toEqual({ kind: 'noop', reason: `${LIVE} already has this configuration` });
  });

  it('writes a candidate, has keepalived test it, renames it in place and reloads the unit — never restarts', () => {
    const plan = planKeepalived(fullArgs(), regular('old\n', '600'), 'unit', true);
    expect(commandsOf(plan)).toEqual([writeCandidate('0177'), configTest, install, 'systemctl reload keepalived']);
    if (plan.kind !== 'change') return;
    expect(plan.changes[0].commands[0].stdin).toBe(content);
    expect(plan.changes[0].summary).toBe(`update ${LIVE} (installed only if keepalived --config-test accepts it; auth_pass changed)`);
    expect(plan.changes[1].summary).toMatch(/^reload keepalived/);
    expect((plan.changes[0].effects[fileKey(LIVE)] as RemoteFile).content).toBe(content);
    expect(commandsOf(plan).join('\n')).not.toMatch(/restart/);
  });

  it('signals a keepalived that runs without its unit through its pid file', () => {
    expect(commandsOf(planKeepalived(minimalArgs(), regular('old\n'), 'process', false)).at(-1)).toBe('kill -HUP "$(cat /run/keepalived.pid)"');
  });

  it('creates a missing file 0640 and leaves a stopped keepalived alone unless asked to start it', () => {
    const quiet = planKeepalived(minimalArgs(), { exists: false }, 'none', true);
    expect(commandsOf(quiet)).toEqual(['[ -d /etc/keepalived ] || mkdir -p /etc/keepalived', writeCandidate('0137'), configTest, install]);
    expect(quiet.kind === 'change' && quiet.changes[0].summary).toBe(`create ${LIVE} (installed only if keepalived --config-test accepts it; keepalived is not running, so nothing reloads it)`);
    expect(commandsOf(planKeepalived({ ...minimalArgs(), state: 'started' }, { exists: false }, 'none', true)).at(-1)).toBe('systemctl start keepalived');
    expect(commandsOf(planKeepalived({ ...minimalArgs(), state: 'started' }, { exists: false }, 'none', false)).at(-1)).toBe(
      `keepalived -f ${LIVE} && sleep 1 && { p=$(cat /run/keepalived.pid 2>/dev/null) && kill -0 "$p" 2>/dev/null || { echo "keepalived exited right after it started; run: keepalived -n -l -f "${LIVE}" to see why" >&2; exit 1; }; }`,
    );
  });

  it('starts a stopped keepalived whose configuration is already right, and records it as running', () => {
    const plan = planKeepalived({ ...minimalArgs(), state: 'started' }, regular(renderKeepalivedConfig(minimalArgs())), 'none', true);
    expect(commandsOf(plan)).toEqual(['systemctl start keepalived']);
    expect(plan.kind === 'change' && plan.changes[0].effects).toEqual({ [keepalivedDaemonKey]: 'unit' });
  });

  it('shows the diff with the VRRP password hidden', () => {
    const plan = planKeepalived(fullArgs(), regular(content.replace('lvs_sched wrr', 'lvs_sched rr')), 'unit', true);
    if (plan.kind !== 'change') throw new Error('expected a change');
    const diff = plan.changes[0].diff;
    expect(diff).toMatchObject({ kind: 'file', path: LIVE });
    expect(diff?.kind === 'file' && diff.before).toContain('lvs_sched rr');
    expect(diff?.kind === 'file' && diff.after).toContain('lvs_sched wrr');
    expect(JSON.stringify(plan.changes.map((c) => [c.summary, c.diff, c.commands.map((x) => x.command.text)]))).not.toContain('s3cret');
    expect(diff?.kind === 'file' && diff.after).toContain('auth_pass (hidden)');
    expect(plan.changes[0].summary).not.toContain('auth_pass changed');
  });

  it('writes to the path it is given', () => {
    expect(commandsOf(planKeepalived({ ...minimalArgs(), path: '/srv/k/ka.conf' }, { exists: false }, 'none', true))).toEqual(expect.arrayContaining(['[ -d /srv/k ] || mkdir -p /srv/k', 'mv -f /srv/k/ka.conf.lvsdr-new /srv/k/ka.conf && sync /srv/k']));
  });

  it('fails before touching the host on what keepalived would refuse, and on a directory in the way', () => {
    const zero = planKeepalived({ virtual_servers: [{ vip: '198.18.0.100', port: 80, lb_algo: 'rr', real_servers: [{ ip: '198.18.0.11', weight: 0 }] }] }, { exists: false }, 'unit', true);
    expect(zero).toMatchObject({ kind: 'fail', message: expect.stringContaining('quorum 1 is above the total weight of the real servers (0)') });
    expect(planKeepalived(minimalArgs(), { exists: true, type: 'directory' }, 'unit', true)).toMatchObject({ kind: 'fail', message: expect.stringContaining('is a directory') });
  });
});

describe('parseKeepalivedRunning', () => {
  it('reads the probe word and refuses anything else', () => {
    expect(parseKeepalivedRunning({ code: 0, stdout: 'unit\n', stderr: '' })).toBe('unit');
    expect(parseKeepalivedRunning({ code: 0, stdout: 'none\n', stderr: '' })).toBe('none');
    expect(() => parseKeepalivedRunning({ code: 1, stdout: '', stderr: 'sh: cat: Permission denied' })).toThrow(/Permission denied/);
  });
});
