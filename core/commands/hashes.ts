/**
 * Hash commands (Redis's t_hash.c).
 *
 * Replies, error texts and the order of argument checks follow Redis 7.0.15.
 * HINCRBYFLOAT computes in x87 long double (core/long_double.ts) and is
 * propagated as `HSET key field <result>`; HRANDFIELD propagates nothing.
 * HSCAN returns a listpack-encoded hash whole with cursor 0, as Redis does,
 * and pages through a hashtable-encoded one with a live cursor
 * (core/keyspace/scan_cursor.ts).
 *
 * HSET and HGET are benchmarked: their common forms allocate nothing beyond
 * the stored strings and the reply.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { Db } from "../keyspace/db.ts";
import {
  INCR_OVERFLOW,
  NOT_FLOAT,
  NOT_INTEGER,
  SYNTAX_ERR,
  wrongArity,
  WRONGTYPE,
} from "../errors.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../numbers.ts";
import {
  addLongDouble,
  formatLongDoubleHuman,
  isInfinite,
  parseLongDouble,
} from "../long_double.ts";
import { globMatch } from "../glob.ts";
import { parseCursor } from "../keyspace/scan_cursor.ts";
import { HashValue } from "../values/hash.ts";
import type { Value } from "../values/value.ts";

// ---------------------------------------------------------------------------
// Lookups.

/** The value is not a hash: WRONGTYPE. */
function isNotHash(v: Value): boolean {
  return typeof v === "string" || v.type !== "hash";
}

/**
 * The hash under `key` for a change, or a new empty one that the caller
 * adds once it holds a field (Redis's hashTypeLookupWriteOrCreate); null
 * after replying WRONGTYPE.
 */
function hashForWrite(c: Client, key: string): { hash: HashValue; created: boolean } | null {
  const found = c.db.lookupWrite(key);
  if (found === undefined) return { hash: new HashValue(), created: true };
  if (isNotHash(found)) {
    c.reply.error(WRONGTYPE);
    return null;
  }
  return { hash: found as HashValue, created: false };
}

/** Stores a changed hash: adds it when new, else marks it changed. */
function commitWrite(db: Db, key: string, hash: HashValue, created: boolean): void {
  if (created) db.add(key, hash);
  else db.touch(key);
}

// ---------------------------------------------------------------------------
// Sets and gets.

function hset(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) {
    c.reply.error(wrongArity(argv[0].toLowerCase() === "hmset" ? "hmset" : "hset"));
    return;
  }
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  let hash: HashValue;
  if (found === undefined) {
    hash = new HashValue();
    db.add(key, hash);
  } else if (isNotHash(found)) {
    c.reply.error(WRONGTYPE);
    return;
  } else {
    hash = found as HashValue;
    db.touch(key);
  }
  const limits = c.core.limits;
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i], argv[i + 1], limits)) created++;
  }
  c.core.dirty += (argv.length - 2) / 2;
  // HMSET shares the handler; Redis tells them apart by the second letter.
  const second = argv[0].charCodeAt(1) | 0x20;
  if (second === 0x73 /* 's' */) c.reply.integer(created);
  else c.reply.ok();
}

function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1];
  const target = hashForWrite(c, key);
  if (target === null) return;
  const { hash, created } = target;
  if (!created && hash.has(argv[2])) {
    c.reply.integer(0);
    return;
  }
  hash.set(argv[2], argv[3], c.core.limits);
  commitWrite(c.db, key, hash, created);
  c.core.dirty++;
  c.reply.integer(1);
}

function hget(c: Client, argv: string[]): void {
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) c.reply.nullBulk();
  else if (isNotHash(found)) c.reply.error(WRONGTYPE);
  else c.reply.bulkOrNull((found as HashValue).get(argv[2]));
}

function hmget(c: Client, argv: string[]): void {
  const found = c.db.lookupRead(argv[1]);
  if (found !== undefined && isNotHash(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const hash = found as HashValue | undefined;
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(hash?.get(argv[i]));
}

function hdel(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    c.reply.integer(0);
    return;
  }
  if (isNotHash(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const hash = found as HashValue;
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!hash.delete(argv[i])) continue;
    deleted++;
    if (hash.size === 0) break;
  }
  if (deleted > 0) {
    if (hash.size === 0) db.delete(key);
    else db.touch(key);
    c.core.dirty += deleted;
  }
  c.reply.integer(deleted);
}

/** Runs `fn` on the hash under `argv[1]` for reading; replies `missing` when absent. */
function withHash(c: Client, key: string, missing: () => void, fn: (hash: HashValue) => void) {
  const found = c.db.lookupRead(key);
  if (found === undefined) missing();
  else if (isNotHash(found)) c.reply.error(WRONGTYPE);
  else fn(found as HashValue);
}

function hlen(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.integer(0), (hash) => c.reply.integer(hash.size));
}

