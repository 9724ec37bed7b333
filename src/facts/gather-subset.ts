/**
 * A play's `gather_subset`, as Ansible's collector.get_collector_names reads it: `min` is always
 * added first, then each entry adds (`network`) or, with `!`, removes (`!hardware`; `!all` removes
 * all but min; `!min` removes min); an entry named outright wins over a removal. lvsdr gathers the
 * subsets min, hardware and network; asking for another (virtual, ohai, facter, a single
 * collector) is refused, and removing one lvsdr never gathers changes nothing in either tool.
 */

export interface FactSubsets {
  min: boolean;
  hardware: boolean;
  network: boolean;
}

const GATHERED = ['min', 'hardware', 'network'] as const;
/** Subsets Ansible has on Linux that lvsdr does not gather: only their removal is accepted. */
const NOT_GATHERED = ['virtual', 'ohai', 'facter', 'apparmor', 'caps', 'cmdline', 'dns', 'fips', 'local', 'platform', 'python', 'selinux', 'ssh_pub_keys', 'user', 'devices', 'dmi'];

export const ALL_SUBSETS: FactSubsets = { min: true, hardware: true, network: true };
/** lvsdr's own facts alone (read again after software changed). */
export const NO_ANSIBLE_SUBSETS: FactSubsets = { min: false, hardware: false, network: false };

/** The entries as a list: Ansible's setup module splits a string at commas. */
export function subsetEntries(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
}

/** What is wrong with an entry, or undefined. */
export function subsetProblem(entry: string): string | undefined {
  const name = entry.startsWith('!') ? entry.slice(1) : entry;
  if (name === 'all' || (GATHERED as readonly string[]).includes(name)) return undefined;
  if (entry.startsWith('!') && NOT_GATHERED.includes(name)) return undefined;
  if (NOT_GATHERED.includes(name)) return `lvsdr does not gather Ansible's '${name}' facts (it gathers min, hardware and network)`;
  return `unknown gather_subset '${entry}' (lvsdr gathers all, min, hardware, network; each may be negated with '!')`;
}

export function factSubsets(entries: readonly string[]): FactSubsets {
  const add = new Set<string>(['min']);
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const entry of entries.length > 0 ? entries : ['all']) {
    const name = entry.replace(/^!/, '');
    const subsets = name === 'all' ? GATHERED.filter((g) => !entry.startsWith('!') || g !== 'min') : [name];
    for (const subset of subsets) {
      if (entry.startsWith('!')) exclude.add(subset);
      else add.add(subset);
    }
    if (!entry.startsWith('!') && name !== 'all' && name !== 'min') explicit.add(name);
  }
  const has = (s: string) => add.has(s) && !(exclude.has(s) && !explicit.has(s));
  return { min: has('min'), hardware: has('hardware'), network: has('network') };
}
