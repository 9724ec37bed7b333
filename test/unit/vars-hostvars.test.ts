import { describe, expect, it } from 'vitest';
import { renderValue } from '../../src/core/templating.ts';
import { buildHostVars } from '../../src/core/vars.ts';
import type { Inventory, InventoryHost } from '../../src/core/inventory/types.ts';
import type { Play } from '../../src/core/playbook/types.ts';

const host = (name: string, vars: Record<string, unknown>, groups: string[]): InventoryHost => ({ name, vars, groups });

describe('hostvars', () => {
  it("renders another host's template values with that host's variables, as Ansible does", () => {
    const rs1 = host('rs1', { ansible_host: '198.18.0.11', lvs_real_ip: '{{ ansible_host }}' }, ['all', 'realservers']);
    const d1 = host('d1', { ansible_host: '198.18.0.250', lvs_real_ip: '{{ ansible_host }}' }, ['all', 'directors']);
    const inventory = { hosts: new Map([['rs1', rs1], ['d1', d1]]), groups: new Map(), sources: [], select: () => [] } as unknown as Inventory;
    const play = { vars: {}, varsFiles: [] } as unknown as Play;
    const vars = buildHostVars({ inventory, host: d1, play, extraVars: {}, registered: {}, checkMode: false, playbookDir: '/' });
    expect(renderValue("{{ hostvars['rs1'].lvs_real_ip }}", vars)).toBe('198.18.0.11');
    expect(renderValue("{{ hostvars.rs1.lvs_real_ip | default('none') }}", vars)).toBe('198.18.0.11');
    expect(renderValue('{{ lvs_real_ip }}', vars)).toBe('198.18.0.250');
  });

  it('shows what the run set on a host (set_fact, delegate_facts, register, include_vars) above its inventory variables', () => {
    const rs1 = host('rs1', { weight: 1, name_of: '{{ inventory_hostname }}' }, ['all']);
    const d1 = host('d1', { weight: 9 }, ['all']);
    const inventory = { hosts: new Map([['rs1', rs1], ['d1', d1]]), groups: new Map(), sources: [], select: () => [] } as unknown as Inventory;
    const play = { vars: {}, varsFiles: [] } as unknown as Play;
    const set = { registered: { weight: 0, drained: true }, includedVars: { weight: 5, pool: 'web' } };
    const vars = buildHostVars({ inventory, host: d1, play, extraVars: {}, registered: {}, checkMode: false, playbookDir: '/', setVars: (h) => (h === 'rs1' ? set : undefined) });
    expect(renderValue("{{ hostvars['rs1'].weight }} {{ hostvars.rs1.drained }} {{ hostvars.rs1.pool }} {{ hostvars.rs1.name_of }}", vars)).toBe('0 True web rs1');
    expect(renderValue('{{ hostvars.d1.weight }}', vars)).toBe(9);
  });
});
