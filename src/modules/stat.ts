/**
 * stat: what Ansible's stat module returns about a path (ansible/modules/stat.py), read with GNU
 * stat, test, readlink, realpath, a checksum tool, file and lsattr in one probe. It changes
 * nothing. In check mode it answers for the path as earlier tasks would leave it (stat-would-be.ts),
 * where Ansible's reads the host as it is.
 */
import { sh, type ShellText } from '../shell/quote.ts';
import type { ExecResult } from '../connection/types.ts';
import { aliasProblems, ansibleBool, boolSchema, withoutAliases, type AnsibleBool } from './ansible-args.ts';
import type { Fact } from '../facts/fact.ts';
import { fileFact } from '../facts/file.ts';
import { wouldBeStat } from './stat-would-be.ts';
import type { ModuleDef } from './types.ts';

const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

type Algorithm = (typeof ALGORITHMS)[number];

/** As written: under Ansible's names or their aliases (ALIASES). */
interface StatArgs {
  path?: string;
  dest?: string;
  name?: string;
  follow?: AnsibleBool;
  get_checksum?: AnsibleBool;
  checksum_algorithm?: Algorithm;
  checksum?: Algorithm;
  checksum_algo?: Algorithm;
  get_mime?: AnsibleBool;
  mime?: AnsibleBool;
  mime_type?: AnsibleBool;
  'mime-type'?: AnsibleBool;
  get_attributes?: AnsibleBool;
  attr?: AnsibleBool;
  attributes?: AnsibleBool;
}

const ALIASES = {
  dest: 'path',
  name: 'path',
  mime: 'get_mime',
  mime_type: 'get_mime',
  'mime-type': 'get_mime',
  attr: 'get_attributes',
  attributes: 'get_attributes',
  checksum: 'checksum_algorithm',
  checksum_algo: 'checksum_algorithm',
};

/** The options with Ansible's defaults: no follow, a sha1 checksum, mime type and attributes. */
interface StatOptions {
  path: string;
  follow: boolean;
  checksum?: Algorithm;
  mime: boolean;
  attributes: boolean;
}

function statOptions(written: StatArgs): StatOptions {
  const a = withoutAliases(written, ALIASES);
  return {
    // The schema takes exactly one of path, dest and name.
    path: a.path!,
    follow: ansibleBool(a.follow) ?? false,
    checksum: (ansibleBool(a.get_checksum) ?? true) ? (a.checksum_algorithm ?? 'sha1') : undefined,
    mime: ansibleBool(a.get_mime) ?? true,
    attributes: ansibleBool(a.get_attributes) ?? true,
  };
}

const pathSchema = { type: 'string', pattern: '^/[^\\0]*$' };
const algorithmSchema = { enum: [...ALGORITHMS] };

const MARK = '@@lvsdr-stat';
/** GNU stat's fields, `|`-separated: raw mode (hex), ids and names, size, inode, device, links, times (seconds, then as text for their nanoseconds), blocks, I/O size, device numbers (hex). */
const STAT_FORMAT = '%f|%u|%g|%U|%G|%s|%i|%d|%h|%X|%Y|%Z|%x|%y|%z|%b|%o|%t|%T';

export function statCommand(o: StatOptions): ShellText {
  const p = o.path;
  const there = o.follow ? sh`[ -e ${p} ]` : sh`{ [ -e ${p} ] || [ -L ${p} ]; }`;
  const regular = o.follow ? sh`[ -f ${p} ]` : sh`[ -f ${p} ] && [ ! -L ${p} ]`;
  const section = (name: string) => sh`echo ${`${MARK} ${name}`}`;
  const parts: ShellText[] = [
    sh`stat ${o.follow ? ['-L'] : []} -c ${STAT_FORMAT} -- ${p}`,
    section('access'),
    sh`for t in r w x; do if [ -$t ${p} ]; then printf 1; else printf 0; fi; done; echo`,
  ];
  if (!o.follow) parts.push(section('link'), sh`if [ -L ${p} ]; then readlink -- ${p}; realpath -m -- ${p}; fi`);
  if (o.checksum) parts.push(section('checksum'), sh`if ${regular} && [ -r ${p} ]; then ${`${o.checksum}sum`} -- ${p}; fi`);
  if (o.mime) parts.push(section('mime'), sh`if command -v file >/dev/null; then file -b --mime-type --mime-encoding -- ${p}; else echo; fi`);
  if (o.attributes) parts.push(section('attributes'), sh`lsattr -vd -- ${p} 2>/dev/null || echo`);
  return sh`if ${there}; then ${joinParts(parts)}; else echo absent; fi`;
}

function joinParts(parts: ShellText[]): ShellText {
  return parts.reduce((all, part) => sh`${all}; ${part}`);
}

/** lsattr's letters and Ansible's names for them (module_utils/common/file.py FILE_ATTRIBUTES). */
const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted', h: 'blocksize',
  i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous', t: 'notail', T: 'blockroot',
  u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

const S_IFMT = 0o170000;
const TYPES = { isdir: 0o040000, ischr: 0o020000, isblk: 0o060000, isreg: 0o100000, isfifo: 0o010000, islnk: 0o120000, issock: 0o140000 };
const PERMISSIONS = { wusr: 0o200, rusr: 0o400, xusr: 0o100, wgrp: 0o020, rgrp: 0o040, xgrp: 0o010, woth: 0o002, roth: 0o004, xoth: 0o001, isuid: 0o4000, isgid: 0o2000 };

