/**
 * Sets, sorted sets and SORT against redis-server 7.0: hand-picked edge
 * cases (errors, special scores, binary members, RESP3 shapes, encodings
 * and their conversions) and seeded random sequences that cross the
 * encoding thresholds.
 */

import { deepEqual, equal } from "node:assert/strict";
import {
  type CompareMode,
  describeMismatches,
  diffAgainstRedis,
  type DiffStep,
  seededRandom,
} from "../_helpers/differential.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { Reply, RespClient } from "../_helpers/resp_client.ts";

function step(mode: CompareMode, args: (string | number)[]): DiffStep {
  return { args, mode };
}
/** Compared exactly. */
const x = (...args: (string | number)[]) => step("exact", args);
/** Compared as unordered collections (SMEMBERS, SUNION, ...). */
const u = (...args: (string | number)[]) => step("unordered", args);
/** Compared by reply type and size only (random results). */
const s = (...args: (string | number)[]) => step("shape", args);

/** Runs `steps` in RESP2 and again in RESP3 (after HELLO 3) on fresh servers. */
async function bothProtocols(
  steps: DiffStep[],
  config: Record<string, string> = {},
): Promise<void> {
  for (const resp3 of [false, true]) {
    const all = resp3 ? [s("HELLO", 3), ...steps] : steps;
    const mismatches = await diffAgainstRedis(all, config);
    if (mismatches === null) return;
    equal(
      mismatches.length,
      0,
      `${resp3 ? "RESP3" : "RESP2"}:\n${describeMismatches(mismatches)}`,
    );
  }
}

const BINARY = String.fromCharCode(0, 1, 13, 10, 128, 200, 255);

Deno.test("set commands: replies, errors, encodings", async () => {
  await bothProtocols([
    x("SADD", "s", 1, 2, 3, 2),
    x("OBJECT", "ENCODING", "s"),
    x("SADD", "s", 70000),
    x("SADD", "s", "-9223372036854775808"),
    x("OBJECT", "ENCODING", "s"),
    x("SADD", "s", "01"),
    x("OBJECT", "ENCODING", "s"),
    x("SREM", "s", "01"),
    x("OBJECT", "ENCODING", "s"),
    u("SMEMBERS", "s"),
    x("SCARD", "s"),
    x("SISMEMBER", "s", 2),
    x("SISMEMBER", "s", "02"),
    x("SMISMEMBER", "s", 1, 9, 3),
    x("SMISMEMBER", "nosuch", 1, 2),
    x("SADD", "b", BINARY, "", "x y"),
    u("SMEMBERS", "b"),
    x("SISMEMBER", "b", BINARY),
    x("SISMEMBER", "b", ""),
    x("SET", "str", "v"),
    x("SADD", "str", 1),
    x("SREM", "str", 1),
    x("SCARD", "str"),
    x("SMEMBERS", "str"),
    x("SISMEMBER", "str", 1),
    x("SMISMEMBER", "str", 1),
    x("SINTER", "s", "str"),
    x("SINTER", "nosuch", "str"),
    x("SUNION", "s", "str"),
    x("SDIFF", "nosuch", "str"),
    x("SRANDMEMBER", "str"),
    x("SPOP", "str"),
    x("SMOVE", "str", "s", 1),
    x("SMOVE", "s", "str", 1),
    x("SMOVE", "nosuch", "str", 1),
    x("SREM", "s", 1, 2, 3, 70000, "-9223372036854775808"),
    x("EXISTS", "s"),
    x("SREM", "nosuch", 1),
    x("SMEMBERS", "nosuch"),
    x("SCARD", "nosuch"),
    // SMOVE
    x("SADD", "a", 1, 2, "x"),
    x("SMOVE", "a", "m", 1),
    x("OBJECT", "ENCODING", "m"),
    x("SMOVE", "a", "m2", "x"),
    x("OBJECT", "ENCODING", "m2"),
    x("SMOVE", "a", "a", 2),
    x("SMOVE", "a", "a", 9),
    x("SMOVE", "a", "m", 9),
    x("SMOVE", "a", "m", 2),
    x("EXISTS", "a"),
    u("SMEMBERS", "m"),
    // Set algebra
    x("DEL", "a", "b", "c", "m", "m2"),
    x("SADD", "a", 1, 2, 3, 4, "x"),
    x("SADD", "b", 3, 4, 5),
    x("SADD", "c", 4, 5, 6, "x"),
    u("SINTER", "a", "b"),
    u("SINTER", "a", "b", "c"),
    u("SINTER", "a"),
    x("SINTER", "a", "nosuch"),
    u("SUNION", "a", "b", "nosuch", "c"),
    u("SDIFF", "a", "b", "c"),
    u("SDIFF", "a", "nosuch"),
    x("SDIFF", "a", "a"),
    x("SDIFF", "nosuch", "a"),
    x("SINTERSTORE", "d", "a", "b"),
    x("OBJECT", "ENCODING", "d"),
    u("SMEMBERS", "d"),
    x("SINTERSTORE", "d", "a", "nosuch"),
    x("EXISTS", "d"),
    x("SUNIONSTORE", "d", "a", "c"),
    x("OBJECT", "ENCODING", "d"),
    x("SDIFFSTORE", "d", "a", "c"),
    x("OBJECT", "ENCODING", "d"),
    x("SDIFFSTORE", "d", "a", "a"),
    x("EXISTS", "d"),
    x("SUNIONSTORE", "a", "a", "b"),
    x("SCARD", "a"),
    x("SINTERCARD", 2, "a", "b"),
    x("SINTERCARD", 2, "a", "b", "LIMIT", 1),
    x("SINTERCARD", 2, "a", "b", "LIMIT", 0),
    x("SINTERCARD", 1, "nosuch"),
    x("SINTERCARD", 0, "a"),
    x("SINTERCARD", -1, "a"),
    x("SINTERCARD", "x", "a"),
    x("SINTERCARD", 3, "a", "b"),
    x("SINTERCARD", 2, "a", "b", "LIMIT", -1),
    x("SINTERCARD", 2, "a", "b", "LIMIT", "x"),
    x("SINTERCARD", 2, "a", "b", "LIMIT"),
    x("SINTERCARD", 2, "a", "b", "FOO", 1),
    x("SINTERCARD", 2, "a", "str"),
    // Random picks
    s("SRANDMEMBER", "a"),
    s("SRANDMEMBER", "a", 3),
    s("SRANDMEMBER", "a", 100),
    s("SRANDMEMBER", "a", -10),
    x("SRANDMEMBER", "a", 0),
    x("SRANDMEMBER", "nosuch", 5),
    x("SRANDMEMBER", "nosuch"),
    x("SRANDMEMBER", "a", "x"),
    x("SRANDMEMBER", "a", "-9223372036854775808"),
    x("SRANDMEMBER", "a", 1, 2),
    s("SPOP", "a"),
    s("SPOP", "a", 2),
    x("SPOP", "a", 0),
    x("SPOP", "a", -1),
    x("SPOP", "a", "x"),
    x("SPOP", "a", 1, 2),
    x("SPOP", "nosuch"),
    x("SPOP", "nosuch", 3),
    s("SPOP", "a", 100),
    x("EXISTS", "a"),
    // SPOP keeps the encoding unless it rebuilds from the few that remain.
    x("SADD", "p", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "x"),
    s("SPOP", "p", 1),
    x("SCARD", "p"),
    // SSCAN on small sets comes back whole.
    x("SADD", "i", 5, 3, -1, 100000, 2),
    x("SSCAN", "i", 0),
    x("SSCAN", "i", 0, "MATCH", "*0*"),
    x("SSCAN", "i", 0, "COUNT", 1),
    x("SSCAN", "i", 0, "COUNT", 0),
    x("SSCAN", "i", 0, "COUNT", "x"),
    x("SSCAN", "i", 0, "FOO"),
    x("SSCAN", "i", "x"),
    x("SSCAN", "i", -1),
    x("SSCAN", "nosuch", 0),
    x("SSCAN", "nosuch", 0, "FOO"),
    x("SSCAN", "str", 0),
    x("SADD"),
    x("SADD", "a"),
    x("SINTERSTORE", "d"),
    x("DEBUG", "HTSTATS-KEY", "i"),
    x("DEBUG", "HTSTATS-KEY", "nosuch"),
    x("DEBUG", "HTSTATS-KEY", "str"),
  ]);
});