function hexists(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.integer(0), (hash) => {
    c.reply.integer(hash.has(argv[2]) ? 1 : 0);
  });
}

function hstrlen(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.integer(0), (hash) => {
    c.reply.integer(hash.valueLength(argv[2]));
  });
}

function hgetall(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.map(0), (hash) => {
    const reply = c.reply;
    reply.map(hash.size);
    hash.forEach((field, value) => {
      reply.bulk(field);
      reply.bulk(value);
    });
  });
}

function hkeys(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.array(0), (hash) => {
    const reply = c.reply;
    reply.array(hash.size);
    hash.forEach((field) => reply.bulk(field));
  });
}

function hvals(c: Client, argv: string[]): void {
  withHash(c, argv[1], () => c.reply.array(0), (hash) => {
    const reply = c.reply;
    reply.array(hash.size);
    hash.forEach((_field, value) => reply.bulk(value));
  });
}

// ---------------------------------------------------------------------------
// Increments.

function hincrby(c: Client, argv: string[]): void {
  const incr = parseInt64(argv[3]);
  if (incr === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  const key = argv[1];
  const field = argv[2];
  const target = hashForWrite(c, key);
  if (target === null) return;
  const { hash, created } = target;
  const current = hash.get(field);
  let old: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseInt64(current);
    if (parsed === null) {
      c.reply.error("ERR hash value is not an integer");
      return;
    }
    old = parsed;
  }
  const sum = addInt64(old, incr);
  if (sum === null) {
    c.reply.error(INCR_OVERFLOW);
    return;
  }
  hash.set(field, String(sum), c.core.limits);
  commitWrite(c.db, key, hash, created);
  c.core.dirty++;
  c.reply.integer(sum);
}

/** `a + b` in int64, or null on overflow; a number while it is safe. */
function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const big = BigInt(a) + BigInt(b);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return big;
}

function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) {
    c.reply.error(NOT_FLOAT);
    return;
  }
  if (isInfinite(incr)) {
    c.reply.error("ERR value is NaN or Infinity");
    return;
  }
  const key = argv[1];
  const field = argv[2];
  const target = hashForWrite(c, key);
  if (target === null) return;
  const { hash, created } = target;
  const current = hash.get(field);
  const old = current === undefined ? parseLongDouble("0")! : parseLongDouble(current);
  if (old === null) {
    c.reply.error("ERR hash value is not a float");
    return;
  }
  const sum = addLongDouble(old, incr);
  if (sum === "nan" || isInfinite(sum)) {
    c.reply.error("ERR increment would produce NaN or Infinity");
    return;
  }
  const text = formatLongDoubleHuman(sum);
  hash.set(field, text, c.core.limits);
  commitWrite(c.db, key, hash, created);
  c.core.dirty++;
  c.reply.bulk(text);
  // Replicas and the AOF get the result, so float formatting never diverges.
  if (c.core.propagating) c.rewriteArgv(["HSET", key, field, text]);
}

// ---------------------------------------------------------------------------
// HSCAN.

function hscan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]);
  if (cursor === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) {
    c.reply.array(2);
    c.reply.bulk("0");
    c.reply.array(0);
    return;
  }
  if (isNotHash(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    if (opt === "count" && i + 1 < argv.length) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) {
        c.reply.error(NOT_INTEGER);
        return;
      }
      if (n < 1) {
        c.reply.error(SYNTAX_ERR);
        return;
      }
      count = Number(n);
    } else if (opt === "match" && i + 1 < argv.length) {
      // "*" matches everything: the same as no pattern.
      pattern = argv[i + 1] === "*" ? null : argv[i + 1];
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const hash = found as HashValue;
  const items: string[] = [];
  const visit = (field: string, value: string) => {
    if (pattern !== null && !globMatch(pattern, field)) return;
    items.push(field, value);
  };
  let next = 0;
  if (hash.isHashtable) {
    next = hash.scan(cursor, count, visit);
  } else {
    // Redis returns a small (listpack) hash whole, whatever the cursor.
    hash.forEach(visit);
  }
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(items);
}

// ---------------------------------------------------------------------------
// HRANDFIELD.

/** LONG_MAX / 2 in C: WITHVALUES doubles the reply, so larger counts are refused. */
const HALF_LONG_MAX = 4611686018427387903n;

