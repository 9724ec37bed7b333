/**
 * Finding and reading ansible.cfg as ansible-core 2.14 does (config/manager.py find_ini_config_file):
 * the first of ANSIBLE_CONFIG (a file, or a directory holding ansible.cfg), ./ansible.cfg (not when
 * the current directory is world-writable: Ansible warns and skips it), ~/.ansible.cfg,
 * /etc/ansible/ansible.cfg. Only that one file is read, never a merge.
 *
 * The text is read as Python's configparser reads it there (inline comments after ` ;`, `#` and
 * `;` comment lines, `key = value` or `key: value`, indented continuation lines, keys lower-cased,
 * a key twice in a section an error, `%%` for `%`); `%(name)s` interpolation is refused.
 */
import { existsSync, statSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Problem, SourcePos } from '../errors.ts';

export interface ConfigEntry {
  section: string;
  key: string;
  value: string;
  /** Where the value starts; `keyPos` where the key does. */
  pos: SourcePos;
  keyPos: SourcePos;
}

export interface ConfigFile {
  file: string;
  entries: ConfigEntry[];
}

/** The ansible.cfg Ansible would read from `cwd` with `env`, or undefined; warnings for skipped files. */
export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv, warnings: string[]): string | undefined {
  if (env.ANSIBLE_CONFIG) {
    const given = resolve(cwd, env.ANSIBLE_CONFIG);
    const file = existsSync(given) && statSync(given).isDirectory() ? join(given, 'ansible.cfg') : given;
    if (existsSync(file)) return file;
  }
  const local = join(cwd, 'ansible.cfg');
  if (existsSync(local)) {
    if ((statSync(cwd).mode & 0o002) === 0) return local;
    warnings.push(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source`);
  }
  for (const file of [join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg']) {
    if (existsSync(file)) return file;
  }
  return undefined;
}

export function readConfigFile(file: string, problems: Problem[]): ConfigFile {
  const entries: ConfigEntry[] = [];
  const seen = new Set<string>();
  let section: string | undefined;
  let last: ConfigEntry | undefined;
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const at = (col: number): SourcePos => ({ file, line: i + 1, col });
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') last = undefined;
      return;
    }
    const text = withoutInlineComment(raw);
    if (/^\s/.test(raw) && last) {
      last.value = `${last.value}\n${text.trim()}`;
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(text.trim());
    if (header) {
      section = header[1];
      last = undefined;
      return;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(text.trim());
    if (!m) {
      problems.push({ pos: at(1), message: 'this line is neither a [section], a key = value nor a comment', hint: 'fix the line, or comment it out with #' });
      return;
    }
    if (section === undefined) {
      problems.push({ pos: at(1), message: 'a setting before any [section]', hint: 'put it under [defaults] (or the section it belongs to)' });
      return;
    }
    const key = m[1].toLowerCase();
    const id = `${section}\0${key}`;
    if (seen.has(id)) {
      problems.push({ pos: at(1), message: `${key} is set twice in [${section}]`, hint: 'keep one of them: Ansible refuses the file too' });
      return;
    }
    seen.add(id);
    const valueCol = raw.indexOf(m[2]) + 1 || 1;
    last = { section, key, value: m[2], pos: at(valueCol), keyPos: at(raw.search(/\S/) + 1) };
    entries.push(last);
  });
  for (const entry of entries) entry.value = interpolated(entry, problems);
  return { file, entries };
}

/** configparser's inline_comment_prefixes=(';',): a `;` after white space starts a comment. */
function withoutInlineComment(line: string): string {
  const m = /\s;/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** BasicInterpolation as far as lvsdr takes it: `%%` is `%`; `%(name)s` and a lone `%` are refused. */
function interpolated(entry: ConfigEntry, problems: Problem[]): string {
  if (!entry.value.includes('%')) return entry.value;
  const out = entry.value.replace(/%%/g, '\0');
  if (out.includes('%')) {
    problems.push({
      pos: entry.pos,
      message: `${entry.key} uses % interpolation, which lvsdr does not do`,
      hint: 'write the value out in full (and %% for a literal %)',
    });
    return entry.value;
  }
  return out.replace(/\0/g, '%');
}
