import { equal, notEqual } from "node:assert/strict";
import { datasetDigest, digestHex, valueDigest } from "./digest.ts";
import { Db, type KeyspaceHost } from "./keyspace/db.ts";
import type { Value } from "./values/value.ts";
import { requireRedis, startRedis } from "../tests/_helpers/servers.ts";
import { plain } from "../tests/_helpers/resp_client.ts";

// Stand-ins that honour only the value contracts of core/values, which is
// all the digest may use; they let these tests run whatever the state of the
// real collection classes.
function list(...items: string[]): Value {
  return {
    type: "list",
    length: items.length,
    [Symbol.iterator]: () => items.values(),
  } as unknown as Value;
}
function set(...members: string[]): Value {
  return {
    type: "set",
    size: members.length,
    [Symbol.iterator]: () => members.values(),
  } as unknown as Value;
}
function hash(...pairs: [string, string][]): Value {
  return { type: "hash", size: pairs.length, entries: () => pairs.values() } as unknown as Value;
}
function zset(...pairs: [string, number][]): Value {
  return { type: "zset", size: pairs.length, entries: () => pairs.values() } as unknown as Value;
}

const host: KeyspaceHost = {
  now: () => Date.now(),
  isLoading: () => false,
  keyExpired: () => {},
  stats: { keyspaceHits: 0, keyspaceMisses: 0 },
};

Deno.test("a missing value digests to zeros and an empty dataset too", () => {
  equal(digestHex(valueDigest(undefined, false)), "0".repeat(40));
  equal(digestHex(datasetDigest([new Db(0, host), new Db(1, host)])), "0".repeat(40));
});

Deno.test("set members and hash fields digest in any order; list elements do not", () => {
  equal(
    digestHex(valueDigest(set("a", "b", "c"), false)),
    digestHex(valueDigest(set("c", "a", "b"), false)),
  );
  equal(
    digestHex(valueDigest(hash(["f", "1"], ["g", "2"]), false)),
    digestHex(valueDigest(hash(["g", "2"], ["f", "1"]), false)),
  );
  notEqual(
    digestHex(valueDigest(list("a", "b"), false)),
    digestHex(valueDigest(list("b", "a"), false)),
  );
  notEqual(digestHex(valueDigest("v", false)), digestHex(valueDigest("v", true)));
  // A list of one element is not the string holding it: the type is mixed in.
  notEqual(digestHex(valueDigest(list("v"), false)), digestHex(valueDigest("v", false)));
});

Deno.test("digests equal redis-server's for every type, TTLs and several databases", async () => {
  if (!requireRedis()) return;
  await using redis = await startRedis();
  const r = await redis.client();
  const far = "4102444800000";
  const binary = String.fromCharCode(0, 200, 255, 10);
  const commands: string[][] = [
    ["SET", "str", "hello"],
    ["SET", "int", "-42"],
    ["SET", binary, binary, "PXAT", far],
    ["RPUSH", "list", "a", "1", "", binary, "b"],
    ["SADD", "intset", "3", "1", "-2", "100000"],
    ["SADD", "strset", "x", "y", "7"],
    ["HSET", "hash", "f1", "v1", "f2", "22", binary, ""],
    ["ZADD", "zset", "1.5", "a", "0.1", "b", "1e20", "c", "-inf", "d", "3", "e", "-0.0", "z"],
    ["PEXPIREAT", "zset", far],
    ["SELECT", "7"],
    ["SET", "str", "other db"],
  ];
  for (const cmd of commands) await r.send(...cmd);
  const db0 = new Db(0, host);
  const db7 = new Db(7, host);
  // Redis stores -0.0 as 0 in a listpack zset (a skiplist would keep -0).
  const values: [Db, string, Value][] = [
    [db0, "str", "hello"],
    [db0, "int", "-42"],
    [db0, binary, binary],
    [db0, "list", list("a", "1", "", binary, "b")],
    [db0, "intset", set("100000", "-2", "1", "3")],
    [db0, "strset", set("7", "y", "x")],
    [db0, "hash", hash(["f2", "22"], [binary, ""], ["f1", "v1"])],
    [db0, "zset", zset(["d", -Infinity], ["z", 0], ["b", 0.1], ["a", 1.5], ["e", 3], ["c", 1e20])],
    [db7, "str", "other db"],
  ];
  for (const [db, key, value] of values) db.table.set(key, value);
  db0.table.setExpire(binary, Number(far));
  db0.table.setExpire("zset", Number(far));

  await r.send("SELECT", "0");
  for (const [db, key, value] of values) {
    if (db !== db0) continue;
    const expected = plain(await r.send("DEBUG", "DIGEST-VALUE", key)) as string[];
    const hasExpire = db.table.getExpire(key) !== undefined;
    equal(
      digestHex(valueDigest(value, hasExpire)),
      expected[0],
      `DIGEST-VALUE ${JSON.stringify(key)}`,
    );
  }
  const dbs = Array.from({ length: 16 }, (_, i) => i === 0 ? db0 : i === 7 ? db7 : new Db(i, host));
  equal(digestHex(datasetDigest(dbs)), plain(await r.send("DEBUG", "DIGEST")));
});
