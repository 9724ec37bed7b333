/**
 * OpenSSH arguments as Ansible passes them to `ssh` (ansible.cfg ssh_args, --ssh-common-args,
 * --ssh-extra-args). lvsdr speaks SSH itself, so it takes only those that change nothing it does:
 * `-C` (compression) and the options of OpenSSH's connection sharing and keepalives.
 */
const HARMLESS_OPTIONS = ['controlmaster', 'controlpersist', 'controlpath', 'serveraliveinterval', 'serveralivecountmax', 'tcpkeepalive'];

/** The options and flags of `args` that lvsdr cannot honour (`-o Name=value` by Name). */
export function unsupportedSshArgs(args: string): string[] {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const refused: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const option = w === '-o' ? (words[++i] ?? '') : w.startsWith('-o') ? w.slice(2) : undefined;
    if (option !== undefined) {
      const name = option.split('=')[0];
      if (!HARMLESS_OPTIONS.includes(name.toLowerCase())) refused.push(name);
    } else if (w !== '-C') refused.push(w);
  }
  return refused;
}
