/**
 * Lists and hashes against redis-server 7.0: hand-picked edge cases (errors
 * and their order, WRONGTYPE, binary data, RESP2/RESP3 null and map shapes,
 * encodings and their conversions) and seeded random sequences over every
 * list and hash command that cross the hash encoding thresholds (set low
 * with CONFIG SET, aliases included), checking OBJECT ENCODING after each
 * write.
 *
 * Hash replies whose order Redis takes from its hash table are compared as
 * unordered collections once the hash is "hashtable"; while it is
 * "listpack" the order must match exactly.
 */

import { equal } from "node:assert/strict";
import {
  type CompareMode,
  describeMismatches,
  type Mismatch,
  sameReply,
  seededRandom,
} from "../_helpers/differential.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";

/** How a step's replies are compared; "byEncoding" asks Redis for the key's encoding first. */
type Mode = CompareMode | "byEncoding";

interface Step {
  args: (string | number)[];
  mode: Mode;
  /** The hash key whose encoding decides a "byEncoding" comparison. */
  key?: string;
}

const x = (...args: (string | number)[]): Step => ({ args, mode: "exact" });
const s = (...args: (string | number)[]): Step => ({ args, mode: "shape" });
/** A hash read whose order depends on the encoding of `key` (argument 1). */
const h = (...args: (string | number)[]): Step => ({
  args,
  mode: "byEncoding",
  key: String(args[1]),
});

/** Runs `steps` on a fresh Cairn and a fresh Redis; returns the mismatches, or null without Redis. */
async function diff(steps: readonly Step[], resp3: boolean): Promise<Mismatch[] | null> {
  if (!requireRedis()) return null;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  if (resp3) {
    await a.send("HELLO", 3);
    await b.send("HELLO", 3);
  }
  return await runSteps(a, b, steps);
}

async function runSteps(a: RespClient, b: RespClient, steps: readonly Step[]) {
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let mode: CompareMode;
    if (step.mode === "byEncoding") {
      const enc = await b.send("OBJECT", "ENCODING", step.key!);
      mode = enc.type === "bulk" && enc.value === "hashtable" ? "unordered" : "exact";
    } else {
      mode = step.mode;
    }
    const [r1, r2] = await Promise.all([a.send(...step.args), b.send(...step.args)]);
    if (!sameReply(r1, r2, mode)) {
      mismatches.push({ index: i, args: step.args, cairn: r1, redis: r2 });
    }
  }
  return mismatches;
}

async function bothProtocols(steps: readonly Step[]): Promise<void> {
  for (const resp3 of [false, true]) {
    const mismatches = await diff(steps, resp3);
    if (mismatches === null) return;
    equal(mismatches.length, 0, `${resp3 ? "RESP3" : "RESP2"}:\n${describeMismatches(mismatches)}`);
  }
}

const BINARY = String.fromCharCode(0, 1, 13, 10, 128, 200, 255);

