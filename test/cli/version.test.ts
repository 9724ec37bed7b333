/** `lvsdr --version`: the version in package.json and the Node.js running it. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';

it('lvsdr --version prints the package version and the Node.js version, exit 0', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const r = await lvsdr('--version');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`lvsdr ${version} (Node.js ${process.version})\n`);
});