Deno.test("set encodings follow set-max-intset-entries, and conversions are one-way", async () => {
  const steps: DiffStep[] = [x("CONFIG", "SET", "set-max-intset-entries", "4")];
  for (let i = 1; i <= 6; i++) {
    steps.push(x("SADD", "s", i), x("OBJECT", "ENCODING", "s"));
  }
  steps.push(
    x("SREM", "s", 1, 2, 3),
    x("OBJECT", "ENCODING", "s"),
    x("SADD", "t", 1, 2, 3, 4),
    x("OBJECT", "ENCODING", "t"),
    x("SADD", "t", 1, 2, 3, 4, 5),
    x("OBJECT", "ENCODING", "t"),
    x("SUNIONSTORE", "u", "s"),
    x("OBJECT", "ENCODING", "u"),
    x("SINTERSTORE", "u", "t", "t"),
    x("OBJECT", "ENCODING", "u"),
    x("SADD", "v", 1, 2, 3),
    x("SDIFFSTORE", "w", "t", "v"),
    x("OBJECT", "ENCODING", "w"),
    // SPOP with a count near the size rebuilds: all-integer leftovers are an intset again.
    x("CONFIG", "SET", "set-max-intset-entries", "512"),
    x("SADD", "r", "a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    x("SREM", "r", "a"),
    x("OBJECT", "ENCODING", "r"),
    s("SPOP", "r", 11),
    x("OBJECT", "ENCODING", "r"),
    x("SADD", "q", "a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    x("SREM", "q", "a"),
    s("SPOP", "q", 2),
    x("OBJECT", "ENCODING", "q"),
    x("CONFIG", "SET", "set-max-intset-entries", "0"),
    x("SADD", "z", 1),
    x("OBJECT", "ENCODING", "z"),
  );
  await bothProtocols(steps);
});

const SPECIAL_SCORES = ["inf", "-inf", "+inf", "-0", "0", "1e308", "-1e308", "4.9e-324", "1e-300"];

Deno.test("sorted set commands: replies, errors, special scores", async () => {
  const steps: DiffStep[] = [
    x("ZADD", "z", 1, "a", 2, "b", 3, "c"),
    x("ZADD", "z", "NX", 10, "a", 4, "d"),
    x("ZADD", "z", "XX", 10, "a", 5, "e"),
    x("ZADD", "z", "XX", "CH", 11, "a", 5, "e"),
    x("ZADD", "z", "GT", "CH", 1, "a", 20, "b"),
    x("ZADD", "z", "LT", "CH", 1, "a", 30, "b"),
    x("ZADD", "z", "LT", "XX", "CH", 0, "a", 0, "zz"),
    x("ZADD", "z", "INCR", 5, "a"),
    x("ZADD", "z", "INCR", "NX", 5, "a"),
    x("ZADD", "z", "INCR", "XX", 5, "nosuch"),
    x("ZADD", "z", "INCR", "GT", -100, "a"),
    x("ZADD", "z", "NX", "XX", 1, "a"),
    x("ZADD", "z", "GT", "LT", 1, "a"),
    x("ZADD", "z", "NX", "GT", 1, "a"),
    x("ZADD", "z", "INCR", 1, "a", 2, "b"),
    x("ZADD", "z", 1),
    x("ZADD", "z", 1, "a", 2),
    x("ZADD", "z", "x", "a"),
    x("ZADD", "z", "nan", "a"),
    x("ZADD", "z", 1, "a", "bad", "b"),
    x("ZADD", "z", "CH"),
    x("ZADD", "newkey", "XX", 1, "a"),
    x("ZADD", "newkey", "XX", "INCR", 1, "a"),
    x("EXISTS", "newkey"),
    x("ZADD", "inf", "+inf", "a"),
    x("ZADD", "inf", "INCR", "-inf", "a"),
    x("ZINCRBY", "inf", "-inf", "a"),
    x("ZSCORE", "inf", "a"),
    x("ZINCRBY", "z", 2.5, "a"),
    x("ZINCRBY", "z", "x", "a"),
    x("ZINCRBY", "z", "1", "new"),
    x("ZINCRBY", "z", "nx", "a"),
    x("ZRANGE", "z", 0, -1, "WITHSCORES"),
    x("ZCARD", "z"),
    x("ZCARD", "nosuch"),
    x("ZSCORE", "z", "a"),
    x("ZSCORE", "z", "nosuch"),
    x("ZSCORE", "nosuch", "a"),
    x("ZMSCORE", "z", "a", "nosuch", "b"),
    x("ZMSCORE", "nosuch", "a", "b"),
    x("ZRANK", "z", "a"),
    x("ZREVRANK", "z", "a"),
    x("ZRANK", "z", "nosuch"),
    x("ZRANK", "nosuch", "a"),
    x("ZREM", "z", "a", "nosuch", "b"),
    x("ZREM", "nosuch", "a"),
    x("ZRANGE", "z", 0, -1, "WITHSCORES"),
    x("SET", "str", "v"),
    x("ZADD", "str", 1, "a"),
    x("ZSCORE", "str", "a"),
    x("ZMSCORE", "str", "a"),
    x("ZRANGE", "str", 0, -1),
    x("ZCARD", "str"),
    x("ZREM", "str", "a"),
    x("ZRANK", "str", "a"),
    x("ZINCRBY", "str", 1, "a"),
    x("ZCOUNT", "str", 0, 1),
    x("ZLEXCOUNT", "str", "-", "+"),
    x("ZPOPMIN", "str"),
    x("ZRANDMEMBER", "str"),
    x("ZSCAN", "str", 0),
    x("ZREMRANGEBYRANK", "str", 0, 1),
    x("ZUNIONSTORE", "d", 2, "z", "str"),
    x("ZINTER", 2, "str", "z"),
  ];
  // Special scores: stored, ordered, printed.
  SPECIAL_SCORES.forEach((score, i) => steps.push(x("ZADD", "sp", score, `m${i}`)));
  steps.push(
    x("ZADD", "sp", "-0.0", "negzero", "0x10", "hex", "1E3", "exp", " 5", "space"),
    x("ZADD", "sp", "0x1p-2", "hexfloat", "1e400", "over"),
    x("ZRANGE", "sp", 0, -1, "WITHSCORES"),
    x("ZSCORE", "sp", "m3"),
    x("ZRANGEBYSCORE", "sp", "-inf", "+inf"),
    x("ZRANGEBYSCORE", "sp", "(-inf", "(inf"),
    x("ZRANGEBYSCORE", "sp", "-0", "0"),
    x("ZRANGEBYSCORE", "sp", "(0", "1e400"),
    x("ZRANGEBYSCORE", "sp", " 0", "1"),
    x("ZRANGEBYSCORE", "sp", "", ""),
    x("ZRANGEBYSCORE", "sp", "(", "1"),
    x("ZRANGEBYSCORE", "sp", "nan", "1"),
    x("ZRANGEBYSCORE", "sp", "1x", "1"),
    x("ZRANGEBYSCORE", "sp", "[1", "1"),
    x("ZCOUNT", "sp", "-inf", "+inf"),
    x("ZCOUNT", "sp", "(0", "(1e308"),
    x("ZCOUNT", "sp", "5", "1"),
    x("ZSCAN", "sp", 0),
    x("ZINCRBY", "sp", 1, "m0"),
    x("ZINCRBY", "sp", "-inf", "m0"),
    x(
      "ZADD",
      "big",
      "1e17",
      "a",
      "123456789012345678",
      "b",
      "0.1",
      "c",
      "-4611686018427387904",
      "d",
    ),
    x("ZSCAN", "big", 0),
    x("ZRANGE", "big", 0, -1, "WITHSCORES"),
    // Binary members order by bytes.
    x("ZADD", "bin", 0, BINARY, 0, "", 0, "a", 0, "\xff", 0, "\x00", 0, "aa"),
    x("ZRANGE", "bin", 0, -1),
    x("ZRANGEBYLEX", "bin", "-", "+"),
    x("ZRANGEBYLEX", "bin", "[\x00", "(a"),
    x("ZSCORE", "bin", BINARY),
  );
  await bothProtocols(steps);
});

Deno.test("sorted set ranges: ZRANGE variants, LIMIT, REV, lex, ZRANGESTORE, ZREMRANGE", async () => {
  const steps: DiffStep[] = [];
  const members: (string | number)[] = [];
  for (let i = 0; i < 20; i++) members.push(i % 7, `m${String(i).padStart(2, "0")}`);
  steps.push(x("ZADD", "z", ...members));
  const lexMembers: (string | number)[] = [];
  for (const m of ["a", "b", "c", "d", "e", "f", "g", "aa", "ab", "ba", ""]) lexMembers.push(0, m);
  steps.push(x("ZADD", "l", ...lexMembers));
  for (const [a, b] of [[0, -1], [2, 5], [-3, -1], [5, 2], [-100, 100], [20, 30], [0, 0]]) {
    steps.push(
      x("ZRANGE", "z", a, b),
      x("ZRANGE", "z", a, b, "WITHSCORES"),
      x("ZRANGE", "z", a, b, "REV", "WITHSCORES"),
      x("ZREVRANGE", "z", a, b, "WITHSCORES"),
    );
  }
  for (
    const [a, b] of [["-inf", "+inf"], ["2", "4"], ["(2", "4"], ["2", "(4"], ["(2", "(2"], [
      "5",
      "1",
    ]]
  ) {
    steps.push(
      x("ZRANGEBYSCORE", "z", a, b, "WITHSCORES"),
      x("ZREVRANGEBYSCORE", "z", b, a, "WITHSCORES"),
      x("ZRANGE", "z", a, b, "BYSCORE"),
      x("ZRANGE", "z", b, a, "BYSCORE", "REV", "WITHSCORES"),
      x("ZCOUNT", "z", a, b),
    );
    for (const [o, n] of [[0, 3], [2, 2], [1, -1], [-1, 2], [100, 1], [0, 0], [19, 5]]) {
      steps.push(
        x("ZRANGEBYSCORE", "z", a, b, "LIMIT", o, n),
        x("ZREVRANGEBYSCORE", "z", b, a, "WITHSCORES", "LIMIT", o, n),
        x("ZRANGE", "z", a, b, "BYSCORE", "LIMIT", o, n, "WITHSCORES"),
      );
    }
  }
  for (
    const [a, b] of [
      ["-", "+"],
      ["[a", "[c"],
      ["(a", "(c"],
      ["[aa", "+"],
      ["-", "(b"],
      ["+", "-"],
      ["[", "[a"],
      ["(", "+"],
    ]
  ) {
    steps.push(
      x("ZRANGEBYLEX", "l", a, b),
      x("ZREVRANGEBYLEX", "l", b, a),
      x("ZRANGE", "l", a, b, "BYLEX"),
      x("ZRANGE", "l", b, a, "BYLEX", "REV", "LIMIT", 1, 2),
      x("ZRANGEBYLEX", "l", a, b, "LIMIT", 1, 3),
      x("ZLEXCOUNT", "l", a, b),
    );
  }
  steps.push(
    x("ZRANGEBYLEX", "l", "a", "[b"),
    x("ZRANGEBYLEX", "l", "[a", "+x"),
    x("ZLEXCOUNT", "l", "-x", "+"),
    x("ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES"),
    x("ZRANGE", "z", 0, 1, "LIMIT", 0, 1),
    x("ZRANGE", "z", 0, 1, "BYSCORE", "BYLEX"),
    x("ZRANGE", "z", 0, 1, "REV", "REV"),
    x("ZRANGE", "z", 0, 1, "LIMIT", 0),
    x("ZRANGE", "z", 0, 1, "LIMIT", "x", 1),
    x("ZRANGE", "z", "x", 1),
    x("ZRANGE", "z", 0, 1, "FOO"),
    x("ZRANGE", "nosuch", 0, 1),
    x("ZRANGE", "nosuch", "x", 1),
    x("ZRANGE", "z", "(1", 5, "BYSCORE", "WITHSCORES", "LIMIT", 1, 2, "REV"),
    x("ZRANGESTORE", "dst", "z", 0, 4),
    x("ZRANGE", "dst", 0, -1, "WITHSCORES"),
    x("OBJECT", "ENCODING", "dst"),
    x("ZRANGESTORE", "dst", "z", 2, 4, "BYSCORE", "LIMIT", 1, 3),
    x("ZRANGE", "dst", 0, -1, "WITHSCORES"),
    x("ZRANGESTORE", "dst", "l", "[b", "-", "BYLEX", "REV"),
    x("ZRANGE", "dst", 0, -1, "WITHSCORES"),
    x("ZRANGESTORE", "dst", "z", 5, 1),
    x("EXISTS", "dst"),
    x("ZRANGESTORE", "dst", "nosuch", 0, -1),
    x("ZRANGESTORE", "dst", "z", 0, -1, "WITHSCORES"),
    x("ZREMRANGEBYRANK", "z", 0, 1),
    x("ZREMRANGEBYRANK", "z", -2, -1),
    x("ZREMRANGEBYRANK", "z", 5, 2),
    x("ZREMRANGEBYRANK", "z", "x", 2),
    x("ZREMRANGEBYSCORE", "z", "(1", 2),
    x("ZREMRANGEBYSCORE", "z", "x", 2),
    x("ZREMRANGEBYLEX", "l", "[a", "(b"),
    x("ZREMRANGEBYLEX", "l", "a", "(b"),
    x("ZRANGE", "z", 0, -1, "WITHSCORES"),
    x("ZRANGE", "l", 0, -1),
    x("ZREMRANGEBYLEX", "l", "-", "+"),
    x("EXISTS", "l"),
    x("ZREMRANGEBYSCORE", "nosuch", 0, 1),
  );
  await bothProtocols(steps);
});

Deno.test("sorted set pops, ZRANDMEMBER, ZSCAN, set operations", async () => {
  await bothProtocols([
    x("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e"),
    x("ZPOPMIN", "z"),
    x("ZPOPMAX", "z"),
    x("ZPOPMIN", "z", 2),
    x("ZPOPMAX", "z", 0),
    x("ZPOPMIN", "z", -1),
    x("ZPOPMIN", "z", "x"),
    x("ZPOPMIN", "z", 1, 2),
    x("ZPOPMIN", "nosuch"),
    x("ZPOPMIN", "nosuch", 2),
    x("ZPOPMAX", "z", 10),
    x("EXISTS", "z"),
    x("ZADD", "z", 1, "a", 2, "b", 3, "c"),
    x("ZADD", "y", 1, "x"),
    x("ZMPOP", 2, "nosuch", "z", "MIN"),
    x("ZMPOP", 2, "nosuch", "z", "MAX", "COUNT", 5),
    x("ZMPOP", 2, "nosuch", "z", "MAX"),
    x("ZMPOP", 1, "y", "min", "count", 1),
    x("ZMPOP", 0, "y", "MIN"),
    x("ZMPOP", 1, "y", "MIN", "COUNT", 0),
    x("ZMPOP", 1, "y", "MIN", "COUNT", 1, "COUNT", 1),
    x("ZMPOP", 1, "y", "LEFT"),
    x("ZMPOP", 2, "y", "MIN"),
    x("ZMPOP", 5, "y"),
    x("ZMPOP", "x", "y", "MIN"),
    x("SET", "str", "v"),
    x("ZMPOP", 2, "str", "y", "MIN"),
    x("ZADD", "y", 1, "x"),
    x("ZMPOP", 2, "y", "str", "MIN"),
    x("BZPOPMIN", "str", 0),
    x("BZPOPMIN", "nosuch", "x"),
    x("BZPOPMIN", "nosuch", -1),
    x("ZADD", "y", 1, "x", 2, "w"),
    x("BZPOPMIN", "nosuch", "y", 0),
    x("BZPOPMAX", "y", 0.5),
    x("ZADD", "y", 1, "x", 2, "w"),
    x("BZMPOP", 0, 2, "nosuch", "y", "MIN", "COUNT", 3),
    x("BZMPOP", 0, 0, "y", "MIN"),
    x("BZMPOP", -1, 1, "y", "MIN"),
    x("MULTI"),
    x("BZPOPMIN", "nosuch", 0),
    x("BZMPOP", 0, 1, "nosuch", "MAX"),
    x("EXEC"),
    x("ZADD", "r", 1, "a", 2, "b", 3, "c"),
    s("ZRANDMEMBER", "r"),
    s("ZRANDMEMBER", "r", 2),
    s("ZRANDMEMBER", "r", 2, "WITHSCORES"),
    s("ZRANDMEMBER", "r", -5, "WITHSCORES"),
    s("ZRANDMEMBER", "r", 1, "WITHSCORES"),
    x("ZRANDMEMBER", "r", 5, "WITHSCORES"),
    x("ZRANDMEMBER", "r", 3),
    x("ZRANDMEMBER", "r", 0),
    x("ZRANDMEMBER", "nosuch"),
    x("ZRANDMEMBER", "nosuch", 3),
    x("ZRANDMEMBER", "r", "x"),
    x("ZRANDMEMBER", "r", 1, "FOO"),
    x("ZRANDMEMBER", "r", 1, "WITHSCORES", "x"),
    x("ZRANDMEMBER", "r", "-9223372036854775807", "WITHSCORES"),
    x("ZSCAN", "r", 0),
    x("ZSCAN", "r", 0, "MATCH", "[ab]"),
    x("ZSCAN", "r", 0, "COUNT", 0),
    x("ZSCAN", "nosuch", 0),
    x("ZSCAN", "r", "abc"),
    // ZUNION / ZINTER / ZDIFF with sets as inputs, weights and aggregates.
    x("DEL", "a", "b", "c"),
    x("ZADD", "a", 1, "x", 2, "y", 3, "z"),
    x("ZADD", "b", 10, "y", 20, "z", 30, "w"),
    x("SADD", "c", "z", "w", "v"),
    x("ZUNION", 3, "a", "b", "c", "WITHSCORES"),
    x("ZUNION", 3, "a", "b", "c", "WEIGHTS", 1, 2, 3, "WITHSCORES"),
    x("ZUNION", 2, "a", "b", "AGGREGATE", "MIN", "WITHSCORES"),
    x("ZUNION", 2, "a", "b", "AGGREGATE", "MAX", "WITHSCORES"),
    x("ZUNION", 2, "a", "b", "WEIGHTS", "inf", "-inf", "WITHSCORES"),
    x("ZUNION", 2, "a", "b", "WEIGHTS", 0, "inf", "WITHSCORES"),
    x("ZINTER", 2, "a", "b", "WITHSCORES"),
    x("ZINTER", 3, "a", "b", "c", "WITHSCORES", "AGGREGATE", "MAX"),
    x("ZINTER", 2, "a", "a", "WEIGHTS", 2, 3, "WITHSCORES"),
    x("ZINTER", 2, "a", "nosuch"),
    x("ZDIFF", 2, "a", "b", "WITHSCORES"),
    x("ZDIFF", 2, "b", "c"),
    x("ZDIFF", 1, "nosuch"),
    x("ZDIFF", 2, "a", "a"),
    x("ZINTERCARD", 2, "a", "b"),
    x("ZINTERCARD", 2, "a", "b", "LIMIT", 1),
    x("ZINTERCARD", 2, "a", "b", "LIMIT", -1),
    x("ZINTERCARD", 0, "a"),
    x("ZINTERCARD", 2, "a", "b", "WITHSCORES"),
    x("ZUNION", 0, "a"),
    x("ZUNION", -1, "a"),
    x("ZUNION", "x", "a"),
    x("ZUNION", 3, "a", "b"),
    x("ZUNION", 2, "a", "b", "WEIGHTS", 1),
    x("ZUNION", 2, "a", "b", "WEIGHTS", 1, "x"),
    x("ZUNION", 2, "a", "b", "AGGREGATE", "AVG"),
    x("ZUNION", 2, "a", "b", "AGGREGATE"),
    x("ZDIFF", 2, "a", "b", "WEIGHTS", 1, 2),
    x("ZUNIONSTORE", "d", 2, "a", "b", "WITHSCORES"),
    x("ZUNIONSTORE", "d", 3, "a", "b", "c", "WEIGHTS", 1, 1, 0.5),
    x("ZRANGE", "d", 0, -1, "WITHSCORES"),
    x("OBJECT", "ENCODING", "d"),
    x("ZINTERSTORE", "d", 2, "a", "b"),
    x("ZRANGE", "d", 0, -1, "WITHSCORES"),
    x("ZDIFFSTORE", "d", 2, "a", "b"),
    x("ZRANGE", "d", 0, -1, "WITHSCORES"),
    x("ZINTERSTORE", "d", 2, "a", "nosuch"),
    x("EXISTS", "d"),
    x("ZUNIONSTORE", "a", 2, "a", "b"),
    x("ZRANGE", "a", 0, -1, "WITHSCORES"),
    x("ZUNIONSTORE", "d", 2, "str", "a"),
    x("ZINTERSTORE", "d", 1),
  ]);
});

Deno.test("sorted set encodings: listpack thresholds, conversions, STORE results", async () => {
  const long = "x".repeat(10);
  await bothProtocols([
    x("CONFIG", "SET", "zset-max-listpack-entries", "4"),
    x("CONFIG", "SET", "zset-max-listpack-value", "8"),
    x("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d"),
    x("OBJECT", "ENCODING", "z"),
    x("ZADD", "z", 5, "e"),
    x("OBJECT", "ENCODING", "z"),
    x("ZREMRANGEBYRANK", "z", 0, 2),
    x("OBJECT", "ENCODING", "z"),
    x("ZADD", "y", 1, long),
    x("OBJECT", "ENCODING", "y"),
    x("ZADD", "w", 1, "a"),
    x("ZADD", "w", 1, long),
    x("OBJECT", "ENCODING", "w"),
    x("ZREM", "w", long),
    x("OBJECT", "ENCODING", "w"),
    x("ZUNIONSTORE", "u", 1, "z"),
    x("OBJECT", "ENCODING", "u"),
    x("ZUNIONSTORE", "u", 1, "y"),
    x("OBJECT", "ENCODING", "u"),
    x("ZADD", "big", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e", 6, "f"),
    x("ZRANGESTORE", "r", "big", 0, 3),
    x("OBJECT", "ENCODING", "r"),
    x("ZRANGESTORE", "r", "big", 0, 4),
    x("OBJECT", "ENCODING", "r"),
    x("ZRANGESTORE", "r", "big", 1, 4, "BYSCORE"),
    x("OBJECT", "ENCODING", "r"),
    x("ZRANGESTORE", "r", "big", 1, 5, "BYSCORE"),
    x("OBJECT", "ENCODING", "r"),
    x("ZINTERSTORE", "i", 2, "big", "z"),
    x("OBJECT", "ENCODING", "i"),
    x("SADD", "s", 1, 2, 3),
    x("ZUNIONSTORE", "i", 1, "s"),
    x("OBJECT", "ENCODING", "i"),
    x("ZADD", "p", 1, "a", 2, "b"),
    x("SORT", "p"),
    x("OBJECT", "ENCODING", "p"),
    // COPY keeps the encoding the source has, history included.
    x("COPY", "z", "zc"),
    x("OBJECT", "ENCODING", "zc"),
    x("ZRANGE", "zc", 0, -1, "WITHSCORES"),
    x("COPY", "w", "wc"),
    x("OBJECT", "ENCODING", "wc"),
    x("CONFIG", "SET", "set-max-intset-entries", "4"),
    x("SADD", "hs", 1, 2, 3, 4, 5),
    x("SREM", "hs", 1, 2, 3),
    x("COPY", "hs", "hsc"),
    x("OBJECT", "ENCODING", "hsc"),
    x("CONFIG", "SET", "zset-max-listpack-entries", "0"),
    x("ZADD", "e", 1, "a"),
    x("OBJECT", "ENCODING", "e"),
    x("ZSCAN", "e", 0),
    x("DEBUG", "HTSTATS-KEY", "p", "x"),
    x("DEBUG", "HTSTATS-KEY", "y"),
  ]);
});

Deno.test("ZRANGESTORE keeps -0 only for members added after its result became a skip list", async () => {
  const long = "m".repeat(11);
  const stored = (...args: (string | number)[]) => [
    x("ZRANGESTORE", "r", "neg", ...args),
    x("ZRANGE", "r", 0, -1, "WITHSCORES"),
    x("OBJECT", "ENCODING", "r"),
  ];
  await bothProtocols([
    x("CONFIG", "SET", "zset-max-listpack-entries", "4"),
    x("CONFIG", "SET", "zset-max-listpack-value", "10"),
    x("ZADD", "src", 0, "a", 0, "b", 0, "d", 0, "e", 0, "f", 1, "c", 2, long),
    // Weight -1 turns each 0 into -0; the long member keeps the result a skip list.
    x("ZUNIONSTORE", "neg", 1, "src", "WEIGHTS", -1),
    x("ZRANGE", "neg", 0, -1, "WITHSCORES"),
    ...stored(0, -1), // too long for a listpack from the start
    ...stored(0, 3, "REV"), // a listpack throughout
    ...stored(0, 4, "REV"), // too long from the start again
    ...stored("+inf", "-inf", "BYSCORE", "REV"), // a listpack until the fifth member
    ...stored("-inf", "+inf", "BYSCORE"), // the long member comes first
    ...stored("-inf", "+inf", "BYSCORE", "LIMIT", 1, 3),
  ]);
});

Deno.test("SORT and SORT_RO over lists, sets and sorted sets", async () => {
  await bothProtocols([
    x("RPUSH", "l", 3, 1, 2, 10, "1.5", "-2"),
    x("SORT", "l"),
    x("SORT", "l", "DESC"),
    x("SORT", "l", "ALPHA"),
    x("SORT", "l", "ALPHA", "DESC"),
    x("SORT", "l", "LIMIT", 1, 2),
    x("SORT", "l", "LIMIT", -5, 2),
    x("SORT", "l", "LIMIT", 2, -1),
    x("SORT", "l", "LIMIT", 10, 2),
    x("SORT", "l", "LIMIT", 0, 0),
    x("SORT", "l", "LIMIT", 0),
    x("SORT", "l", "LIMIT", "x", 1),
    x("SORT", "l", "BY", "nosort"),
    x("SORT", "l", "BY", "nosort", "DESC", "LIMIT", 1, 3),
    x("MSET", "w_3", 30, "w_1", 10, "w_2", 20, "w_10", 5, "w_1.5", 1, "w_-2", "x"),
    x("SORT", "l", "BY", "w_*"),
    x("DEL", "w_-2"),
    x("SORT", "l", "BY", "w_*"),
    x("SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "nokey"),
    x("SORT", "l", "BY", "w_*", "ALPHA"),
    x("HSET", "h_1", "f", "b"),
    x("HSET", "h_2", "f", "a"),
    x("SORT", "l", "BY", "h_*->f", "ALPHA", "GET", "h_*->f", "GET", "#"),
    x("SORT", "l", "BY", "h_*->", "GET", "h_*->"),
    x("SORT", "l", "GET", "h_*->g"),
    x("SORT", "l", "STORE", "dst"),
    x("LRANGE", "dst", 0, -1),
    x("SORT", "l", "GET", "w_*", "STORE", "dst"),
    x("LRANGE", "dst", 0, -1),
    x("SORT", "l", "LIMIT", 0, 0, "STORE", "dst"),
    x("EXISTS", "dst"),
    x("SORT_RO", "l", "DESC"),
    x("SORT_RO", "l", "STORE", "dst"),
    x("SORT", "nosuch"),
    x("SORT", "nosuch", "STORE", "dst"),
    x("SET", "str", "v"),
    x("SORT", "str"),
    x("SORT", "l", "FOO"),
    x("RPUSH", "bad", 1, "x", 2),
    x("SORT", "bad"),
    x("SORT", "bad", "ALPHA"),
    x("SORT", "bad", "STORE", "dst"),
    x("RPUSH", "odd", "", " 5", "0x10", "1e3", "inf", "-inf"),
    x("SORT", "odd"),
    x("RPUSH", "nan", "nan"),
    x("SORT", "nan"),
    x("SADD", "s", 5, 3, 9, 1),
    x("SORT", "s"),
    x("SORT", "s", "DESC", "LIMIT", 0, 2),
    x("SORT", "s", "BY", "nosort", "STORE", "dst"),
    x("LRANGE", "dst", 0, -1),
    u("SORT", "s", "BY", "nosort"),
    x("SADD", "sa", "b", "c", "a"),
    x("SORT", "sa", "ALPHA"),
    x("SORT", "sa"),
    x("ZADD", "z", 3, "a", 1, "b", 2, "c", 1, "10"),
    x("SORT", "z", "ALPHA"),
    x("SORT", "z", "BY", "nosort"),
    x("SORT", "z", "BY", "nosort", "DESC"),
    x("SORT", "z", "BY", "nosort", "LIMIT", 1, 2),
    x("SORT", "z", "BY", "nosort", "DESC", "LIMIT", 1, 10),
    x("SORT", "z", "BY", "nosort", "GET", "#", "GET", "w_*"),
    x("ZADD", "zn", 3, "30", 1, "10", 2, "20"),
    x("SORT", "zn"),
    x("SORT", "zn", "BY", "w_*"),
  ]);
});

/** Random sequences: members and scores from small pools so that commands collide. */
function randomSteps(seed: number, count: number): DiffStep[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (n: number) => Math.floor(rand() * n);
  const keys = ["s1", "s2", "z1", "z2", "z3"];
  const member = () =>
    rand() < 0.5
      ? String(int(40) - 5)
      : pick(["a", "b", "c", "d", "e", "ab", "", BINARY, "long-member-name-" + int(5)]);
  const score = () => pick(["0", "1", "-1", "2.5", String(int(20)), "inf", "-inf", "-0", "1e-300"]);
  const bound = () => pick(["-inf", "+inf", "0", "(0", "1", "(2.5", "10", "(10", "-1"]);
  const lex = () => pick(["-", "+", "[a", "(a", "[b", "(c", "[ab", "[", "(d"]);
  const steps: DiffStep[] = [
    x("CONFIG", "SET", "set-max-intset-entries", "8"),
    x("CONFIG", "SET", "zset-max-listpack-entries", "6"),
    x("CONFIG", "SET", "zset-max-listpack-value", "10"),
  ];
  const some = <T>(n: number, f: () => T): T[] => Array.from({ length: 1 + int(n) }, f);
  const gens: (() => DiffStep)[] = [
    () => x("SADD", pick(keys), ...some(4, member)),
    () => x("SREM", pick(keys), ...some(3, member)),
    () => x("SISMEMBER", pick(keys), member()),
    () => x("SMISMEMBER", pick(keys), member(), member()),
    () => x("SCARD", pick(keys)),
    () => u("SMEMBERS", pick(keys)),
    () => x("SMOVE", pick(keys), pick(keys), member()),
    () => u("SINTER", pick(keys), pick(keys)),
    () => u("SUNION", pick(keys), pick(keys)),
    () => u("SDIFF", pick(keys), pick(keys)),
    () => x("SINTERCARD", 2, pick(keys), pick(keys)),
    () => x(pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), pick(keys), pick(keys), pick(keys)),
    () => s("SRANDMEMBER", pick(keys), int(10) - 5),
    // Random pops would make the servers' contents diverge: only whole-set pops here.
    () => u("SPOP", pick(keys), 1000),
    () => x("OBJECT", "ENCODING", pick(keys)),
    () => x("ZADD", pick(keys), ...some(3, () => [score(), member()]).flat()),
    () => x("ZADD", pick(keys), pick(["NX", "XX", "GT", "LT", "CH"]), score(), member()),
    () => x("ZINCRBY", pick(keys), score(), member()),
    () => x("ZREM", pick(keys), ...some(3, member)),
    () => x("ZSCORE", pick(keys), member()),
    () => x("ZRANK", pick(keys), member()),
    () => x("ZREVRANK", pick(keys), member()),
    () => x("ZCARD", pick(keys)),
    () => x("ZRANGE", pick(keys), int(8) - 4, int(8) - 2, "WITHSCORES"),
    () => x("ZRANGEBYSCORE", pick(keys), bound(), bound(), "WITHSCORES"),
    () => x("ZREVRANGEBYSCORE", pick(keys), bound(), bound(), "LIMIT", int(3), int(4) - 1),
    () => x("ZCOUNT", pick(keys), bound(), bound()),
    () => x("ZREMRANGEBYSCORE", pick(keys), bound(), bound()),
    () => x("ZREMRANGEBYRANK", pick(keys), int(4) - 2, int(4)),
    () => x("ZPOPMIN", pick(keys), int(3)),
    () => x("ZPOPMAX", pick(keys)),
    () => x("ZMPOP", 2, pick(keys), pick(keys), pick(["MIN", "MAX"]), "COUNT", 1 + int(3)),
    () => x("ZUNIONSTORE", pick(keys), 2, pick(keys), pick(keys), "WEIGHTS", score(), score()),
    () =>
      x("ZINTERSTORE", pick(keys), 2, pick(keys), pick(keys), "AGGREGATE", pick(["MIN", "MAX"])),
    () => x("ZDIFFSTORE", pick(keys), 2, pick(keys), pick(keys)),
    () => x("ZUNION", 2, pick(keys), pick(keys), "WITHSCORES"),
    () => x("ZINTER", 2, pick(keys), pick(keys), "WITHSCORES"),
    () => x("ZINTERCARD", 2, pick(keys), pick(keys)),
    () => x("ZRANGESTORE", pick(keys), pick(keys), 0, int(10)),
    () => s("ZRANDMEMBER", pick(keys), int(6) - 3, "WITHSCORES"),
    // Lexicographic commands on a sorted set whose scores are all equal.
    () => x("ZADD", "lex", 0, member(), 0, member()),
    () => x("ZRANGEBYLEX", "lex", lex(), lex()),
    () => x("ZREVRANGEBYLEX", "lex", lex(), lex(), "LIMIT", int(2), 1 + int(3)),
    () => x("ZLEXCOUNT", "lex", lex(), lex()),
    () => x("ZREMRANGEBYLEX", "lex", lex(), lex()),
    () => x("OBJECT", "ENCODING", "lex"),
  ];
  for (let i = 0; i < count; i++) steps.push(pick(gens)());
  for (const k of [...keys, "lex"]) steps.push(x("TYPE", k), x("OBJECT", "ENCODING", k));
  return steps;
}

Deno.test("seeded random sequences match redis-server, encodings included", async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const mismatches = await diffAgainstRedis(randomSteps(seed, 1500));
    if (mismatches === null) return;
    equal(mismatches.length, 0, `seed ${seed}:\n${describeMismatches(mismatches)}`);
  }
});

Deno.test("seeded random sequences in RESP3 match redis-server", async () => {
  for (const seed of [11, 12]) {
    const mismatches = await diffAgainstRedis([s("HELLO", 3), ...randomSteps(seed, 1500)]);
    if (mismatches === null) return;
    equal(mismatches.length, 0, `seed ${seed}:\n${describeMismatches(mismatches)}`);
  }
});

Deno.test("default thresholds: sets past 512 integers, sorted sets past 128 members", async () => {
  const rand = seededRandom(21);
  const steps: DiffStep[] = [];
  for (let i = 0; i < 600; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) => i + j);
    steps.push(x("SADD", "s", ...batch), x("OBJECT", "ENCODING", "s"), x("SCARD", "s"));
    steps.push(
      x("ZADD", "z", ...batch.flatMap((n) => [Math.floor(rand() * 100), `m${n}`])),
      x("OBJECT", "ENCODING", "z"),
      x("ZRANGE", "z", 0, -1, "WITHSCORES"),
      x("ZRANGEBYSCORE", "z", 10, "(60", "LIMIT", 5, 20),
      x("ZRANK", "z", `m${i}`),
      x("ZREVRANK", "z", `m${i + 7}`),
      x("ZCOUNT", "z", "(20", 70),
    );
  }
  steps.push(
    x("SINTERSTORE", "t", "s", "s"),
    x("OBJECT", "ENCODING", "t"),
    x("SREM", "s", ...Array.from({ length: 200 }, (_, i) => i)),
    x("OBJECT", "ENCODING", "s"),
    x("SDIFFSTORE", "t", "s", "nosuch"),
    x("OBJECT", "ENCODING", "t"),
    x("ZREMRANGEBYRANK", "z", 0, 499),
    x("OBJECT", "ENCODING", "z"),
    x("ZRANGESTORE", "y", "z", 0, -1),
    x("OBJECT", "ENCODING", "y"),
    x("ZRANGE", "y", 0, -1, "WITHSCORES"),
  );
  const mismatches = await diffAgainstRedis(steps);
  if (mismatches === null) return;
  equal(mismatches.length, 0, describeMismatches(mismatches));
});