Deno.test("list commands: replies, errors and their order, WRONGTYPE, binary data", async () => {
  await bothProtocols([
    x("RPUSH", "l", "a", "b", "c", "b", BINARY),
    x("LPUSH", "l", "z"),
    x("LPUSHX", "nokey", "a"),
    x("RPUSHX", "l", "y", "x"),
    x("LRANGE", "l", 0, -1),
    x("LRANGE", "l", -100, 100),
    x("LRANGE", "l", 5, 2),
    x("LRANGE", "l", "x", 2),
    x("LRANGE", "nokey", "x", 2),
    x("LRANGE", "l", 0, "9223372036854775808"),
    x("LLEN", "l"),
    x("LLEN", "nokey"),
    x("LINDEX", "l", -1),
    x("LINDEX", "l", 100),
    x("LINDEX", "l", "abc"),
    x("LINDEX", "nokey", "abc"),
    x("LSET", "l", 1, "A"),
    x("LSET", "l", 100, "A"),
    x("LSET", "nokey", "abc", "A"),
    x("LSET", "l", "abc", "A"),
    x("LPOS", "l", "b"),
    x("LPOS", "l", "b", "RANK", -1),
    x("LPOS", "l", "b", "RANK", 0),
    x("LPOS", "l", "b", "COUNT", 0),
    x("LPOS", "l", "b", "COUNT", 1, "RANK", 2),
    x("LPOS", "l", "b", "COUNT", -1),
    x("LPOS", "l", "b", "COUNT", "x"),
    x("LPOS", "l", "b", "MAXLEN", -1),
    x("LPOS", "l", "b", "MAXLEN", 2),
    x("LPOS", "l", "b", "COUNT", 0, "MAXLEN", 4),
    x("LPOS", "l", "nothere"),
    x("LPOS", "l", "nothere", "COUNT", 2),
    x("LPOS", "nokey", "a"),
    x("LPOS", "nokey", "a", "COUNT", 1),
    x("LPOS", "l", "b", "BOGUS"),
    x("LPOS", "l", "b", "RANK"),
    x("LINSERT", "l", "BEFORE", "b", "new"),
    x("LINSERT", "l", "after", BINARY, "end"),
    x("LINSERT", "l", "after", "missing", "end"),
    x("LINSERT", "l", "middle", "b", "x"),
    x("LINSERT", "nokey", "before", "b", "x"),
    x("LREM", "l", 1, "b"),
    x("LREM", "l", -1, "y"),
    x("LREM", "l", 0, "nothing"),
    x("LREM", "l", "x", "b"),
    x("LRANGE", "l", 0, -1),
    x("LPOP", "l"),
    x("LPOP", "l", 2),
    x("RPOP", "l", 0),
    x("RPOP", "l", -1),
    x("RPOP", "l", "x"),
    x("LPOP", "l", 1, 2),
    x("LPOP", "nokey"),
    x("LPOP", "nokey", 2),
    x("RPOP", "l", 100),
    x("EXISTS", "l"),
    x("RPUSH", "t", 1, 2, 3, 4, 5, 6),
    x("LTRIM", "t", 1, -2),
    x("LRANGE", "t", 0, -1),
    x("LTRIM", "t", "x", 1),
    x("LTRIM", "t", 5, 1),
    x("EXISTS", "t"),
    x("LTRIM", "nokey", 0, 1),
    x("SET", "str", "v"),
    x("LPUSH", "str", "a"),
    x("LPUSHX", "str", "a"),
    x("LPOP", "str"),
    x("LPOP", "str", "x"),
    x("LRANGE", "str", 0, 1),
    x("LLEN", "str"),
    x("LINDEX", "str", 0),
    x("LSET", "str", 0, "a"),
    x("LREM", "str", 0, "a"),
    x("LTRIM", "str", 0, 1),
    x("LINSERT", "str", "before", "a", "b"),
    x("LPOS", "str", "a"),
    x("RPUSH", "src", "1", "2", "3"),
    x("RPOPLPUSH", "src", "dst"),
    x("LMOVE", "src", "dst", "LEFT", "RIGHT"),
    x("LMOVE", "src", "src", "right", "left"),
    x("LMOVE", "src", "dst", "up", "left"),
    x("LMOVE", "src", "str", "left", "left"),
    x("LMOVE", "str", "dst", "left", "left"),
    x("LMOVE", "nokey", "str", "left", "left"),
    x("RPOPLPUSH", "src", "dst"),
    x("EXISTS", "src"),
    x("LRANGE", "dst", 0, -1),
    x("RPOPLPUSH", "nokey", "dst"),
    x("LMPOP", 2, "nokey", "dst", "LEFT", "COUNT", 2),
    x("LMPOP", 1, "dst", "right"),
    x("LMPOP", 1, "dst", "right", "COUNT", 10),
    x("LMPOP", 1, "dst", "right"),
    x("LMPOP", 0, "dst", "right"),
    x("LMPOP", "x", "dst", "right"),
    x("LMPOP", 3, "a", "b", "left"),
    x("LMPOP", 1, "a", "middle"),
    x("LMPOP", 1, "a", "left", "COUNT", 0),
    x("LMPOP", 1, "a", "left", "COUNT", 1, "COUNT", 1),
    x("LMPOP", 1, "a", "left", "COUNT"),
    x("LMPOP", 2, "nokey", "str", "left"),
    x("OBJECT", "ENCODING", "str"),
  ]);
});

