/**
 * The one format of the lines lvsdr writes into a host's output to find its way back in it: the
 * end of a command in the connection's shell, the pid a command reports, the host lock's report,
 * the seams between the outputs of probes run in one exec. Each is `@@lvsdr-` and a name, at the
 * start of a line.
 */
import { randomBytes } from 'node:crypto';

const PREFIX = '@@lvsdr-';

/**
 * A marker of fixed name, for lines only lvsdr's own shell text writes (the pid line, the lock's
 * report) or read where nothing else writes (between probes whose output is known).
 */
export function marker(name: string): string {
  // Used in regular expressions and unquoted in shell text: plain word characters only.
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`internal: marker name ${JSON.stringify(name)}`);
  return `${PREFIX}${name}`;
}

/** A marker no output can hold by chance: for framing output a command writes as it likes. */
export function uniqueMarker(): string {
  return `${PREFIX}${randomBytes(6).toString('hex')}`;
}
