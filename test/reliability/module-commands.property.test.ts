/**
 * The commands modules build, run for real: arbitrary strings (quotes, `$()`, backticks, globs,
 * newlines, leading dashes, unicode) through copy's dest and content, file's path, command's argv
 * and free-form line, shell's chdir — probed, planned and applied by /bin/sh through the same
 * command text an SSH host gets (LocalConnection), in a temporary directory. Every value arrives
 * exactly as given (command's words as run_command expands `$VAR` and `~`), nothing else is
 * touched, and no injected fragment ever runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runProbes } from '../../src/core/executor/probe-batch.ts';
import { parseRead, type Probe } from '../../src/facts/fact.ts';
import { stateOf } from '../support/fact-state.ts';
import { LocalConnection } from '../../src/connection/local.ts';
import type { HostFacts } from '../../src/facts/types.ts';
import { commandModule, shellModule } from '../../src/modules/command.ts';
import { splitCommandLine } from '../../src/modules/command-line.ts';
import { copyModule } from '../../src/modules/copy.ts';
import { fileModule } from '../../src/modules/file.ts';
import type { ModuleContext, ModuleDef, Plan } from '../../src/modules/types.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lvsdr-rel-quoting-'));
const canary = path.join(root, 'pwned');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const conn = new LocalConnection();
const ctx: ModuleContext = {
  facts: { hostname: 'local', interfaces: [] } as unknown as HostFacts,
  vars: {},
  playbookDir: root,
  searchDirs: [],
  taskDir: '/nonexistent',
  renderTemplate: (text) => text,
};

/** Pieces that would run `touch CANARY` (or glob, or end an argument) if anything were joined unquoted. */
const HOSTILE = [
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `'; touch ${canary}; '`,
  `"; touch ${canary}; "`,
  `\ntouch ${canary}\n`,
  `|| touch ${canary}`,
  '*', '?', '~', '-rf', '--', '\\', "'", '"', '$HOME', '${IFS}', '#', ' ', '\t', '%s', 'é', '✓',
];
const text = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength })
    .map((parts) => parts.join(''))
    // NUL cannot be in an argument; lone surrogates are not text.
    .filter((s) => !s.includes('\0') && Buffer.from(s, 'utf8').toString('utf8') === s);
/** A file name: no slash, not . or .., short enough to leave room for lvsdr's temporary name. */
const fileName = text(6)
  .map((s) => s.replaceAll('/', '_'))
  .filter((s) => s !== '' && s !== '.' && s !== '..' && Buffer.byteLength(s) <= 200);

/**
 * Each word as ansible-core 2.14's run_command passes it to the program (os.path.expandvars, then
 * os.path.expanduser, in this process's environment, which the local connection's shell has too),
 * asked of Python itself.
 */
