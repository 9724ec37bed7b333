/** What `lvsdr rollout` does (its flags: rollout.ts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProblemList, UserError } from '../core/errors.ts';
import { parseExtraVars } from '../core/extra-vars.ts';
import { loadInventory } from '../core/inventory/index.ts';
import { loadValidPlaybook } from '../core/playbook/validate.ts';
import type { RolloutReport } from '../core/rollout/outcomes.ts';
import { realServerEndpoint } from '../core/rollout/endpoints.ts';
import { runRollout } from '../core/rollout/run-rollout.ts';
import { familyOf } from '../modules/address-order.ts';
import type { CliIo, CommandOutcome } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { eventsToRenderer } from './run-output.ts';
import { runLock } from './run-lock.ts';
import { withRunRecord } from './run-record.ts';
import { accessDefaults, connectionFactory } from './connection-factory.ts';

/** The shipped playbooks a rollout runs, beside this checkout's src/. */
export const PLAYBOOKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');

const hostList = (v: unknown): string[] => (v as string[]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

function percent(flag: string, v: string): number {
  const n = Number(v.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UserError({ message: `--${flag} ${v} is not a percentage`, hint: `give a number from 0 to 100, e.g. --${flag} 25%` });
  return n;
}

export async function rollout(argv: Record<string, unknown>, io: CliIo): Promise<CommandOutcome> {
  const inventory = loadInventory(argv.inventory as string[]);
  const extraVars = parseExtraVars(argv['extra-vars'] as string[]);
  const add = hostList(argv.add);
  const remove = hostList(argv.remove);
  const realservers = new Set(inventory.select('realservers'));
  const problems = new ProblemList();
  for (const h of [...add, ...remove]) {
    if (!realservers.has(h)) problems.add({ message: `${h} is not in the inventory's realservers group`, hint: 'add it to the realservers group of the inventory first; the rollout reads its method and VIPs there' });
  }
  if (inventory.select('directors').length === 0) problems.add({ message: 'the inventory has no host in the directors group', hint: 'add the director(s) to a group named directors' });
  // The rollout follows each real server by its IPv4 address in the director's services (and its
  // verification's listening check is IPv4's): an IPv6 VIP would never show it in service.
  for (const h of [...add, ...remove].filter((x) => realservers.has(x))) {
    const ipv6 = realServerEndpoint(inventory, h).services.find((s) => familyOf(s.vip) === 'inet6');
    if (ipv6) {
      problems.add({
        message: `${h} serves the IPv6 VIP ${ipv6.vip}, and lvsdr rollout follows real servers by their IPv4 address only`,
        hint: 'roll it out with the playbooks: realserver.yml on the host, then director.yml (lvs_director_weights, lvs_director_exclude)',
      });
    }
  }
  problems.throwIfAny();
  const batch = String(argv.batch);
  if (!/^[1-9]\d*%?$/.test(batch)) throw new UserError({ message: `--batch ${batch} is neither a count nor a percentage`, hint: 'give e.g. --batch 2 or --batch 50%' });
  const load = (name: string) => loadValidPlaybook(path.join(PLAYBOOKS_DIR, name), inventory, { extraVars });

  const playbooks = { realserver: load('realserver.yml'), verify: load('verify-realserver.yml'), director: load('director.yml') };
  const maxFailPercentage = percent('max-fail', String(argv['max-fail']));

  const { events, renderer } = eventsToRenderer(argv, io, false);
  const check = Boolean(argv.check);
  const lock = runLock(argv, `rollout${add.length ? ` --add ${add.join(',')}` : ''}${remove.length ? ` --remove ${remove.join(',')}` : ''}`);
  const recorded = { kind: 'rollout' as const, runId: lock.runId, check, inventories: argv.inventory as string[], playbooks: Object.values(playbooks).map((p) => p.path) };
  try {
    return await withRunRecord(argv, io, recorded, events, async () => {
      const report = await runRollout({
        inventory,
        playbooks,
        add,
        remove,
        batch: [batch.endsWith('%') ? batch : Number(batch)],
        maxFailPercentage,
        undo: Boolean(argv.undo),
        check,
        extraVars,
        healthTimeoutMs: Number(argv['health-timeout']) * 1000,
        drainTimeoutMs: Number(argv['drain-timeout']) * 1000,
        probeAttempts: Math.max(0, Number(argv.probe)),
        exec: {
          forks: Number(argv.forks),
          ...accessDefaults(argv),
          taskTimeoutMs: Number(argv['command-timeout']) * 1000,
          connectionFor: connectionFactory(argv),
          events,
          lock,
        },
      });
      const failed = Object.keys(report.failed).length > 0 || report.stopped !== undefined;
      return { exitCode: failed ? ExitCode.hostFailed : ExitCode.ok, output: argv.json ? { type: 'rollout', ...report } : summary(report) };
    });
  } finally {
    await renderer.finish();
  }
}

function summary(r: RolloutReport): string {
  const lines = [`ROLLOUT ${r.check ? '(check mode: nothing was changed) ' : ''}`.padEnd(80, '*')];
  if (r.added.length) lines.push(`${r.check ? 'would add' : 'added'}: ${r.added.join(', ')}`);
  if (r.removed.length) lines.push(`${r.check ? 'would remove' : 'removed'}: ${r.removed.join(', ')}`);
  for (const [h, why] of Object.entries(r.failed)) lines.push(`left out: ${h} (${why})`);
  if (r.stopped) lines.push(`stopped: ${r.stopped}`);
  if (r.removed.length && !r.check) lines.push('now delete the removed hosts from the inventory, or the next director run puts them back');
  return lines.join('\n');
}
