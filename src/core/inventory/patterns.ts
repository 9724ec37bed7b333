/**
 * Ansible host patterns: `all` / `*`, group and host names, `a:b` or `a,b` (union), `a:&b`
 * (intersection), `a:!b` (exclusion), shell-style wildcards (`rs*`, `*.example.com`, `rs?`, `[ab]*`),
 * `~regex` (matched from the start of the name, like Python's re.match), and subscripts `web[0]`,
 * `web[-1]`, `web[0:2]` (end inclusive). As in Ansible, unions are applied first, then
 * intersections, then exclusions, whatever their order in the pattern; a pattern of only `&`/`!`
 * terms starts from `all`. Unlike Ansible, a term that matches no group and no host is an error,
 * not a warning: a misspelt `--limit` must not quietly select nothing (or everything but nothing).
 * `localhost`, `127.0.0.1` or `::1` that the inventory does not have is Ansible's implicit localhost
 * (a host of its own, in no group, so `all` never includes it).
 */
import { closestName, UserError, type Problem, type SourcePos } from '../errors.ts';
import { globToRegExp } from '../fnmatch.ts';

export interface PatternTarget {
  /** Every host, in inventory order. */
  hostNames: string[];
  groupNames: string[];
  /** A group's hosts, its descendants' included, in inventory order. */
  membersOf(group: string): string[];
  /** A group's hosts, its descendants' included, in the order subscripts count them. */
  groupOrder(group: string): string[];
}

/** Names that give the implicit localhost when the inventory does not have them (ansible C.LOCALHOST). */
export const IMPLICIT_LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)[:-]([0-9]*))\]$/;

export function selectHosts(target: PatternTarget, pattern: string, at?: SourcePos, implicitLocalhost = true): string[] {
  const terms = splitPattern(pattern, new Set(target.hostNames));
  if (terms.length === 0) {
    throw new UserError({ pos: at, message: `host pattern ${JSON.stringify(pattern)} is empty`, hint: 'use "all", a group or a host name' });
  }
  const ctx: MatchContext = { target, hostSet: new Set(target.hostNames), pattern, at, problems: [], implicit: implicitLocalhost ? new Set() : undefined };
  const regular = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ordered = [...(regular.length > 0 ? regular : ['all']), ...terms.filter((t) => t.startsWith('&')), ...terms.filter((t) => t.startsWith('!'))];
  let chosen = new Set<string>();
  for (const term of ordered) {
    const op = term[0] === '&' || term[0] === '!' ? term[0] : '';
    const matched = matchTerm(ctx, term.slice(op.length));
    if (op === '&') chosen = new Set([...chosen].filter((h) => matched.has(h)));
    else if (op === '!') chosen = new Set([...chosen].filter((h) => !matched.has(h)));
    else for (const h of matched) chosen.add(h);
  }
  if (ctx.problems.length > 0) throw new UserError(ctx.problems);
  return [...target.hostNames.filter((h) => chosen.has(h)), ...[...(ctx.implicit ?? [])].filter((h) => chosen.has(h))];
}

/** Splits on commas, then on colons outside `[...]`; a whole pattern that is a host name stays one term. */
function splitPattern(pattern: string, hostSet: Set<string>): string[] {
  const trimmed = pattern.trim();
  if (hostSet.has(trimmed)) return [trimmed];
  const terms: string[] = [];
  for (const piece of trimmed.split(',')) {
    if (hostSet.has(piece.trim())) {
      terms.push(piece.trim());
      continue;
    }
    terms.push(...(piece.match(/(?:[^:[\]]|\[[^\]]*\])+/g) ?? []));
  }
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

interface MatchContext {
  target: PatternTarget;
  hostSet: Set<string>;
  pattern: string;
  at?: SourcePos;
  problems: Problem[];
  /** The implicit localhost names the pattern used; undefined when they match nothing (--limit). */
  implicit?: Set<string>;
}

function matchTerm(ctx: MatchContext, term: string): Set<string> {
  const { target, at, problems } = ctx;
  if (term === 'all' || term === '*') return new Set(target.hostNames);
  if (ctx.hostSet.has(term)) return new Set([term]);
  if (ctx.implicit && IMPLICIT_LOCALHOST_NAMES.includes(term)) {
    ctx.implicit.add(term);
    return new Set([term]);
  }
  const sub = term.startsWith('~') ? null : SUBSCRIPT.exec(term);
  if (sub) {
    const hosts = matchTerm(ctx, sub[1]);
    const ordered = target.groupNames.includes(sub[1]) ? target.groupOrder(sub[1]) : target.hostNames.filter((h) => hosts.has(h));
    return new Set(subscript(ordered, sub, term, at, problems));
  }
  const badSlice = term.startsWith('~') ? null : /^(.+)\[(-?[0-9]*):(-?[0-9]*)\]$/.exec(term);
  if (badSlice) {
    // Ansible reads these as wildcards, which match no name: it warns and runs on no host
    problems.push({
      pos: at,
      message: `"${term}": a slice with an open start or a negative bound selects no host in Ansible`,
      hint: `give a start of 0 or more and an end of 0 or more, or none: "${badSlice[1]}[0:${badSlice[3] === '' || badSlice[3].startsWith('-') ? '' : badSlice[3]}]"`,
    });
    return new Set();
  }
  let re: RegExp | undefined;
  if (term.startsWith('~')) {
    try {
      re = new RegExp(`^(?:${term.slice(1)})`);
    } catch (err) {
      problems.push({ pos: at, message: `bad regular expression in host pattern "${term}": ${(err as Error).message}`, hint: 'fix the expression after "~"' });
      return new Set();
    }
  } else if (/[*?[]/.test(term)) {
    re = globToRegExp(term);
  }
  const hosts = new Set<string>();
  const groups = re ? target.groupNames.filter((g) => re.test(g)) : target.groupNames.filter((g) => g === term);
  for (const g of groups) for (const h of target.membersOf(g)) hosts.add(h);
  if (re) for (const h of target.hostNames) if (re.test(h)) hosts.add(h);
  if (groups.length === 0 && hosts.size === 0) problems.push(unknownTerm(target, term, ctx.pattern, at));
  return hosts;
}

function subscript(hosts: string[], m: RegExpExecArray, term: string, at: SourcePos | undefined, problems: Problem[]): string[] {
  // Ansible takes an end of 0 as no end at all, so `g[2:0]` is `g[2]` (its _apply_subscript tests `if end:`)
  const index = m[2] ?? (m[4] === '0' ? m[3] : undefined);
  if (index !== undefined) {
    const i = Number(index);
    const host = hosts[i < 0 ? hosts.length + i : i];
    if (host !== undefined) return [host];
    problems.push({ pos: at, message: `"${term}" is past the end: "${m[1]}" has ${hosts.length} hosts`, hint: `use an index from 0 to ${hosts.length - 1}` });
    return [];
  }
  const start = Number(m[3]);
  const end = m[4] === '' ? hosts.length - 1 : Number(m[4]);
  return hosts.slice(start, end + 1);
}

function unknownTerm(target: PatternTarget, term: string, pattern: string, at: SourcePos | undefined): Problem {
  const near = closestName(term, [...target.groupNames, ...target.hostNames]);
  const groups = target.groupNames.filter((g) => g !== 'ungrouped');
  const listed = groups.length > 12 ? `${groups.slice(0, 12).join(', ')}, …` : groups.join(', ');
  return {
    pos: at,
    message: `"${term}" in host pattern "${pattern}" matches no group and no host`,
    hint: `${near ? `did you mean "${near}"? ` : ''}groups are: ${listed}`,
  };
}
