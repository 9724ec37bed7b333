/**
 * Differential runs: the same playbook with ansible-playbook (Debian's ansible) against one lab host
 * and with lvsdr against its twin, then the recaps and the end states compared. Both inventories
 * name the host `target`, so inventory_hostname and everything rendered from it are the same; they
 * differ only in the address. A corpus entry is a directory with `site.yml`, an optional `flags`
 * file (arguments both tools take, one per line, e.g. `--vault-password-file`), an optional
 * `setup.sh` (shell text run on both hosts first: the state a real server starts from), and
 * `state.sh`, shell text whose output on a host is its end state. An entry with `peer-state.sh`
 * also gets a host `peer` (group `peers`), a twin of its own for each tool (on a light lab of
 * their own), for tasks delegated to another host (`delegate_to`); its setup.sh runs there too
 * and peer-state.sh is its end state.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { Lab } from './lab.ts';

const run = promisify(execFile);
const LVSDR = resolve('bin/lvsdr');

export interface Recap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export interface Phase {
  name: string;
  /** Extra arguments of this phase (`--check`). */
  args: string[];
}

/** Check on fresh hosts, the first run, the second run (which must change nothing), a check after. */
export const PHASES: Phase[] = [
  { name: 'check on a fresh host', args: ['--check'] },
  { name: 'first run', args: [] },
  { name: 'second run', args: [] },
  { name: 'check after', args: ['--check'] },
];

export function ansibleAvailable(): boolean {
  return existsSync('/usr/bin/ansible-playbook');
}

/** A lab host: the lab and the host's name in it. */
export interface LabHost {
  lab: Lab;
  host: string;
}

/** One tool's hosts: its target and, for an entry that has one, its peer. */
export interface Twins {
  target: LabHost;
  peer?: LabHost;
}

export function hasPeer(entry: string): boolean {
  return existsSync(join(entry, 'peer-state.sh'));
}

/** An inventory naming the lab host `twins.target` as `target` and, for an entry that has one, `twins.peer` as `peer`. */
function inventoryFor(twins: Twins, entry: string): string {
  const reach = ({ lab, host }: LabHost) => {
    const h = lab.hosts.find((x) => x.name === host)!;
    return { ansible_host: h.address, ansible_user: 'root', ansible_ssh_private_key_file: lab.info.privateKey, lvsdr_known_hosts_file: lab.info.knownHosts };
  };
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-differential-'));
  const file = join(dir, 'inventory.yml');
  const peers = hasPeer(entry) && twins.peer ? { children: { peers: { hosts: { peer: reach(twins.peer) } } } } : {};
  writeFileSync(file, stringify({ all: { hosts: { target: reach(twins.target) }, ...peers } }));
  return file;
}

function flagsOf(entry: string): string[] {
  const file = join(entry, 'flags');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
}

function emptyConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lvsdr-differential-')), 'ansible.cfg');
  writeFileSync(file, '[defaults]\n');
  return file;
}

export async function ansibleRun(twins: Twins, entry: string, phase: Phase): Promise<{ recap: Recap; output: string }> {
  const args = [join(entry, 'site.yml'), '-i', inventoryFor(twins, entry), ...flagsOf(entry), ...phase.args];
  const env = {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    // No ansible.cfg of this machine or the entry's directory: the settings are these.
    ANSIBLE_CONFIG: emptyConfig(),
  };
  const r = await run('/usr/bin/ansible-playbook', args, { cwd: entry, env, timeout: 300_000, maxBuffer: 64 << 20 }).catch((err) => err as { stdout: string; stderr: string });
  let stats: Record<string, number>;
  let gathered = 0;
  try {
    const doc = JSON.parse(jsonDocument(r.stdout)) as { stats: Record<string, Record<string, number>>; plays: { tasks: { task: { name: string } }[] }[] };
    stats = doc.stats.target;
    // ansible-playbook counts fact gathering as a task; lvsdr does not (its recap counts playbook tasks).
    gathered = doc.plays.flatMap((p) => p.tasks).filter((t) => t.task.name === 'Gathering Facts').length;
  } catch {
    throw new Error(`ansible-playbook gave no JSON result:\n${r.stdout}\n${r.stderr}`);
  }
  const recap = { ok: stats.ok - gathered, changed: stats.changed, failed: stats.failures, skipped: stats.skipped, unreachable: stats.unreachable, rescued: stats.rescued, ignored: stats.ignored };
  return { recap, output: ansibleTasks(jsonDocument(r.stdout)) };
}

