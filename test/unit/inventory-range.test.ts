import { describe, expect, it } from 'vitest';
import { expandHostRange, HostRangeError } from '../../src/core/inventory/host-range.ts';

describe('expandHostRange', () => {
  it('keeps a plain name', () => {
    expect(expandHostRange('rs1.example.com')).toEqual(['rs1.example.com']);
  });

  it('zero-pads to the width of a begin with a leading zero', () => {
    expect(expandHostRange('rs[08:11].example.com')).toEqual([
      'rs08.example.com',
      'rs09.example.com',
      'rs10.example.com',
      'rs11.example.com',
    ]);
  });

  it('does not pad without a leading zero, and reads an empty begin as 0', () => {
    expect(expandHostRange('n[9:11]')).toEqual(['n9', 'n10', 'n11']);
    expect(expandHostRange('n[:2]')).toEqual(['n0', 'n1', 'n2']);
  });

  it('takes a stride like ansible', () => {
    expect(expandHostRange('db[01:10:3]')).toEqual(['db01', 'db04', 'db07', 'db10']);
    expect(expandHostRange('x[a:g:3]')).toEqual(['xa', 'xd', 'xg']);
  });

  it('expands letters through a–z then A–Z', () => {
    expect(expandHostRange('node-[a:c]')).toEqual(['node-a', 'node-b', 'node-c']);
    expect(expandHostRange('n[y:B]')).toEqual(['ny', 'nz', 'nA', 'nB']);
  });

  it('expands several ranges in one name, leftmost slowest', () => {
    expect(expandHostRange('r[1:2]-[a:b]')).toEqual(['r1-a', 'r1-b', 'r2-a', 'r2-b']);
  });

  it.each([
    ['rs[1-5]', /not begin:end/],
    ['rs[1:2:3:4]', /not begin:end/],
    ['rs[1:]', /has no end/],
    ['rs[01:5]', /pads "01" to 2 digits/],
    ['rs[5:1]', /runs backwards/],
    ['rs[a:5]', /mixes or misspells/],
    ['rs[1:5:0]', /step "0"/],
    ['rs[1:5:-1]', /step "-1"/],
    ['rs1]', /unbalanced/],
    ['rs[0:99999999]', /more than 65536 hosts/],
  ])('rejects %s', (name, message) => {
    expect(() => expandHostRange(name)).toThrow(HostRangeError);
    expect(() => expandHostRange(name)).toThrow(message);
  });
});
