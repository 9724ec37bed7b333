/**
 * What to say about a flag lvsdr does not have: ansible-playbook's own flags that lvsdr does not
 * offer say why and what to do instead; anything else gets the closest flag lvsdr has.
 */
import { closestName } from '../core/errors.ts';

const PASSWORD_LOGIN = 'lvsdr logs in with a key only: use --private-key or ssh-agent';
const OPENSSH_ARGS = 'lvsdr speaks SSH itself, without the ssh, scp or sftp programs, so it cannot pass their options';

/** ansible-playbook flags lvsdr does not offer, by every spelling, and why. */
const ANSIBLE_ONLY: Record<string, string> = {
  k: PASSWORD_LOGIN,
  'ask-pass': PASSWORD_LOGIN,
  'connection-password-file': PASSWORD_LOGIN,
  'scp-extra-args': OPENSSH_ARGS,
  'sftp-extra-args': OPENSSH_ARGS,
  M: 'lvsdr cannot run custom Ansible modules',
  'module-path': 'lvsdr cannot run custom Ansible modules',
  'force-handlers': 'lvsdr does not run the handlers of a failed host; fix the failure and run again',
  step: 'lvsdr does not ask before each task; preview the run with --check --diff instead',
};

/** The message for yargs' "Unknown argument(s): a, b", given the flags the command has. */
export function unknownFlagHelp(message: string, known: string[]): { message: string; hint: string } | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return undefined;
  const names = m[1].split(', ');
  const ansible = names.find((n) => ANSIBLE_ONLY[n]);
  if (ansible) return { message: `${dashed(ansible)} (an ansible-playbook flag) is not supported`, hint: ANSIBLE_ONLY[ansible] };
  const near = closestName(names[0], known.filter((k) => k.length > 1));
  return {
    message: `unknown flag ${dashed(names[0])}`,
    hint: near ? `did you mean ${dashed(near)}? ('lvsdr COMMAND --help' lists the flags)` : "run 'lvsdr COMMAND --help' for the flags",
  };
}

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