/**
 * The json callback's document in ansible-playbook's output: an action that talks to the operator
 * (pause) writes its own lines to stdout before it.
 */
function jsonDocument(stdout: string): string {
  const at = stdout.search(/^\{$/m);
  return at < 0 ? stdout : stdout.slice(at);
}

/** One line per task result of ansible-playbook's json callback: what a failure message shows. */
function ansibleTasks(json: string): string {
  type Result = { changed?: boolean; failed?: boolean; skipped?: boolean; msg?: string };
  const doc = JSON.parse(json) as { plays: { tasks: { task: { name: string }; hosts: Record<string, Result> }[] }[] };
  return doc.plays
    .flatMap((p) => p.tasks)
    .map(({ task, hosts }) => {
      const r = hosts.target ?? {};
      const status = r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok';
      return `${task.name}: ${status}${r.msg ? ` (${String(r.msg).slice(0, 160)})` : ''}`;
    })
    .join('\n');
}

/** One line per task result of lvsdr's --json output. */
function lvsdrTasks(lines: string[]): string {
  return lines
    .filter((l) => l.startsWith('{"type":"task:result"'))
    .map((l) => JSON.parse(l) as { task: string; status: string; reason?: string; msg?: string })
    .map((e) => `${e.task}: ${e.status}${e.reason ?? e.msg ? ` (${String(e.reason ?? e.msg).slice(0, 160)})` : ''}`)
    .join('\n');
}

export async function lvsdrRun(twins: Twins, entry: string, phase: Phase): Promise<{ recap: Recap; output: string }> {
  const args = ['run', join(entry, 'site.yml'), '-i', inventoryFor(twins, entry), ...flagsOf(entry), ...phase.args, '--json'];
  const r = await run(LVSDR, args, { cwd: entry, timeout: 300_000, maxBuffer: 64 << 20 }).catch((err) => err as { stdout: string; stderr: string });
  const recapLine = r.stdout.split('\n').find((l) => l.startsWith('{"type":"recap"'));
  if (!recapLine) throw new Error(`lvsdr gave no recap:\n${r.stdout}\n${r.stderr}`);
  const s = (JSON.parse(recapLine) as { stats: Record<string, Recap> }).stats.target;
  return { recap: { ok: s.ok, changed: s.changed, failed: s.failed, skipped: s.skipped, unreachable: s.unreachable, rescued: s.rescued, ignored: s.ignored }, output: `${lvsdrTasks(r.stdout.split('\n'))}\n${r.stderr}` };
}

/** Runs an entry's `setup.sh`, if it has one, on a host: the state a real server starts from. */
export async function setUp({ lab, host }: LabHost, entry: string): Promise<void> {
  const file = join(entry, 'setup.sh');
  if (!existsSync(file)) return;
  const r = await lab.exec(host, readFileSync(file, 'utf8'));
  if (r.code !== 0) throw new Error(`setup.sh failed on ${host}: ${r.stderr}`);
}

/** What `state.sh` (or another script of the entry: `peer-state.sh`) prints on a host. */
export async function endState({ lab, host }: LabHost, entry: string, script = 'state.sh'): Promise<string> {
  const r = await lab.exec(host, readFileSync(join(entry, script), 'utf8'));
  return r.stdout + (r.stderr ? `\nstderr: ${r.stderr}` : '');
}
