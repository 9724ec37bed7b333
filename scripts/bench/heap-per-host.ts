/**
 * `node --expose-gc scripts/bench/heap-per-host.ts --inventory LAB/inventory.yml [--forks 50] [--repo DIR]`
 * (issue 22): the controller's heap per host, in-process, on a lab's real servers. Four plays: the
 * bench's light work (two sysctls in a sysctl.d file, one copy) on every host, a 2 s pause on rs1
 * alone, the same work again, a pause on rs1 again. Memory in use after a full GC — V8's heap, and
 * what Buffers hold outside it (`external`) — less the same before the run, over N, is measured
 * one second into each pause:
 *   - between plays: every other host waits for the third play (its connection kept or closed);
 *   - after their work: every other host is done for the run (what the run still keeps of it).
 * Also counted there: the SSH connection objects still alive (WeakRefs after the GC), which is what
 * the run keeps of the connections it closed. A first run makes the changes; the medians of three more (no changes) are reported. `--repo` names the checkout whose
 * executor is measured, so code before and after a change can be measured on the same lab.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './contenders.ts';

const { values } = parseArgs({ options: { inventory: { type: 'string' }, forks: { type: 'string', default: '50' }, repo: { type: 'string', default: REPO } } });
const gc = (globalThis as { gc?: () => void }).gc;
if (!values.inventory || !gc) {
  console.error('usage: node --expose-gc scripts/bench/heap-per-host.ts --inventory LAB/inventory.yml [--forks 50] [--repo DIR]');
  process.exit(4);
}
const repo = path.resolve(values.repo!);
const { loadCheckedInputs } = await import(path.join(repo, 'src/cli/checked-inputs.ts'));
// The connection factory's file before and after the task-level connections of main (2026-12-07).
const factories = ['src/cli/connection-factory.ts', 'src/cli/ssh-connections.ts'].map((f) => path.join(repo, f)).filter((f) => existsSync(f));
const factoryModule = await import(factories[0]);
const sshConnectionFactory = factoryModule.connectionFactory ?? factoryModule.sshConnectionFactory;
const { EventBus } = await import(path.join(repo, 'src/core/events.ts'));
const { runPlaybook } = await import(path.join(repo, 'src/core/executor/run-playbook.ts'));

const work = `
    - name: ARP answered only for own addresses
      sysctl: { name: net.ipv4.conf.all.arp_ignore, value: "1", sysctl_file: /etc/sysctl.d/90-lvsdr-heap.conf }
    - name: VIP never an ARP source
      sysctl: { name: net.ipv4.conf.all.arp_announce, value: "2", sysctl_file: /etc/sysctl.d/90-lvsdr-heap.conf }
    - name: A file
      copy: { dest: /etc/lvsdr-heap, content: "heap per host\\n" }`;
const pause = (name: string) => `
- name: ${name}
  hosts: rs1
  gather_facts: false
  tasks:
    - name: ${name}
      command: sleep 2
      changed_when: false`;
const playbookText = `- name: Work\n  hosts: realservers\n  tasks:${work}\n${pause('between plays')}\n- name: Work again\n  hosts: realservers\n  tasks:${work}\n${pause('after their work')}\n`;

interface Memory {
  heap: number;
  external: number;
  /** SSH connection objects not yet collected. */
  connections?: number;
}
const memory = (): Memory => {
  gc!();
  const { heapUsed, external } = process.memoryUsage();
  return { heap: heapUsed / 2 ** 10, external: external / 2 ** 10 };
};
const POINTS = ['between plays', 'after their work'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(path.join(tmpdir(), 'lvsdr-heap-'));
try {
  const site = path.join(dir, 'site.yml');
  await writeFile(site, playbookText);
  const { playbook, inventory, extraVars } = loadCheckedInputs(site, [values.inventory], []);
  const hosts = inventory.select('realservers').length;
  const argv = { timeout: 60, 'connect-timeout': 60, 'max-handshakes': 16 };
  const rounds: Record<string, Memory>[] = [];
  const perHost = (m: Memory) =>
    `heap ${(m.heap / hosts).toFixed(1)} KiB + external ${(m.external / hosts).toFixed(1)} KiB a host${m.connections === undefined ? '' : `, ${m.connections} connection objects alive`}`;
  for (const round of ['first', 'no-change 1', 'no-change 2', 'no-change 3']) {
    const events = new EventBus();
    const baseline = memory();
    const at: Record<string, Memory> = {};
    const made: WeakRef<object>[] = [];
    const ssh = sshConnectionFactory(argv);
    events.subscribe((e: { type: string; task?: string }) => {
      if (e.type === 'task:start' && POINTS.includes(e.task!)) {
        const point = e.task!;
        setTimeout(() => {
          const now = memory();
          const connections = made.filter((r) => r.deref() !== undefined).length;
          at[point] = { heap: now.heap - baseline.heap, external: now.external - baseline.external, connections };
        }, 1000);
      }
    });
    const summary = await runPlaybook(playbook, inventory, {
      check: false, forks: Number(values.forks), tags: [], skipTags: [], extraVars, become: false, taskTimeoutMs: 60_000,
      connectionFor: (host: unknown, route?: unknown) => {
        const conn = ssh(host, route);
        made.push(new WeakRef(conn));
        return conn;
      },
      events,
    });
    const bad = Object.entries(summary.stats as Record<string, { failed: number; unreachable: number }>).filter(([, s]) => s.failed + s.unreachable > 0);
    if (bad.length) throw new Error(`${round} run: ${bad.length} hosts failed or unreachable`);
    console.log(`${round}: ${POINTS.map((p) => `${p}: ${perHost(at[p])}`).join('; ')}`);
    if (round !== 'first') rounds.push(at);
  }
  const medians = (p: string): Memory => ({ heap: median(rounds.map((r) => r[p].heap)), external: median(rounds.map((r) => r[p].external)) });
  console.log(`N = ${hosts}, -f ${values.forks}, ${repo}, medians of the no-change runs: ${POINTS.map((p) => `${p}: ${perHost(medians(p))}`).join('; ')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
