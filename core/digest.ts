/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's dataset fingerprint.
 *
 * The digest must equal redis-server's for the same data, so that a test
 * can load a file into both servers (or replay an AOF) and compare one
 * line. Redis 7.0 (debug.c) builds it from SHA-1 with two combinators:
 *
 * - *xor*: `digest ^= SHA1(data)`. Commutative, so unordered things (keys
 *   of a database, members of a set, fields of a hash) can be added in any
 *   order.
 * - *mix*: `digest = SHA1(digest ^ SHA1(data))`. Order-sensitive, for
 *   sequences (list elements, the parts of one key's record).
 *
 * Per key: mix the key name, then the value's type code as 4 big-endian
 * bytes, then the value (strings: mixed; lists: each element mixed; sets:
 * each member xored; hashes and zsets: each pair digested on its own from
 * zero by mixing its two parts, then xored in — zset scores printed with
 * `%.17g`), then xor `!!expire!!` when the key has a TTL. Per database with
 * keys: mix its index (4 big-endian bytes) into the result, then xor every
 * key's digest into it. Logically expired keys still present count, as in
 * Redis, which walks its dict directly.
 *
 * Collections are read only through the value contracts of core/values.
 *
 * @module
 */

import type { Db } from "./keyspace/db.ts";
import type { Value } from "./values/value.ts";
import { formatDouble17g } from "./numbers.ts";
import { sha1Into } from "./sha1.ts";

/** A 20-byte SHA-1 sized digest, updated in place. */
export type Digest = Uint8Array;

/** Redis's object type codes (OBJ_STRING, OBJ_LIST, ...), as mixed into the digest. */
const TYPE_CODE = { string: 0, list: 1, set: 2, zset: 3, hash: 4 } as const;

const EXPIRE_MARK = "!!expire!!";

// Scratch buffers: digests are computed synchronously, one at a time.
const hashOut = new Uint8Array(20);
const word = new Uint8Array(4);
const pair = new Uint8Array(20);

/** A new all-zero digest. */
export function emptyDigest(): Digest {
  return new Uint8Array(20);
}

/** `digest ^= SHA1(data)`; `data` is a byte string or bytes. */
export function xorDigest(digest: Digest, data: string | Uint8Array): void {
  sha1Into(data, hashOut);
  for (let i = 0; i < 20; i++) digest[i] ^= hashOut[i];
}

/** `digest = SHA1(digest ^ SHA1(data))`; `data` is a byte string or bytes. */
export function mixDigest(digest: Digest, data: string | Uint8Array): void {
  xorDigest(digest, data);
  sha1Into(digest, digest);
}

/** Four big-endian bytes, as Redis's `htonl` of a 32-bit value (a shared scratch array). */
function uint32BE(n: number): Uint8Array {
  word[0] = n >>> 24;
  word[1] = n >>> 16;
  word[2] = n >>> 8;
  word[3] = n;
  return word;
}

/**
 * Adds a pair (hash field and value, zset member and score): its own digest
 * is made from zero, then xored in like any data (`digest ^= SHA1(pair)`).
 */
function xorPairDigest(digest: Digest, first: string, second: string): void {
  pair.fill(0);
  mixDigest(pair, first);
  mixDigest(pair, second);
  xorDigest(digest, pair);
}

/**
 * Adds one value (and its expire flag) to `digest`, as Redis's
 * `xorObjectDigest` does.
 */
export function addValueDigest(digest: Digest, value: Value, hasExpire: boolean): void {
  if (typeof value === "string") {
    mixDigest(digest, uint32BE(TYPE_CODE.string));
    mixDigest(digest, value);
  } else {
    mixDigest(digest, uint32BE(TYPE_CODE[value.type]));
    switch (value.type) {
      case "list":
        for (const item of value) mixDigest(digest, item);
        break;
      case "set":
        for (const member of value) xorDigest(digest, member);
        break;
      case "zset":
        for (const [member, score] of value.entries()) {
          xorPairDigest(digest, member, formatDouble17g(score));
        }
        break;
      case "hash":
        for (const [field, v] of value.entries()) xorPairDigest(digest, field, v);
        break;
    }
  }
  if (hasExpire) xorDigest(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST-VALUE of one value: its digest from zero, without the key name. */
export function valueDigest(value: Value | undefined, hasExpire: boolean): Digest {
  const d = emptyDigest();
  if (value !== undefined) addValueDigest(d, value, hasExpire);
  return d;
}

/** DEBUG DIGEST: the digest of every key of every database. All zeros when empty. */
export function datasetDigest(dbs: readonly Db[]): Digest {
  const result = emptyDigest();
  const keyDigest = emptyDigest();
  for (const db of dbs) {
    const table = db.table;
    if (table.size === 0) continue;
    mixDigest(result, uint32BE(db.index));
    for (const [key, value] of table.entries()) {
      keyDigest.fill(0);
      mixDigest(keyDigest, key);
      addValueDigest(keyDigest, value, table.getExpire(key) !== undefined);
      xorDigest(result, keyDigest);
    }
  }
  return result;
}

/** Lower-case hex of a digest, as DEBUG DIGEST prints it. */
export function digestHex(digest: Digest): string {
  let out = "";
  for (const b of digest) out += (b < 16 ? "0" : "") + b.toString(16);
  return out;
}
