/** The lab's mounts, read from the mount table: found by mount point, or by the source that names them. */
import { readFile } from 'node:fs/promises';

interface MountEntry {
  point: string;
  source: string;
}

async function mountTable(): Promise<MountEntry[]> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  return table
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const dash = fields.indexOf('-');
      return { point: unescapeMount(fields[4] ?? ''), source: unescapeMount(fields[dash + 2] ?? '') };
    });
}

function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points at or below `dir`. */
export async function mountsUnder(dir: string): Promise<string[]> {
  return (await mountTable()).map((m) => m.point).filter((p) => p === dir || p.startsWith(dir + '/'));
}

/** Mount points whose source starts with `prefix` (every lab mount's source is its host's marker). */
export async function mountsBySource(prefix: string): Promise<string[]> {
  return (await mountTable()).filter((m) => m.source.startsWith(prefix)).map((m) => m.point);
}
