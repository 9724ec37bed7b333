/** slurp: the probe's answer read, and the result Ansible's slurp returns. */
import { describe, expect, it } from 'vitest';
import { parseSlurp, slurpModule } from '../../src/modules/slurp.ts';
import { stateOf } from '../support/fact-state.ts';

const ctx = {} as Parameters<typeof slurpModule.plan>[2];

describe('slurp', () => {
  it("returns the file base64-encoded, and Ansible's messages for a missing file or a directory", () => {
    expect(parseSlurp({ code: 0, stdout: 'ok\ndm0K', stderr: '' }, '/etc/hostname')).toEqual({ ok: true, base64: 'dm0K' });
    const state = stateOf({ 'slurp:/etc/hostname': { ok: true, base64: 'dm0K' }, 'slurp:/etc': parseSlurp({ code: 0, stdout: 'directory\n', stderr: '' }, '/etc') });
    expect(slurpModule.plan({ src: '/etc/hostname' }, state, ctx)).toMatchObject({ kind: 'noop', result: { content: 'dm0K', source: '/etc/hostname', encoding: 'base64' } });
    expect(slurpModule.plan({ path: '/etc' } as never, state, ctx)).toEqual({ kind: 'fail', message: 'source is a directory and must be a file: /etc' });
  });
});
