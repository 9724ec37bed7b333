/**
 * `npm run bench [-- --n 20 --n 100 --runs 3 --ansible-runs 3]` (as root): lvsdr against the OpenSSH floor and
 * ansible-playbook on N light lab hosts, contenders alternating, medians written to
 * docs/BENCHMARKS.md (each N in its own marked section, so N = 20 and N = 100 can be re-run apart).
 * `--fresh` runs the "fresh server" case instead (bench/fresh-server.ts): N systemd hosts that
 * install their packages from the lab's repository.
 * `--n 1000` (a lab wider than a /24): ansible-playbook at forks = 50, its no-change run only, on the
 * end state of lvsdr's first run (one of its runs takes ~10 minutes there).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { labDown } from '../src/lab/lab-down.ts';
import { stopRunning } from './bench/measure.ts';
import type { LabInfo } from '../src/lab/lab-info.ts';
import { labUp } from '../src/lab/lab-up.ts';
import { MAX_REALSERVERS, REALSERVERS_FIRST_24 } from '../src/lab/lab-names.ts';
import { installBenchPackages } from './bench/ansible-setup.ts';
import { benchLab, type LabResult } from './bench/rounds.ts';
import { benchFresh, freshLines, raiseInotifyLimit, type FreshResult } from './bench/fresh-server.ts';
import { writeFreshResults, writeResults } from './bench/results-file.ts';
import { waitUntilSettled } from './bench/settle.ts';
import { loadLine, machineLines, ratioLines, resultTable } from './bench/report.ts';

const STATE_BASE = path.join(tmpdir(), 'lvsdr-bench-labs');
const labName = (n: number) => `bench${values.fresh ? 'fresh' : ''}${n}`;

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    'ansible-runs': { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
const sizes = (values.n ?? (values.fresh ? ['20'] : ['20', '100'])).map(Number);
const runs = Number(values.runs);
// ansible-playbook is by far the slowest contender: on a busy machine it may take part in fewer rounds.
let ansibleRuns = Math.min(runs, Number(values['ansible-runs'] ?? runs));
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_REALSERVERS) || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(ansibleRuns) || ansibleRuns < 0) {
  console.error(`usage: npm run bench -- [--n 20] [--n 100] [--n 1000] [--runs 3] [--ansible-runs 3]  (N in 1..${MAX_REALSERVERS}, runs ≥ 1, ansible-runs 0..runs)`);
  process.exit(4);
}
if (process.getuid?.() !== 0) {
  console.error('npm run bench: run it as root (the lab makes network namespaces, bridges and mounts)');
  process.exit(4);
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
let tearingDown: Promise<void> | undefined;
const teardown = () =>
  (tearingDown ??= (async () => {
    for (const n of sizes) await labDown({ name: labName(n), stateBase: STATE_BASE }).catch((e) => log(`lab down ${labName(n)}: ${e}`));
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the contender running, taking the labs down`);
    stopRunning();
    void teardown().then(() => process.exit(130));
  });
}

const results: LabResult[] = [];
const freshResults: FreshResult[] = [];
let failed = false;
try {
  if (!(await installBenchPackages(log))) ansibleRuns = 0;
  for (const n of values.fresh ? sizes : []) {
    await labDown({ name: labName(n), stateBase: STATE_BASE });
    await raiseInotifyLimit(log);
    log(`fresh N = ${n}: lab up (systemd hosts)`);
    // Twenty systemd hosts booting at once on two busy cores took longer than lab up's default 3 minutes.
    const lab: LabInfo = await labUp({ name: labName(n), realservers: n, kind: 'systemd', flavor: 'debian', stateBase: STATE_BASE, readyTimeoutMs: 480_000 });
    const work = await mkdtemp(path.join(tmpdir(), `lvsdr-bench-fresh-${n}-`));
    try {
      const load = [loadLine('before')];
      freshResults.push(await benchFresh(lab, work, runs, log));
      load.push(loadLine('after'));
      const last = freshResults[freshResults.length - 1];
      console.log(`\n${resultTable(n, last.rows)}\n\n${freshLines(last).join('\n')}\n${load.join('\n')}\n`);
      log(`results written to ${await writeFreshResults([last], runs, load)}`);
    } finally {
      await rm(work, { recursive: true, force: true });
      await labDown({ name: labName(n), stateBase: STATE_BASE });
    }
  }
  for (const n of values.fresh ? [] : sizes) {
    await labDown({ name: labName(n), stateBase: STATE_BASE });
    log(`N = ${n}: lab up`);
    const lab: LabInfo = await labUp({ name: labName(n), realservers: n, kind: 'light', stateBase: STATE_BASE });
    log(`N = ${n}: the machine was ${(100 * (await waitUntilSettled())).toFixed(0)} % busy when the hosts had settled`);
    const work = await mkdtemp(path.join(tmpdir(), `lvsdr-bench-${n}-`));
    try {
      const loadBefore = loadLine('before');
      const result = await benchLab(lab, work, runs, { ansibleRuns, ansibleNoChangeOnly: n > REALSERVERS_FIRST_24, log });
      results.push({ ...result, loadBefore, loadAfter: loadLine('after') });
    } finally {
      await rm(work, { recursive: true, force: true });
      await labDown({ name: labName(n), stateBase: STATE_BASE });
    }
    const last = results[results.length - 1];
    console.log(`\n${resultTable(n, last.rows)}\n\n${ratioLines(last.ratios, n)}\n${last.lowDescriptors ?? ''}\n${last.loadBefore}\n${last.loadAfter}\n`);
  }
  console.log(machineLines().join('\n'));
  if (results.length > 0) log(`results written to ${await writeResults(results, runs)}`);
} catch (e) {
  failed = true;
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
} finally {
  await teardown();
}
process.exit(failed ? 1 : 0);
