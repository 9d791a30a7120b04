/**
 * String and key-space commands against redis-server 7.0.15: fixed
 * scenarios covering options, their conflicts and error texts, then a long
 * seeded random sequence over binary keys and values.
 *
 * TTLs are set with absolute times far in the future (or already past), so
 * TTL and PTTL replies are comparable exactly except where the clock moves
 * them; those are compared by shape.
 */

import { deepEqual, equal } from "node:assert/strict";
import {
  describeMismatches,
  diffAgainstRedis,
  diffOnClients,
  type DiffStep,
  seededRandom,
} from "../_helpers/differential.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import { encodeCommand, type RespClient } from "../_helpers/resp_client.ts";
import { BUILTIN_COMMANDS } from "../../core/commands/mod.ts";

/** Unix seconds well in the future (2100-01-01), so absolute expiries stay put. */
const FAR = 4102444800;

/**
 * Commands of other families used here to put a non-string value in place
 * (WRONGTYPE paths) or to switch protocol; steps using one that is not
 * registered yet are left out on both sides.
 */
const REGISTERED = new Set(BUILTIN_COMMANDS.map((spec) => spec.name));

function available(step: DiffStep): boolean {
  const name = String(step.args[0]).toLowerCase();
  if (!REGISTERED.has(name)) console.warn(`${name} is not implemented yet: step left out`);
  return REGISTERED.has(name);
}

/** Exact comparison, except HELLO whose reply holds the connection id. */
function steps(...commands: (string | number)[][]): DiffStep[] {
  return commands.map((args) => args[0] === "HELLO" ? { args, mode: "shape" } : { args });
}

/**
 * Active expiry runs on each server's own clock: with it on, whether DBSIZE
 * still counts a key whose expire time passed would be a race.
 */
const NO_ACTIVE_EXPIRY: DiffStep = { args: ["DEBUG", "SET-ACTIVE-EXPIRE", "0"] };

async function expectSameAsRedis(list: DiffStep[], config: Record<string, string> = {}) {
  const mismatches = await diffAgainstRedis([NO_ACTIVE_EXPIRY, ...list.filter(available)], config);
  if (mismatches === null) return;
  equal(mismatches.length, 0, describeMismatches(mismatches, 20));
}

Deno.test("SET options, conflicts and error texts match redis-server", async () => {
  await expectSameAsRedis(steps(
    ["SET", "k", "v", "NX"],
    ["SET", "k", "w", "NX"],
    ["SET", "k", "w", "XX"],
    ["SET", "missing", "w", "XX"],
    ["SET", "k", "v", "NX", "XX"],
    ["SET", "k", "v", "XX", "NX"],
    ["SET", "k", "v", "nx", "nx"],
    ["SET", "k", "v", "EX"],
    ["SET", "k", "v", "EX", "0"],
    ["SET", "k", "v", "EX", "-5"],
    ["SET", "k", "v", "EX", "abc"],
    ["SET", "k", "v", "EX", "9223372036854776"],
    ["SET", "k", "v", "PX", "9223372036854775807"],
    ["SET", "k", "v", "EX", "10", "PX", "10"],
    ["SET", "k", "v", "EX", "10", "EX", "20"],
    ["SET", "k", "v", "EX", "10", "KEEPTTL"],
    ["SET", "k", "v", "KEEPTTL", "PXAT", "100"],
    ["SET", "k", "v", "PERSIST"],
    ["SET", "k", "v", "EXAT", FAR],
    ["EXPIRETIME", "k"],
    ["SET", "k", "v2", "KEEPTTL"],
    ["EXPIRETIME", "k"],
    ["SET", "k", "v3"],
    ["TTL", "k"],
    ["SET", "k", "v4", "PXAT", FAR * 1000 + 5, "GET"],
    ["PEXPIRETIME", "k"],
    ["SET", "k", "v5", "GET", "NX"],
    ["GET", "k"],
    ["SET", "new", "v", "GET", "XX"],
    ["EXISTS", "new"],
    ["SET", "new", "v", "GET", "NX"],
    ["GET", "new"],
    ["RPUSH", "list", "a"],
    ["SET", "list", "v", "GET"],
    ["SET", "list", "v"],
    ["TYPE", "list"],
    ["SET", "k", "v", "GET", "EX", "0"],
    ["SET", "k", "v", "bogus"],
    ["set", "k", "v", "ex", "100", "get"],
    ["SETNX", "k", "x"],
    ["SETNX", "fresh", "x"],
    ["SETEX", "k", "0", "v"],
    ["SETEX", "k", "x", "v"],
    ["SETEX", "k", "100", "v"],
    ["PSETEX", "k", "-1", "v"],
    ["PSETEX", "k", "100000", "v"],
    ["GETSET", "k", "w"],
    ["GETSET", "nothing", "w"],
    ["GETDEL", "k"],
    ["GETDEL", "k"],
    ["SADD", "s", "m"],
    ["GETDEL", "s"],
    ["GETSET", "s", "x"],
  ));
});