Deno.test("blocking list commands that need not wait reply like their plain forms", async () => {
  await bothProtocols([
    x("RPUSH", "l", "a", "b", "c"),
    x("BLPOP", "nokey", "l", 0),
    x("BRPOP", "l", 0),
    x("BLMPOP", 0, 2, "nokey", "l", "LEFT", "COUNT", 5),
    x("BLPOP", "l", "abc"),
    x("BLPOP", "l", -1),
    x("BLPOP", "l", "inf"),
    x("BLPOP", "l", "1e20"),
    x("BLPOP", "l", "nan"),
    x("BLPOP", "l", " 1"),
    x("BLPOP", "nokey", "0.01"),
    x("BRPOP", "nokey", "1e-400"),
    x("BLMPOP", "x", 1, "l", "left"),
    x("BLMPOP", 0, "x", "l", "left"),
    x("BLMPOP", 0, 1, "l", "up"),
    x("BLMPOP", "0.01", 1, "nokey", "right", "COUNT", 2),
    x("SET", "str", "v"),
    x("BLPOP", "str", 0),
    x("BLPOP", "nokey", "str", 0),
    x("BLMPOP", 0, 1, "str", "left"),
    x("RPUSH", "l", "1", "2"),
    x("BRPOPLPUSH", "l", "d", 0),
    x("BLMOVE", "l", "d", "LEFT", "LEFT", 0),
    x("BLMOVE", "d", "d", "left", "right", "x"),
    x("BLMOVE", "d", "d", "sideways", "right", 0),
    x("BLMOVE", "d", "str", "left", "right", 0),
    x("BRPOPLPUSH", "str", "d", 0),
    x("BRPOPLPUSH", "nokey", "d", "0.01"),
    x("BLMOVE", "nokey", "d", "left", "right", "0.01"),
    x("LRANGE", "d", 0, -1),
    x("MULTI"),
    x("BLPOP", "nokey", 0),
    x("BRPOPLPUSH", "nokey", "d", 0),
    x("BLMOVE", "nokey", "d", "left", "left", 0),
    x("BLMPOP", 0, 1, "nokey", "left"),
    x("LPUSH", "later", "v"),
    x("BLPOP", "later", 0),
    x("EXEC"),
  ]);
});

