/**
 * Where a role named in a playbook is found, as Ansible's RoleDefinition._load_role_path looks
 * (ansible-core 2.14): `roles/` beside the playbook, then the roles path (--roles-path, which
 * ANSIBLE_ROLES_PATH or ansible.cfg's roles_path set; else Ansible's default
 * ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles), then — for a dependency — the
 * directory holding the role that depends on it, then the playbook's own directory; last, the
 * name as a path.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';

/** Ansible's roles path when nothing sets one (config/base.yml DEFAULT_ROLES_PATH). */
export function defaultRolesPath(): string[] {
  return [join(homedir(), '.ansible/roles'), '/usr/share/ansible/roles', '/etc/ansible/roles'];
}

/** `dir` is the role's directory joined as the playbook was named (for file:line:col), `path` the same made absolute (`role_path`). */
export type RoleLocation = { found: true; name: string; dir: string; path: string } | { found: false; searched: string[] };

/**
 * The directory of role `name`. `playbookDir` is the directory of the playbook naming it, `rolesPath` the roles path;
 * `dependentDir` the directory holding the role whose meta/main.yml names it as a dependency.
 */
export function findRole(name: string, playbookDir: string, rolesPath: string[], dependentDir?: string): RoleLocation {
  const dirs = [join(playbookDir, 'roles'), ...rolesPath, ...(dependentDir ? [dependentDir] : []), playbookDir];
  for (const dir of dirs) {
    const joined = isAbsolute(name) ? name : join(dir, name);
    if (existsSync(joined)) return { found: true, name, dir: joined, path: resolve(joined) };
  }
  // Ansible's last resort: the name is a path (relative to the working directory), the role its base name.
  if (existsSync(name)) return { found: true, name: basename(name), dir: name, path: resolve(name) };
  return { found: false, searched: dirs };
}

/** `namespace.collection.role`: a role from a collection, which lvsdr does not install or read. */
export function isCollectionRoleName(name: string): boolean {
  return /^[A-Za-z_]\w*\.[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(name);
}
