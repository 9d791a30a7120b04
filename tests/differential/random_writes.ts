/**
 * Seeded random write sequences for differential tests: keys of every type
 * collide (so WRONGTYPE refusals, no-op writes and type changes all occur),
 * members and scores come from small pools (so encodings convert both ways,
 * and -0, infinities and binary members appear), and some writes run inside
 * MULTI/EXEC, in database 1, or across SWAPDB and FLUSHDB.
 *
 * Commands whose effect is random (SPOP, SRANDMEMBER, ...) are left out:
 * two servers would pick different members.
 *
 * @module
 */

import { deepEqual } from "node:assert/strict";
import { seededRandom } from "../_helpers/random.ts";

/** One command and its arguments. */
export type Args = (string | number)[];

/** A generator of one random write (or a MULTI/EXEC block of them). */
type Gen = (r: Rand) => Args[];

/** Random picks over one seeded stream. */
class Rand {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
}

const KEYS = ["a", "b", "c", "l", "h", "s", "z", "n"];
const MEMBERS = ["x", "y", "z", "1", "2", "10", "-3", "", "long-member-name", "\x00\xff"];
const SCORES = ["0", "1", "-1", "2.5", "-0", "inf", "-inf", "1e-300", "7"];

const key = (r: Rand) => r.pick(KEYS);
// String writes replace values of any type, so they mostly keep to their own
// keys: otherwise few collections would survive a long sequence.
const stringKey = (r: Rand) => r.chance(0.85) ? r.pick(["a", "b", "c", "n"]) : key(r);
const member = (r: Rand) => r.pick(MEMBERS);
const some = <T>(r: Rand, n: number, f: () => T): T[] => Array.from({ length: 1 + r.int(n) }, f);
const one = (...args: Args): Args[] => [args];

const GENERATORS: Gen[] = [
  // strings
  (r) => one("SET", stringKey(r), member(r), ...r.pick([[], ["NX"], ["XX"], ["GET"], ["EX", 100]])),
  (r) => one("SET", stringKey(r), member(r), "PX", 100000),
  (r) => one("SET", stringKey(r), member(r), "KEEPTTL"),
  (r) => one("APPEND", stringKey(r), member(r)),
  (r) => one(r.pick(["INCR", "DECR"]), stringKey(r)),
  (r) => one("INCRBY", stringKey(r), r.int(20) - 10),
  (r) => one("INCRBYFLOAT", stringKey(r), r.pick(["1.5", "-0.25", "3", "1e3"])),
  (r) => one("SETRANGE", stringKey(r), r.int(4), member(r)),
  (r) => one("GETDEL", stringKey(r)),
  (r) => one("GETEX", stringKey(r), ...r.pick([["EX", 50], ["PERSIST"], ["PXAT", 4102444800000]])),
  (r) => one("MSET", stringKey(r), member(r), stringKey(r), member(r)),
  (r) => one("MSETNX", stringKey(r), member(r), stringKey(r), member(r)),
  (r) => one("SETNX", stringKey(r), member(r)),
  // keys
  (r) => one(r.pick(["DEL", "UNLINK"]), key(r), key(r)),
  (r) => one("EXPIRE", key(r), 100 + r.int(100), ...r.pick([[], ["NX"], ["XX"], ["GT"], ["LT"]])),
  (r) => one("PEXPIREAT", key(r), 4102444800000 + r.int(1000)),
  (r) => one("PERSIST", key(r)),
  (r) => one(r.pick(["RENAME", "RENAMENX"]), key(r), key(r)),
  (r) => one("COPY", key(r), key(r), ...r.pick([[], ["REPLACE"]])),
  (r) => one("MOVE", key(r), 1),
  // lists
  (r) =>
    one(r.pick(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), key(r), ...some(r, 3, () => member(r))),
  (r) => one(r.pick(["LPOP", "RPOP"]), key(r), ...r.pick([[], [1 + r.int(3)]])),
  (r) => one("LINSERT", key(r), r.pick(["BEFORE", "AFTER"]), member(r), member(r)),
  (r) => one("LSET", key(r), r.int(4) - 2, member(r)),
  (r) => one("LREM", key(r), r.int(5) - 2, member(r)),
  (r) => one("LTRIM", key(r), r.int(3), r.int(6) - 2),
  (r) => one("LMOVE", key(r), key(r), r.pick(["LEFT", "RIGHT"]), r.pick(["LEFT", "RIGHT"])),
  (r) => one("RPOPLPUSH", key(r), key(r)),
  // hashes
  (r) => one("HSET", key(r), ...some(r, 2, () => [member(r), member(r)]).flat()),
  (r) => one("HSETNX", key(r), member(r), member(r)),
  (r) => one("HDEL", key(r), member(r), member(r)),
  (r) => one("HINCRBY", key(r), member(r), r.int(10) - 5),
  (r) => one("HINCRBYFLOAT", key(r), member(r), r.pick(["0.5", "-2", "1e2"])),
  // sets
  (r) => one("SADD", key(r), ...some(r, 3, () => member(r))),
  (r) => one("SREM", key(r), member(r), member(r)),
  (r) => one("SMOVE", key(r), key(r), member(r)),
  (r) => one(r.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), key(r), key(r), key(r)),
  // sorted sets
  (r) => one("ZADD", key(r), ...some(r, 2, () => [r.pick(SCORES), member(r)]).flat()),
  (r) =>
    one("ZADD", key(r), r.pick(["NX", "XX", "GT", "LT", "CH", "INCR"]), r.pick(SCORES), member(r)),
  (r) => one("ZINCRBY", key(r), r.pick(SCORES), member(r)),
  (r) => one("ZREM", key(r), member(r), member(r)),
  (r) => one(r.pick(["ZPOPMIN", "ZPOPMAX"]), key(r), ...r.pick([[], [1 + r.int(3)]])),
  (r) => one("ZREMRANGEBYSCORE", key(r), r.pick(["-inf", "0", "(1"]), r.pick(["+inf", "2.5"])),
  (r) => one("ZREMRANGEBYRANK", key(r), r.int(3) - 1, r.int(4)),
  (r) =>
    one(
      r.pick(["ZUNIONSTORE", "ZINTERSTORE"]),
      key(r),
      2,
      key(r),
      key(r),
      "WEIGHTS",
      r.pick(SCORES.slice(0, 5)),
      r.pick(SCORES.slice(0, 5)),
    ),
  (r) => one("ZDIFFSTORE", key(r), 2, key(r), key(r)),
  (r) => one("ZRANGESTORE", key(r), key(r), 0, r.int(5) - 1, ...r.pick([[], ["REV"]])),
  (r) => one("ZMPOP", 2, key(r), key(r), r.pick(["MIN", "MAX"]), "COUNT", 1 + r.int(2)),
  (r) => one("LMPOP", 2, key(r), key(r), r.pick(["LEFT", "RIGHT"])),
  // databases and transactions
  (r) => one("SELECT", r.int(2)),
  (r) => [["MULTI"], ...pickWrites(r, 1 + r.int(3)), ["EXEC"]],
  // Rarely: they reset much of what the sequence built.
  (r) => (r.chance(0.8) ? [] : r.chance(0.5) ? one("SWAPDB", 0, 1) : one("FLUSHDB")),
];

