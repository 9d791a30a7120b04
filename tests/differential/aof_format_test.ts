/**
 * AOF records against redis-server 7.0.15: the same commands go to Cairn
 * (single-file AOF) and to Redis (appendonly yes), then the records of
 * Cairn's file are compared with those of Redis's INCR file, one by one —
 * every write command of the core, with its rewritten replay form (SET EX
 * → SET PXAT, EXPIRE → PEXPIREAT, GETDEL → DEL, blocking pops → pops),
 * SELECTs, MULTI/EXEC units (SELECT before MULTI, as 7.0 writes them) and
 * lazily expired keys. Absolute times computed from each server's clock
 * are normalized. Then Cairn restarts from its file and its DEBUG DIGEST
 * must equal Redis's.
 */

import { deepEqual, equal } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";
import { parseAofRecords } from "./aof_records.ts";

/** Unix seconds in 2100: absolute expiries that both servers write identically. */
const FAR = 4102444800;

/** Commands by family; every relative TTL is removed again before the digests are compared. */
const SEQUENCE: (string | number)[][] = [
  // strings
  ["SET", "s", "v"],
  ["set", "s2", "v2", "EX", 100],
  ["SET", "s3", "v3", "PX", 100000, "NX"],
  ["SET", "s3", "v4", "XX", "GET"],
  ["SET", "s4", "v", "EXAT", FAR],
  ["SET", "s4", "w", "KEEPTTL"],
  ["SETEX", "s5", 100, "x"],
  ["PSETEX", "s6", 100000, "y"],
  ["SETNX", "s7", "z"],
  ["SETNX", "s7", "zz"],
  ["MSET", "m1", "1", "m2", "2"],
  ["MSETNX", "m3", "3", "m1", "x"],
  ["APPEND", "s", "-more"],
  ["INCR", "n"],
  ["INCRBY", "n", 10],
  ["DECR", "n"],
  ["DECRBY", "n", 3],
  ["INCRBYFLOAT", "f", "1.5"],
  ["INCRBYFLOAT", "f", "0.1"],
  ["GETSET", "s", "new"],
  ["GETDEL", "m3"],
  ["GETEX", "m1", "EX", 100],
  ["GETEX", "m1", "PERSIST"],
  ["GETEX", "m2", "EXAT", FAR],
  ["SETRANGE", "s", 1, "XY"],
  // keys
  ["EXPIRE", "s", 100],
  ["PEXPIRE", "s", 100000, "XX"],
  ["EXPIREAT", "m2", FAR + 10, "GT"],
  ["PEXPIREAT", "m2", FAR * 1000, "LT"],
  ["PERSIST", "s"],
  ["PERSIST", "s"],
  ["EXPIRE", "gone", 100],
  ["SET", "past", "1"],
  ["EXPIREAT", "past", 1000],
  ["RENAME", "s7", "s8"],
  ["RENAMENX", "s8", "s"],
  ["COPY", "s8", "s9"],
  ["MOVE", "s9", 3],
  ["DEL", "s8", "nothing"],
  ["UNLINK", "n"],
  ["SELECT", 3],
  ["SET", "in3", "x"],
  ["SWAPDB", 3, 4],
  ["SELECT", 0],
  // lists
  ["RPUSH", "l", "a", "b", "c", "d", "e"],
  ["LPUSH", "l", "z"],
  ["LPUSHX", "l", "y"],
  ["RPUSHX", "nolist", "x"],
  ["LINSERT", "l", "BEFORE", "c", "bc"],
  ["LSET", "l", 0, "Y"],
  ["LREM", "l", 1, "bc"],
  ["LTRIM", "l", 0, 5],
  ["LPOP", "l"],
  ["RPOP", "l", 2],
  ["RPOPLPUSH", "l", "l2"],
  ["LMOVE", "l", "l2", "LEFT", "RIGHT"],
  ["LMPOP", 2, "nolist", "l2", "LEFT", "COUNT", 5],
  ["RPUSH", "q", "1", "2", "3"],
  ["BLPOP", "q", 0],
  ["BLMOVE", "q", "q2", "RIGHT", "LEFT", 0],
  ["BLMPOP", 0, 1, "q", "RIGHT", "COUNT", 10],
  // hashes
  ["HSET", "h", "a", "1", "b", "2"],
  ["HSETNX", "h", "c", "3"],
  ["HMSET", "h", "d", "4"],
  ["HDEL", "h", "a", "zz"],
  ["HINCRBY", "h", "b", 5],
  ["HINCRBYFLOAT", "h", "c", "0.25"],
  // sets
  ["SADD", "st", "a", "b", "c"],
  ["SADD", "st2", "c", "d"],
  ["SREM", "st", "a"],
  ["SMOVE", "st", "st2", "b"],
  ["SINTERSTORE", "si", "st", "st2"],
  ["SUNIONSTORE", "su", "st", "st2"],
  ["SDIFFSTORE", "sd", "st2", "st"],
  ["SPOP", "sd", 10],
  // sorted sets
  ["ZADD", "z", 1, "a", 2.5, "b", "-inf", "c"],
  ["ZADD", "z", "XX", "CH", "INCR", 1, "a"],
  ["ZINCRBY", "z", "0.1", "b"],
  ["ZREM", "z", "c"],
  ["ZADD", "z2", 1, "x", 2, "y", 3, "w"],
  ["ZUNIONSTORE", "zu", 2, "z", "z2", "WEIGHTS", 2, 1],
  ["ZINTERSTORE", "zi", 2, "z", "zu"],
  ["ZDIFFSTORE", "zd", 2, "zu", "z"],
  ["ZRANGESTORE", "zr", "zu", 0, 1],
  ["ZREMRANGEBYSCORE", "zu", "-inf", 1],
  ["ZREMRANGEBYRANK", "zu", 0, 0],
  ["ZADD", "zl", 0, "a", 0, "b", 0, "c"],
  ["ZREMRANGEBYLEX", "zl", "[b", "[c"],
  ["ZPOPMIN", "zu"],
  ["ZPOPMAX", "z2", 2],
  ["BZPOPMIN", "z", 0],
  ["ZMPOP", 1, "zd", "MAX", "COUNT", 3],
  ["SORT", "l2", "ALPHA", "STORE", "sorted"],
  // transactions: one write is written bare; several are wrapped; SELECT before MULTI
  ["MULTI"],
  ["SET", "t1", "1"],
  ["EXEC"],
  ["MULTI"],
  ["SET", "t2", "2"],
  ["SELECT", 5],
  ["INCR", "t3"],
  ["GET", "t3"],
  ["EXEC"],
  ["MULTI"],
  ["INCR", "t3"],
  ["SELECT", 0],
  ["SET", "t4", "4"],
  ["EXEC"],
  ["SELECT", 0],
  ["FLUSHDB"],
  ["SELECT", 6],
  ["SET", "kept", "1"],
  ["SELECT", 0],
  ["SET", "after-flush", "1"],
];

