/**
 * include_vars (ansible.builtin.include_vars): variables from YAML or JSON files on the controller,
 * as ansible-core 2.14's action (plugins/action/include_vars.py) loads them — a `file` (or the
 * free-form file name) found along the task's search path under `vars/` or beside it, or every
 * file of a `dir` (the task's role's `vars/`, else beside the task's file), in sorted order, down
 * to `depth` directories as Ansible counts them, kept by `files_matching`, `ignore_files`,
 * `extensions` and `ignore_unknown_extensions` — each file's variables replacing the last's, all
 * under `name` when it is given. They become the host's variables at include_vars precedence
 * (below set_fact and registered results, above task vars), for the rest of the run.
 * Nothing is read from or done on the host.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatProblem, ProblemList } from '../core/errors.ts';
import { isTemplate } from '../core/templating.ts';
import { readVarsFile } from '../core/playbook/vars-file.ts';
import { ansibleBool, boolSchema, type AnsibleBool } from './ansible-args.ts';
import { findControllerFile, notFoundMessage } from './controller-file.ts';
import { pyRegExp, translatePyRegex } from './python-regex.ts';
import type { ModuleContext, ModuleDef, Plan } from './types.ts';

interface IncludeVarsArgs {
  file?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string | string[];
  extensions?: string[];
  ignore_unknown_extensions?: AnsibleBool;
  hash_behaviour?: 'replace' | null;
}

const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'];

export const includeVarsModule: ModuleDef<IncludeVarsArgs> = {
  name: 'include_vars',
  summary: 'load variables from YAML or JSON files on the controller (changes nothing on the host)',
  schema: {
    type: 'object',
    properties: {
      file: { type: 'string', minLength: 1 },
      dir: { type: 'string', minLength: 1 },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      depth: { type: 'integer', minimum: 0 },
      files_matching: { type: 'string' },
      ignore_files: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      extensions: { type: 'array', items: { type: 'string' } },
      ignore_unknown_extensions: boolSchema,
      // Ansible's hash_behaviour: merge folds dicts into the values they replace; lvsdr replaces, as Ansible's default.
      hash_behaviour: { enum: ['replace', null] },
    },
    additionalProperties: false,
  },
  freeForm: (text) => ({ file: text.replace(/\n+$/, '') }),
  argProblems(args) {
    const dirArgs = DIR_ARGS.filter((a) => a in args);
    if (dirArgs.length > 0 && args.file !== undefined) return [{ path: `/${dirArgs[0]}`, message: 'You are mixing file only and dir only arguments, these are incompatible' }];
    if (dirArgs.length > 0 && args.dir === undefined) return [{ path: `/${dirArgs[0]}`, message: `'${dirArgs[0]}' needs 'dir'` }];
    if (args.file === undefined && args.dir === undefined) return [{ path: '', message: "give the file to load (file: or the free-form file name), or 'dir'" }];
    return regexProblems(args);
  },
  setsVars: 'include_vars',
  definesVars(args, where) {
    if (args.name !== undefined) return isTemplate(args.name) ? undefined : [args.name];
    if (args.file === undefined || isTemplate(args.file)) return undefined;
    const found = findControllerFile(where, 'vars', args.file);
    if (!found.found) return undefined;
    const vars = readVarsFile(new ProblemList(), found.file);
    return vars ? Object.keys(vars) : undefined;
  },
  plan(args, _state, ctx): Plan {
    const loaded = args.dir !== undefined ? loadDir(args, ctx) : loadFile(args.file!, ctx);
    if ('failed' in loaded) return { kind: 'fail', message: loaded.failed };
    const vars = args.name !== undefined ? { [args.name]: loaded.vars } : loaded.vars;
    const names = Object.keys(vars);
    return {
      kind: 'noop',
      reason: names.length > 0 ? names.join(', ') : 'no variables',
      result: { ansible_facts: vars, ansible_included_var_files: loaded.files, changed: false },
    };
  },
};

type Loaded = { vars: Record<string, unknown>; files: string[] } | { failed: string };

function loadFile(file: string, ctx: Pick<ModuleContext, 'searchDirs' | 'playbookDir'>): Loaded {
  const found = findControllerFile(ctx, 'vars', file);
  if (!found.found) return { failed: notFoundMessage('vars file', file, found.searched) };
  return readFiles([found.file]);
}

function readFiles(files: string[]): Loaded {
  const vars: Record<string, unknown> = {};
  for (const file of files) {
    const problems = new ProblemList();
    const read = readVarsFile(problems, file);
    if (!read) return { failed: problems.items.map(formatProblem).join('\n') || `${file} must be stored as a dictionary/hash` };
    Object.assign(vars, read);
  }
  return { vars, files };
}

/** The files of `dir` Ansible loads, in its order (_traverse_dir_depth, _load_files_in_dir). */
function loadDir(args: IncludeVarsArgs, ctx: Pick<ModuleContext, 'taskDir' | 'rolePath'>): Loaded {
  const dir = rootDir(args.dir!, ctx);
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    return { failed: `${dir} directory does not exist` };
  }
  if (!stat.isDirectory()) return { failed: `${dir} is not a directory` };
  const extensions = args.extensions ?? ['yaml', 'yml', 'json'];
  const ignore = (typeof args.ignore_files === 'string' ? args.ignore_files.split(/\s+/).filter(Boolean) : (args.ignore_files ?? [])).map((p) => pyRegExp(translatePyRegex(`${p}$`, 'unicode')));
  const matching = args.files_matching ? pyRegExp(translatePyRegex(args.files_matching, 'unicode')) : undefined;
  const unknownIgnored = ansibleBool(args.ignore_unknown_extensions ?? false);
  // Ansible counts depth in directories walked (sorted by path), not in levels below `dir`.
  const dirs = walk(dir).sort(byCodePoint);
  const files: string[] = [];
  for (const d of args.depth ? dirs.slice(0, args.depth) : dirs) {
    // As os.walk: a link to a directory is a directory (not walked), not a file.
    for (const name of readdirSync(d).filter((n) => !statSync(path.join(d, n), { throwIfNoEntry: false })?.isDirectory()).sort(byCodePoint)) {
      if (matching && !matching.test(name)) continue;
      if (ignore.some((r) => r.test(name))) continue;
      const ext = path.extname(name).slice(1);
      if (!extensions.includes(ext)) {
        if (unknownIgnored) continue;
        return { failed: `${path.join(d, name)} does not have a valid extension: ${extensions.join(', ')}` };
      }
      files.push(path.join(d, name));
    }
  }
  return readFiles(files);
}