function pickWrites(r: Rand, n: number): Args[] {
  const out: Args[] = [];
  // Only single commands inside MULTI (GENERATORS' last entries nest or switch databases).
  const plain = GENERATORS.slice(0, GENERATORS.length - 3);
  while (out.length < n) out.push(...r.pick(plain)(r));
  return out;
}

/**
 * About `count` random writes from `seed` (a MULTI/EXEC block counts each of
 * its commands), ending in database 0 with every relative TTL removed, so
 * that two servers' digests compare their data only.
 */
export function randomWrites(seed: number, count: number): Args[] {
  const r = new Rand(seed);
  const out: Args[] = [];
  while (out.length < count) out.push(...r.pick(GENERATORS)(r));
  // End in database 0 with relative TTLs gone, so the digests compare data only.
  out.push(["SELECT", 1], ...KEYS.map((k) => ["PERSIST", k]));
  out.push(["SELECT", 0], ...KEYS.map((k) => ["PERSIST", k]));
  return out;
}

/** What both servers' clients can do. */
interface Client {
  send(...args: Args): Promise<unknown>;
}

/** Sends `sequence` to both clients, command by command; throws at the first different reply. */
export async function sendToBoth(
  cairn: Client,
  redis: Client,
  sequence: Args[],
  label: string,
): Promise<void> {
  for (const args of sequence) {
    const [mine, theirs] = await Promise.all([cairn.send(...args), redis.send(...args)]);
    deepEqual(mine, theirs, `${label}: reply to ${JSON.stringify(args)}`);
  }
}

/**
 * `read(db, key)` for every key the sequences write, in databases 0 and 1,
 * in a fixed order; the client is left in database 0.
 */
export async function readEveryKey<T>(
  client: Client,
  read: (db: number, key: string) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  for (const db of [0, 1]) {
    await client.send("SELECT", db);
    for (const key of KEYS) out.push(await read(db, key));
  }
  await client.send("SELECT", 0);
  return out;
}

/**
 * Small encoding thresholds, so that short sequences convert between
 * encodings (listpack/hashtable, intset/hashtable, listpack/skiplist,
 * listpack/quicklist). Both servers, and any server loading their files, use them.
 */
export const SMALL_ENCODING_LIMITS: Readonly<Record<string, number>> = {
  "hash-max-listpack-entries": 4,
  "hash-max-listpack-value": 10,
  "set-max-intset-entries": 4,
  "zset-max-listpack-entries": 4,
  "zset-max-listpack-value": 10,
  "list-max-listpack-size": 4,
};

/** {@link SMALL_ENCODING_LIMITS} as redis-server directives. */
export function smallLimitDirectives(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SMALL_ENCODING_LIMITS).map(([k, v]) => [k, String(v)]),
  );
}
