/** The group graph's one structural rule: no group may be its own ancestor. */
import type { Problem } from '../errors.ts';
import type { InventoryDraft } from './draft.ts';

/** One problem per cycle, placed where the group that closes the cycle is listed as a child. */
export function findGroupCycles(draft: InventoryDraft): Problem[] {
  const problems: Problem[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): void => {
    path.push(name);
    for (const [child, pos] of draft.groups.get(name)?.children ?? []) {
      const at = path.indexOf(child);
      if (child === 'all') {
        problems.push({
          pos,
          message: `group "all" is listed as a child of "${name}"`,
          hint: `every group is already inside "all"; remove "all" from the children of "${name}"`,
        });
      } else if (at !== -1) {
        const cycle = [...path.slice(at), child].join(' → ');
        problems.push({
          pos,
          message: `group "${child}" is its own ancestor: ${cycle}`,
          hint: `remove "${child}" from the children of "${name}"`,
        });
      } else if (!done.has(child)) {
        visit(child);
      }
    }
    path.pop();
    done.add(name);
  };
  for (const name of draft.groups.keys()) if (!done.has(name)) visit(name);
  return problems;
}
