/**
 * A line diff in unified format (what `diff -u` and git print), for --diff of file contents.
 * jsdiff finds the hunks; this file only prints them the way GNU diff does.
 */
// The package's own entry for patch creation: the index loads every differ and parser it has,
// twice the start-up cost (about 7 ms against 3) on every run that prints results.
import { structuredPatch } from 'diff/lib/patch/create.js';
import type { StructuredPatchHunk } from 'diff/lib/types.js';

export interface UnifiedDiffOptions {
  /** Shown after `---`; `/dev/null` when the file did not exist. */
  fromLabel: string;
  /** Shown after `+++`; `/dev/null` when the file is removed. */
  toLabel: string;
  /** Unchanged lines shown around each change. */
  context?: number;
}

/**
 * Beyond this many edits the search costs time and memory that grow quadratically; a file that
 * different is shown as removed-then-added, which is still a correct diff and what a reader would
 * make of it anyway.
 */
const MAX_EDIT_LENGTH = 2000;

/**
 * GNU diff's range: `start,count`, `start` alone for one line, the line before for none. jsdiff's
 * own formatter always writes the count (`-3,1`), which patch accepts but neither `diff -u` nor git
 * prints.
 */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Every line of `before` removed and every line of `after` added, as one hunk. */
function replaceAll(before: string, after: string): StructuredPatchHunk[] {
  // Against an empty text the diff is a single hunk (or none when the text is empty too).
  const [removed] = structuredPatch('', '', before, '', undefined, undefined, { context: 0 }).hunks;
  const [added] = structuredPatch('', '', '', after, undefined, undefined, { context: 0 }).hunks;
  return [
    {
      oldStart: 1,
      oldLines: removed?.oldLines ?? 0,
      newStart: 1,
      newLines: added?.newLines ?? 0,
      lines: [...(removed?.lines ?? []), ...(added?.lines ?? [])],
    },
  ];
}

/**
 * The unified diff from `before` to `after` as lines without their newline; empty when the texts
 * are equal.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions): string[] {
  const context = options.context ?? 3;
  const patch = structuredPatch('', '', before, after, undefined, undefined, { context, maxEditLength: MAX_EDIT_LENGTH });
  const hunks = patch ? patch.hunks : replaceAll(before, after);
  if (hunks.length === 0) return [];
  return [
    `--- ${options.fromLabel}`,
    `+++ ${options.toLabel}`,
    ...hunks.flatMap((hunk) => [
      `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`,
      ...hunk.lines,
    ]),
  ];
}
