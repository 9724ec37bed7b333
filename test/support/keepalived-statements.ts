/**
 * A keepalived.conf as the set of statements keepalived acts on, independent of lvsdr's mapping to
 * arguments: every statement as `block path > keyword values`, with keepalived's older names read
 * as the current ones and the defaults keepalived applies to a left-out keyword written in. Two
 * files with the same sorted list configure keepalived alike (order of blocks aside).
 */
import { parseConfTree, type ConfNode } from '../../src/modules/keepalived-conf-tree.ts';

const CURRENT_NAME: Record<string, string> = { lb_algo: 'lvs_sched', lb_kind: 'lvs_method', nb_get_retry: 'retry' };

/** What keepalived assumes for a virtual or real server that leaves these out. */
function implied(node: ConfNode): string[] {
  const has = (k: string) => node.children!.some((c) => (CURRENT_NAME[c.key.text] ?? c.key.text) === k);
  if (node.key.text === 'virtual_server') {
    const out = [...(has('lvs_method') ? [] : ['lvs_method NAT']), ...(has('lvs_sched') ? [] : ['lvs_sched wlc'])];
    if (node.args[0]?.text !== 'fwmark' && !has('protocol')) out.push(`protocol ${has('ops') ? 'UDP' : 'TCP'}`);
    return out;
  }
  if (node.key.text === 'real_server' && !has('weight')) return ['weight 1'];
  return [];
}

function statement(node: ConfNode): string {
  const key = CURRENT_NAME[node.key.text] ?? node.key.text;
  const values = node.args.map((a) => (key === 'protocol' ? a.text.toUpperCase() : a.text));
  if (key === 'persistence_timeout' && values.length === 0) values.push('360');
  return [key, ...values].join(' ');
}

export function keepalivedStatements(text: string): string[] {
  const out: string[] = [];
  const walk = (nodes: ConfNode[], path: string) => {
    for (const n of nodes) {
      const here = `${path}${statement(n)}`;
      out.push(here);
      if (n.children) {
        for (const d of implied(n)) out.push(`${here} > ${d}`);
        walk(n.children, `${here} > `);
      }
    }
  };
  const problems: unknown[] = [];
  walk(parseConfTree(text, 'conf', problems as never[]), '');
  if (problems.length > 0) throw new Error(`not a plain keepalived.conf: ${JSON.stringify(problems)}`);
  return out.sort();
}
