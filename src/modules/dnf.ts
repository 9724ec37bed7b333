/**
 * `dnf` and `yum`: RPM packages present, absent or at the newest version, with Ansible's arguments
 * (ansible.builtin.dnf / ansible.builtin.yum): `name` (alias `pkg`), `state` (present/installed,
 * absent/removed, latest), `enablerepo`, `disablerepo`, `disable_gpg_check`. Both run dnf, which
 * takes yum's command line on every EL from 8 on; a host without dnf (EL 7's yum alone) is refused
 * with a reason, as lvsdr reads repositories with `dnf repoquery`.
 */
import { sh, ShellText } from '../shell/quote.ts';
import { ansibleListSchema, toList } from './ansible-values.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { nameProblems, namesSchema, packageNames, RPM_NAME, type NameArgs } from './package-names.ts';
import { planPackages, type PackageManager, type PackageWanted } from './package-plan.ts';
import { rpmPackageFact, rpmPackageInReposFact } from './package-reads.ts';
import type { ModuleContext, ModuleDef, Plan, StateView } from './types.ts';

export interface DnfArgs extends Pick<NameArgs, 'name' | 'pkg'> {
  state?: PackageWanted | 'installed' | 'removed';
  enablerepo?: string | string[];
  disablerepo?: string | string[];
  disable_gpg_check?: AnsibleBool;
}

/** As dnf applies them, in order: Ansible's dnf module disables first, then enables. */
function repoOptions(args: DnfArgs): string[] {
  return [...toList(args.disablerepo).map((r) => `--disablerepo=${r}`), ...toList(args.enablerepo).map((r) => `--enablerepo=${r}`)];
}

const wantedOf = (state: DnfArgs['state']): PackageWanted => (state === 'installed' ? 'present' : state === 'removed' ? 'absent' : (state ?? 'present'));

function dnfManager(args: DnfArgs): PackageManager {
  const options = [...repoOptions(args), ...(ansibleBool(args.disable_gpg_check) ? ['--nogpgcheck'] : [])];
  const dnf = (verb: string, names: string[]) => ({ command: new ShellText(`LC_ALL=C ${sh`dnf -y ${[...options, verb, ...names]}`.text}`) });
  return {
    label: 'dnf',
    install: (names) => dnf('install', names),
    upgrade: (names) => dnf('upgrade', names),
    remove: (names) => dnf('remove', names),
    // Ansible's dnf module: "Failed to install some of the specified packages", one failure each.
    unavailable: (names) => `Failed to install some of the specified packages: ${names.map((n) => `No package ${n} available.`).join(' ')}`,
    read(name, state) {
      const query = { name, latest: args.state === 'latest' };
      const repos = repoOptions(args);
      return repos.length > 0 ? state.fact(rpmPackageInReposFact, { ...query, repoOptions: repos }) : state.fact(rpmPackageFact, query);
    },
  };
}

export function planDnf(args: DnfArgs, state: StateView, ctx: ModuleContext): Plan {
  if (!ctx.facts.tools.dnf) {
    return { kind: 'fail', message: `this host has no dnf (package manager ${ctx.facts.pkgMgr ?? 'unknown'}): lvsdr installs RPM packages with dnf only` };
  }
  return planPackages(packageNames(args), wantedOf(args.state), state, dnfManager(args));
}

const repoSchema = ansibleListSchema({ type: 'string', pattern: '^[A-Za-z0-9_.*?:-]+$' });

function dnfLike(name: 'dnf' | 'yum'): ModuleDef<DnfArgs> {
  return {
    name,
    summary: `RPM packages present, absent or latest with dnf (Ansible ${name}: name/pkg, state, enablerepo, disablerepo, disable_gpg_check)`,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: namesSchema,
        pkg: namesSchema,
        state: { enum: ['present', 'installed', 'latest', 'absent', 'removed'] },
        enablerepo: repoSchema,
        disablerepo: repoSchema,
        disable_gpg_check: boolSchema,
      },
    },
    argProblems: (args) => [
      ...nameProblems(args, ['name', 'pkg'], RPM_NAME, 'RPM'),
      ...[...toList(args.enablerepo), ...toList(args.disablerepo)]
        .filter((r) => !/^[A-Za-z0-9_.*?:-]+$/.test(r))
        .map((r) => ({ path: args.enablerepo !== undefined ? '/enablerepo' : '/disablerepo', message: `'${r}' is not a repository id` })),
    ],
    changesTools: true,
    plan: planDnf,
  };
}

export const dnfModule = dnfLike('dnf');
export const yumModule = dnfLike('yum');