Deno.test("hash commands: replies, errors, WRONGTYPE, binary data, float arithmetic", async () => {
  await bothProtocols([
    x("HSET", "h", "a", 1, "b", 2, BINARY, BINARY),
    x("HSET", "h", "a", 3),
    x("HSET", "h", "a"),
    x("HMSET", "h", "c", "x", "d"),
    x("HMSET", "h", "c", "x", "d", "y"),
    x("HSETNX", "h", "a", 9),
    x("HSETNX", "h", "e", 9),
    x("HSETNX", "new", "f", "v"),
    x("HGET", "h", "a"),
    x("HGET", "h", "zz"),
    x("HGET", "nokey", "a"),
    x("HMGET", "h", "a", "zz", BINARY),
    x("HMGET", "nokey", "a", "b"),
    h("HGETALL", "h"),
    h("HKEYS", "h"),
    h("HVALS", "h"),
    x("HGETALL", "nokey"),
    x("HKEYS", "nokey"),
    x("HLEN", "h"),
    x("HLEN", "nokey"),
    x("HEXISTS", "h", "a"),
    x("HEXISTS", "h", "zz"),
    x("HSTRLEN", "h", BINARY),
    x("HSTRLEN", "h", "zz"),
    x("HSTRLEN", "nokey", "zz"),
    x("HINCRBY", "h", "a", 10),
    x("HINCRBY", "h", "n", -5),
    x("HINCRBY", "h", "c", 1),
    x("HINCRBY", "h", "a", "x"),
    x("HINCRBY", "h", "a", "9223372036854775807"),
    x("HINCRBY", "h", "big", "9223372036854775807"),
    x("HINCRBY", "h", "big", 0),
    x("HINCRBY", "h", "neg", "-9223372036854775808"),
    x("HINCRBY", "h", "neg", -1),
    x("HINCRBYFLOAT", "h", "f", "0.1"),
    x("HINCRBYFLOAT", "h", "f", "0.2"),
    x("HINCRBYFLOAT", "h", "f", "1e3"),
    x("HINCRBYFLOAT", "h", "f", "-1000.3"),
    x("HINCRBYFLOAT", "h", "a", "1.5"),
    x("HINCRBYFLOAT", "h", "c", "1"),
    x("HINCRBYFLOAT", "h", "f", "abc"),
    x("HINCRBYFLOAT", "h", "f", "inf"),
    x("HINCRBYFLOAT", "h", "f", "nan"),
    x("HINCRBYFLOAT", "h", "g", "1e308"),
    x("HINCRBYFLOAT", "h", "g", "1e308"),
    x("HINCRBYFLOAT", "h", "g", "0x10"),
    x("HINCRBYFLOAT", "h", "g", "5.0e-1"),
    x("HSET", "h", "inf", "inf"),
    x("HINCRBYFLOAT", "h", "inf", 1),
    x("HINCRBYFLOAT", "nokey2", "f", "nan"),
    x("EXISTS", "nokey2"),
    h("HGETALL", "h"),
    x("HDEL", "h", "a", "zz", "b"),
    x("HDEL", "nokey", "a"),
    x("HDEL", "new", "f", "f"),
    x("EXISTS", "new"),
    x("SET", "str", "v"),
    x("HSET", "str", "a", 1),
    x("HSETNX", "str", "a", 1),
    x("HGET", "str", "a"),
    x("HMGET", "str", "a"),
    x("HGETALL", "str"),
    x("HKEYS", "str"),
    x("HVALS", "str"),
    x("HLEN", "str"),
    x("HEXISTS", "str", "a"),
    x("HSTRLEN", "str", "a"),
    x("HDEL", "str", "a"),
    x("HINCRBY", "str", "a", 1),
    x("HINCRBY", "str", "a", "x"),
    x("HINCRBYFLOAT", "str", "a", 1),
    x("HSCAN", "str", 0),
    x("HRANDFIELD", "str"),
    x("HRANDFIELD", "str", 1),
    x("OBJECT", "ENCODING", "h"),
  ]);
});

