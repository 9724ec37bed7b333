/**
 * The bench installs its own ansible-playbook: Debian's `ansible-core` plus the `ansible` package,
 * which carries the ansible.posix and community.general collections (Galaxy is not reachable, and
 * Debian is where an operator of these hosts would take it from). GNU time comes from `time`.
 */
import { existsSync } from 'node:fs';
import { runCommand } from '../../src/lab/run-command.ts';

const COLLECTIONS_DIR = '/usr/lib/python3/dist-packages/ansible_collections';

function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync('/usr/bin/time')) missing.push('time');
  if (!existsSync('/usr/bin/ansible-playbook')) missing.push('ansible-core');
  if (!existsSync(`${COLLECTIONS_DIR}/ansible/posix`) || !existsSync(`${COLLECTIONS_DIR}/community/general`)) missing.push('ansible');
  return missing;
}

/**
 * Installs what is missing; returns whether ansible-playbook and its collections are there. GNU time
 * is needed for any measurement; without Ansible the bench runs on and says it skipped it.
 */
export async function installBenchPackages(log: (line: string) => void): Promise<boolean> {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runCommand('apt-get', ['update', '-q'], { env, timeoutMs: 600_000 });
  const install = update.code === 0 ? await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, timeoutMs: 1_800_000 }) : update;
  if (!existsSync('/usr/bin/time')) throw new Error(`GNU time (Debian package time) is needed and apt-get failed: ${install.stderr}`);
  if (missingPackages().length === 0) return true;
  log(`ansible-playbook SKIPPED: ${missingPackages().join(' ')} not installed (apt-get: ${install.stderr.trim().split('\n').at(-1) ?? 'failed'})`);
  return false;
}
