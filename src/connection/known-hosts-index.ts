/**
 * A known_hosts file read once and looked up by host name (issue 22). Every handshake used to read
 * and parse the whole file and match each line's patterns against the host (a RegExp compiled per
 * pattern, twice): O(inventory) per host, so a run's CPU per host grew with the inventory (at
 * N = 1000 about 3.4 ms a host on an idle core, most of it RegExp compiles, against 0.3 ms at
 * N = 100). Now lines naming hosts by plain names sit in a map, and only lines that need matching
 * (hashed, wildcards, negations) and @revoked ones are looked at for each host. The file is parsed
 * again only when it changes (a key recorded by --accept-new-host-keys, another process's edit).
 */
import { stat } from 'node:fs/promises';
import { entryMatchesHost, type KnownHostEntry, readKnownHosts } from './known-hosts.ts';

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

/** The file as last parsed, and what it looked like then. */
const cache = new Map<string, { signature: string; index: Promise<KnownHostsIndex> }>();

/** The index of a known_hosts file (empty when there is none), parsed again only when the file changed. */
export async function readKnownHostsIndex(file: string): Promise<KnownHostsIndex> {
  const signature = await fileSignature(file);
  const cached = cache.get(file);
  if (cached && cached.signature === signature) return cached.index;
  const index = readKnownHosts(file).then((entries) => new KnownHostsIndex(entries));
  cache.set(file, { signature, index });
  // A failed read is not kept: the next handshake tries again.
  index.catch(() => cache.get(file)?.index === index && cache.delete(file));
  return index;
}

async function fileSignature(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
}