Deno.test("HSCAN and HRANDFIELD: cursors, options, counts and reply shapes", async () => {
  const many: (string | number)[] = [];
  for (let i = 0; i < 20; i++) many.push(`field:${i}`, `value:${i}`);
  await bothProtocols([
    x("HSET", "h", "a", 1, "b", 2, "c", 3, "ab", 4),
    x("HSCAN", "h", 0),
    x("HSCAN", "h", 0, "MATCH", "a*"),
    x("HSCAN", "h", 0, "MATCH", "*", "COUNT", 1),
    x("HSCAN", "h", 0, "COUNT", 0),
    x("HSCAN", "h", 0, "COUNT", "x"),
    x("HSCAN", "h", 0, "TYPE", "string"),
    x("HSCAN", "h", 0, "COUNT"),
    x("HSCAN", "h", "x"),
    x("HSCAN", "h", "-1x"),
    x("HSCAN", "nokey", 0, "COUNT", 0),
    x("HRANDFIELD", "nokey"),
    x("HRANDFIELD", "nokey", 5),
    x("HRANDFIELD", "nokey", 5, "WITHVALUES"),
    s("HRANDFIELD", "h"),
    x("HRANDFIELD", "h", 0),
    x("HRANDFIELD", "h", 4),
    x("HRANDFIELD", "h", 10, "WITHVALUES"),
    s("HRANDFIELD", "h", 2),
    s("HRANDFIELD", "h", 3, "WITHVALUES"),
    s("HRANDFIELD", "h", -7),
    s("HRANDFIELD", "h", -7, "WITHVALUES"),
    x("HRANDFIELD", "h", "x"),
    x("HRANDFIELD", "h", 1, "WITHSCORES"),
    x("HRANDFIELD", "h", 1, "WITHVALUES", "x"),
    x("HRANDFIELD", "h", "-9223372036854775808"),
    x("HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"),
    x("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
    x("CONFIG", "SET", "hash-max-listpack-entries", 8),
    x("HSET", "big", ...many),
    x("OBJECT", "ENCODING", "big"),
    h("HSCAN", "big", 0, "COUNT", 1000),
    h("HSCAN", "big", 0, "COUNT", 1000, "MATCH", "field:1*"),
    h("HRANDFIELD", "big", 100),
    h("HRANDFIELD", "big", 100, "WITHVALUES"),
    s("HRANDFIELD", "big", 5, "WITHVALUES"),
    s("HRANDFIELD", "big", 15),
    s("HRANDFIELD", "big", -30, "WITHVALUES"),
  ]);
});

Deno.test("hash encodings follow the thresholds, CONFIG SET aliases included", async () => {
  await bothProtocols([
    x("CONFIG", "SET", "hash-max-ziplist-entries", 3),
    x("CONFIG", "SET", "hash-max-listpack-value", 5),
    x("HSET", "a", "f1", "v", "f2", "v", "f3", "v"),
    x("OBJECT", "ENCODING", "a"),
    x("HSET", "a", "f4", "v"),
    x("OBJECT", "ENCODING", "a"),
    x("HDEL", "a", "f1", "f2", "f3"),
    x("OBJECT", "ENCODING", "a"),
    x("HSET", "b", "f", "12345"),
    x("OBJECT", "ENCODING", "b"),
    x("HSET", "b", "f", "123456"),
    x("OBJECT", "ENCODING", "b"),
    x("HSET", "c", "longfield", "1"),
    x("OBJECT", "ENCODING", "c"),
    x("HSET", "d", "f", "99999"),
    x("HINCRBY", "d", "f", 1),
    x("OBJECT", "ENCODING", "d"),
    x("HSET", "e", "f", "1"),
    x("HINCRBYFLOAT", "e", "f", "0.25"),
    x("OBJECT", "ENCODING", "e"),
    x("HSETNX", "g", "x", "toolong"),
    x("OBJECT", "ENCODING", "g"),
    x("HSET", "i", "a", 1, "b", 2, "c", 3),
    x("CONFIG", "SET", "hash-max-ziplist-entries", 1),
    x("HSET", "i", "a", 1),
    x("OBJECT", "ENCODING", "i"),
    x("CONFIG", "SET", "hash-max-listpack-entries", 0),
    x("HSET", "j", "a", 1),
    x("OBJECT", "ENCODING", "j"),
    // COPY keeps the encoding, even where the contents would fit a listpack.
    x("CONFIG", "SET", "hash-max-listpack-entries", 128),
    x("HSET", "k", "f", "123456"),
    x("HSET", "k", "f", "1"),
    x("COPY", "k", "k2"),
    x("OBJECT", "ENCODING", "k2"),
    h("HGETALL", "k2"),
    x("HSET", "m", "b", 1, "a", 2),
    x("COPY", "m", "m2"),
    x("OBJECT", "ENCODING", "m2"),
    x("HGETALL", "m2"),
    x("HSET", "m", "c", 3),
    x("HLEN", "m2"),
    x("RPUSH", "src", "a", "b", "c"),
    x("COPY", "src", "dst"),
    x("RPOP", "src"),
    x("LRANGE", "dst", 0, -1),
    x("OBJECT", "ENCODING", "dst"),
    x("RPUSH", "l", "x".repeat(100)),
    x("OBJECT", "ENCODING", "l"),
    x("CONFIG", "SET", "list-max-ziplist-size", 1),
    x("RPUSH", "l", "a", "b", "c"),
    x("OBJECT", "ENCODING", "l"),
    x("CONFIG", "GET", "list-max-listpack-size"),
  ]);
});

Deno.test("DEBUG QUICKLIST-PACKED-THRESHOLD accepts Redis's sizes and errors", async () => {
  await bothProtocols([
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1kb"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4gb"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4095mb"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "abc"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10xb"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1", "2"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10"),
    x("RPUSH", "l", "a".repeat(20), "b"),
    x("LRANGE", "l", 0, -1),
    x("OBJECT", "ENCODING", "l"),
    x("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"),
  ]);
});

// ---------------------------------------------------------------------------
// Seeded random sequences.

