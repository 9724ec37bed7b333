/**
 * A rule present more than once is drift (issue 19): two runs that raced, or a hand edit. The
 * rule tools' `-D` deletes the first copy each time, so deleting all but one leaves the last.
 */
export function keepLastCopy<T>(items: readonly T[], matches: (item: T) => boolean): T[] {
  const last = items.findLastIndex(matches);
  return items.filter((item, i) => i === last || !matches(item));
}