Deno.test("GETEX, MGET, MSET, counters, ranges and LCS match redis-server", async () => {
  await expectSameAsRedis(steps(
    ["SET", "g", "val"],
    ["GETEX", "g"],
    ["GETEX", "g", "EX", "100"],
    ["GETEX", "g", "PERSIST"],
    ["TTL", "g"],
    ["GETEX", "g", "PERSIST", "EX", "10"],
    ["GETEX", "g", "EX", "10", "PERSIST"],
    ["GETEX", "g", "KEEPTTL"],
    ["GETEX", "g", "GET"],
    ["GETEX", "g", "NX"],
    ["GETEX", "g", "EXAT", FAR],
    ["EXPIRETIME", "g"],
    ["GETEX", "g", "EX", "0"],
    ["GETEX", "g", "EX", "nope"],
    ["GETEX", "missing", "EX", "nope"],
    ["GETEX", "missing", "EX"],
    ["GETEX", "g", "PXAT", "1"],
    ["EXISTS", "g"],
    ["MSET", "a", "1", "b", "2", "c"],
    ["MSET", "a", "1", "b", "2"],
    ["MSETNX", "a", "1", "z", "2"],
    ["MSETNX", "y", "1", "z", "2"],
    ["RPUSH", "l", "x"],
    ["MGET", "a", "b", "nokey", "l", "y"],
    ["INCR", "a"],
    ["INCRBY", "a", "-10"],
    ["DECR", "a"],
    ["DECRBY", "a", "5"],
    ["DECRBY", "a", "-9223372036854775808"],
    ["INCRBY", "a", "9223372036854775807"],
    ["SET", "big", "9223372036854775806"],
    ["INCR", "big"],
    ["INCR", "big"],
    ["SET", "small", "-9223372036854775807"],
    ["DECR", "small"],
    ["DECR", "small"],
    ["INCRBY", "small", "9223372036854775807"],
    ["SET", "nn", "12a"],
    ["INCR", "nn"],
    ["SET", "nn", " 12"],
    ["INCR", "nn"],
    ["SET", "nn", "-0"],
    ["INCR", "nn"],
    ["INCRBY", "a", "1.5"],
    ["INCR", "l"],
    ["INCRBYFLOAT", "f", "10.5"],
    ["INCRBYFLOAT", "f", "0.1"],
    ["SET", "g3", "3.0e3"],
    ["INCRBYFLOAT", "g3", "200"],
    ["INCRBYFLOAT", "g3", "1e300"],
    ["INCRBYFLOAT", "g3", "inf"],
    ["INCRBYFLOAT", "g3", "nan"],
    ["INCRBYFLOAT", "g3", " 1"],
    ["INCRBYFLOAT", "l", "1"],
    ["SET", "s", "Hello World"],
    ["GETRANGE", "s", "0", "4"],
    ["GETRANGE", "s", "-5", "-1"],
    ["GETRANGE", "s", "-1", "-5"],
    ["GETRANGE", "s", "5", "1"],
    ["GETRANGE", "s", "0", "100"],
    ["GETRANGE", "s", "-100", "2"],
    ["GETRANGE", "s", "-9223372036854775807", "-9223372036854775808"],
    ["GETRANGE", "s", "x", "1"],
    ["GETRANGE", "nokey", "0", "1"],
    ["SUBSTR", "s", "1", "3"],
    ["STRLEN", "s"],
    ["STRLEN", "nokey"],
    ["STRLEN", "l"],
    ["SETRANGE", "s", "6", "Redis"],
    ["GET", "s"],
    ["SETRANGE", "s", "20", "!"],
    ["GET", "s"],
    ["SETRANGE", "s", "-1", "x"],
    ["SETRANGE", "s", "1", ""],
    ["SETRANGE", "fresh", "3", ""],
    ["EXISTS", "fresh"],
    ["SETRANGE", "fresh", "3", "abc"],
    ["GET", "fresh"],
    ["SETRANGE", "fresh", "536870911", "ab"],
    ["APPEND", "fresh", "zz"],
    ["APPEND", "newkey", "zz"],
    ["APPEND", "l", "zz"],
    ["SET", "ka", "ohmytext"],
    ["SET", "kb", "mynewtext"],
    ["LCS", "ka", "kb"],
    ["LCS", "ka", "kb", "LEN"],
    ["LCS", "ka", "kb", "IDX"],
    ["LCS", "ka", "kb", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
    ["LCS", "ka", "kb", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "-3"],
    ["LCS", "ka", "kb", "LEN", "IDX"],
    ["LCS", "ka", "kb", "MINMATCHLEN"],
    ["LCS", "ka", "kb", "MINMATCHLEN", "x"],
    ["LCS", "ka", "nokey"],
    ["LCS", "ka", "l"],
    ["LCS", "nokey", "nokey2", "IDX"],
    ["HELLO", "3"],
    ["LCS", "ka", "kb", "IDX", "WITHMATCHLEN"],
    ["GETEX", "nokey"],
  ));
});

Deno.test("key-space commands, their options and errors match redis-server", async () => {
  await expectSameAsRedis(steps(
    ["MSET", "a", "1", "b", "2", "c", "3"],
    ["DEL", "a", "a", "nokey"],
    ["UNLINK", "b", "nokey"],
    ["EXISTS", "c", "c", "nokey"],
    ["TYPE", "c"],
    ["TYPE", "nokey"],
    ["RENAME", "nokey", "x"],
    ["RENAME", "c", "c"],
    ["RENAMENX", "c", "c"],
    ["SET", "d", "4"],
    ["PEXPIREAT", "d", FAR * 1000],
    ["RENAME", "d", "e"],
    ["PEXPIRETIME", "e"],
    ["RENAMENX", "c", "e"],
    ["RENAME", "c", "e"],
    ["PEXPIRETIME", "e"],
    ["GET", "e"],
    ["MOVE", "e", "1"],
    ["MOVE", "e", "0"],
    ["MOVE", "e", "16"],
    ["MOVE", "e", "x"],
    ["MOVE", "e", "99999999999"],
    ["SELECT", "1"],
    ["GET", "e"],
    ["SET", "f", "x"],
    ["SELECT", "0"],
    ["SET", "f", "y"],
    ["MOVE", "f", "1"],
    ["SELECT", "99999999999"],
    ["SELECT", "-1"],
    ["SELECT", "16"],
    ["SELECT", "x"],
    ["SET", "src", "hello", "PXAT", FAR * 1000],
    ["COPY", "src", "dst"],
    ["PEXPIRETIME", "dst"],
    ["COPY", "src", "dst"],
    ["COPY", "src", "dst", "REPLACE"],
    ["COPY", "src", "src"],
    ["COPY", "src", "src", "DB", "0"],
    ["COPY", "src", "src", "DB", "1"],
    ["COPY", "src", "other", "DB", "16"],
    ["COPY", "src", "other", "DB", "x"],
    ["COPY", "src", "other", "DB"],
    ["COPY", "src", "other", "BOGUS"],
    ["COPY", "nokey", "other"],
    ["SELECT", "1"],
    ["GET", "src"],
    ["SWAPDB", "0", "1"],
    ["GET", "src"],
    ["DBSIZE"],
    ["SWAPDB", "0", "0"],
    ["SWAPDB", "x", "0"],
    ["SWAPDB", "0", "x"],
    ["SWAPDB", "0", "16"],
    ["SWAPDB", "99999999999", "0"],
    ["SWAPDB", "1", "0"],
    ["FLUSHDB", "BOGUS"],
    ["FLUSHDB", "ASYNC", "SYNC"],
    ["FLUSHDB", "sync"],
    ["DBSIZE"],
    ["SELECT", "0"],
    ["DBSIZE"],
    ["FLUSHALL", "async"],
    ["DBSIZE"],
    ["RANDOMKEY"],
    ["SET", "only", "1"],
    ["RANDOMKEY"],
    ["KEYS", "*"],
    ["SCAN", "0"],
    ["SCAN", "x"],
    ["SCAN", "0", "COUNT", "0"],
    ["SCAN", "0", "COUNT", "x"],
    ["SCAN", "0", "MATCH"],
    ["SCAN", "0", "BOGUS", "1"],
    ["SCAN", "0", "TYPE", "list"],
    ["SCAN", "0", "TYPE", "STRING"],
    ["SCAN", "0", "MATCH", "o*", "COUNT", "100"],
    ["SCAN", " 0"],
    ["SCAN", "0x"],
    ["SCAN", "18446744073709551616"],
    ["TOUCH", "only", "nokey", "only"],
    ["OBJECT", "ENCODING", "nokey"],
    ["OBJECT", "FREQ", "only"],
    ["OBJECT", "FREQ", "nokey"],
    ["OBJECT", "REFCOUNT", "nokey"],
    ["OBJECT", "IDLETIME", "nokey"],
    ["OBJECT", "bogus", "only"],
    ["OBJECT", "ENCODING"],
    ["OBJECT", "HELP"],
    ["OBJECT", "HELP", "x"],
    ["OBJECT"],
  ));
});

Deno.test("OBJECT ENCODING and REFCOUNT of strings match redis-server", async () => {
  await expectSameAsRedis(steps(
    ["SET", "i", "12345"],
    ["OBJECT", "ENCODING", "i"],
    ["OBJECT", "REFCOUNT", "i"],
    ["SET", "shared", "42"],
    ["OBJECT", "ENCODING", "shared"],
    ["OBJECT", "REFCOUNT", "shared"],
    ["SET", "neg", "-42"],
    ["OBJECT", "REFCOUNT", "neg"],
    ["SET", "e", "hello"],
    ["OBJECT", "ENCODING", "e"],
    ["SET", "e44", "x".repeat(44)],
    ["OBJECT", "ENCODING", "e44"],
    ["SET", "r45", "x".repeat(45)],
    ["OBJECT", "ENCODING", "r45"],
    ["SET", "notint", "0123"],
    ["OBJECT", "ENCODING", "notint"],
    ["SET", "bigint", "9223372036854775808"],
    ["OBJECT", "ENCODING", "bigint"],
    ["APPEND", "i", "6"],
    ["OBJECT", "ENCODING", "i"],
    ["OBJECT", "REFCOUNT", "i"],
    ["SET", "i", "123456"],
    ["OBJECT", "ENCODING", "i"],
    ["APPEND", "fresh", "7"],
    ["OBJECT", "ENCODING", "fresh"],
    ["APPEND", "fresh", ""],
    ["OBJECT", "ENCODING", "fresh"],
    ["SETRANGE", "sr", "0", "ab"],
    ["OBJECT", "ENCODING", "sr"],
    ["SET", "sr2", "5"],
    ["SETRANGE", "sr2", "0", "6"],
    ["OBJECT", "ENCODING", "sr2"],
    ["OBJECT", "REFCOUNT", "sr2"],
    ["INCR", "sr2"],
    ["OBJECT", "ENCODING", "sr2"],
    ["INCRBYFLOAT", "fl", "3"],
    ["OBJECT", "ENCODING", "fl"],
    ["OBJECT", "REFCOUNT", "fl"],
    ["INCRBYFLOAT", "fl", "0.5"],
    ["OBJECT", "ENCODING", "fl"],
    ["INCRBYFLOAT", "fl2", "1e60"],
    ["OBJECT", "ENCODING", "fl2"],
    ["INCR", "ctr"],
    ["OBJECT", "ENCODING", "ctr"],
    ["OBJECT", "REFCOUNT", "ctr"],
    ["INCRBY", "ctr", "20000"],
    ["OBJECT", "REFCOUNT", "ctr"],
    ["APPEND", "e", "!"],
    ["COPY", "e", "e2"],
    ["OBJECT", "ENCODING", "e2"],
    ["RENAME", "e", "e3"],
    ["OBJECT", "ENCODING", "e3"],
    ["MOVE", "e3", "2"],
    ["SELECT", "2"],
    ["OBJECT", "ENCODING", "e3"],
    ["SET", "e3", "hello!"],
    ["OBJECT", "ENCODING", "e3"],
    ["SELECT", "0"],
    ["OBJECT", "ENCODING", "e2"],
    ["GETSET", "e2", "hello!"],
    ["OBJECT", "ENCODING", "e2"],
    // COPY gives a shared integer its own object; RENAME and MOVE keep the object.
    ["SET", "n", "5"],
    ["COPY", "n", "n2"],
    ["OBJECT", "REFCOUNT", "n2"],
    ["OBJECT", "ENCODING", "n2"],
    ["COPY", "n2", "n3", "DB", "3"],
    ["RENAME", "n2", "n4"],
    ["OBJECT", "REFCOUNT", "n4"],
    ["MOVE", "n", "4"],
    ["INCR", "n4"],
    ["OBJECT", "REFCOUNT", "n4"],
    ["SELECT", "3"],
    ["OBJECT", "REFCOUNT", "n3"],
    ["SELECT", "4"],
    ["OBJECT", "REFCOUNT", "n"],
    ["SET", "big", "123456"],
    ["COPY", "big", "big2"],
    ["OBJECT", "REFCOUNT", "big2"],
    ["FLUSHALL"],
    ["SET", "n", "5"],
    ["OBJECT", "REFCOUNT", "n"],
  ));
});

Deno.test("EXPIRE family options, conflicts and past times match redis-server", async () => {
  await expectSameAsRedis(steps(
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100", "FOO"],
    ["EXPIRE", "k", "100", "NX", "XX"],
    ["EXPIRE", "k", "100", "NX", "GT"],
    ["EXPIRE", "k", "100", "GT", "LT"],
    ["EXPIRE", "k", "abc"],
    ["EXPIRE", "k", "9223372036854775"],
    ["EXPIRE", "k", "-9223372036854776"],
    ["PEXPIRE", "k", "9223372036854775807"],
    ["EXPIREAT", "k", FAR, "XX"],
    ["EXPIREAT", "k", FAR, "GT"],
    ["EXPIREAT", "k", FAR, "LT"],
    ["TTL", "k"],
    ["EXPIREAT", "k", FAR, "NX"],
    ["EXPIRETIME", "k"],
    ["EXPIREAT", "k", FAR + 10, "NX"],
    ["EXPIREAT", "k", FAR + 10, "LT"],
    ["EXPIREAT", "k", FAR + 10, "GT"],
    ["EXPIRETIME", "k"],
    ["EXPIREAT", "k", FAR - 10, "GT"],
    ["EXPIREAT", "k", FAR - 10, "LT"],
    ["EXPIRETIME", "k"],
    ["PEXPIREAT", "k", FAR * 1000 + 1],
    ["PEXPIRETIME", "k"],
    ["EXPIRETIME", "k"],
    ["PERSIST", "k"],
    ["PERSIST", "k"],
    ["PERSIST", "nokey"],
    ["EXPIREAT", "k", FAR, "LT"],
    ["PERSIST", "k"],
    ["EXPIREAT", "k", FAR, "GT"],
    ["EXPIRE", "nokey", "10"],
    ["TTL", "nokey"],
    ["PTTL", "k"],
    ["EXPIRETIME", "nokey"],
    ["EXPIRE", "k", "-1"],
    ["EXISTS", "k"],
    ["SET", "k", "v"],
    ["EXPIREAT", "k", "1"],
    ["EXISTS", "k"],
    ["SET", "k", "v"],
    ["PEXPIRE", "k", "0"],
    ["GET", "k"],
    ["SET", "k", "v", "PXAT", "1"],
    ["DBSIZE"],
    ["GET", "k"],
    ["DBSIZE"],
    ["SET", "k", "v"],
    ["EXPIREAT", "k", "9223372036854775"],
    ["EXPIREAT", "k", "9223372036854776"],
  ));
});

// ---------------------------------------------------------------------------
// The random sequence.

/** A few keys with every kind of byte in them, so collisions (and thus real work) are frequent. */
const KEYS = [
  "k",
  "key:1",
  "\x00",
  "\xff\xfe",
  "a\r\nb",
  "*?[",
  "é",
  "\x80\x00\x7f",
  "long:" + "x".repeat(40),
];

function randomBytes(rand: () => number, maxLen: number): string {
  const len = Math.floor(rand() * (maxLen + 1));
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rand() * 256));
  return s;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function randomValue(rand: () => number): string {
  switch (Math.floor(rand() * 6)) {
    case 0:
      return String(Math.floor(rand() * 20000) - 10000);
    case 1:
      return (rand() * 100 - 50).toFixed(Math.floor(rand() * 6));
    case 2:
      return pick(rand, ["9223372036854775807", "-9223372036854775808", "1e10", "0x10", "", " 1"]);
    case 3:
      return "x".repeat(Math.floor(rand() * 60));
    default:
      return randomBytes(rand, 12);
  }
}

