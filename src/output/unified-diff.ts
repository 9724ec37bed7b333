/**
 * A line diff in unified format (what `diff -u` and git print), for --diff of file contents.
 * Myers' O(ND) algorithm; small enough to keep here rather than add a dependency.
 */

export type DiffOp = { kind: 'equal' | 'delete' | 'insert'; line: string };

export interface UnifiedDiffOptions {
  /** Shown after `---`; `/dev/null` when the file did not exist. */
  fromLabel: string;
  /** Shown after `+++`; `/dev/null` when the file is removed. */
  toLabel: string;
  /** Unchanged lines shown around each change. */
  context?: number;
}

/**
 * Beyond this many edits the trace Myers keeps grows quadratically; a file that different is shown
 * as removed-then-added, which is still a correct diff and what a reader would make of it anyway.
 */
const MAX_EDIT_DISTANCE = 2000;

/** Splits text into lines that keep their `\n`, so a missing final newline is itself a difference. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** The shortest edit script from `a` to `b`; deletions come before insertions in each changed run. */
export function diffLines(a: string[], b: string[]): DiffOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((line): DiffOp => ({ kind: 'equal', line }));
  const tail = a.slice(endA).map((line): DiffOp => ({ kind: 'equal', line }));
  return [...head, ...myers(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function myers(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const replaceAll = (): DiffOp[] => [
    ...a.map((line): DiffOp => ({ kind: 'delete', line })),
    ...b.map((line): DiffOp => ({ kind: 'insert', line })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v before step d, for diagonals -d..d only.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return replaceAll();
}

function backtrack(a: string[], b: string[], trace: Int32Array[]): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d];
    const at = (k: number): number => saved[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'equal', line: a[x - 1] });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: 'insert', line: b[--y] });
    else ops.push({ kind: 'delete', line: a[--x] });
  }
  return ops.reverse();
}

/** GNU diff's range: `start,count`, `start` alone for one line, the line before for none. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function render(op: DiffOp): string[] {
  const mark = op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+';
  if (op.line.endsWith('\n')) return [mark + op.line.slice(0, -1)];
  return [mark + op.line, '\\ No newline at end of file'];
}

/**
 * The unified diff from `before` to `after` as lines without their newline; empty when the texts
 * are equal.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions): string[] {
  const context = options.context ?? 3;
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.flatMap((op, i) => (op.kind === 'equal' ? [] : [i]));
  if (changed.length === 0) return [];

  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  // Group changes whose context windows touch or overlap into one hunk.
  let g = 0;
  while (g < changed.length) {
    let last = g;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * context + 1) last++;
    const from = Math.max(0, changed[g] - context);
    const to = Math.min(ops.length, changed[last] + context + 1);

    let oldLine = 1;
    let newLine = 1;
    for (const op of ops.slice(0, from)) {
      if (op.kind !== 'insert') oldLine++;
      if (op.kind !== 'delete') newLine++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== 'insert').length;
    const newCount = hunk.filter((op) => op.kind !== 'delete').length;
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`);
    for (const op of hunk) out.push(...render(op));
    g = last + 1;
  }
  return out;
}