/** Scans `key` to the end with `command` (SSCAN or ZSCAN), calling `between` after each step. */
async function scanAll(
  client: RespClient,
  command: string,
  key: string,
  extra: (string | number)[],
  between: () => Promise<void> = async () => {},
): Promise<string[]> {
  const seen: string[] = [];
  let cursor = "0";
  do {
    const reply = await client.send(command, key, cursor, ...extra);
    if (reply.type !== "array") throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    const [next, items] = reply.value;
    cursor = (next as { value: string }).value;
    const values = (items as { value: Reply[] }).value.map((r) => (r as { value: string }).value);
    const step = command === "ZSCAN" ? 2 : 1;
    for (let i = 0; i < values.length; i += step) seen.push(values[i]);
    await between();
  } while (cursor !== "0");
  return seen;
}

Deno.test("SSCAN and ZSCAN return every member that stays, while the collection changes", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  const stable = Array.from({ length: 400 }, (_, i) => `m${i}`);
  for (const client of [await cairn.client(), await redis.client()]) {
    await client.send("SADD", "s", ...stable);
    await client.send("ZADD", "z", ...stable.flatMap((m, i) => [i % 13, m]));
    for (const [command, key] of [["SSCAN", "s"], ["ZSCAN", "z"]]) {
      let round = 0;
      const seen = await scanAll(client, command, key, ["COUNT", 7], async () => {
        // Churn: add and remove members that are not part of the stable group
        // (fewer than COUNT per step, or Cairn's live iterators would never end).
        round++;
        if (command === "SSCAN") {
          await client.send("SADD", key, ...Array.from({ length: 3 }, (_, i) => `t${round}-${i}`));
          await client.send(
            "SREM",
            key,
            ...Array.from({ length: 3 }, (_, i) => `t${round - 1}-${i}`),
          );
        } else {
          await client.send(
            "ZADD",
            key,
            ...Array.from({ length: 3 }, (_, i) => [i, `t${round}-${i}`]).flat(),
          );
          await client.send(
            "ZREM",
            key,
            ...Array.from({ length: 3 }, (_, i) => `t${round - 1}-${i}`),
          );
        }
      });
      const missing = stable.filter((m) => !seen.includes(m));
      deepEqual(missing, [], `${command} missed members`);
    }
    // MATCH filters members; a full scan of an unchanged set finds exactly the matches.
    const matched = await scanAll(client, "SSCAN", "s", ["MATCH", "m1?", "COUNT", 5]);
    deepEqual([...new Set(matched)].sort(), stable.filter((m) => /^m1.$/.test(m)).sort());
    const zmatched = await scanAll(client, "ZSCAN", "z", ["MATCH", "*9", "COUNT", 50]);
    deepEqual([...new Set(zmatched)].sort(), stable.filter((m) => m.endsWith("9")).sort());
  }
});

