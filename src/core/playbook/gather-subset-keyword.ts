/** A play's `gather_subset`: a list or comma-separated string of subsets, each checked where written. */
import { subsetEntries, subsetProblem } from '../../facts/gather-subset.ts';
import { readStringList, type Reader } from './yaml-read.ts';

export function readGatherSubset(r: Reader, node: unknown): string[] {
  const entries = subsetEntries(readStringList(r, node, 'gather_subset') ?? []);
  for (const entry of entries) {
    const problem = subsetProblem(entry);
    if (problem) r.problems.add({ pos: r.src.posOf(node), message: problem, hint: 'gather_subset: all, min, hardware, network, or their negations (!hardware)' });
  }
  return entries;
}
