/**
 * Host and group names. A host name reaches ssh and remote shells (as the address when no
 * ansible_host is set, in messages, in templates), so it may hold only what a DNS name or an IP
 * address holds; a group name must also stay clear of the pattern operators `: , & ! ~ *`.
 */
import type { Problem, SourcePos } from '../errors.ts';

const HOST_NAME = /^[\p{L}\p{N}_.:-]+$/u;
const GROUP_NAME = /^[\p{L}\p{N}_.-]+$/u;

/** Reports a bad host name (`written` is the key as written, before range expansion). */
export function checkHostName(name: string, written: string, pos: SourcePos, problems: Problem[]): boolean {
  if (HOST_NAME.test(name) && !name.startsWith('-')) return true;
  const shown = name === written ? `"${name}"` : `"${name}" (from "${written}")`;
  problems.push({
    pos,
    message: `host name ${shown} ${name.startsWith('-') ? 'starts with "-"' : 'holds whitespace or shell metacharacters'}`,
    hint: 'a host name may hold letters, digits and . - _ : (and not start with -); give the real address in ansible_host',
  });
  return false;
}

export function checkGroupName(name: string, pos: SourcePos, problems: Problem[]): boolean {
  if (GROUP_NAME.test(name) && !name.startsWith('-')) return true;
  problems.push({
    pos,
    message: `group name "${name}" holds characters a group name cannot have`,
    hint: 'a group name may hold letters, digits and . - _ (and not start with -), e.g. real_servers',
  });
  return false;
}
