/**
 * Two kinds of error (DESIGN.md §7): a UserError is something the user can fix and is printed as
 * `file:line:col: what is wrong` plus a hint, never with a stack; anything else is internal.
 */

/** A place in a source file; line and col are 1-based like every editor's. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Problem {
  pos?: SourcePos;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

export function formatProblem(p: Problem): string {
  const head = p.pos ? `${formatPos(p.pos)}: ${p.message}` : p.message;
  return p.hint ? `${head}\n  fix: ${p.hint}` : head;
}

/** One or more problems the user can fix; every validation problem is reported at once. */
export class UserError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }
}

/** Collects problems while loading, so that all of them are reported together. */
export class ProblemList {
  readonly items: Problem[] = [];
  add(p: Problem): void {
    this.items.push(p);
  }
  addAll(ps: Iterable<Problem>): void {
    for (const p of ps) this.items.push(p);
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  /** Throws a UserError holding every problem collected so far, if there are any. */
  throwIfAny(): void {
    if (this.items.length > 0) throw new UserError(this.items);
  }
}

/** The closest name by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
