/**
 * A known_hosts file read once and looked up by host name (issue 22). Every handshake used to read
 * and parse the whole file and match each line's patterns against the host (a RegExp compiled per
 * pattern, twice): O(inventory) per host, so a run's CPU per host grew with the inventory (at
 * N = 1000 about 3.4 ms a host on an idle core, most of it RegExp compiles, against 0.3 ms at
 * N = 100). Now lines naming hosts by plain names sit in a map, and only lines that need matching
 * (hashed, wildcards, negations) and @revoked ones are looked at for each host. The file is parsed
 * again only when its text changed (a key recorded by --accept-new-host-keys, another process's edit).
 */
import { entryMatchesHost, type KnownHostEntry, parseKnownHosts, readKnownHostsText } from './known-hosts.ts';

/** A pattern that only matches the name it spells (case aside): no hash, wildcard or negation. */
const plainPatterns = (hosts: string): boolean => !hosts.startsWith('|1|') && !/[*?!]/.test(hosts);

export class KnownHostsIndex {
  readonly #byName = new Map<string, KnownHostEntry[]>();
  /** Lines checked for every host, in file order: @revoked (matched by key) and patterns to match. */
  readonly #scanned: KnownHostEntry[] = [];
  readonly #order = new Map<KnownHostEntry, number>();

  constructor(entries: KnownHostEntry[]) {
    entries.forEach((entry, index) => {
      this.#order.set(entry, index);
      // @cert-authority lines decide nothing here: lvsdr does not take host certificates.
      if (entry.marker === 'cert-authority') return;
      if (entry.marker === 'revoked' || !plainPatterns(entry.hosts)) return void this.#scanned.push(entry);
      for (const name of new Set(entry.hosts.toLowerCase().split(','))) {
        const list = this.#byName.get(name);
        if (list) list.push(entry);
        else this.#byName.set(name, [entry]);
      }
    });
  }

  /** How many lines each lookup matches one by one; those naming hosts plainly are not among them. */
  get scannedCount(): number {
    return this.#scanned.length;
  }

  /**
   * The lines that decide `name`'s key, in file order: those naming it and every @revoked one.
   * checkHostKey and hostKeyAlgorithmsFor give the same answer on them as on the whole file.
   */
  entriesFor(name: string): KnownHostEntry[] {
    const named = this.#byName.get(name.toLowerCase()) ?? [];
    const scanned = this.#scanned.filter((e) => e.marker === 'revoked' || entryMatchesHost(e, name));
    if (scanned.length === 0) return named;
    return [...named, ...scanned].sort((x, y) => this.#order.get(x)! - this.#order.get(y)!);
  }
}

/** Each file's text as last parsed, and its index. */
const cache = new Map<string, { text: string; index: KnownHostsIndex }>();

/**
 * The index of a known_hosts file (empty when there is none). The file is still read at every
 * handshake, as before, and parsed again only when its text differs from the last parse: reading
 * and comparing a 1000-line file costs microseconds; file times could miss an edit that kept the size.
 */
export async function readKnownHostsIndex(file: string): Promise<KnownHostsIndex> {
  const text = await readKnownHostsText(file);
  const cached = cache.get(file);
  if (cached?.text === text) return cached.index;
  const index = new KnownHostsIndex(parseKnownHosts(text, file));
  cache.set(file, { text, index });
  return index;
}