const LIST_KEYS = ["l1", "l2", "l3"];
const HASH_KEYS = ["h1", "h2"];
const ALL_KEYS = [...LIST_KEYS, ...HASH_KEYS, "str"];

/** Generates `n` random steps from `seed`. */
function randomSteps(seed: number, n: number): Step[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const element = () =>
    pick(["a", "b", "c", "1", "-2", "3.5", "", BINARY, "x".repeat(int(6, 12)), "a b"]);
  // Mostly the right type of key, sometimes any key (WRONGTYPE, missing).
  const listKey = () => random() < 0.96 ? pick(LIST_KEYS) : pick(ALL_KEYS);
  const hashKey = () => random() < 0.96 ? pick(HASH_KEYS) : pick(ALL_KEYS);
  const field = () => pick(["f1", "f2", "f3", "f4", "f5", "f6", "long-field-name", BINARY]);
  const index = () => random() < 0.9 ? int(-6, 6) : pick(["x", "9223372036854775807", "-1000"]);
  const end = () => pick(["LEFT", "RIGHT", "left", "right"]);
  const steps: Step[] = [x("SET", "str", "value")];
  const encodingCheck = (key: string) => steps.push(x("OBJECT", "ENCODING", key));

  const listOps: (() => void)[] = [
    () => {
      const k = listKey();
      const elems = Array.from({ length: int(1, 4) }, element);
      steps.push(x(pick(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), k, ...elems));
      encodingCheck(k);
    },
    () => {
      const args: (string | number)[] = [pick(["LPOP", "RPOP"]), listKey()];
      if (random() < 0.5) args.push(int(0, 4));
      steps.push(x(...args));
    },
    () => steps.push(x("LRANGE", listKey(), index(), index())),
    () => steps.push(x("LLEN", listKey())),
    () => steps.push(x("LINDEX", listKey(), index())),
    () => steps.push(x("LSET", listKey(), index(), element())),
    () => steps.push(x("LREM", listKey(), int(-2, 2), element())),
    () => steps.push(x("LTRIM", listKey(), index(), index())),
    () => steps.push(x("LINSERT", listKey(), pick(["BEFORE", "AFTER"]), element(), element())),
    () => {
      const args: (string | number)[] = ["LPOS", listKey(), element()];
      if (random() < 0.4) args.push("RANK", pick([1, 2, -1, -2]));
      if (random() < 0.4) args.push("COUNT", int(0, 3));
      if (random() < 0.3) args.push("MAXLEN", int(0, 5));
      steps.push(x(...args));
    },
    () => steps.push(x("RPOPLPUSH", listKey(), listKey())),
    () => steps.push(x("LMOVE", listKey(), listKey(), end(), end())),
    () => {
      const keys = [listKey(), listKey()];
      const args: (string | number)[] = ["LMPOP", 2, ...keys, end()];
      if (random() < 0.5) args.push("COUNT", int(1, 4));
      steps.push(x(...args));
    },
    () => steps.push(x(pick(["BLPOP", "BRPOP"]), listKey(), listKey(), "0.01")),
    () => steps.push(x("BRPOPLPUSH", listKey(), listKey(), "0.01")),
    () => steps.push(x("BLMOVE", listKey(), listKey(), end(), end(), "0.01")),
    () => steps.push(x("BLMPOP", "0.01", 1, listKey(), end(), "COUNT", int(1, 3))),
  ];

  const hashOps: (() => void)[] = [
    () => {
      const k = hashKey();
      const pairs = Array.from({ length: int(1, 3) }, () => [field(), element()]).flat();
      steps.push(x(pick(["HSET", "HMSET"]), k, ...pairs));
      encodingCheck(k);
    },
    () => {
      const k = hashKey();
      steps.push(x("HSETNX", k, field(), element()));
      encodingCheck(k);
    },
    () => steps.push(x("HGET", hashKey(), field())),
    () => steps.push(x("HMGET", hashKey(), field(), field())),
    () => steps.push(h(pick(["HGETALL", "HKEYS", "HVALS"]), hashKey())),
    () => steps.push(x("HDEL", hashKey(), field(), field())),
    () => steps.push(x("HEXISTS", hashKey(), field())),
    () => steps.push(x("HLEN", hashKey())),
    () => steps.push(x("HSTRLEN", hashKey(), field())),
    () => {
      const k = hashKey();
      steps.push(x("HINCRBY", k, field(), pick([1, -3, 100, "x", "9223372036854775807"])));
      encodingCheck(k);
    },
    () => {
      const k = hashKey();
      steps.push(x("HINCRBYFLOAT", k, field(), pick(["0.1", "-2.5", "1e3", "3", "abc", "1.1e-5"])));
      encodingCheck(k);
    },
    () => steps.push(h("HSCAN", hashKey(), 0, "COUNT", 1000)),
    () => steps.push(h("HSCAN", hashKey(), 0, "MATCH", pick(["f*", "*1", "long*"]), "COUNT", 1000)),
    () => steps.push(s("HRANDFIELD", hashKey(), int(-5, 5), "WITHVALUES")),
    () =>
      steps.push(
        x(
          "CONFIG",
          "SET",
          pick(["hash-max-listpack-entries", "hash-max-ziplist-entries"]),
          int(3, 8),
        ),
      ),
    () =>
      steps.push(
        x("CONFIG", "SET", pick(["hash-max-listpack-value", "hash-max-ziplist-value"]), int(6, 16)),
      ),
    () => steps.push(x("DEL", pick(ALL_KEYS.slice(0, -1)))),
    // Dropping a hash lets it start again as a listpack.
    () => steps.push(x("DEL", pick(HASH_KEYS))),
    () => steps.push(x("DEL", pick(HASH_KEYS))),
    () => steps.push(x("TYPE", pick(ALL_KEYS))),
  ];

  steps.push(x("CONFIG", "SET", "hash-max-listpack-entries", 4));
  steps.push(x("CONFIG", "SET", "hash-max-listpack-value", 8));
  // Writes that grow a collection come up more often, so that keys live long.
  const listPush = listOps[0];
  const hashSet = hashOps[0];
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.2) listPush();
    else if (r < 0.5) pick(listOps)();
    else if (r < 0.65) hashSet();
    else pick(hashOps)();
  }
  for (const k of ALL_KEYS) steps.push(x("TYPE", k));
  return steps;
}