/** Seconds since the epoch as Python's st_mtime: whole seconds plus the nanoseconds of the text form. */
function seconds(whole: string, text: string): number {
  const nanos = /\.(\d{1,9})/.exec(text)?.[1] ?? '0';
  return Number(whole) + Number(nanos.padEnd(9, '0')) * 1e-9;
}

/** Linux's st_rdev from its major and minor numbers (glibc's makedev). */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 0x100 + Math.floor(minor / 0x100) * 0x100000 + Math.floor(major / 0x1000) * 2 ** 32;
}

/** The `stat` dict Ansible returns, from statCommand's output. */
export function parseStat(r: ExecResult, o: StatOptions): Record<string, unknown> {
  if (r.code !== 0) throw new Error(`cannot stat ${o.path}: ${r.stderr.trim() || `exit ${r.code}`}`);
  if (r.stdout.startsWith('absent')) return { exists: false };
  const sections = new Map<string, string[]>();
  let current = 'stat';
  sections.set(current, []);
  for (const line of r.stdout.replace(/\n$/, '').split('\n')) {
    if (line.startsWith(`${MARK} `)) sections.set((current = line.slice(MARK.length + 1)), []);
    else sections.get(current)!.push(line);
  }
  const [rawMode, uid, gid, user, group, size, inode, dev, nlink, atime, mtime, ctime, atext, mtext, ctext, blocks, blockSize, major, minor] = (sections.get('stat')?.[0] ?? '').split('|');
  const mode = parseInt(rawMode, 16);
  const out: Record<string, unknown> = { exists: true, path: o.path, mode: (mode & 0o7777).toString(8).padStart(4, '0') };
  for (const [k, type] of Object.entries(TYPES)) out[k] = (mode & S_IFMT) === type;
  Object.assign(out, {
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: seconds(atime, atext),
    mtime: seconds(mtime, mtext),
    ctime: seconds(ctime, ctext),
  });
  for (const [k, bit] of Object.entries(PERMISSIONS)) out[k] = (mode & bit) !== 0;
  Object.assign(out, { blocks: Number(blocks), block_size: Number(blockSize), device_type: makedev(parseInt(major, 16), parseInt(minor, 16)) });
  const access = sections.get('access')?.[0] ?? '000';
  Object.assign(out, { readable: access[0] === '1', writeable: access[1] === '1', executable: access[2] === '1' });
  const link = sections.get('link') ?? [];
  if (out.islnk && link.length >= 2) Object.assign(out, { lnk_source: link[1], lnk_target: link[0] });
  // getpwuid/getgrgid: stat prints UNKNOWN for an id with no name, and Ansible then leaves the key out.
  if (user !== 'UNKNOWN') out.pw_name = user;
  if (group !== 'UNKNOWN') out.gr_name = group;
  const sum = /^\\?([0-9a-f]+) /.exec(sections.get('checksum')?.[0] ?? '');
  if (sum) out.checksum = sum[1];
  if (o.mime) {
    const m = /^([^;]+);\s*charset=(\S+)/.exec(sections.get('mime')?.[0] ?? '');
    Object.assign(out, { mimetype: m ? m[1].trim() : 'unknown', charset: m ? m[2] : 'unknown' });
  }
  if (o.attributes) {
    const words = (sections.get('attributes')?.[0] ?? '').trim().split(/\s+/);
    const flags = words.length >= 3 ? words[1].replace(/-/g, '') : undefined;
    Object.assign(out, {
      version: flags === undefined ? null : words[0],
      attributes: flags === undefined ? [] : [...flags].filter((f) => FILE_ATTRIBUTES[f]).map((f) => FILE_ATTRIBUTES[f]),
      attr_flags: flags ?? '',
    });
  }
  return out;
}

/** What stat(1) and friends say of the path, as Ansible's `stat` dict. */
const statFact: Fact<StatOptions, Record<string, unknown>> = {
  kind: 'stat',
  id: (o) => o.path,
  read: { command: statCommand },
  parse: parseStat,
  unread: { exists: false },
};

export const statModule: ModuleDef<StatArgs> = {
  name: 'stat',
  summary: "a path's kind, mode, owner, size, times and checksum, returned as `stat` (changes nothing)",
  schema: {
    type: 'object',
    properties: {
      path: pathSchema,
      dest: pathSchema,
      name: pathSchema,
      follow: boolSchema,
      get_checksum: boolSchema,
      checksum_algorithm: algorithmSchema,
      checksum: algorithmSchema,
      checksum_algo: algorithmSchema,
      get_mime: boolSchema,
      mime: boolSchema,
      mime_type: boolSchema,
      'mime-type': boolSchema,
      get_attributes: boolSchema,
      attr: boolSchema,
      attributes: boolSchema,
    },
    oneOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
    additionalProperties: false,
  },
  argProblems: (args) => aliasProblems(args, ALIASES),
  plan(args, state) {
    const o = statOptions(args);
    // The file's state too: in check mode it holds what earlier tasks would have made of the path.
    const stat = wouldBeStat(state.fact(statFact, o), state.fact(fileFact, o.path), o);
    const reason = stat.exists ? `${o.path} exists` : `${o.path} does not exist`;
    return { kind: 'noop', reason, result: { stat } };
  },
};