function hrandfield(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const parsed = parseInt64(argv[2]);
    if (parsed === null) {
      c.reply.error(NOT_INTEGER);
      return;
    }
    if (parsed === INT64_MIN) {
      c.reply.error(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      );
      return;
    }
    const count = Number(parsed);
    const withValues = argv.length === 4 && argv[3].toLowerCase() === "withvalues";
    if (argv.length > 4 || (argv.length === 4 && !withValues)) {
      c.reply.error(SYNTAX_ERR);
      return;
    }
    if (withValues && (parsed > HALF_LONG_MAX || parsed < -HALF_LONG_MAX)) {
      c.reply.error("ERR value is out of range");
      return;
    }
    withHash(c, argv[1], () => c.reply.array(0), (hash) => {
      randomFields(c, hash, count, withValues);
    });
    return;
  }
  withHash(c, argv[1], () => c.reply.nullBulk(), (hash) => {
    c.reply.bulk(hash.entryAt(randomIndex(hash.size))[0]);
  });
}

function randomIndex(size: number): number {
  return Math.floor(Math.random() * size);
}

/**
 * HRANDFIELD with a count: `count` distinct fields (all of them, in order,
 * when the hash is no larger), or for a negative count that many picks
 * with repetition. RESP3 nests each field with its value.
 */
function randomFields(c: Client, hash: HashValue, count: number, withValues: boolean): void {
  const reply = c.reply;
  if (count === 0) {
    reply.array(0);
    return;
  }
  const size = hash.size;
  const pairs = withValues && c.resp === 3;
  const writeOne = (field: string, value: string) => {
    if (pairs) reply.array(2);
    reply.bulk(field);
    if (withValues) reply.bulk(value);
  };
  const unique = count > 0;
  const n = unique ? Math.min(count, size) : -count;
  reply.array(withValues && !pairs ? n * 2 : n);
  if (unique && count >= size) {
    hash.forEach(writeOne);
    return;
  }
  const positions = unique ? distinctPositions(size, n) : repeatedPositions(size, n);
  for (const [field, value] of entriesAt(hash, positions)) writeOne(field, value);
}

/** `n` random positions below `size`, with repetition. */
function repeatedPositions(size: number, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = randomIndex(size);
  return out;
}

/** `n` distinct random positions below `size` (n < size), in random order. */
function distinctPositions(size: number, n: number): number[] {
  if (n * 3 > size) {
    // A partial Fisher-Yates shuffle of all positions.
    const all = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < n; i++) {
      const j = i + randomIndex(size - i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, n);
  }
  const picked = new Set<number>();
  while (picked.size < n) picked.add(randomIndex(size));
  return [...picked];
}

/** The entries at `positions`, in that order, with one pass over the hash. */
function entriesAt(hash: HashValue, positions: readonly number[]): [string, string][] {
  const wanted = new Map<number, [string, string] | null>();
  for (const p of positions) wanted.set(p, null);
  let i = 0;
  let left = wanted.size;
  for (const entry of hash.entries()) {
    if (wanted.has(i)) {
      wanted.set(i, entry);
      if (--left === 0) break;
    }
    i++;
  }
  return positions.map((p) => wanted.get(p)!);
}

// ---------------------------------------------------------------------------
// Command table.

const FIRST_KEY = { first: 1, last: 1, step: 1 } as const;

/** The hash commands. */
export const HASHES_COMMANDS: readonly CommandSpec[] = [
  {
    name: "hset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Sets fields of a hash, creating it if needed",
    since: "2.0.0",
    handler: hset,
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Sets a field of a hash only if the field is absent",
    since: "2.0.0",
    handler: hsetnx,
  },
  {
    name: "hget",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the value of a field of a hash",
    since: "2.0.0",
    handler: hget,
  },
  {
    name: "hmset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Sets fields of a hash (deprecated form of HSET that replies OK)",
    since: "2.0.0",
    handler: hset,
  },
  {
    name: "hmget",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the values of several fields of a hash",
    since: "2.0.0",
    handler: hmget,
  },
  {
    name: "hgetall",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns every field and value of a hash",
    since: "2.0.0",
    handler: hgetall,
  },
  {
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Removes fields from a hash",
    since: "2.0.0",
    handler: hdel,
  },
  {
    name: "hexists",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Tells whether a field exists in a hash",
    since: "2.0.0",
    handler: hexists,
  },
  {
    name: "hlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the number of fields of a hash",
    since: "2.0.0",
    handler: hlen,
  },
  {
    name: "hkeys",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the fields of a hash",
    since: "2.0.0",
    handler: hkeys,
  },
  {
    name: "hvals",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the values of a hash",
    since: "2.0.0",
    handler: hvals,
  },
  {
    name: "hincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Adds an integer to the integer value of a hash field",
    since: "2.0.0",
    handler: hincrby,
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Adds a floating point number to the value of a hash field",
    since: "2.6.0",
    handler: hincrbyfloat,
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns the length of the value of a hash field",
    since: "3.2.0",
    handler: hstrlen,
  },
  {
    name: "hscan",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Iterates over the fields and values of a hash",
    since: "2.8.0",
    handler: hscan,
  },
  {
    name: "hrandfield",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "hash",
    summary: "Returns random fields of a hash",
    since: "6.2.0",
    handler: hrandfield,
  },
];
