/** lvsdr's version, from package.json beside src/ (there is no build step to stamp it in). */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function lvsdrVersion(): string {
  version ??= String(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  return version;
}
