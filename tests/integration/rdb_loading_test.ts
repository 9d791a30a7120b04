/**
 * Startup loading while clients connect: a load slowed with
 * `key-load-delay` answers -LOADING to commands that need the data, serves
 * INFO with Redis's `loading_*` fields, and lets CONFIG SET lift the delay,
 * as redis-server 7.0.15 does with the same file.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { requireRedis, startLoadingServer, startRedis } from "../_helpers/servers.ts";
import { describeMismatches, diffOnClients } from "../_helpers/differential.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { MemorySink } from "../../core/log.ts";
import { writeRdbFile } from "../../persistence/rdb/writer.ts";
import { defaultLimits } from "../../core/values/limits.ts";
import { infoMap } from "./rdb_test_helpers.ts";

const KEYS = 400;

async function writeDataset(path: string): Promise<void> {
  const entries: [string, string, number][] = [];
  for (let i = 0; i < KEYS; i++) entries.push([`key:${i}`, `value:${i}`, -1]);
  await writeRdbFile(path, [{ index: 0, entries }], { limits: defaultLimits() });
}

Deno.test("a slowed startup load answers LOADING and shows Redis's loading fields", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  const path = `${dir}/dump.rdb`;
  await writeDataset(path);
  const size = (await Deno.stat(path)).size;
  const loadingConfig = {
    "key-load-delay": "5000", // 2 s for the whole file
    "loading-process-events-interval-bytes": "1024",
  };
  const log = new MemorySink();
  const { port, started: starting } = startLoadingServer({
    config: { dir, save: "", ...loadingConfig },
    logSink: log,
  });
  try {
    const a = await RespClient.connect(await port);
    try {
      const fields = infoMap(await a.call("INFO", "persistence") as string);
      equal(fields.get("loading"), "1");
      equal(fields.get("loading_total_bytes"), String(size));
      const now = Math.floor(Date.now() / 1000);
      const start = Number(fields.get("loading_start_time"));
      ok(start <= now && start >= now - 10, `loading_start_time ${start}`);
      const loaded = Number(fields.get("loading_loaded_bytes"));
      ok(loaded >= 0 && loaded < size);
      equal(fields.get("loading_loaded_perc"), (loaded / size * 100).toFixed(2));
      ok(Number(fields.get("loading_eta_seconds")) >= 0);
      ok(Number(fields.get("loading_rdb_used_mem")) >= 0);

      if (requireRedis()) {
        const redisDir = await Deno.makeTempDir({ prefix: "redis-load-" });
        await Deno.copyFile(path, `${redisDir}/dump.rdb`);
        await using redis = await startRedis(loadingConfig, { dir: redisDir, whileLoading: true });
        const b = await redis.client();
        const redisFields = infoMap(await b.call("INFO", "persistence") as string);
        equal(redisFields.get("loading"), "1", "redis-server must still be loading");
        deepEqual([...fields.keys()], [...redisFields.keys()]);
        const mismatches = await diffOnClients(a, b, [
          { args: ["GET", "key:1"] },
          { args: ["SET", "x", "1"] },
          { args: ["PING"] },
          { args: ["DBSIZE"] },
          { args: ["MULTI"] },
          { args: ["GET", "key:1"] },
          { args: ["EXEC"] },
          { args: ["LASTSAVE"], mode: "shape" },
          { args: ["CONFIG", "GET", "key-load-delay"] },
          { args: ["CONFIG", "SET", "key-load-delay", "0"] },
        ]);
        equal(mismatches.length, 0, describeMismatches(mismatches));
        await Deno.remove(redisDir, { recursive: true }).catch(() => {});
      } else {
        await a.call("CONFIG", "SET", "key-load-delay", "0");
      }

      const server = await starting;
      try {
        equal(await a.call("GET", "key:1"), "value:1");
        equal(await a.call("DBSIZE"), KEYS);
        const after = infoMap(await a.call("INFO", "persistence") as string);
        equal(after.get("loading"), "0");
        ok(![...after.keys()].some((k) => k.startsWith("loading_")));
        equal(after.get("rdb_last_load_keys_loaded"), String(KEYS));
        ok(
          log.lines.some((l) =>
            l.endsWith(`Done loading RDB, keys loaded: ${KEYS}, keys expired: 0.`)
          ),
        );
      } finally {
        await server.close();
      }
    } finally {
      a.close();
    }
  } finally {
    await starting.then((s) => s.close(), () => {});
    await Deno.remove(dir, { recursive: true });
  }
});
