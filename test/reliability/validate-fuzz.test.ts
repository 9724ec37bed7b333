/**
 * Fuzzing `lvsdr validate` end to end with the real modules: the shipped playbooks and inventories,
 * mutated line by line and node by node, random YAML documents and random -e arguments. Whatever
 * the input, the answer is exit 0 or exit 4 with a message — never an internal error (exit 250).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lvsdr-rel-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
cpSync('playbooks', path.join(root, 'playbooks'), { recursive: true });
cpSync('inventories', path.join(root, 'inventories'), { recursive: true });
cpSync('test/fixtures/reliability/fuzz-inventory.yml', path.join(root, 'inventories/fuzz-inventory.yml'));

const rel = (dir: string) => readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yml')).map((f) => path.join(dir, f));
const PLAYBOOKS = rel('playbooks');
const FILES = [...PLAYBOOKS, ...rel('playbooks/realserver'), ...rel('inventories')];
const PRISTINE = new Map(FILES.map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
const INVENTORY = ['-i', path.join(root, 'inventories/fuzz-inventory.yml'), '-i', path.join(root, 'inventories/lab-realservers.yml')];

async function validate(playbook: string, extra: string[] = []): Promise<{ code: number; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['validate', path.join(root, playbook), ...INVENTORY, ...extra], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** Exit 0 with a summary, or exit 4 with a message and no stack trace. */
function expectHandled(r: { code: number; stderr: string; stdout: string }, what: string): void {
  expect(r.stderr, what).not.toContain('internal error');
  expect([0, 4], `${what}\n${r.stderr}`).toContain(r.code);
  if (r.code === 0) expect(r.stdout).toMatch(/: OK \(/);
  else {
    expect(r.stderr.trim()).not.toBe('');
    expect(r.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  }
}

const SNIPPETS = [
  ': x', '- ', '-', '{{', '}}', '{{ nope }}', '{% if %}', '&a', '*a', '*nope', '<<: *nope', '!!binary x', '!!python/object x',
  '? complex', "'", '"', '\t', '%YAML 1.1', '---', '...', 'key: [1, {a: b}', '@', '`', '|', '>-', '#', 'null', '~', 'yes',
  '0o777', '1e400', '-.inf', '.nan', '9999999999999999999999', '[]', '{}', 'when: 1 +', 'loop: 3', 'tags: {a: 1}',
  'import_tasks: /etc/passwd', 'import_tasks: ../../../nope.yml', 'vars_files: [nope.yml]', 'hosts: "!all"', 'serial: -1',
  'ansible_port: 99999', 'ansible_host: "1.2.3.4; touch /tmp/pwned"', 'lvs_vips: "{{ lvs_vips }}"', 'become: maybe',
  '\u0000', '\ufeff', '\u2028', 'é',
];
const SCALARS = fc.oneof(
  fc.constantFrom(...SNIPPETS),
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const VALUE = fc.oneof(SCALARS, fc.array(SCALARS, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'name', 'vip', 'ports', 'when', 'hosts', 'tasks'), SCALARS, { maxKeys: 3 }));

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'indent' | 'dedent'; line: number }
  | { kind: 'swap'; line: number; other: number }
  | { kind: 'insert' | 'append'; line: number; snippet: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'node'; pick: number; action: 'replace' | 'delete' | 'rename' | 'wrap'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent'), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap'), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constantFrom('insert', 'append'), line: fc.nat(), snippet: fc.constantFrom(...SNIPPETS) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('node'), pick: fc.nat(), action: fc.constantFrom('replace', 'delete', 'rename', 'wrap'), value: VALUE }),
) as fc.Arbitrary<Mutation>;

function mutateLines(text: string, m: Exclude<Mutation, { kind: 'node' | 'truncate' }>): string {
  const lines = text.split('\n');
  const i = m.line % lines.length;
  switch (m.kind) {
    case 'delete': lines.splice(i, 1); break;
    case 'duplicate': lines.splice(i, 0, lines[i]); break;
    case 'indent': lines[i] = `  ${lines[i]}`; break;
    case 'dedent': lines[i] = lines[i].replace(/^ {1,2}/, ''); break;
    case 'swap': { const j = m.other % lines.length; [lines[i], lines[j]] = [lines[j], lines[i]]; break; }
    case 'insert': lines.splice(i, 0, lines[i].match(/^\s*/)![0] + m.snippet); break;
    case 'append': lines[i] += ` ${m.snippet}`; break;
  }
  return lines.join('\n');
}

/** Every collection item and mapping pair in the document, in order, as (parent, key) handles. */
function mutateNode(text: string, m: Extract<Mutation, { kind: 'node' }>): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  const handles: { parent: { items: any[] }; index: number }[] = [];
  const walk = (node: any): void => {
    if (!node || !Array.isArray(node.items)) return;
    node.items.forEach((item: any, index: number) => {
      handles.push({ parent: node, index });
      walk(item?.value ?? item);
    });
  };
  walk(doc.contents);
  if (handles.length === 0) return text;
  const { parent, index } = handles[m.pick % handles.length];
  const item = parent.items[index];
  const isPair = item && typeof item === 'object' && 'key' in item && 'value' in item;
  const node = doc.createNode(m.value);
  const name = typeof m.value === 'object' ? JSON.stringify(m.value) : String(m.value);
  switch (m.action) {
    case 'replace': if (isPair) item.value = node; else parent.items[index] = node; break;
    case 'delete': parent.items.splice(index, 1); break;
    case 'rename': if (isPair) item.key = doc.createNode(name); else parent.items[index] = doc.createNode({ [name]: item }); break;
    case 'wrap': if (isPair) item.value = doc.createNode([item.value]); else parent.items[index] = doc.createNode([item]); break;
  }
  return doc.toString();
}

function mutate(text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, m.at % (text.length + 1));
  if (m.kind === 'node') return mutateNode(text, m);
  return mutateLines(text, m);
}

const restore = () => {
  for (const [f, text] of PRISTINE) writeFileSync(path.join(root, f), text);
};

describe('validate never fails with an internal error', { timeout: 120_000 }, () => {
  it('on the shipped playbooks and inventories, mutated (up to three edits across their files)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PLAYBOOKS),
        fc.array(fc.tuple(fc.constantFrom(...FILES), mutation), { minLength: 1, maxLength: 3 }),
        async (playbook, edits) => {
          restore();
          for (const [file, m] of edits) {
            const full = path.join(root, file);
            writeFileSync(full, mutate(readFileSync(full, 'utf8'), m));
          }
          expectHandled(await validate(playbook), `${playbook} after ${JSON.stringify(edits)}`);
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 40_000 },
    );
    restore();
  });

  it('on random YAML documents as the playbook', async () => {
    const target = 'playbooks/random.yml';
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything().map((v) => stringify(v) ?? ''), fc.string({ maxLength: 200 }), fc.array(VALUE, { maxLength: 4 }).map((v) => stringify(v))), async (text) => {
        writeFileSync(path.join(root, target), text);
        expectHandled(await validate(target), JSON.stringify(text));
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('on random -e arguments', async () => {
    const arg = fc.oneof(fc.constantFrom(...SNIPPETS, 'a=1', 'lvs_state=absent', '@nope.yml', '@/dev/null', '{"lvs_vips": 3}', 'lvs_arp_method=magic'), fc.string({ maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PLAYBOOKS), fc.array(arg, { minLength: 1, maxLength: 3 }), async (playbook, args) => {
        restore();
        expectHandled(await validate(playbook, args.flatMap((a) => ['-e', a])), `${playbook} -e ${JSON.stringify(args)}`);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 20_000 },
    );
  });
});
