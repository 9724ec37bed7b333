/** `lab status` and finding an existing lab: what the state says, and which hosts run now. */
import { UserError } from '../core/errors.ts';
import type { LabInfo } from './lab-info.ts';
import { labInfo } from './lab-info.ts';
import { checkLabName } from './lab-names.ts';
import { DEFAULT_STATE_BASE, labPaths, readLabState, registeredLabs } from './lab-state.ts';
import { lightHostRunning } from './light-host.ts';
import { routerRunning } from './lab-router.ts';
import { systemdHostRunning } from './systemd-host.ts';

/** The lab's info from its state directory (or the registry, when made from another directory). */
export async function findLab(name = 'default', stateBase = DEFAULT_STATE_BASE): Promise<LabInfo> {
  checkLabName(name);
  let paths = labPaths(stateBase, name);
  let state = await readLabState(paths);
  if (!state) {
    const dir = (await registeredLabs()).get(name);
    if (dir) {
      paths = labPaths(dir, '.');
      state = await readLabState(paths);
    }
  }
  if (!state) {
    throw new UserError({
      message: `no lab named ${name} in ${paths.dir}`,
      hint: `bring it up with 'lvsdr lab up --name ${name}', or pass the --state-dir it was made with`,
    });
  }
  return labInfo(state, paths);
}

export async function labStatus(name?: string, stateBase?: string): Promise<LabInfo> {
  const info = await findLab(name, stateBase);
  const running = new Map<string, boolean>();
  for (const h of info.hosts) {
    running.set(h.name, h.kind === 'light' ? await lightHostRunning(info.name, h.name) : await systemdHostRunning(info.name, h.name));
  }
  const router = info.router ? { router: { ...info.router, running: routerRunning(info.router) } } : {};
  return { ...info, hosts: info.hosts.map((h) => ({ ...h, running: running.get(h.name) })), ...router };
}
