/**
 * git (ansible.builtin.git): a clone of `repo` at `dest`, checked out at `version`, as Ansible's
 * module does it (modules/git.py): `git clone --origin origin`, and for a clone that exists the
 * origin's URL set, `git fetch --tags`, then the version switched to (switch_version: a branch
 * tracked or reset to its origin, a tag or sha checked out). Local changes to tracked files fail
 * the task unless `force`, which resets them. Planned from the clone's HEAD and the repository's
 * refs, so check mode says exactly what a run would do.
 */
import path from 'node:path';
import { sh, ShellText } from '../shell/quote.ts';
import { aliasProblems, ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import { gitCloneFact, gitCloneKey, gitRefsFact, resolveVersion, type GitClone, type Resolved } from './git-refs.ts';
import { fileKey } from './remote-file.ts';
import type { Change, ModuleDef, Plan } from './types.ts';

interface GitArgs {
  repo: string;
  /** Alias of repo. */
  name?: string;
  dest: string;
  version?: string;
  force?: AnsibleBool;
}

const ALIASES = { name: 'repo' };

/** Ansible clones a repository given as an absolute path through file://, and so names it in the origin's URL. */
const repoUrl = (repo: string): string => (repo.startsWith('/') ? `file://${repo}` : repo);

/** switch_version, for what the version turned out to be. */
function switchCommand(dest: string, version: string, kind: Resolved['kind']): ShellText {
  const git = sh`git -C ${dest}`;
  if (kind === 'head') {
    // get_head_branch: the branch the origin's HEAD names in the clone.
    return sh`b=$(${git} symbolic-ref --short refs/remotes/origin/HEAD 2>/dev/null || ${git} symbolic-ref --short HEAD) && b=\${b#origin/} && ${git} checkout --force "$b" && ${git} reset --hard "origin/$b" --`;
  }
  if (kind === 'branch') {
    return sh`if ${git} show-ref --verify --quiet ${`refs/heads/${version}`}; then ${git} checkout --force ${version} && ${git} reset --hard ${`origin/${version}`}; else ${git} checkout --track -b ${version} ${`origin/${version}`}; fi`;
  }
  return sh`${git} checkout --force ${version}`;
}

/** Ansible fetches and updates submodules (recursive); lvsdr does not, so a repository with them fails rather than differ. */
const noSubmodules = (dest: string): ShellText =>
  sh`if [ -e ${`${dest}/.gitmodules`} ]; then echo ${`${dest} has submodules, which lvsdr's git does not fetch`} >&2; exit 1; fi`;

export const gitModule: ModuleDef<GitArgs> = {
  name: 'git',
  summary: 'a git clone at dest, checked out at a branch, tag or commit, as Ansible manages it',
  schema: {
    type: 'object',
    properties: {
      repo: { type: 'string', minLength: 1 },
      name: { type: 'string', minLength: 1 },
      dest: { type: 'string', pattern: '^/[^\\0]*$' },
      version: { type: 'string', pattern: '^[^\\s~^:?*\\[\\\\]+$' },
      force: boolSchema,
    },
    required: ['dest'],
    oneOf: [{ required: ['repo'] }, { required: ['name'] }],
    additionalProperties: false,
  },
  argProblems: (args) => aliasProblems(args, ALIASES),
  plan(written, state): Plan {
    const a = withoutAliases(written, ALIASES);
    const repo = repoUrl(a.repo);
    const version = a.version ?? 'HEAD';
    // Both asked for at once: one read of the host for the two.
    const clone = state.fact(gitCloneFact, a.dest);
    const refs = state.fact(gitRefsFact, repo);
    if (!refs.ok) return { kind: 'fail', message: refs.message };
    const target = resolveVersion(refs.refs, version, repo);
    if (target.kind === 'unknown') return { kind: 'fail', message: target.message };
    const touches = [gitCloneKey(a.dest), fileKey(a.dest)];
    const after: GitClone = { exists: true, head: target.sha, url: repo, dirty: false };
    const effects = { [gitCloneKey(a.dest)]: after };

    if (!clone.exists) {
      const command = sh`mkdir -p -- ${path.posix.dirname(a.dest)} && GIT_TERMINAL_PROMPT=0 git clone --origin origin ${repo} ${a.dest} && ${switchCommand(a.dest, version, target.kind)} && ${noSubmodules(a.dest)}`;
      const change: Change = { summary: `clone ${repo} to ${a.dest} at ${version} (${target.sha})`, commands: [{ command, touches }], diff: { kind: 'value', name: `${a.dest} version`, before: null, after: target.sha }, effects };
      return { kind: 'change', changes: [change], result: { before: null, after: target.sha } };
    }
    const urlChanged = clone.url !== null && clone.url !== repo;
    if (clone.dirty && !ansibleBool(a.force)) return { kind: 'fail', message: `Local modifications exist in the destination: ${a.dest} (force=no).` };
    const result = { before: clone.head, after: target.sha, remote_url_changed: urlChanged };
    if (!clone.dirty && !urlChanged && clone.head === target.sha) return { kind: 'noop', reason: `${a.dest} is at ${version} (${target.sha})`, result };
    const git = sh`git -C ${a.dest}`;
    const steps = [
      ...(clone.dirty ? [sh`${git} reset --hard HEAD`] : []),
      ...(urlChanged ? [sh`${git} remote set-url origin ${repo}`] : []),
      sh`GIT_TERMINAL_PROMPT=0 ${git} fetch --tags ${ansibleBool(a.force) ? ['--force'] : []} origin`,
      switchCommand(a.dest, version, target.kind),
      noSubmodules(a.dest),
    ];
    const why = [clone.dirty ? 'local modifications reset' : '', urlChanged ? `origin ${clone.url} → ${repo}` : '', clone.head !== target.sha ? `${clone.head.slice(0, 12)} → ${target.sha.slice(0, 12)}` : ''].filter(Boolean).join(', ');
    const change: Change = {
      summary: `update ${a.dest} to ${version}: ${why}`,
      commands: [{ command: new ShellText(steps.map((s) => s.text).join(' && ')), touches }],
      diff: { kind: 'value', name: `${a.dest} version`, before: clone.head, after: target.sha },
      effects,
    };
    return { kind: 'change', changes: [change], result };
  },
};
