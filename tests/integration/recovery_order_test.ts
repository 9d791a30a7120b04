/**
 * Which files a start loads (Redis 7.0.15's `loadDataFromDisk`), checked on
 * Cairn and on redis-server with the same directory:
 *
 * - `appendonly yes` and an AOF: the AOF, whatever dump.rdb holds;
 * - `appendonly yes` and no AOF, only a dump.rdb: nothing is loaded, the
 *   RDB is ignored (and left as it is), an empty base and incr file are
 *   created — Redis does *not* start from the RDB;
 * - `appendonly no`: dump.rdb when it exists;
 * - nothing: an empty dataset.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { requireRedis, startTestServer } from "../_helpers/servers.ts";
import {
  copyTree,
  digest,
  listDir,
  multipartAof,
  spawnRedis,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";

/** A directory holding a dump.rdb of the every-type dataset tagged `rdb`; returns its digest. */
async function withRdb(dir: string): Promise<string> {
  await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir });
  const c = await t.client();
  await writeEveryType(c, "rdb");
  equal(await c.call("SAVE"), "OK");
  return await digest(c);
}

/** Runs redis-server on a copy of `dir` with `appendonly`; returns its DBSIZE, digest and files. */
async function redisView(dir: string, appendonly: "yes" | "no") {
  const copy = await tempDir("redis-recovery-");
  try {
    copyTree(dir, copy);
    await using r = await spawnRedis(copy, { appendonly });
    const c = await r.client();
    const view = {
      size: await c.call("DBSIZE"),
      digest: await digest(c),
      aofFiles: listDir(`${copy}/appendonlydir`),
      files: listDir(copy).filter((n) => n !== "redis.log"),
    };
    await r.stop();
    return view;
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
}

Deno.test("appendonly yes with only a dump.rdb: the RDB is ignored and an empty AOF created, as redis-server does", async () => {
  const dir = await tempDir();
  try {
    await withRdb(dir);
    const rdbBefore = Deno.readFileSync(`${dir}/dump.rdb`);
    const redis = requireRedis() ? await redisView(dir, "yes") : null;
    {
      await using t = await startTestServer(multipartAof(), { dir });
      const c = await t.client();
      equal(await c.call("DBSIZE"), 0);
      deepEqual(listDir(`${dir}/appendonlydir`), [
        "appendonly.aof.1.base.rdb",
        "appendonly.aof.1.incr.aof",
        "appendonly.aof.manifest",
      ]);
      deepEqual(Deno.readFileSync(`${dir}/dump.rdb`), rdbBefore, "dump.rdb is left as it is");
      ok(!t.log.lines.some((l) => l.includes("DB loaded from")), "nothing is loaded");
      if (redis !== null) {
        equal(redis.size, 0, "redis-server loads nothing either");
        deepEqual(redis.aofFiles, listDir(`${dir}/appendonlydir`));
        equal(redis.digest, await digest(c));
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendonly yes with an AOF and a different dump.rdb: the AOF wins", async () => {
  const dir = await tempDir();
  try {
    {
      await using t = await startTestServer(multipartAof(), { dir });
      await writeEveryType(await t.client(), "aof");
    }
    const rdbDigest = await withRdb(dir);
    const redis = requireRedis() ? await redisView(dir, "yes") : null;
    await using t = await startTestServer(multipartAof(), { dir });
    const c = await t.client();
    const loaded = await digest(c);
    ok(loaded !== rdbDigest, "the RDB's dataset is not the one loaded");
    ok(await c.call("EXISTS", "str:aof") === 1 && await c.call("EXISTS", "str:rdb") === 0);
    match(t.log.lines.join("\n"), /DB loaded from append only file/);
    if (redis !== null) equal(redis.digest, loaded, "redis-server loads the same AOF");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendonly no: dump.rdb is loaded, as redis-server does", async () => {
  const dir = await tempDir();
  try {
    const saved = await withRdb(dir);
    const redis = requireRedis() ? await redisView(dir, "no") : null;
    await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir });
    const c = await t.client();
    equal(await digest(c), saved);
    match(t.log.lines.join("\n"), /DB loaded from disk: \d+\.\d{3} seconds/);
    deepEqual(listDir(`${dir}/appendonlydir`), [], "no AOF is created");
    if (redis !== null) equal(redis.digest, saved);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no files at all: an empty dataset, with or without the AOF", async () => {
  for (const appendonly of [false, true]) {
    await using t = await startTestServer({ appendonly, "enable-debug-command": "yes" });
    equal(await (await t.client()).call("DBSIZE"), 0);
    equal(listDir(`${t.dir}/appendonlydir`).length, appendonly ? 3 : 0);
  }
});
