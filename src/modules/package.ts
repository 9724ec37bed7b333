/**
 * `package`: Ansible's generic package module (ansible.builtin.package): `name` and `state`, run by
 * the module of the host's package manager (the `ansible_pkg_mgr` fact: apt, or dnf/yum), as
 * Ansible's action plugin does with `use: auto`.
 */
import { ansibleListSchema } from './ansible-values.ts';
import { planApt } from './apt.ts';
import { planDnf } from './dnf.ts';
import { nameProblems, RPM_NAME, type NameArgs } from './package-names.ts';
import type { PackageWanted } from './package-plan.ts';
import type { ModuleContext, ModuleDef, Plan, StateView } from './types.ts';

interface PackageArgs extends Pick<NameArgs, 'name'> {
  state?: PackageWanted | 'installed' | 'removed';
  use?: string;
}

const MANAGERS = ['apt', 'dnf', 'yum'];

/** The manager `use` names, or the host's own. */
const managerOf = (args: PackageArgs, ctx: ModuleContext): string => (args.use && args.use !== 'auto' ? args.use : (ctx.facts.pkgMgr ?? 'unknown'));

/** apt's states are dnf's without the synonyms installed/removed. */
const aptState = (s: PackageArgs['state']): PackageWanted | undefined => (s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s);

function plan(args: PackageArgs, state: StateView, ctx: ModuleContext): Plan {
  const manager = managerOf(args, ctx);
  if (manager === 'apt') return planApt({ name: args.name, ...(args.state ? { state: aptState(args.state) } : {}) }, state);
  if (manager === 'dnf' || manager === 'yum') return planDnf({ name: args.name, ...(args.state ? { state: args.state } : {}) }, state, ctx);
  return { kind: 'fail', message: `package manager '${manager}' is not one lvsdr drives (it drives ${MANAGERS.join(', ')})` };
}

export const packageModule: ModuleDef<PackageArgs> = {
  name: 'package',
  summary: "Packages present, absent or latest with the host's package manager (Ansible package: name, state, use)",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: ansibleListSchema({ type: 'string' }),
      state: { enum: ['present', 'installed', 'latest', 'absent', 'removed'] },
      use: { enum: ['auto', ...MANAGERS] },
    },
  },
  // Which manager's naming rules apply is known only on the host; the stricter RPM pattern covers both.
  argProblems: (args) => nameProblems(args, ['name'], RPM_NAME, 'distribution'),
  changesTools: true,
  plan,
};
