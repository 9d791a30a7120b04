/**
 * BGSAVE without fork is point-in-time: the file holds exactly the dataset
 * of the moment BGSAVE was accepted, whatever clients do while it is
 * written. Each test races writes against a running background save, then
 * loads the file into a real redis-server 7.0.15 and compares its contents
 * and DEBUG DIGEST with the image taken before BGSAVE; redis-check-rdb must
 * accept the file too.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";
import { fetchAll, type KeyContents } from "../../persistence/rdb/test_contents.ts";
import { info, nextBgsaveEnd, redisCheckRdb, run } from "./rdb_test_helpers.ts";
import { seededRandom } from "../_helpers/random.ts";

type Contents = Record<number, Record<string, KeyContents>>;

/** A dataset of every type over three databases, with TTLs an hour away. */
async function populate(c: RespClient, stringKeys: number): Promise<void> {
  const later = Date.now() + 3_600_000;
  // s:0 ... s:<n-1>, then values of other shapes (integers, compressible) on some.
  await c.call("DEBUG", "POPULATE", stringKeys, "s");
  const commands: (string | number)[][] = [["SELECT", 0]];
  for (let i = 0; i < stringKeys; i += 7) {
    commands.push(["SET", `s:${i}`, i % 2 === 0 ? String(i) : `value-${i}-`.repeat(1 + (i % 5))]);
  }
  for (let i = 0; i < stringKeys; i += 13) commands.push(["PEXPIREAT", `s:${i}`, later + i]);
  for (let i = 0; i < 40; i++) {
    const items = Array.from({ length: 5 + i * 7 }, (_, j) => `item-${j}`);
    commands.push(["RPUSH", `list:${i}`, ...items]);
    commands.push(["HSET", `hash:${i}`, ...items.flatMap((m, j) => [m, String(j)])]);
    commands.push(["SADD", `set:${i}`, ...items]);
    commands.push(["SADD", `intset:${i}`, ...items.map((_, j) => String(j * 3))]);
    commands.push(["ZADD", `zset:${i}`, ...items.flatMap((m, j) => [String(j / 4), m])]);
  }
  for (const db of [1, 2]) {
    commands.push(["SELECT", db]);
    for (let i = 0; i < 300; i++) commands.push(["SET", `d${db}:${i}`, `v${i}`]);
    commands.push(["RPUSH", `d${db}:list`, "a", "b", "c"]);
  }
  commands.push(["SELECT", 0]);
  await run(c, commands);
}

/** Random writes of every kind over the populated keys. */
function raceCommands(random: () => number, stringKeys: number, count: number) {
  const pick = (n: number) => Math.floor(random() * n);
  const commands: (string | number)[][] = [["SELECT", 0]];
  for (let i = 0; i < count; i++) {
    const s = `s:${pick(stringKeys)}`;
    const n = pick(40);
    switch (pick(14)) {
      case 0:
        commands.push(["SET", s, `overwritten-${i}`]);
        break;
      case 1:
        commands.push(["DEL", s]);
        break;
      case 2:
        commands.push(["SET", `new:${i}`, "fresh"]);
        break;
      case 3:
        commands.push(["PEXPIRE", s, 1]); // gone almost at once, lazily or actively
        break;
      case 4:
        commands.push(["EXPIRE", s, 100_000]);
        break;
      case 5:
        commands.push(["PERSIST", s]);
        break;
      case 6:
        commands.push(["LPUSH", `list:${n}`, "pushed"], ["RPOP", `list:${n}`]);
        break;
      case 7:
        commands.push(["HSET", `hash:${n}`, "item-0", "changed", "extra", "1"]);
        break;
      case 8:
        commands.push(["SREM", `set:${n}`, "item-1"], ["SADD", `intset:${n}`, "not-an-int"]);
        break;
      case 9:
        commands.push(["ZINCRBY", `zset:${n}`, 10, "item-2"], ["ZREM", `zset:${n}`, "item-0"]);
        break;
      case 10:
        commands.push(["RENAME", `hash:${n}`, `renamed:${i}`]);
        break;
      case 11:
        commands.push(["MOVE", s, 1]);
        break;
      case 12:
        commands.push(["APPEND", s, "+appended"]);
        break;
      default:
        commands.push(["INCR", `counter:${pick(10)}`]);
    }
  }
  return commands;
}