Deno.test("DEBUG HTSTATS-KEY reports in the layout of Redis's dictGetStats", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const reports: string[][] = [];
  for (const client of [await cairn.client(), await redis.client()]) {
    await client.send("SADD", "s", ...Array.from({ length: 100 }, (_, i) => `m${i}`));
    await client.send("ZADD", "z", ...Array.from({ length: 200 }, (_, i) => [i, `m${i}`]).flat());
    // Lookups finish Redis's incremental rehashing, so one table is reported.
    await client.pipeline(Array.from({ length: 300 }, (_, i) => ["SISMEMBER", "s", `m${i}`]));
    await client.pipeline(Array.from({ length: 300 }, (_, i) => ["ZSCORE", "z", `m${i}`]));
    for (const key of ["s", "z"]) {
      const reply = await client.send("DEBUG", "HTSTATS-KEY", key);
      if (reply.type !== "bulk") throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
      reports.push(reply.value.split("\n"));
    }
  }
  const layout = [
    /^Hash table 0 stats \(main hash table\):$/,
    /^ table size: \d+$/,
    /^ number of elements: \d+$/,
    /^ different slots: \d+$/,
    /^ max chain length: \d+$/,
    /^ avg chain length \(counted\): \d+\.\d\d$/,
    /^ avg chain length \(computed\): \d+\.\d\d$/,
    /^ Chain length distribution:$/,
  ];
  for (const lines of reports) {
    layout.forEach((re, i) => equal(re.test(lines[i]), true, `line ${i}: ${lines[i]}`));
    for (const line of lines.slice(layout.length, -1)) {
      equal(/^ {3}\d+: \d+ \(\d+\.\d\d%\)$/.test(line), true, line);
    }
  }
  // Table size and element count are Redis's own numbers.
  deepEqual(reports[0].slice(0, 3), reports[2].slice(0, 3));
  deepEqual(reports[1].slice(0, 3), reports[3].slice(0, 3));
});

Deno.test("intset width never shrinks: DEBUG OBJECT serializedlength agrees with Redis", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const lengths: string[][] = [];
  for (const client of [await cairn.client(), await redis.client()]) {
    const seen: string[] = [];
    const probe = async (key: string) => {
      const reply = await client.send("DEBUG", "OBJECT", key);
      const text = reply.type === "simple" ? reply.value : JSON.stringify(reply);
      seen.push(`${key} ${/encoding:\S+ serializedlength:\d+/.exec(text)?.[0]}`);
    };
    await client.send("SADD", "s", 1, 2, 3);
    await probe("s");
    await client.send("SADD", "s", 100000);
    await probe("s");
    await client.send("SREM", "s", 100000);
    await probe("s");
    await client.send("SADD", "s", "-9223372036854775808");
    await client.send("SREM", "s", "-9223372036854775808");
    await probe("s");
    await client.send("SUNIONSTORE", "t", "s");
    await probe("t");
    await client.send("ZADD", "z", 1, "a", 2.5, "b", "-0", "c", "1e100", "d");
    await probe("z");
    lengths.push(seen);
  }
  deepEqual(lengths[0], lengths[1]);
});