/** `dir` from the task's role's `vars/` (or its role path, given as vars/…), else from the task's file's directory. */
function rootDir(dir: string, ctx: Pick<ModuleContext, 'taskDir' | 'rolePath'>): string {
  if (path.isAbsolute(dir)) return dir;
  if (ctx.rolePath) return dir.split('/')[0] === 'vars' ? path.join(ctx.rolePath, dir) : path.join(ctx.rolePath, 'vars', dir);
  return path.join(ctx.taskDir, dir);
}

function walk(dir: string): string[] {
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...subdirs.flatMap((e) => walk(path.join(dir, e.name)))];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function regexProblems(args: IncludeVarsArgs): { path: string; message: string }[] {
  const patterns: [string, string][] = [
    ...(args.files_matching !== undefined ? [['/files_matching', args.files_matching] as [string, string]] : []),
    ...(Array.isArray(args.ignore_files) ? args.ignore_files.map((p, i) => [`/ignore_files/${i}`, p] as [string, string]) : []),
  ];
  const out: { path: string; message: string }[] = [];
  for (const [at, pattern] of patterns) {
    if (isTemplate(pattern)) continue;
    try {
      translatePyRegex(pattern, 'unicode');
    } catch (err) {
      out.push({ path: at, message: `not a valid regular expression: ${(err as Error).message}` });
    }
  }
  return out;
}
