/**
 * The `command` module's argument expansion, as ansible-core 2.14's run_command does it on the host
 * (module_utils/basic.py: expand_user_and_vars): in each argument, Python's os.path.expandvars
 * (`$name` and `${name}` become the variable's value where it is set, even empty, and stay as
 * written where it is not), then os.path.expanduser (a leading `~` or `~user` becomes that home).
 * It happens on the host, in the task's environment, so lvsdr writes shell text that builds each
 * such argument there and runs the program with them ("$@"): a value is never split or globbed,
 * and keeps its trailing newlines. Arguments without `$` or a leading `~` are passed as they are.
 */
import { sh, ShellText } from '../shell/quote.ts';

/** Python's expandvars pattern (posixpath._varprog, ASCII). */
const VAR_REF = /\$(\w+|\{[^}]*\})/g;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function needsExpansion(argv: readonly string[]): boolean {
  return argv.some((a) => a.includes('$') || a.startsWith('~'));
}

/** The shell text that runs `argv` with each argument expanded as run_command expands it. */
export function expandedArgvCommand(argv: readonly string[]): ShellText {
  const steps = argv.map((arg) => sh`_lvsdr_a=''; ${expandVars(arg)}${expandUser()}set -- "$@" "$_lvsdr_a"`.text);
  return new ShellText(`{ set --; ${steps.join('; ')}; "$@"; }`);
}

/** Appends to $_lvsdr_a (a name no task's environment is likely to hold) the literal parts of `arg` and, for each variable it names, its value or, unset, the reference as written. */
function expandVars(arg: string): ShellText {
  const parts: string[] = [];
  let last = 0;
  for (const m of arg.matchAll(VAR_REF)) {
    const name = m[1].startsWith('{') ? m[1].slice(1, -1) : m[1];
    parts.push(sh`_lvsdr_a="$_lvsdr_a"${arg.slice(last, m.index)}; `.text);
    // A name the shell cannot hold is never set in the environment: Python leaves it as written too.
    // Python reads os.environ: the shell's own variables that are not exported (IFS, PPID, OPTIND)
    // are not there, so it asks printenv, which sees only what is exported.
    if (SHELL_NAME.test(name)) parts.push(`if printenv ${name} >/dev/null 2>&1; then _lvsdr_a="$_lvsdr_a\$${name}"; else ${sh`_lvsdr_a="$_lvsdr_a"${m[0]}`.text}; fi; `);
    else parts.push(sh`_lvsdr_a="$_lvsdr_a"${m[0]}; `.text);
    last = m.index + m[0].length;
  }
  parts.push(sh`_lvsdr_a="$_lvsdr_a"${arg.slice(last)}; `.text);
  return new ShellText(parts.join(''));
}

/** A leading `~` becomes $HOME, `~user` that user's home where the shell knows one (expanduser). */
function expandUser(): ShellText {
  // The tilde is looked for in the value after expandvars, as Python does it in that order.
  return new ShellText(
    `case "$_lvsdr_a" in "~"|"~/"*) _lvsdr_a="\${HOME-~}\${_lvsdr_a#"~"}";; "~"*) _lvsdr_u="\${_lvsdr_a%%/*}"; _lvsdr_u="\${_lvsdr_u#"~"}"; ` +
      `case "$_lvsdr_u" in *[!A-Za-z0-9._-]*) ;; *) _lvsdr_h=$(eval "printf %s ~$_lvsdr_u"); ` +
      `case "$_lvsdr_h" in "~"*) ;; *) _lvsdr_a="$_lvsdr_h\${_lvsdr_a#"~$_lvsdr_u"}";; esac;; esac;; esac; `,
  );
}
