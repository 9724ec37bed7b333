/**
 * ansible.cfg and the ANSIBLE_* environment, read into the flag defaults they give lvsdr
 * (config-settings.ts says what each key means). The environment beats the file, as in Ansible;
 * within the file the last of a setting's keys that is set wins (config/manager.py _loop_entries).
 * Every problem, with its file:line:col (or `$NAME` for the environment), is one UserError.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ansibleBoolean } from '../access-vars.ts';
import { UserError, type Problem, type SourcePos } from '../errors.ts';
import { findConfigFile, readConfigFile, type ConfigEntry } from './config-file.ts';
import { unsupportedSshArgs } from './ssh-args.ts';
import { NO_EFFECT_SECTIONS, SETTINGS, type Setting, type SettingType } from './config-settings.ts';

export interface FlagDefault {
  flag: string;
  value: unknown;
  list?: 'append' | 'prepend';
}

export interface AnsibleConfig {
  /** The ansible.cfg read, if any. */
  file?: string;
  defaults: FlagDefault[];
  warnings: string[];
}

interface Found {
  text: string;
  pos: SourcePos;
  /** Relative paths are resolved against this directory. */
  base: string;
  name: string;
}

export function loadAnsibleConfig(cwd: string, env: NodeJS.ProcessEnv): AnsibleConfig {
  const warnings: string[] = [];
  const problems: Problem[] = [];
  const file = findConfigFile(cwd, env, warnings);
  const entries = file ? readConfigFile(file, problems).entries : [];
  const bySetting = new Map<Setting, ConfigEntry>();
  for (const entry of entries) {
    const id = `${entry.section}.${entry.key}`;
    const setting = SETTINGS.find((s) => s.ini.includes(id));
    if (setting) bySetting.set(setting, entry);
    else if (!(entry.section in NO_EFFECT_SECTIONS) && !entry.section.startsWith('callback_')) {
      problems.push({
        pos: entry.keyPos,
        message: `lvsdr does not read ${entry.key} in [${entry.section}] of ansible.cfg`,
        hint: 'remove it (README: Coming from Ansible lists the keys lvsdr reads and what each means here)',
      });
    }
  }
  const defaults: FlagDefault[] = [];
  for (const setting of SETTINGS) {
    const envName = setting.env.find((n) => env[n] !== undefined);
    const entry = bySetting.get(setting);
    const found: Found | undefined = envName
      ? { text: env[envName]!, pos: { file: `$${envName}`, line: 1, col: 1 }, base: cwd, name: envName }
      : entry && { text: entry.value, pos: entry.pos, base: dirname(entry.pos.file), name: entry.key };
    if (found) meaningOf(setting, found, defaults, problems);
  }
  // In file order (the environment's, named `$NAME`, after the file's).
  problems.sort((a, b) => Number(a.pos?.file.startsWith('$')) - Number(b.pos?.file.startsWith('$')) || (a.pos?.line ?? 0) - (b.pos?.line ?? 0));
  if (problems.length > 0) throw new UserError(problems);
  return { file, defaults, warnings };
}

function meaningOf(setting: Setting, found: Found, defaults: FlagDefault[], problems: Problem[]): void {
  const m = setting.meaning;
  const refuse = (message: string, hint: string) => problems.push({ pos: found.pos, message, hint });
  if ('refused' in m) return void refuse(`${found.name} is not supported`, m.refused);
  if ('noEffect' in m) return;
  if ('sshArgs' in m) {
    const other = unsupportedSshArgs(found.text);
    if (other.length > 0) refuse(`${found.name} sets ${other.join(', ')}, which lvsdr cannot pass on`, 'lvsdr speaks SSH itself, without the ssh program: remove those options');
    return;
  }
  if ('only' in m) {
    const same = typeof m.only === 'boolean' ? ansibleBoolean(found.text) === m.only : ([] as unknown[]).concat(m.only).map(String).includes(found.text.trim());
    if (!same) refuse(`${found.name} = ${found.text} is not supported`, m.why);
    return;
  }
  const read = typed(m.type, found, refuse);
  if (read === undefined) return;
  const value = m.invert ? !read : read;
  if (m.choices && !m.choices.includes(String(value))) return void refuse(`${found.name} = ${found.text} is not supported`, `lvsdr takes ${m.choices.join(', ')}`);
  defaults.push({ flag: m.flag, value, ...(m.list ? { list: m.list } : {}) });
}

function typed(type: SettingType, found: Found, refuse: (message: string, hint: string) => void): unknown {
  const text = found.text.trim();
  switch (type) {
    case 'bool': {
      const b = ansibleBoolean(text);
      if (b === undefined) refuse(`${found.name} = ${text} is not a boolean`, 'write true or false');
      return b;
    }
    case 'int':
      if (/^[0-9]+$/.test(text)) return Number(text);
      refuse(`${found.name} = ${text} is not a whole number`, 'write a number, e.g. 20');
      return undefined;
    case 'path':
      return pathOf(text, found.base);
    case 'pathlist':
      return text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => pathOf(p, found.base));
    case 'pathspec':
      return text.split(':').map((p) => p.trim()).filter(Boolean).map((p) => pathOf(p, found.base));
    case 'list':
      return text.split(',').map((p) => p.trim()).filter(Boolean);
    case 'string':
      return text;
  }
}

/** Ansible's resolve_path: `~` expanded, a relative path taken from the config file's directory. */
function pathOf(text: string, base: string): string {
  const home = text === '~' || text.startsWith('~/') ? homedir() + text.slice(1) : text;
  return resolve(base, home);
}
