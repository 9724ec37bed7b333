/**
 * Flags that give a number of seconds (or a count): checked before anything is contacted, so a typo
 * is a usage error naming the flag and a value that works, not a run that times out at once.
 */
import type { Argv } from 'yargs';
import { UserError } from '../core/errors.ts';

export interface NumberFlagRule {
  flag: string;
  /** The smallest value allowed; `above` makes it exclusive (a timeout of 0 s cannot be met). */
  min: number;
  above?: boolean;
  integer?: boolean;
  /** What to write instead, e.g. `give 0 (fail at once) or more, e.g. --lock-timeout 60`. */
  hint: string;
  what?: string;
}

/** Adds a check of each rule to the parser; yargs gives NaN for `--timeout soon`. */
export function checkNumberFlags(y: Argv, rules: NumberFlagRule[]): Argv {
  return y.check((argv) => {
    for (const rule of rules) {
      const v = argv[rule.flag];
      const ok = typeof v === 'number' && Number.isFinite(v) && (rule.above ? v > rule.min : v >= rule.min) && (!rule.integer || Number.isInteger(v));
      if (!ok) throw new UserError({ message: `--${rule.flag} ${String(v)} is not ${rule.what ?? 'a number of seconds'}`, hint: rule.hint });
    }
    return true;
  });
}
