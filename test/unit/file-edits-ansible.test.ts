/**
 * blockinfile and replace against Ansible's: each row is a file and arguments, and what
 * ansible-playbook 2.14's module made of them (changed, msg, the file after), recorded by running it
 * on this machine. Our own cases, after those of ansible/ansible's integration targets blockinfile
 * (markers, insertafter/insertbefore, create, CRLF files, a file without a final newline) and
 * replace (after/before sections, groups, empty matches, MULTILINE `$`).
 */
import { describe, expect, it } from 'vitest';
import { blockinfileModule } from '../../src/modules/blockinfile.ts';
import { replaceModule } from '../../src/modules/replace.ts';
import type { ModuleDef } from '../../src/modules/types.ts';
import { EDITED, editOutcome } from './file-edit-helpers.ts';

interface Row {
  name: string;
  before: string | null;
  args: Record<string, unknown>;
  changed: boolean;
  failed: boolean;
  msg: string;
  after: string | null;
}

const BLOCKINFILE: Row[] = [
  {"name": "insert at end", "before": "a\nb\n", "args": {"block": "x=1\ny=2"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "same block again", "before": "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n", "args": {"block": "x=1\ny=2"}, "changed": false, "failed": false, "msg": "", "after": "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "block replaced", "before": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n", "args": {"block": "new"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nb\n"},
  {"name": "block removed", "before": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n", "args": {"state": "absent"}, "changed": true, "failed": false, "msg": "Block removed", "after": "a\nb\n"},
  {"name": "empty block removes", "before": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\n", "args": {"block": ""}, "changed": true, "failed": false, "msg": "Block removed", "after": "a\n"},
  {"name": "insertbefore BOF", "before": "a\nb\n", "args": {"block": "x", "insertbefore": "BOF"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\na\nb\n"},
  {"name": "insertafter regex last match", "before": "[s]\na\n[s]\nb\n", "args": {"block": "x", "insertafter": "^\\[s\\]"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "[s]\na\n[s]\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\n"},
  {"name": "insertbefore regex", "before": "a\nb\nc\n", "args": {"block": "x", "insertbefore": "^b"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nb\nc\n"},
  {"name": "insertafter no match goes to end", "before": "a\n", "args": {"block": "x", "insertafter": "^zzz"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "custom marker", "before": "a\n", "args": {"block": "x", "marker": "<!-- {mark} lvs -->", "marker_begin": "start", "marker_end": "stop"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n<!-- start lvs -->\nx\n<!-- stop lvs -->\n"},
  {"name": "no newline at end", "before": "a", "args": {"block": "x"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "crlf lines", "before": "a\r\nb\r\n", "args": {"block": "x"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\r\nb\r\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "markers reversed", "before": "# END ANSIBLE MANAGED BLOCK\nmid\n# BEGIN ANSIBLE MANAGED BLOCK\nz\n", "args": {"block": "x"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\nz\n"},
  {"name": "create", "before": null, "args": {"block": "x", "create": true}, "changed": true, "failed": false, "msg": "File created", "after": "# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n"},
  {"name": "missing no create", "before": null, "args": {"block": "x"}, "changed": false, "failed": true, "msg": "Path /etc/t.conf does not exist !", "after": null},
  {"name": "absent missing file", "before": null, "args": {"state": "absent", "create": true}, "changed": false, "failed": false, "msg": "File /etc/t.conf not present", "after": null},
  {"name": "content alias and trailing newline", "before": "a\n", "args": {"content": "x\n"}, "changed": true, "failed": false, "msg": "Block inserted", "after": "a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n"},
];

const REPLACE: Row[] = [
  {"name": "simple", "before": "port 80\nport 81\n", "args": {"regexp": "^port (\\d+)$", "replace": "port \\1 # was"}, "changed": true, "failed": false, "msg": "2 replacements made", "after": "port 80 # was\nport 81 # was\n"},
  {"name": "no match", "before": "a\n", "args": {"regexp": "zzz", "replace": "y"}, "changed": false, "failed": false, "msg": "", "after": "a\n"},
  {"name": "same text", "before": "aaa\n", "args": {"regexp": "a", "replace": "a"}, "changed": false, "failed": false, "msg": "", "after": "aaa\n"},
  {"name": "after", "before": "[a]\nx=1\n[b]\nx=1\n", "args": {"regexp": "^x=1$", "replace": "x=2", "after": "\\[b\\]"}, "changed": true, "failed": false, "msg": "1 replacements made", "after": "[a]\nx=1\n[b]\nx=2\n"},
  {"name": "before", "before": "[a]\nx=1\n[b]\nx=1\n", "args": {"regexp": "^x=1$", "replace": "x=2", "before": "\\[b\\]"}, "changed": true, "failed": false, "msg": "1 replacements made", "after": "[a]\nx=2\n[b]\nx=1\n"},
  {"name": "after and before", "before": "s\nx\ne\nx\n", "args": {"regexp": "x", "replace": "y", "after": "s", "before": "e"}, "changed": true, "failed": false, "msg": "1 replacements made", "after": "s\ny\ne\nx\n"},
  {"name": "section not found", "before": "a\n", "args": {"regexp": "a", "replace": "b", "after": "zzz"}, "changed": false, "failed": false, "msg": "Pattern for before/after params did not match the given file: zzz(?P<subsection>.*)", "after": "a\n"},
  {"name": "unicode word", "before": "été 1\n", "args": {"regexp": "^\\w+", "replace": "summer"}, "changed": true, "failed": false, "msg": "1 replacements made", "after": "summer 1\n"},
  {"name": "empty matches", "before": "abc\n", "args": {"regexp": "x*", "replace": "-"}, "changed": true, "failed": false, "msg": "5 replacements made", "after": "-a-b-c-\n-"},
  {"name": "dollar multiline", "before": "a\nb\n", "args": {"regexp": "$", "replace": ";"}, "changed": true, "failed": false, "msg": "3 replacements made", "after": "a;\nb;\n;"},
  {"name": "named group", "before": "k=v\n", "args": {"regexp": "(?P<k>\\w)=(?P<v>\\w)", "replace": "\\g<v>=\\g<k>"}, "changed": true, "failed": false, "msg": "1 replacements made", "after": "v=k\n"},
  {"name": "missing file", "before": null, "args": {"regexp": "a"}, "changed": false, "failed": true, "msg": "Path /etc/t.conf does not exist !", "after": null},
  {"name": "remove lines", "before": "# c\na\n# d\n", "args": {"regexp": "^#.*\\n"}, "changed": true, "failed": false, "msg": "2 replacements made", "after": "a\n"},
];

function outcome(module: ModuleDef, args: Record<string, unknown>, before: string | null) {
  expect(module.argProblems!({ ...args, path: EDITED })).toEqual([]);
  return editOutcome(module, args, before);
}

describe.each([
  ['blockinfile', blockinfileModule, BLOCKINFILE, []],
  ['replace', replaceModule, REPLACE, ['empty matches', 'dollar multiline', 'named group']],
] as const)('%s edits a file as Ansible 2.14 does', (_name, module, rows, again) => {
  it.each(rows)('$name', (row) => {
    expect(outcome(module, row.args, row.before)).toEqual({ changed: row.changed, failed: row.failed, msg: row.msg, after: row.after });
  });
  // Rows whose result the pattern matches again (empty matches, a swap) change again, under
  // Ansible too (checked by running it a second time).
  it.each(rows.filter((r) => !r.failed && r.after !== null))('$name: a second run changes nothing unless Ansible changes it again', (row) => {
    expect(outcome(module, row.args, row.after).changed).toBe((again as readonly string[]).includes(row.name));
  });
});

describe('refused at validation', () => {
  it('an invalid regexp, an untranslatable one, a template naming a missing group', () => {
    expect(replaceModule.argProblems!({ path: EDITED, regexp: '(' })[0]).toMatchObject({ path: '/regexp', message: expect.stringContaining('missing ), unterminated subpattern') });
    expect(replaceModule.argProblems!({ path: EDITED, regexp: 'a', after: '(?m)x' })[0]).toMatchObject({ path: '/after', message: expect.stringContaining('inline flags') });
    expect(replaceModule.argProblems!({ path: EDITED, regexp: '(a)', replace: '\\2' })[0]).toMatchObject({ path: '/replace', message: expect.stringContaining('invalid group reference 2') });
    expect(blockinfileModule.argProblems!({ path: EDITED, block: 'x', insertafter: '[' })[0]).toMatchObject({ path: '/insertafter', message: expect.stringContaining('unterminated character set') });
    expect(blockinfileModule.argProblems!({ path: EDITED, block: 'x', insertafter: 'a', insertbefore: 'b' })[0].message).toBe('parameters are mutually exclusive: insertbefore|insertafter');
  });
});