function randomInt(rand: () => number): string {
  return pick(rand, [
    String(Math.floor(rand() * 40) - 20),
    String(Math.floor(rand() * 2000000)),
    "9223372036854775807",
    "-9223372036854775808",
    "abc",
    "1.5",
  ]);
}

/**
 * A relative EX/PX argument, always refused: a valid one would make expire
 * times (and, when short, the outcome) depend on each server's clock. The
 * fixed scenarios and the integration tests cover valid relative times.
 */
function randomRelative(rand: () => number): string {
  return pick(rand, ["0", "-5", "abc", "1.5", "9223372036854775807"]);
}

/** An absolute expire time: far future (stable TTL replies) or already past. */
function randomAbsoluteSeconds(rand: () => number): string {
  return rand() < 0.8 ? String(FAR + Math.floor(rand() * 1000)) : String(Math.floor(rand() * 1000));
}

function randomPattern(rand: () => number): string {
  const parts = ["*", "?", "k", "key:*", "[a-k]*", "[^k]*", "\\*", "*1", "[\x00-\x7f]*", "\xff*"];
  let p = "";
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) p += pick(rand, parts);
  return p;
}

type Generator = (rand: () => number, key: string) => DiffStep;

const GENERATORS: Generator[] = [
  (r, k) => ({ args: ["SET", k, randomValue(r)] }),
  (r, k) => {
    const args: (string | number)[] = ["SET", k, randomValue(r)];
    const options = [
      ["NX"],
      ["XX"],
      ["GET"],
      ["KEEPTTL"],
      ["EXAT", randomAbsoluteSeconds(r)],
      [
        "PXAT",
        String(Number(randomAbsoluteSeconds(r)) * 1000),
      ],
      ["EX", randomRelative(r)],
      ["PX", randomRelative(r)],
      ["PERSIST"],
    ];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) args.push(...pick(r, options));
    return { args };
  },
  (_r, k) => ({ args: ["GET", k] }),
  (r, k) => ({
    args: [
      "GETEX",
      k,
      ...pick(r, [[], ["PERSIST"], ["EXAT", randomAbsoluteSeconds(r)], ["EX", randomRelative(r)], [
        "KEEPTTL",
      ]]),
    ],
  }),
  (_r, k) => ({ args: ["GETDEL", k] }),
  (r, k) => ({ args: ["GETSET", k, randomValue(r)] }),
  (r, k) => ({ args: ["SETNX", k, randomValue(r)] }),
  (r, k) => ({ args: ["APPEND", k, randomBytes(r, 5)] }),
  (_r, k) => ({ args: ["STRLEN", k] }),
  (_r, k) => ({ args: ["INCR", k] }),
  (r, k) => ({ args: ["DECRBY", k, randomInt(r)] }),
  (r, k) => ({ args: ["INCRBY", k, randomInt(r)] }),
  (r, k) => ({ args: ["INCRBYFLOAT", k, randomValue(r)] }),
  (r, k) => ({ args: ["GETRANGE", k, randomInt(r), randomInt(r)] }),
  (r, k) => ({ args: ["SETRANGE", k, String(Math.floor(r() * 20) - 2), randomBytes(r, 4)] }),
  (r, k) => ({ args: ["MGET", k, pick(r, KEYS), pick(r, KEYS)] }),
  (r, k) => ({ args: ["MSET", k, randomValue(r), pick(r, KEYS), randomValue(r)] }),
  (r, k) => ({ args: ["MSETNX", k, randomValue(r), pick(r, KEYS), randomValue(r)] }),
  (r, k) => ({
    args: [
      "LCS",
      k,
      pick(r, KEYS),
      ...pick(r, [[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN", "MINMATCHLEN", "2"]]),
    ],
  }),
  (r, k) => ({ args: ["DEL", k, pick(r, KEYS)] }),
  (r, k) => ({ args: ["EXISTS", k, pick(r, KEYS)] }),
  (_r, k) => ({ args: ["TYPE", k] }),
  (r, k) => ({ args: ["RENAME", k, pick(r, KEYS)] }),
  (r, k) => ({ args: ["RENAMENX", k, pick(r, KEYS)] }),
  (r, k) => ({
    args: [
      "COPY",
      k,
      pick(r, KEYS),
      ...pick(r, [[], ["REPLACE"], ["DB", "1"], ["DB", "1", "REPLACE"]]),
    ],
  }),
  (r, k) => ({ args: ["MOVE", k, pick(r, ["0", "1"])] }),
  (r, k) => ({
    args: [
      "EXPIREAT",
      k,
      randomAbsoluteSeconds(r),
      ...pick(r, [[], ["NX"], ["XX"], ["GT"], ["LT"]]),
    ],
  }),
  (r, k) => ({ args: ["PEXPIREAT", k, String(Number(randomAbsoluteSeconds(r)) * 1000)] }),
  (r, k) => ({
    args: [
      "EXPIRE",
      k,
      pick(r, ["-1", "0", "abc"]),
      ...pick(r, [[], ["NX"], ["XX"], ["GT", "LT"]]),
    ],
  }),
  (_r, k) => ({ args: ["EXPIRETIME", k] }),
  (_r, k) => ({ args: ["PEXPIRETIME", k] }),
  (_r, k) => ({ args: ["TTL", k], mode: "shape" }),
  (_r, k) => ({ args: ["PERSIST", k] }),
  (_r, k) => ({ args: ["TOUCH", k] }),
  (_r, k) => ({ args: ["OBJECT", "ENCODING", k] }),
  (_r, k) => ({ args: ["OBJECT", "REFCOUNT", k] }),
  (r) => ({ args: ["KEYS", randomPattern(r)], mode: "unordered" }),
  (r) => ({ args: ["SELECT", pick(r, ["0", "1"])] }),
  () => ({ args: ["DBSIZE"] }),
  () => ({ args: ["SWAPDB", "0", "1"] }),
  (_r, k) => ({ args: ["RPUSH", k, "item"] }),
];

Deno.test("a seeded random sequence of string and key commands matches redis-server", async () => {
  const seed = Number(Deno.env.get("CAIRN_DIFF_SEED") ?? 20240607);
  const rand = seededRandom(seed);
  const list: DiffStep[] = [];
  for (let i = 0; i < 1500; i++) {
    list.push(pick(rand, GENERATORS)(rand, pick(rand, KEYS)));
  }
  // Finally the whole content of both databases, compared as sets.
  for (const db of ["0", "1"]) {
    list.push({ args: ["SELECT", db] }, { args: ["KEYS", "*"], mode: "unordered" });
  }
  const mismatches = await diffAgainstRedis([NO_ACTIVE_EXPIRY, ...list.filter(available)]);
  if (mismatches === null) return;
  equal(mismatches.length, 0, `seed ${seed}\n` + describeMismatches(mismatches, 20));
});

/** A random decimal or hex float text of the kinds clients send. */
function randomFloatText(r: () => number): string {
  const sign = r() < 0.3 ? "-" : "";
  switch (Math.floor(r() * 7)) {
    case 0:
      return sign + Math.floor(r() * 1000);
    case 1:
      return sign + (r() * 100).toFixed(Math.floor(r() * 20));
    case 2:
      return sign + r().toExponential(Math.floor(r() * 25)).replace("e", r() < 0.5 ? "e" : "E");
    case 3:
      return sign + "1e" + Math.floor(r() * 700 - 350);
    case 4:
      return sign + "0x" + Math.floor(r() * 1e9).toString(16) + "p" + Math.floor(r() * 100 - 50);
    case 5:
      return sign + Math.floor(r() * 1e15) + "." + Math.floor(r() * 1e15);
    default:
      return sign + "0." + "0".repeat(Math.floor(r() * 20)) + Math.floor(r() * 1e6);
  }
}

Deno.test("INCRBYFLOAT on random numbers prints exactly what redis-server prints", async () => {
  const rand = seededRandom(Number(Deno.env.get("CAIRN_DIFF_SEED") ?? 77));
  const list: DiffStep[] = [];
  for (let i = 0; i < 400; i++) {
    list.push(
      { args: ["SET", "f", randomFloatText(rand)] },
      { args: ["INCRBYFLOAT", "f", randomFloatText(rand)] },
      { args: ["INCRBYFLOAT", "f", randomFloatText(rand)] },
    );
  }
  await expectSameAsRedis(list);
});

Deno.test("KEYS and SCAN MATCH with random glob patterns over binary keys match redis-server", async () => {
  const rand = seededRandom(Number(Deno.env.get("CAIRN_DIFF_SEED") ?? 99));
  const patternBytes = "ab*?[]^-\\\x00\xff\x80Aa";
  const keyBytes = "ab\x00\xff\x80A-]";
  const list: DiffStep[] = [];
  for (let i = 0; i < 60; i++) {
    const key = Array.from({ length: Math.floor(rand() * 6) }, () => pick(rand, [...keyBytes]))
      .join("");
    list.push({ args: ["SET", key, "v"] });
  }
  for (let i = 0; i < 300; i++) {
    const pattern = Array.from(
      { length: 1 + Math.floor(rand() * 7) },
      () => pick(rand, [...patternBytes]),
    ).join("");
    list.push({ args: ["KEYS", pattern], mode: "unordered" });
    list.push({ args: ["SCAN", "0", "MATCH", pattern, "COUNT", "1000"], mode: "unordered" });
  }
  await expectSameAsRedis(list);
});

Deno.test("WATCH sees SWAPDB, FLUSHDB, RENAME, MOVE, COPY and TTL changes as redis-server does", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const watcher = [await cairn.client(), await redis.client()] as const;
  const other = [await cairn.client(), await redis.client()] as const;
  const mismatches: string[] = [];
  let index = 0;
  async function run(pair: readonly [RespClient, RespClient], ...args: (string | number)[]) {
    const found = await diffOnClients(pair[0], pair[1], [{ args }]);
    if (found.length > 0) mismatches.push(`step ${index}: ` + describeMismatches(found));
    index++;
  }
  /** WATCH `key` (db 0), let the other client run `commands`, then EXEC an empty transaction. */
  async function scenario(key: string, ...commands: (string | number)[][]) {
    await run(watcher, "WATCH", key);
    for (const args of commands) await run(other, ...args);
    await run(watcher, "MULTI");
    await run(watcher, "PING");
    await run(watcher, "EXEC");
  }
  await scenario("k", ["SELECT", "1"], ["SET", "k", "v"], ["SWAPDB", "0", "1"], ["SELECT", "0"]);
  await scenario("nothere", ["SWAPDB", "0", "1"]);
  await scenario("k", ["SWAPDB", "1", "0"]); // k goes back to db 1: a change again
  await scenario("y", ["SELECT", "1"], ["SET", "y", "v", "PXAT", "1"], ["SWAPDB", "0", "1"], [
    "SELECT",
    "0",
  ]);
  await scenario("y", ["SWAPDB", "0", "1"]); // an expired key going away is no change
  await scenario("x", ["SET", "x", "1"]);
  await scenario("x", ["FLUSHDB"]);
  await scenario("x", ["FLUSHDB"]); // nothing left to flush: no change
  await scenario("x", ["SET", "x", "1"]);
  await scenario("x", ["FLUSHALL"]);
  await scenario("dst", ["SET", "src", "1"], ["RENAME", "src", "dst"]);
  await scenario("dst", ["RENAME", "dst", "src"]);
  await scenario("src", ["MOVE", "src", "1"]);
  await scenario("c2", ["SET", "c1", "1"], ["COPY", "c1", "c2"]);
  await scenario("c1", ["COPY", "c1", "c3"]);
  await scenario("c1", ["EXPIRE", "c1", "100"]);
  await scenario("c1", ["PERSIST", "c1"]);
  await scenario("c1", ["PERSIST", "c1"]);
  await scenario("c1", ["GETEX", "c1", "EX", "100"]);
  await scenario("c1", ["GETEX", "c1"]);
  await scenario("c1", ["EXPIRE", "nothere", "100"]);
  await scenario("c1", ["INCRBYFLOAT", "c1", "1"]);
  await scenario("c1", ["SETRANGE", "c1", "0", ""]);
  await scenario("c1", ["APPEND", "c1", ""]);
  equal(mismatches.length, 0, mismatches.join("\n"));
});

Deno.test("RENAME, MOVE, COPY, TYPE and SCAN TYPE on collections match redis-server", async () => {
  const list: DiffStep[] = steps(
    ["RPUSH", "l", "a", "b", "c"],
    ["SADD", "s", "1", "2", "3"],
    ["SADD", "s2", "x", "y"],
    ["HSET", "h", "f", "v", "g", "w"],
    ["ZADD", "z", "1", "a", "2", "b"],
    ["COPY", "l", "l2"],
    ["COPY", "s", "s3", "DB", "1"],
    ["COPY", "h", "h2"],
    ["COPY", "z", "z2"],
    ["COPY", "s2", "l", "REPLACE"],
    ["TYPE", "l"],
    ["OBJECT", "ENCODING", "l2"],
    ["OBJECT", "ENCODING", "h2"],
    ["OBJECT", "ENCODING", "z2"],
    ["OBJECT", "ENCODING", "l"],
    ["OBJECT", "REFCOUNT", "l"],
    ["LRANGE", "l2", "0", "-1"],
    ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
    ["RPUSH", "l2", "d"],
    ["LLEN", "l2"],
    ["RENAME", "h2", "h3"],
    ["HGET", "h3", "g"],
    ["MOVE", "z2", "1"],
    ["SELECT", "1"],
    ["ZSCORE", "z2", "b"],
    ["OBJECT", "ENCODING", "s3"],
    ["SCARD", "s3"],
    ["SELECT", "0"],
    ["SET", "str", "v"],
    ["GET", "h"],
    ["APPEND", "z", "x"],
    ["INCR", "s"],
    ["GETRANGE", "l", "0", "1"],
    ["SETRANGE", "h", "0", "x"],
    ["STRLEN", "z"],
    ["GETEX", "s", "PERSIST"],
  );
  list.push(
    { args: ["SMEMBERS", "l"], mode: "unordered" },
    { args: ["HGETALL", "h3"], mode: "unordered" },
    { args: ["SCAN", "0", "TYPE", "zset", "COUNT", "100"], mode: "unordered" },
    { args: ["SCAN", "0", "TYPE", "LIST", "COUNT", "100"], mode: "unordered" },
    { args: ["SCAN", "0", "TYPE", "none", "COUNT", "100"], mode: "unordered" },
    { args: ["KEYS", "*"], mode: "unordered" },
  );
  await expectSameAsRedis(list);
});

Deno.test("after SWAPDB, RENAME or COPY, a client blocked on a key that now has data is served", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  for (const server of [cairn, redis]) {
    const blocked = await server.client();
    const other = await server.client();
    await blocked.write(encodeCommand(["BLPOP", "q", "0"]));
    // Nothing orders the BLPOP of one connection before the commands of another: wait
    // until the server reports it blocked.
    await waitForBlockedClients(other, 1);
    await other.send("SELECT", "1");
    await other.send("RPUSH", "q", "item");
    deepEqual(await other.send("SWAPDB", "0", "1"), { type: "simple", value: "OK" });
    deepEqual(await withinSeconds(5, blocked.read()), {
      type: "array",
      value: [{ type: "bulk", value: "q" }, { type: "bulk", value: "item" }],
    });
    deepEqual(await other.send("LLEN", "q"), { type: "integer", value: 0n });
    // RENAME and COPY create the key a client waits on: it is served too.
    await other.send("SELECT", "0");
    for (const create of [["RENAME", "tmp", "q"], ["COPY", "tmp", "q"]]) {
      await blocked.write(encodeCommand(["BLPOP", "q", "0"]));
      await waitForBlockedClients(other, 1);
      await other.send("RPUSH", "tmp", create[0]);
      await other.send(...create);
      deepEqual(await withinSeconds(5, blocked.read()), {
        type: "array",
        value: [{ type: "bulk", value: "q" }, { type: "bulk", value: create[0] }],
      });
      await other.send("DEL", "tmp");
    }
  }
});

/** `promise`, or a rejection after `seconds` (so a missing wake-up fails instead of hanging). */
async function withinSeconds<T>(seconds: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${seconds}s`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls INFO clients until `blocked_clients` reaches `count` (there is no event to await over the wire). */
async function waitForBlockedClients(c: RespClient, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const info = await c.send("INFO", "clients");
    if (info.type === "bulk" && info.value.includes(`blocked_clients:${count}\r\n`)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`blocked_clients never reached ${count}`);
}
