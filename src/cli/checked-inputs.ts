/** The inputs of `run` and `validate`, read and checked together. */
import { dirname } from 'node:path';
import { ProblemList, UserError } from '../core/errors.ts';
import { parseExtraVars } from '../core/extra-vars.ts';
import { loadInventory } from '../core/inventory/index.ts';
import type { Inventory } from '../core/inventory/types.ts';
import type { Playbook } from '../core/playbook/types.ts';
import { loadValidPlaybook, sortProblems } from '../core/playbook/validate.ts';

export interface CheckedInputs {
  playbook: Playbook;
  inventory: Inventory;
  extraVars: Record<string, unknown>;
}

/**
 * Reads the inventory, the extra vars and the playbook, and checks them together; any problem in
 * any of them (all of them, in file order) is one UserError. What `run` needs before connecting.
 */
export function loadCheckedInputs(playbookPath: string, inventoryPaths: string[], extraVarArgs: string[], rolesPath?: string[]): CheckedInputs {
  const problems = new ProblemList();
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.addAll(err.problems);
      return undefined;
    }
  };
  const inventory = attempt(() => loadInventory(inventoryPaths, { playbookDir: dirname(playbookPath) }));
  const extraVars = attempt(() => parseExtraVars(extraVarArgs));
  const playbook = attempt(() => loadValidPlaybook(playbookPath, inventory, { extraVars: extraVars ?? {}, rolesPath, problems }));
  if (!problems.empty || !playbook || !inventory || !extraVars) throw new UserError(sortProblems(problems.items));
  return { playbook, inventory, extraVars };
}