/** A key that expires, then is read (lazy expiry: DEL) and written (MULTI DEL SET EXEC). */
const LAZY_EXPIRY: (string | number)[][] = [
  ["SET", "lazy1", "x", "PX", 1],
  ["SET", "lazy2", "x", "PX", 1],
];
const AFTER_EXPIRY: (string | number)[][] = [
  ["GET", "lazy1"],
  ["SET", "lazy2", "y"],
];

async function runAll(client: RespClient, commands: (string | number)[][]) {
  for (const args of commands) await client.send(...args);
}

/** Both servers' clocks produce these (ms) for relative TTLs: they cannot match exactly. */
function normalizeTimes(records: string[][], now: number): string[][] {
  return records.map((argv) =>
    argv.map((a) => /^\d{13}$/.test(a) && Math.abs(Number(a) - now) < 3_600_000 ? "<now+ttl>" : a)
  );
}

Deno.test("Cairn writes the AOF records redis-server 7.0 writes, and replays to the same data", async () => {
  if (!requireRedis()) return;
  const dir = await Deno.makeTempDir({ prefix: "cairn-aof-diff-" });
  try {
    const config = { appendonly: "yes", appendfsync: "always", "enable-debug-command": "yes" };
    await using redis = await startRedis(config);
    let cairnDigest: unknown;
    let cairnText: string;
    {
      await using cairn = await startTestServer(
        { ...config, appendonly: true, "aof-multi-part": false },
        { dir },
      );
      const a = await cairn.client();
      const b = await redis.client();
      for (const c of [a, b]) await c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      await Promise.all([runAll(a, SEQUENCE), runAll(b, SEQUENCE)]);
      await Promise.all([runAll(a, LAZY_EXPIRY), runAll(b, LAZY_EXPIRY)]);
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([runAll(a, AFTER_EXPIRY), runAll(b, AFTER_EXPIRY)]);
      // A blocked client served by another client's push.
      const [a2, b2] = [await cairn.client(), await redis.client()];
      const blocked = [a2.send("BRPOP", "wait", 0), b2.send("BRPOP", "wait", 0)];
      await new Promise((r) => setTimeout(r, 50));
      await Promise.all([a.send("LPUSH", "wait", "x", "y"), b.send("LPUSH", "wait", "x", "y")]);
      await Promise.all(blocked);
      // Relative TTLs would make the digests differ: remove them (also recorded).
      for (const c of [a, b]) {
        for (const key of ["s2", "s3", "s5", "s6"]) await c.call("PERSIST", key);
      }
      cairnDigest = await a.call("DEBUG", "DIGEST");
      equal(cairnDigest, await b.call("DEBUG", "DIGEST"), "same data before the restart");
      cairnText = await Deno.readTextFile(`${dir}/appendonly.aof`);
    }
    const redisText = await Deno.readTextFile(
      `${redis.dir}/appendonlydir/appendonly.aof.1.incr.aof`,
    );
    const now = Date.now();
    const mine = normalizeTimes(parseAofRecords(cairnText), now);
    const theirs = normalizeTimes(parseAofRecords(redisText), now);
    for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
      deepEqual(
        mine[i],
        theirs[i],
        `record ${i}: cairn ${JSON.stringify(mine[i])} redis ${JSON.stringify(theirs[i])} (after ${
          JSON.stringify(theirs[i - 1])
        })`,
      );
    }
    await using again = await startTestServer({
      appendonly: true,
      "aof-multi-part": false,
      "enable-debug-command": "yes",
    }, { dir });
    equal(
      await (await again.client()).call("DEBUG", "DIGEST"),
      cairnDigest,
      "same data after replay",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
