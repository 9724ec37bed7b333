/**
 * include_tasks on three hosts of this machine (ansible_connection: local), in check mode (no host
 * lock, nothing changed): what ran where, and the recap, each as ansible-playbook 2.14 ran
 * test/fixtures/lang/include-tasks/site.yml with --check (its recaps less the "Gathering Facts"
 * task it counts as ok: h1 ok=15, h2 ok=15 changed=1 skipped=1, h3 ok=14 failed=1; with --tags vips
 * ok=5 on each host; with --tags flip h1 and h3 ok=2, h2 ok=1 skipped=1).
 */
import { describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

const SITE = 'test/fixtures/lang/include-tasks/site.yml';
const INVENTORY = 'test/fixtures/lang/inventory.yml';

type Event = Record<string, any>;
const results = (events: Event[], host: string): Event[] => events.filter((e) => e.type === 'task:result' && e.host === host);
const recap = (events: Event[]): Record<string, Event> => events.find((e) => e.type === 'recap')!.stats;

describe('include_tasks', () => {
  it('runs each host through the file its own variables name, with the line’s when, vars, loop and register as Ansible has them', { timeout: 90_000 }, async () => {
    const r = await lvsdr('run', SITE, '-i', INVENTORY, '--check', '--no-record', '--json');
    expect(r.code, r.stderr).toBe(2);
    const h1 = results(r.events, 'h1');
    const h2 = results(r.events, 'h2');
    const h3 = results(r.events, 'h3');
    // The templated name picks each host's file; the line's vars outrank the included task's own.
    expect(h1.find((e) => e.task === 'plain greets')?.reason).toBe('hello from-include');
    expect(h2.find((e) => e.task === 'loud greets')?.status).toBe('changed');
    expect(h2.map((e) => e.included).filter(Boolean)[1]).toMatch(/tasks\/nested\.yml$/);
    // `when` on the line alone: evaluated once, so a task inside that makes it false skips nothing.
    expect(h1.find((e) => e.task === 'after the flip')?.status).toBe('ok');
    expect(h2.find((e) => e.task === 'only where wanted')?.status).toBe('skipped');
    // A loop includes the file once per item, every "included" before the first included task.
    const vip = h3.filter((e) => e.task === 'each vip' || e.task === 'vip').map((e) => e.included ? `included ${e.item}` : e.reason);
    expect(vip).toEqual(['included 198.18.0.100', 'included 198.18.0.101', 'vip 198.18.0.100', 'vip 198.18.0.101']);
    expect(h1.find((e) => e.task === 'what register holds')?.reason).toBe("['tasks/vip.yml', 'tasks/vip.yml'] ['198.18.0.100', '198.18.0.101']");
    // A file that is not there fails the host, counted as failed even under a rescue, which runs without ansible_failed_task.
    expect(h3.find((e) => e.task === 'a file that is not there')?.msg).toMatch(/site\.yml:32:26: include_tasks: could not find or access 'tasks\/missing\.yml'/);
    expect(h3.find((e) => e.task === 'rescued')?.reason).toBe('no failed task');
    // In a role: the role's tasks/ directory, its variables, and its name on the included tasks.
    expect(h1.find((e) => e.task === 'vipcfg : debian port')?.reason).toBe('port 80 in vipcfg');
    // A handler notified from an included task runs.
    expect(h2.find((e) => e.task === 'reload')?.status).toBe('ok');
    const stats = recap(r.events);
    expect(stats.h1).toMatchObject({ ok: 14, changed: 0, skipped: 0, failed: 0, rescued: 0 });
    expect(stats.h2).toMatchObject({ ok: 14, changed: 1, skipped: 1, failed: 0, rescued: 0 });
    expect(stats.h3).toMatchObject({ ok: 13, changed: 0, skipped: 0, failed: 1, rescued: 0 });
  });

  it('tags on the line select the line alone; apply tags its tasks', { timeout: 90_000 }, async () => {
    const vips = await lvsdr('run', SITE, '-i', INVENTORY, '--check', '--no-record', '--json', '--tags', 'vips');
    expect(vips.code, vips.stderr).toBe(0);
    for (const host of ['h1', 'h2', 'h3']) expect(recap(vips.events)[host]).toMatchObject({ ok: 4, skipped: 0 });
    const flip = await lvsdr('run', SITE, '-i', INVENTORY, '--check', '--no-record', '--json', '--tags', 'flip');
    expect(flip.code, flip.stderr).toBe(0);
    expect(results(flip.events, 'h1').map((e) => e.task)).toEqual(['only where wanted']);
    expect(recap(flip.events)).toMatchObject({ h1: { ok: 1 }, h2: { ok: 0, skipped: 1 }, h3: { ok: 1 } });
  });

  it('--list-tasks lists the line, not the tasks of its file, as ansible-playbook does', async () => {
    const r = await lvsdr('run', SITE, '-i', INVENTORY, '--list-tasks');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('each vip\tTAGS: [vips]');
    expect(r.stdout).toContain('vipcfg : per OS');
    expect(r.stdout).not.toContain('plain greets');
    expect(r.stdout).not.toContain('vipcfg : debian port');
  });

  it('--start-at-task does not find a task inside an included file (ansible-playbook runs nothing)', async () => {
    const r = await lvsdr('run', SITE, '-i', INVENTORY, '--check', '--no-record', '--start-at-task', 'plain greets');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/--start-at-task "plain greets" matches no task/);
  });
});
