/** `--roles-path`: where roles are looked for after roles/ beside the playbook (ANSIBLE_ROLES_PATH, ansible.cfg roles_path). */
import type { Argv } from 'yargs';

export function withRolesPathOption(y: Argv): Argv {
  return y.option('roles-path', {
    type: 'string',
    array: true,
    defaultDescription: "ANSIBLE_ROLES_PATH, ansible.cfg's roles_path, or ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles",
    describe: 'directories (colon-separated, or the flag repeated) where roles are looked for after roles/ beside the playbook',
  });
}

/** The flag's directories, or undefined for Ansible's default roles path. */
export function rolesPathOf(argv: Record<string, unknown>): string[] | undefined {
  const given = argv['roles-path'] as string[] | undefined;
  return given === undefined ? undefined : given.flatMap((p) => p.split(':')).filter(Boolean);
}
