/**
 * playbooks/director.yml as the executor sees it: loaded and validated against an inventory, its
 * keepalived arguments rendered with the director's variables, checked by the module's schema —
 * and the resulting file accepted by the real `keepalived --config-test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, UserError } from '../../src/core/errors.ts';
import { loadInventory } from '../../src/core/inventory/index.ts';
import type { Playbook } from '../../src/core/playbook/types.ts';
import { checkModuleArgs, loadValidPlaybook } from '../../src/core/playbook/validate.ts';
import { renderValue } from '../../src/core/templating.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import type { HostFacts } from '../../src/facts/types.ts';
import { renderKeepalivedConfig } from '../../src/modules/keepalived-config.ts';
import type { KeepalivedArgs } from '../../src/modules/keepalived-schema.ts';

const PLAYBOOK = new URL('../../playbooks/director.yml', import.meta.url).pathname;
const INVENTORY = new URL('../fixtures/keepalived/inventory.yml', import.meta.url).pathname;

const facts: HostFacts = {
  hostname: 'dir1', osFamily: 'Debian', distribution: 'debian', distributionVersion: '12', systemdRunning: true,
  interfaces: [], defaultInterface: 'eth0', tools: {},
};

/**
 * The director's keepalived arguments, rendered, and the problems lvsdr reports about them — before
 * connecting (validation) or right before the task runs (the executor's check), whichever finds them.
 */
function directorArgs(extraVars: Record<string, unknown> = {}): { args?: KeepalivedArgs; problems: string[] } {
  const inventory = loadInventory([INVENTORY]);
  let playbook: Playbook;
  try {
    playbook = loadValidPlaybook(PLAYBOOK, inventory, { extraVars });
  } catch (err) {
    if (err instanceof UserError) return { args: undefined, problems: err.problems.map(formatProblem) };
    throw err;
  }
  const play = playbook.plays[0];
  const task = play.tasks.find((t) => t.module === 'keepalived')!;
  const host = inventory.hosts.get('dir1')!;
  const vars = buildHostVars({ inventory, host, play, extraVars, facts, registered: {}, checkMode: true, playbookDir: playbook.dir });
  const args = renderValue(task.args, vars) as KeepalivedArgs;
  return { args, problems: checkModuleArgs(task, args).map(formatProblem) };
}

function acceptedArgs(extraVars: Record<string, unknown> = {}): KeepalivedArgs {
  const { args, problems } = directorArgs(extraVars);
  expect(problems).toEqual([]);
  return args!;
}

const realServers = (text: string) => [...text.matchAll(/real_server (\S+) (\d+) \{\n\s+weight (\d+)/g)].map((m) => `${m[1]}:${m[2]} w${m[3]}`);

describe('playbooks/director.yml', () => {
  it('renders one DR virtual server per VIP and port, each with every real server', () => {
    const args = acceptedArgs();
    const text = renderKeepalivedConfig(args);
    expect([...text.matchAll(/virtual_server (\S+ \d+) \{\n\s+delay_loop 6\n\s+lb_algo (\w+)\n\s+lb_kind DR\n\s+protocol (\w+)/g)].map((m) => m.slice(1).join(' '))).toEqual([
      '198.18.0.100 80 wrr TCP',
      '198.18.0.100 443 wrr TCP',
      '198.18.0.101 53 rr UDP',
    ]);
    expect(realServers(text).slice(0, 3)).toEqual(['198.18.0.11:80 w1', '198.18.0.12:80 w3', '198.18.1.13:80 w1']);
    expect(text).toContain('path /healthz');
    expect(args.vrrp).toBeNull();
    expect(args.global_defs).toEqual({ router_id: 'dir1' });
    expect(args.state).toBe('started');
  });

  it('takes rollout weights and exclusions from extra vars', () => {
    const args = acceptedArgs({ lvs_director_weights: { rs3: 0 }, lvs_director_exclude: ['rs1'] });
    expect(realServers(renderKeepalivedConfig(args)).slice(0, 2)).toEqual(['198.18.0.12:80 w3', '198.18.1.13:80 w0']);
  });

  it('refuses a typo in lvs_lb_algo before anything reaches the director, listing the schedulers', () => {
    const { problems } = directorArgs({ lvs_lb_algo: 'wrrr' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/director\.yml:\d+:\d+: argument 'virtual_servers\.0\.lb_algo' must be one of "rr", "wrr", "lc", "wlc", "lblc", "sh", "dh", "sed", "nq", not "wrrr"/);
  });

  it('produces a file keepalived --config-test accepts, VRRP pair included', () => {
    const iface = readdirSync('/sys/class/net').find((n) => n !== 'lo' && readFileSync(`/sys/class/net/${n}/operstate`, 'utf8').trim() === 'up');
    const args = acceptedArgs({ lvs_vrrp: { state: 'BACKUP', priority: 100, virtual_router_id: 51, interface: iface, auth_pass: 'lab-pass' } });
    expect(args.vrrp).toMatchObject({ name: 'VI_LVS', state: 'BACKUP', virtual_ipaddresses: ['198.18.0.100', '198.18.0.101'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsdr-director-'));
    try {
      const file = path.join(dir, 'keepalived.conf');
      writeFileSync(file, renderKeepalivedConfig(args));
      const r = spawnSync('keepalived', ['--config-test', '-f', file], { encoding: 'utf8', timeout: 20_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
