import { describe, expect, it } from 'vitest';
import { leafTasks } from '../../src/core/playbook/types.ts';
import { loadCheckedInputs } from '../../src/cli/checked-inputs.ts';

const PLAYBOOKS = ['realserver', 'realserver-arptables', 'realserver-sysctl', 'realserver-iptables', 'realserver-firewalld'];
const INVENTORY = 'inventories/production.yml';

/** The shipped real-server playbooks load and check against the example inventory, either state. */
describe('shipped real-server playbooks', () => {
  for (const name of PLAYBOOKS) {
    for (const state of ['present', 'absent']) {
      it(`${name}.yml validates (lvs_state=${state})`, () => {
        const { playbook } = loadCheckedInputs(`playbooks/${name}.yml`, [INVENTORY], [`lvs_state=${state}`]);
        const modules = new Set(playbook.plays.flatMap((p) => leafTasks(p.tasks).map((t) => t.module)));
        expect(modules.size).toBeGreaterThan(0);
      });
    }
  }

  it('realserver.yml covers every method', () => {
    const { playbook } = loadCheckedInputs('playbooks/realserver.yml', [INVENTORY], []);
    const modules = new Set(playbook.plays.flatMap((p) => leafTasks(p.tasks).map((t) => t.module)));
    expect([...modules].sort()).toEqual(['arptables', 'assert', 'firewalld_direct', 'firewalld_port', 'lvs_iptables', 'lvs_sysctl', 'package', 'vip']);
  });
});
