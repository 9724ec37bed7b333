/**
 * The README's director table names every keepalived keyword the keyword table
 * (src/modules/keepalived-keywords.ts) lets the keepalived module write, and every argument of the
 * module itself: a keyword added to the table without a README row fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHECKER_KEYWORDS,
  CHECKER_TYPES,
  GLOBAL_DEFS_KEYWORDS,
  REAL_SERVER_KEYWORDS,
  URL_KEYWORDS,
  VIRTUAL_SERVER_KEYWORDS,
  VRRP_INSTANCE_KEYWORDS,
  VRRP_SCRIPT_KEYWORDS,
  VRRP_SYNC_GROUP_KEYWORDS,
  type Keyword,
} from '../../src/modules/keepalived-keywords.ts';
import { keepalivedSchema } from '../../src/modules/keepalived-schema.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The table under "## The director": its rows only. */
const table = readme
  .slice(readme.indexOf('## The director'))
  .split('\n')
  .filter((l) => l.startsWith('| '))
  .join('\n');

const names = (table: Keyword[]): string[] => table.flatMap((k) => [k.name, ...(k.aliases ?? [])]);
const named = (name: string) => new RegExp('`[^`]*\\b' + name.replace(/[-]/g, '\\-') + '\\b[^`]*`').test(table);

describe("the README's director table", () => {
  it.each([
    ['global_defs', names(GLOBAL_DEFS_KEYWORDS)],
    ['virtual_server', names(VIRTUAL_SERVER_KEYWORDS)],
    ['real_server', names(REAL_SERVER_KEYWORDS)],
    ['checkers', [...CHECKER_TYPES, ...CHECKER_TYPES.flatMap((t) => names(CHECKER_KEYWORDS[t])), ...names(URL_KEYWORDS)]],
    ['vrrp_instance', names(VRRP_INSTANCE_KEYWORDS).filter((n) => n !== 'virtual_ipaddress')],
    ['vrrp_script', names(VRRP_SCRIPT_KEYWORDS)],
    ['vrrp_sync_group', names(VRRP_SYNC_GROUP_KEYWORDS)],
    ['module arguments', Object.keys((keepalivedSchema as { properties: object }).properties)],
  ])('names every %s keyword the module writes', (_block, keywords) => {
    expect([...new Set(keywords)].filter((k) => !named(k))).toEqual([]);
  });
});
