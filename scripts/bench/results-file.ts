/**
 * docs/BENCHMARKS.md holds hand-written findings and, between markers, the bench's own results per
 * N: a run replaces only the sections of the sizes it measured.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from './contenders.ts';
import { machineLines, ratioLines, resultTable } from './report.ts';
import type { LabResult } from './rounds.ts';

export const RESULTS_FILE = path.join(REPO, 'docs/BENCHMARKS.md');

const begin = (n: number) => `<!-- bench results N=${n} -->`;
const end = (n: number) => `<!-- /bench results N=${n} -->`;

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

export async function writeResults(results: readonly LabResult[], runs: number): Promise<string> {
  let text = existsSync(RESULTS_FILE) ? await readFile(RESULTS_FILE, 'utf8') : SKELETON;
  for (const r of results) {
    const start = text.indexOf(begin(r.n));
    const stop = text.indexOf(end(r.n));
    const body = section(r, runs);
    text = start >= 0 && stop > start ? text.slice(0, start) + body + text.slice(stop + end(r.n).length) : text.replace('## Results\n\n', `## Results\n\n${body}\n\n`);
  }
  await writeFile(RESULTS_FILE, text);
  return RESULTS_FILE;
}
