/** Splits a play's hosts into serial batches, as Ansible's `serial` does. */

/** `serial` entries are counts or percentages of the play's hosts; the last entry repeats. */
export function serialBatches<T>(hosts: T[], serial: (number | string)[]): T[][] {
  if (serial.length === 0 || hosts.length === 0) return hosts.length ? [hosts] : [];
  const batches: T[][] = [];
  let start = 0;
  let i = 0;
  while (start < hosts.length) {
    const size = batchSize(serial[Math.min(i, serial.length - 1)], hosts.length);
    batches.push(hosts.slice(start, start + size));
    start += size;
    i++;
  }
  return batches;
}

function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'number') return Math.max(1, Math.floor(entry));
  const pct = Number(entry.replace(/%$/, ''));
  return Math.max(1, Math.floor((total * pct) / 100));
}

/** Whether the play must stop after a batch: more than max_fail_percentage failed, or all did. */
export function batchAborts(failed: number, size: number, maxFailPercentage?: number): string | undefined {
  if (size === 0) return undefined;
  if (failed === size) return `all ${size} host(s) of the batch failed`;
  if (maxFailPercentage !== undefined && (failed / size) * 100 > maxFailPercentage) {
    return `${failed} of ${size} host(s) failed, more than max_fail_percentage ${maxFailPercentage}%`;
  }
  return undefined;
}
