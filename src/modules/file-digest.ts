/**
 * A file's digest by one of the algorithms Ansible's modules take (module.digest_from_file with
 * hashlib's names), read with coreutils' `<algorithm>sum`: get_url's checksum, checksum_src and
 * checksum_dest (sha1), and md5sum.
 */
import type { ExecResult } from '../connection/types.ts';
import { sh } from '../shell/quote.ts';
import { factKey, type Fact } from '../facts/fact.ts';

export const DIGEST_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** A regular file's digest (lower-case hex), or what the path is instead. */
export type FileDigest = { kind: 'file'; hex: string } | { kind: 'absent' } | { kind: 'other' };


export function parseDigest(r: ExecResult): FileDigest {
  const out = r.stdout.trim();
  if (out === 'absent') return { kind: 'absent' };
  if (out === 'other') return { kind: 'other' };
  const m = /^([0-9a-f]+) /.exec(out);
  if (r.code !== 0 || !m) throw new Error(`cannot read the file's digest: ${r.stderr.trim() || out || `exit ${r.code}`}`);
  return { kind: 'file', hex: m[1] };
}

/** A file's digest by one algorithm; follows a link, as Python's open() does. */
function digestFactOf(algorithm: DigestAlgorithm): Fact<string, FileDigest> {
  return {
    kind: `digest-${algorithm}`,
    id: (path) => path,
    read: { command: (path) => sh`if [ ! -e ${path} ]; then echo absent; elif [ ! -f ${path} ]; then echo other; else ${`${algorithm}sum`} -- ${path}; fi` },
    parse: (r) => parseDigest(r),
    unread: { kind: 'absent' },
  };
}

const DIGEST_FACTS = Object.fromEntries(DIGEST_ALGORITHMS.map((a) => [a, digestFactOf(a)])) as Record<DigestAlgorithm, Fact<string, FileDigest>>;

export const digestFact = (algorithm: DigestAlgorithm): Fact<string, FileDigest> => DIGEST_FACTS[algorithm];
export const digestKey = (algorithm: DigestAlgorithm, path: string): string => factKey(DIGEST_FACTS[algorithm], path);
