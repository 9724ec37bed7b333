/**
 * docs/BENCHMARKS.md holds hand-written findings and, between markers, the bench's own results per
 * N: a run replaces only the sections of the sizes it measured.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from './contenders.ts';
import { machineLines, ratioLines, resultTable } from './report.ts';
import type { FreshResult } from './fresh-server.ts';
import { freshLines } from './fresh-server.ts';
import type { LabResult } from './rounds.ts';

export const RESULTS_FILE = path.join(REPO, 'docs/BENCHMARKS.md');

const begin = (n: number | string) => `<!-- bench results N=${n} -->`;
const end = (n: number | string) => `<!-- /bench results N=${n} -->`;

function section(r: LabResult, runs: number): string {
  return [
    begin(r.n),
    `### N = ${r.n} (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, medians of ${runs} runs)`,
    '',
    resultTable(r.n, r.rows),
    '',
    ratioLines(r.ratios, r.n),
    `- same end state (lvsdr vs ansible-playbook, sampled hosts): ${endStateText(r.endState)}`,
    ...(r.lowDescriptors ? [r.lowDescriptors] : []),
    r.loadBefore ?? '',
    r.loadAfter ?? '',
    '',
    'Machine:',
    '',
    ...machineLines(),
    end(r.n),
  ].join('\n');
}

function endStateText(endState: string): string {
  if (endState === 'same') return 'yes';
  if (endState.startsWith('not compared') || endState.startsWith('every host')) return endState;
  return `**no**\n\n\`\`\`\n${endState}\n\`\`\``;
}

const SKELETON = `# Benchmarks\n\n## Results\n\n`;

function freshSection(r: FreshResult, runs: number, load: string[]): string {
  const key = `fresh ${r.n}`;
  return [
    begin(key),
    `### Fresh servers, N = ${r.n} (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, medians of ${runs} runs)`,
    '',
    resultTable(r.n, r.rows),
    '',
    ...freshLines(r),
    ...load,
    '',
    'Machine:',
    '',
    ...machineLines(),
    end(key),
  ].join('\n');
}

/** Puts a section in place of the one with the same key, or at the top of the results. */
function placed(text: string, key: number | string, body: string): string {
  const start = text.indexOf(begin(key));
  const stop = text.indexOf(end(key));
  return start >= 0 && stop > start ? text.slice(0, start) + body + text.slice(stop + end(key).length) : text.replace('## Results\n\n', `## Results\n\n${body}\n\n`);
}

export async function writeResults(results: readonly LabResult[], runs: number): Promise<string> {
  let text = existsSync(RESULTS_FILE) ? await readFile(RESULTS_FILE, 'utf8') : SKELETON;
  for (const r of results) text = placed(text, r.n, section(r, runs));
  await writeFile(RESULTS_FILE, text);
  return RESULTS_FILE;
}

export async function writeFreshResults(results: readonly FreshResult[], runs: number, load: string[]): Promise<string> {
  let text = existsSync(RESULTS_FILE) ? await readFile(RESULTS_FILE, 'utf8') : SKELETON;
  for (const r of results) text = placed(text, `fresh ${r.n}`, freshSection(r, runs, load));
  await writeFile(RESULTS_FILE, text);
  return RESULTS_FILE;
}
