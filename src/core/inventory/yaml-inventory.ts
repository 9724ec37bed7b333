/**
 * Ansible's YAML inventory format, read into a draft: top-level keys are groups (usually just
 * `all`); a group holds only `hosts`, `vars` and `children`; a child group holds the same, nested to
 * any depth; a host's value is its vars. Where Ansible only warns (an unknown key under a group) this
 * is a problem, because a misspelt `children:` silently drops hosts.
 */
import { isMap, isSeq, type Node } from 'yaml';
import { closestName, type Problem, type SourcePos } from '../errors.ts';
import type { YamlSource } from '../yaml-source.ts';
import { normaliseConnectionVars } from './connection-vars.ts';
import type { InventoryDraft } from './draft.ts';
import { expandHostRange, HostRangeError, splitHostPort } from './host-range.ts';
import { checkGroupName, checkHostName } from './names.ts';
import { describeNode, isEmptyValue, mapEntries, readVars } from './yaml-nodes.ts';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

export function readYamlInventory(src: YamlSource, draft: InventoryDraft, problems: Problem[]): void {
  const root = src.doc.contents;
  if (isEmptyValue(root as Node | null)) {
    problems.push({
      pos: src.posAt(0),
      message: 'the inventory file is empty',
      hint: 'list groups and hosts under `all:`, e.g. all: {hosts: {rs1.example.com: {}}}',
    });
    return;
  }
  if (!isMap(root)) {
    problems.push({
      pos: src.posOf(root),
      message: `an inventory must be a mapping of group names, found ${describeNode(root as Node)}`,
      hint: 'start the file with `all:` and put `hosts:`, `vars:` and `children:` under it',
    });
    return;
  }
  for (const e of mapEntries(src, root, problems)) {
    if (e.key === 'plugin') {
      problems.push({
        pos: e.keyPos,
        message: 'this is an inventory plugin configuration, which lvsdr does not run',
        hint: 'give lvsdr a static YAML inventory (e.g. the output of `ansible-inventory --list -y`)',
      });
      return;
    }
    readGroup(src, draft, problems, e.key, e.keyPos, e.value, e.valuePos, undefined);
  }
}

function readGroup(
  src: YamlSource,
  draft: InventoryDraft,
  problems: Problem[],
  name: string,
  namePos: SourcePos,
  node: Node | null,
  nodePos: SourcePos,
  parent: string | undefined,
): void {
  if (!checkGroupName(name, namePos, problems)) return;
  const group = draft.group(name, namePos);
  if (parent !== undefined) draft.addChild(parent, name, namePos);
  if (isEmptyValue(node)) return;
  if (!isMap(node)) {
    problems.push({
      pos: nodePos,
      message: `group "${name}" must be a mapping with hosts, vars or children, found ${describeNode(node)}`,
      hint: isSeq(node)
        ? `list hosts as keys under \`hosts:\` (\`${name}: {hosts: {rs1: {}, rs2: {}}}\`), not as a list`
        : `write \`${name}:\` followed by indented \`hosts:\`, \`vars:\` or \`children:\``,
    });
    return;
  }
  for (const e of mapEntries(src, node, problems)) {
    if (!GROUP_KEYS.includes(e.key)) {
      const near = closestName(e.key, GROUP_KEYS);
      problems.push({
        pos: e.keyPos,
        message: `unknown key "${e.key}" in group "${name}"`,
        hint: near
          ? `did you mean "${near}"? A group may hold only hosts, vars and children`
          : 'a group may hold only hosts, vars and children; put variables under `vars:`',
      });
      continue;
    }
    if (isEmptyValue(e.value)) continue;
    if (!isMap(e.value)) {
      problems.push({
        pos: e.valuePos,
        message: `${e.key} of group "${name}" must be a mapping, found ${describeNode(e.value)}`,
        hint: isSeq(e.value)
          ? `write each ${e.key === 'vars' ? 'variable as `name: value`' : 'name as a key ending in `:`'} on its own line, not as a list item`
          : `indent the ${e.key === 'vars' ? 'variables' : 'names'} under \`${e.key}:\`, one \`name:\` per line`,
      });
      continue;
    }
    if (e.key === 'vars') {
      const { vars, positions } = readVars(src, e.value, problems);
      Object.assign(group.vars, normaliseConnectionVars(vars, positions, problems));
    } else if (e.key === 'children') {
      for (const child of mapEntries(src, e.value, problems)) {
        readGroup(src, draft, problems, child.key, child.keyPos, child.value, child.valuePos, name);
      }
    } else {
      for (const h of mapEntries(src, e.value, problems)) readHosts(src, draft, problems, name, h.key, h.keyPos, h.value, h.valuePos);
    }
  }
}

/** One key under `hosts:`: a host name, a range of them, or `name:port`. */
function readHosts(
  src: YamlSource,
  draft: InventoryDraft,
  problems: Problem[],
  group: string,
  key: string,
  keyPos: SourcePos,
  node: Node | null,
  nodePos: SourcePos,
): void {
  if (!isEmptyValue(node) && !isMap(node)) {
    problems.push({
      pos: nodePos,
      message: `host "${key}" in group "${group}" must have a mapping of variables, found ${describeNode(node)}`,
      hint: `write \`${key}:\` alone for no variables, or indent \`name: value\` lines under it`,
    });
    return;
  }
  const { pattern, port } = splitHostPort(key);
  let names: string[];
  try {
    names = expandHostRange(pattern);
  } catch (err) {
    if (!(err instanceof HostRangeError)) throw err;
    problems.push({ pos: keyPos, message: err.message, hint: err.hint });
    return;
  }
  if (!names.every((n) => checkHostName(n, key, keyPos, problems))) return;
  const { vars, positions } = node && isMap(node) ? readVars(src, node, problems) : { vars: {}, positions: new Map() };
  if (port !== undefined && !positions.has('ansible_port')) positions.set('ansible_port', keyPos);
  const placeVars = normaliseConnectionVars(port === undefined ? vars : { ansible_port: port, ...vars }, positions, problems);
  for (const name of names) {
    const host = draft.host(name, keyPos);
    Object.assign(host.vars, placeVars);
    draft.addHostToGroup(group, name);
  }
}