/**
 * Loads `file` into a fresh redis-server and returns its digest, its key
 * count per database and, when asked, every key's contents.
 */
async function loadIntoRedis(
  file: string,
  withContents: boolean,
): Promise<{ contents: Contents | null; digest: string; sizes: number[] }> {
  const dir = await Deno.makeTempDir({ prefix: "redis-load-" });
  await Deno.copyFile(file, `${dir}/dump.rdb`);
  await using redis = await startRedis({}, { dir });
  const c = await redis.client();
  for (let i = 0; (await info(c)).get("loading") !== "0"; i++) {
    if (i > 1000) throw new Error("redis-server did not finish loading");
    await new Promise((r) => setTimeout(r, 10));
  }
  const digest = await c.call("DEBUG", "DIGEST") as string;
  const sizes: number[] = [];
  for (const db of [0, 1, 2]) {
    await c.call("SELECT", db);
    sizes.push(await c.call("DBSIZE") as number);
  }
  await c.call("SELECT", 0);
  const contents = withContents ? await fetchAll(c) : null;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  return { contents, digest, sizes };
}

Deno.test("a slowed BGSAVE raced by every kind of write holds exactly the start image", async () => {
  if (!requireRedis()) return;
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  const stringKeys = 5000;
  await populate(c, stringKeys);
  const before = await fetchAll(c);
  const digest = await c.call("DEBUG", "DIGEST") as string;
  ok(t.server.core.dbs[0].table.shardCount > 2, "the walk must cross several shards");

  await c.call("CONFIG", "SET", "rdb-key-save-delay", "200"); // about a second in all
  const ended = nextBgsaveEnd(t.server);
  equal(await c.call("BGSAVE"), "Background saving started");
  const random = seededRandom(7);
  for (let round = 0; round < 5; round++) {
    await c.pipeline(raceCommands(random, stringKeys, 400));
  }
  await run(c, [
    ["SWAPDB", 0, 1],
    ["SET", "after-swap", "1"],
    ["SELECT", 2],
    ["FLUSHDB"],
    ["SET", "d2:0", "rewritten"],
    ["SELECT", 0],
  ]);
  await c.pipeline(raceCommands(random, stringKeys, 400));
  await run(c, [["FLUSHALL"], ["SET", "after-flushall", "1"], ["RPUSH", "list:0", "x"]]);
  equal((await info(c)).get("rdb_bgsave_in_progress"), "1", "the writes must race the save");
  equal(await ended, "ok");

  const loaded = await loadIntoRedis(`${t.dir}/dump.rdb`, true);
  deepEqual(loaded.contents, before);
  equal(loaded.digest, digest);
  const check = await redisCheckRdb(`${t.dir}/dump.rdb`);
  equal(check.code, 0, check.output);
});

Deno.test("BGSAVE under a concurrent write load writes the start image, loadable by redis-server", async () => {
  if (!requireRedis()) return;
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  const stringKeys = 200_000;
  await populate(c, stringKeys);
  const digest = await c.call("DEBUG", "DIGEST") as string;
  const sizes = [0, 1, 2].map((db) => t.server.core.dbs[db].size);

  // 5 µs per key (about 5 ms per shard): the writers get turns all along the walk.
  await c.call("CONFIG", "SET", "rdb-key-save-delay", "5");
  const writers = [await t.client(), await t.client()];
  const ended = nextBgsaveEnd(t.server);
  let done = false;
  equal(await c.call("BGSAVE"), "Background saving started");
  const outcome = ended.then((o) => {
    done = true;
    return o;
  });
  let batchesDuringSave = 0;
  await Promise.all(writers.map(async (w, i) => {
    const random = seededRandom(100 + i);
    while (!done) {
      // Some writes fail (RENAME of a key renamed already...): that is part of the race.
      await w.pipeline(raceCommands(random, stringKeys, 200));
      if (!done) batchesDuringSave++;
    }
  }));
  equal(await outcome, "ok");
  ok(batchesDuringSave > 0, "clients must be served while the save runs");

  const loaded = await loadIntoRedis(`${t.dir}/dump.rdb`, false);
  equal(loaded.digest, digest);
  deepEqual(loaded.sizes, sizes);
  const check = await redisCheckRdb(`${t.dir}/dump.rdb`);
  equal(check.code, 0, check.output);
});