function expanded(words: string[]): string[] {
  const r = spawnSync('python3', ['-c', 'import os, sys\nfor a in sys.argv[1:]: sys.stdout.write(os.path.expanduser(os.path.expandvars(a)) + "\\0")', ...words], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

let case_ = 0;
/** A fresh directory per case, with a sibling file that must survive whatever the case does. */
function caseDir(): string {
  const dir = path.join(root, `case-${case_++}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'keep'), 'keep\n');
  return dir;
}

/** Reads, plans and applies one module task on this machine, as the executor does on a host (plan-on-facts.ts). */
async function apply(module: ModuleDef, args: Record<string, unknown>): Promise<{ plan: Plan; stdout: string }> {
  const values: Record<string, unknown> = {};
  const read = async (probes: Probe[]) => {
    const results = await runProbes(conn, probes);
    probes.forEach((p, i) => (values[p.key] = parseRead(p, results[i])));
  };
  let plan: Plan | undefined;
  for (let n = 0; n < 6; n++) {
    const unread = new Map<string, Probe>();
    try {
      plan = module.plan(args, stateOf(values, unread), ctx);
    } catch (err) {
      if (unread.size === 0) throw err;
    }
    if (unread.size === 0) break;
    await read([...unread.values()]);
  }
  if (!plan) throw new Error('no plan');
  const commands = plan.kind === 'change' ? plan.changes.flatMap((c) => c.commands) : plan.kind === 'action' ? plan.commands : [];
  let stdout = '';
  for (const c of commands) {
    const r = await conn.exec(c.command.text, { stdin: c.stdin, timeoutMs: 10_000 });
    expect(r, c.command.text).toMatchObject({ code: 0 });
    stdout += r.stdout;
  }
  return { plan, stdout };
}

const assertNothingRan = () => expect(existsSync(canary)).toBe(false);
const RUNS = { numRuns: 25 };

describe('module commands with arbitrary values, run in a real shell', { timeout: 240_000 }, () => {
  it('copy writes exactly the content to exactly the dest, leaves no temporary file, and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(fileName, text(8), fc.constantFrom('0600', '0640', '0755'), async (name, content, mode) => {
        const dir = caseDir();
        const dest = path.join(dir, name);
        const first = await apply(copyModule, { dest, content, mode });
        expect(first.plan.kind).toBe('change');
        expect(readFileSync(dest)).toEqual(Buffer.from(content, 'utf8'));
        expect((statSync(dest).mode & 0o777).toString(8)).toBe(mode.slice(1));
        expect(readdirSync(dir).sort()).toEqual(['keep', name].sort());
        expect((await apply(copyModule, { dest, content, mode })).plan.kind).toBe('noop');
        assertNothingRan();
      }),
      RUNS,
    );
  });

  it('copy writes files whose names are as long as a name can be (up to 255 bytes, multi-byte characters too)', async () => {
    /** Characters until the next one would pass `bytes`. */
    const upTo = (chars: string[], bytes: number) => {
      let name = '';
      for (const c of chars) {
        if (Buffer.byteLength(name + c) > bytes) break;
        name += c;
      }
      return name;
    };
    const longName = fc
      .tuple(fc.array(fc.constantFrom('a', 'é', '✓', '$', ' ', "'"), { minLength: 255, maxLength: 255 }), fc.integer({ min: 230, max: 255 }))
      .map(([chars, bytes]) => upTo(chars, bytes));
    await fc.assert(
      fc.asyncProperty(longName, async (name) => {
        const dir = caseDir();
        const dest = path.join(dir, name);
        await apply(copyModule, { dest, content: 'long\n' });
        expect(readFileSync(dest, 'utf8')).toBe('long\n');
        expect(readdirSync(dir).sort()).toEqual(['keep', name].sort());
      }),
      { numRuns: 10 },
    );
  });

  it('file makes and removes exactly the path given, nothing beside it', async () => {
    await fc.assert(
      fc.asyncProperty(fileName, async (name) => {
        const dir = caseDir();
        const target = path.join(dir, name);
        await apply(fileModule, { path: target, state: 'directory', mode: '0750' });
        expect(statSync(target).isDirectory()).toBe(true);
        expect(readdirSync(dir).sort()).toEqual(['keep', name].sort());
        await apply(fileModule, { path: target, state: 'absent' });
        expect(readdirSync(dir)).toEqual(['keep']);
        assertNothingRan();
      }),
      RUNS,
    );
  });

  it('command passes each argv word through unchanged, and stdin too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text(4), { maxLength: 5 }), text(6), async (words, stdin) => {
        const printed = await apply(commandModule, { argv: ['printf', '%s\\0', ...words] });
        expect(printed.stdout).toBe(words.length ? expanded(words).map((w) => `${w}\0`).join('') : '\0');
        expect((await apply(commandModule, { argv: ['cat'], stdin })).stdout).toBe(stdin);
        assertNothingRan();
      }),
      RUNS,
    );
  });

  it('command splits a free-form line into words as a shell would, and runs none of it as shell', async () => {
    await fc.assert(
      fc.asyncProperty(text(6), async (line) => {
        let words: string[];
        try {
          words = splitCommandLine(line);
        } catch {
          return; // an unterminated quote: refused before anything runs
        }
        const printed = await apply(commandModule, commandModule.freeForm!(`printf '%s\\0' ${line}`));
        expect(printed.stdout).toBe(words.length ? expanded(words).map((w) => `${w}\0`).join('') : '\0');
        assertNothingRan();
      }),
      RUNS,
    );
  });

  it('shell changes into exactly the chdir given', async () => {
    await fc.assert(
      fc.asyncProperty(fileName, async (name) => {
        const dir = path.join(caseDir(), name);
        mkdirSync(dir);
        const r = await apply(shellModule, { cmd: 'printf %s "$PWD"', chdir: dir });
        expect(r.stdout).toBe(dir);
        assertNothingRan();
      }),
      RUNS,
    );
  });
});
