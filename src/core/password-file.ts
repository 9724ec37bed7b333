/**
 * A password from a file, as Ansible reads one (cli/__init__.py get_password_from_file, and vault's
 * FileVaultSecret): an executable file is run and its output taken without line ends; any other
 * file's text is taken without surrounding white space. `what` names the flag in messages.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { UserError } from './errors.ts';

export function passwordFromFile(file: string, what: string, scriptArgs: string[] = []): Buffer {
  let isScript: boolean;
  try {
    isScript = statSync(file).isFile() && isExecutable(file);
  } catch (err) {
    throw new UserError({ message: `cannot read the ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, hint: 'check the path given' });
  }
  if (!isScript) return strip(readFileSync(file), ' \t\n\r\f\v');
  try {
    return strip(execFileSync(file, scriptArgs, { stdio: ['inherit', 'pipe', 'inherit'] }), '\r\n');
  } catch (err) {
    throw new UserError({ message: `the ${what} script ${file} failed: ${(err as Error).message.split('\n')[0]}`, hint: 'run it by hand to see why; it must print the password' });
  }
}

/** Python's bytes.strip(chars). */
function strip(data: Buffer, chars: string): Buffer {
  const drop = new Set([...chars].map((c) => c.charCodeAt(0)));
  let start = 0;
  let end = data.length;
  while (start < end && drop.has(data[start])) start++;
  while (end > start && drop.has(data[end - 1])) end--;
  return data.subarray(start, end);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
