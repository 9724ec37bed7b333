/** fetch: where Ansible's fetch puts a host's file on the controller, and when it writes it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchDest, fetchModule } from '../../src/modules/fetch.ts';
import { factKey } from '../../src/facts/fact.ts';
import { slurpFact } from '../../src/modules/slurp.ts';
import type { StateView } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';

const dir = mkdtempSync(join(tmpdir(), 'lvsdr-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { vars: { inventory_hostname: 'rs1' }, playbookDir: dir } as unknown as Parameters<typeof fetchModule.plan>[2];
/** The host's /etc/lvs.conf, the one file these tasks fetch. */
const hostHas = (content: string | null): StateView =>
  stateOf({ [factKey(slurpFact, '/etc/lvs.conf')]: content === null ? { ok: false, message: 'file not found: /etc/lvs.conf' } : { ok: true, base64: Buffer.from(content).toString('base64') } });

describe('fetch', () => {
  it('puts the file under dest/<host>/<src>, or at dest with flat (in it with a trailing slash)', () => {
    expect(fetchDest({ src: '/etc/lvs.conf', dest: 'copies' }, 'rs1', dir)).toEqual({ dest: join(dir, 'copies/rs1/etc/lvs.conf') });
    expect(fetchDest({ src: '/etc/lvs.conf', dest: '/srv/x.conf', flat: true }, 'rs1', dir)).toEqual({ dest: '/srv/x.conf' });
    mkdirSync(join(dir, 'flat'));
    expect(fetchDest({ src: '/etc/lvs.conf', dest: `${dir}/flat/`, flat: 'yes' }, 'rs1', dir)).toEqual({ dest: join(dir, 'flat/lvs.conf') });
    expect(fetchDest({ src: '/etc/lvs.conf', dest: `${dir}/flat`, flat: 'yes' }, 'rs1', dir)).toEqual({ problem: expect.stringMatching(/use a trailing slash/) });
    expect(fetchDest({ src: '/../../etc/x', dest: 'copies' }, 'rs1', dir)).toEqual({ problem: expect.stringMatching(/directory traversal/) });
  });

  it('writes a copy that differs, leaves one that is the same, and fails (or not) on a missing file', () => {
    const plan = fetchModule.plan({ src: '/etc/lvs.conf', dest: 'copies' }, hostHas('vip=1\n'), ctx);
    expect(plan).toMatchObject({ kind: 'change', changes: [{ commands: [], controllerFiles: [{ path: join(dir, 'copies/rs1/etc/lvs.conf') }] }], result: { checksum: expect.stringMatching(/^[0-9a-f]{40}$/), remote_md5sum: null } });
    mkdirSync(join(dir, 'copies/rs1/etc'), { recursive: true });
    writeFileSync(join(dir, 'copies/rs1/etc/lvs.conf'), 'vip=1\n');
    expect(fetchModule.plan({ src: '/etc/lvs.conf', dest: 'copies' }, hostHas('vip=1\n'), ctx).kind).toBe('noop');
    expect(fetchModule.plan({ src: '/etc/lvs.conf', dest: 'copies' }, hostHas(null), ctx)).toEqual({ kind: 'fail', message: 'the remote file does not exist, not transferring, ignored' });
    expect(fetchModule.plan({ src: '/etc/lvs.conf', dest: 'copies', fail_on_missing: 'no' }, hostHas(null), ctx).kind).toBe('noop');
  });
});
