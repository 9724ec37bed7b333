/**
 * `apt`: Debian packages present, absent or at the newest version, with Ansible's arguments
 * (ansible.builtin.apt): `name` (aliases `pkg`, `package`), `state`, `update_cache`,
 * `cache_valid_time`, `install_recommends`, `purge`, `deb` (apt-deb.ts). It plans from dpkg's database and apt's
 * candidates (package-reads.ts), read for every package of a play at once.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { ansibleIntSchema, toInt } from './ansible-values.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { DEB_NAME, nameProblems, namesSchema, packageNames, type NameArgs } from './package-names.ts';
import { planPackages, type PackageManager, type PackageWanted } from './package-plan.ts';
import { factEffect, factKey, type Fact } from '../facts/fact.ts';
import { debPackageFact } from './package-reads.ts';
import type { Change, ModuleDef, Plan, RemoteCommand, StateView } from './types.ts';
import { DEB_PATH, planDeb } from './apt-deb.ts';

export interface AptArgs extends NameArgs {
  state?: PackageWanted;
  update_cache?: AnsibleBool;
  'update-cache'?: AnsibleBool;
  cache_valid_time?: number | string;
  install_recommends?: AnsibleBool;
  'install-recommends'?: AnsibleBool;
  purge?: AnsibleBool;
  deb?: string;
}

const APT_ENV = 'DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C';
/** Ansible's default dpkg_options: keep a changed configuration file, take the default otherwise. */
const DPKG_OPTIONS = sh`-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold`.text;

/** When apt last refreshed its lists, as Ansible reads it (the success stamp, else the lists' mtime), and now. */
export interface AptCacheTime {
  updated: number;
  now: number;
}

const cacheTimeFact: Fact<void, AptCacheTime> = {
  kind: 'apt',
  id: () => 'cache-time',
  read: { command: () => new ShellText('stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0; date +%s') },
  parse: (r) => {
    const [updated = 0, now = 0] = r.stdout.trim().split('\n').map(Number);
    return { updated, now };
  },
  unread: { updated: 0, now: 0 },
};

export const APT_CACHE_TIME_KEY = factKey(cacheTimeFact, undefined);

function aptManager(args: AptArgs): PackageManager & { installFile(file: string): RemoteCommand } {
  const recommends = ansibleBool(args.install_recommends ?? args['install-recommends']);
  const recommendsOption = recommends === undefined ? '' : recommends ? ' -o APT::Install-Recommends=yes' : ' --no-install-recommends';
  const purge = ansibleBool(args.purge) ? ' --purge' : '';
  const apt = (verb: string, names: string[]) => ({ command: new ShellText(`${APT_ENV} apt-get -y -q ${DPKG_OPTIONS}${verb} ${sh`${names}`.text}`) });
  return {
    label: 'apt',
    install: (names) => apt(`${recommendsOption} install`, names),
    upgrade: (names) => apt(`${recommendsOption} install --only-upgrade`, names),
    remove: (names) => apt(`${purge} remove`, names),
    // Ansible installs a deb with dpkg -i, which takes an older version too.
    installFile: (file: string) => apt(`${recommendsOption} --allow-downgrades install`, [file]),
    unavailable: (names) => names.map((n) => `No package matching '${n}' is available`).join('; '),
    read: (name, state) => state.fact(debPackageFact, { name, latest: args.state === 'latest' }),
  };
}

/**
 * Ansible refreshes the lists when `update_cache` or a `cache_valid_time` is given and they are
 * older than `cache_valid_time` seconds (0: always).
 */
function cacheUpdate(args: AptArgs, state: StateView): Change | undefined {
  const validFor = toInt(args.cache_valid_time) ?? 0;
  if (!ansibleBool(args.update_cache ?? args['update-cache']) && validFor === 0) return undefined;
  const t = state.fact(cacheTimeFact, undefined);
  if (t.updated + validFor >= t.now) return undefined;
  const age = t.updated === 0 ? 'never updated' : `${t.now - t.updated} s old`;
  return {
    summary: `update the apt cache (${age}${validFor > 0 ? `, valid for ${validFor} s` : ''})`,
    commands: [{ command: new ShellText(`${APT_ENV} apt-get -q update`), touches: ['package:*', APT_CACHE_TIME_KEY] }],
    effects: factEffect(cacheTimeFact, undefined, { updated: t.now, now: t.now }),
  };
}

const mentionsCache = (args: AptArgs): boolean => args.update_cache !== undefined || args['update-cache'] !== undefined || args.cache_valid_time !== undefined;

export function planApt(args: AptArgs, state: StateView): Plan {
  const update = mentionsCache(args) ? cacheUpdate(args, state) : undefined;
  if (args.deb) return planDeb(args.deb, state, aptManager(args).installFile, update);
  const names = packageNames(args);
  if (names.length > 0) return planPackages(names, args.state ?? 'present', state, aptManager(args), update);
  // The cache alone: a refresh is the task's change, as in Ansible.
  if (update) return { kind: 'change', changes: [update] };
  const t = state.fact(cacheTimeFact, undefined);
  return { kind: 'noop', reason: 'the apt cache is recent enough', result: { cache_updated: false, cache_update_time: t.updated } };
}

const stateSchema = { enum: ['present', 'absent', 'latest'] };

/** As Ansible: deb excludes names, and only installs; lvsdr also refuses a URL (Ansible fetches it). */
function debProblems(args: AptArgs, noNames: boolean): { path: string; message: string }[] {
  const deb = args.deb ?? '';
  if (!noNames) return [{ path: '/deb', message: "deb and name/pkg/package are mutually exclusive (as in Ansible's apt)" }];
  if ((args.state ?? 'present') !== 'present') return [{ path: '/state', message: 'deb only supports state=present' }];
  if (deb.includes('://')) return [{ path: '/deb', message: 'lvsdr does not fetch a deb from a URL: put the file on the host (copy, get_url) and give its path' }];
  if (!DEB_PATH.test(deb)) return [{ path: '/deb', message: `'${deb}' is not an absolute path to a .deb file (letters, digits and _.+~%:/- only)` }];
  return [];
}

export const aptModule: ModuleDef<AptArgs> = {
  name: 'apt',
  summary: 'Debian packages present, absent or latest (Ansible apt: name/pkg/package, update_cache, cache_valid_time, install_recommends, purge)',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: namesSchema,
      pkg: namesSchema,
      package: namesSchema,
      state: stateSchema,
      update_cache: boolSchema,
      'update-cache': boolSchema,
      cache_valid_time: ansibleIntSchema(),
      install_recommends: boolSchema,
      'install-recommends': boolSchema,
      purge: boolSchema,
      deb: { type: 'string' },
    },
  },
  // As Ansible's required_one_of: packages, or update_cache alone.
  argProblems: (args) => {
    const noNames = args.name === undefined && args.pkg === undefined && args.package === undefined;
    if (args.deb !== undefined) return debProblems(args, noNames);
    if (noNames && (args.update_cache !== undefined || args['update-cache'] !== undefined)) return [];
    return nameProblems(args, ['name', 'pkg', 'package'], DEB_NAME, 'Debian');
  },
  changesTools: true,
  plan: planApt,
};