for (const seed of [1, 2, 3]) {
  Deno.test(`seeded random list and hash sequence ${seed} matches redis-server`, async () => {
    await bothProtocols(randomSteps(seed, 400));
  });
}

/** Every field/value pair a full HSCAN with `count` returns, sorted, and the number of calls. */
async function fullScan(c: RespClient, key: string, count: number): Promise<[string[], number]> {
  const seen = new Set<string>();
  let cursor = "0";
  let calls = 0;
  do {
    const r = await c.send("HSCAN", key, cursor, "COUNT", count);
    if (r.type !== "array") throw new Error(`HSCAN replied ${JSON.stringify(r)}`);
    const [next, items] = r.value;
    if (next.type !== "bulk" || items.type !== "array") throw new Error("bad HSCAN reply shape");
    cursor = next.value;
    for (let i = 0; i < items.value.length; i += 2) {
      const f = items.value[i];
      const v = items.value[i + 1];
      if (f.type === "bulk" && v.type === "bulk") seen.add(`${f.value}=${v.value}`);
    }
    calls++;
  } while (cursor !== "0");
  return [[...seen].sort(), calls];
}

Deno.test("a full HSCAN of a hashtable hash returns every pair, page by page", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  const pairs: string[] = [];
  for (let i = 0; i < 600; i++) pairs.push(`f${i}`, i % 7 === 0 ? BINARY + i : `v${i}`);
  for (const c of [a, b]) await c.send("HSET", "big", ...pairs);
  equal(await a.call("OBJECT", "ENCODING", "big"), "hashtable");
  const [fromCairn, cairnCalls] = await fullScan(a, "big", 10);
  const [fromRedis] = await fullScan(b, "big", 10);
  equal(fromCairn.length, 600);
  equal(JSON.stringify(fromCairn), JSON.stringify(fromRedis));
  // COUNT bounds the work of one call: the scan takes many pages.
  equal(cairnCalls >= 600 / 10, true, `only ${cairnCalls} calls`);
});
