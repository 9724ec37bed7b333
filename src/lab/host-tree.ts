/**
 * What a lab host gets on top of the machine's own files, as a list of files, symlinks and removals
 * relative to `/`. Written into a systemd host's mounted root overlay, or (the `etc/` part only)
 * into a light host's /etc upper layer.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface HostTree {
  files: { path: string; content: string; mode?: number }[];
  links: { path: string; target: string }[];
  removals: string[];
}

export function emptyTree(): HostTree {
  return { files: [], links: [], removals: [] };
}

export function mergeTrees(...trees: HostTree[]): HostTree {
  return {
    files: trees.flatMap((t) => t.files),
    links: trees.flatMap((t) => t.links),
    removals: trees.flatMap((t) => t.removals),
  };
}

/** Masks a unit as `systemctl mask` does: a link to /dev/null in /etc/systemd/system. */
export function maskUnit(unit: string): { path: string; target: string } {
  return { path: `etc/systemd/system/${unit}`, target: '/dev/null' };
}

/** Enables a unit as `systemctl enable` does for `WantedBy=target`. */
export function enableUnit(unit: string, target: string, unitPath = `/etc/systemd/system/${unit}`): { path: string; target: string } {
  return { path: `etc/systemd/system/${target}.wants/${unit}`, target: unitPath };
}

/** Writes a tree under `root`; with `onlyUnder` ('etc/'), keeps those entries and strips the prefix. */
export async function applyTree(tree: HostTree, root: string, onlyUnder?: string): Promise<void> {
  const place = (p: string): string | undefined => {
    if (!onlyUnder) return path.join(root, p);
    return p.startsWith(onlyUnder) ? path.join(root, p.slice(onlyUnder.length)) : undefined;
  };
  for (const r of tree.removals) {
    const at = place(r);
    if (at) await rm(at, { force: true, recursive: true });
  }
  for (const f of tree.files) {
    const at = place(f.path);
    if (!at) continue;
    await mkdir(path.dirname(at), { recursive: true });
    await rm(at, { force: true });
    await writeFile(at, f.content, { mode: f.mode ?? 0o644 });
  }
  for (const l of tree.links) {
    const at = place(l.path);
    if (!at) continue;
    await mkdir(path.dirname(at), { recursive: true });
    await rm(at, { force: true });
    await symlink(l.target, at);
  }
}
