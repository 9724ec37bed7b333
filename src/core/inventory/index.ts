/** The inventory API the rest of lvsdr uses. */
export { loadInventory } from './load.ts';
export { connectionVars, type ConnectionVars } from './connection-vars.ts';
export { ansibleList, ansibleGraph, ansibleHostVars } from './ansible-views.ts';
export type { Inventory, InventoryGroup, InventoryHost } from './types.ts';
