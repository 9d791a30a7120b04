/**
 * Seeded random write sequences (random_writes.ts) sent to Cairn and to
 * redis-server 7.0.15, then saved by both: each server loads the other's
 * dump.rdb and must hold the same data (DEBUG DIGEST) with the same
 * encodings (OBJECT ENCODING of every key, in both databases). Small
 * encoding thresholds make every encoding occur.
 * `CAIRN_DIFF_SEED` replays one seed.
 */

import { deepEqual, equal } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";
import {
  randomWrites,
  readEveryKey,
  sendToBoth,
  SMALL_ENCODING_LIMITS,
  smallLimitDirectives,
} from "./random_writes.ts";

/** OBJECT ENCODING (or the error for a missing key) of every key, database by database. */
function encodings(client: RespClient): Promise<unknown[]> {
  return readEveryKey(client, (_db, key) => client.send("OBJECT", "ENCODING", key));
}

Deno.test("seeded random writes: each server loads the other's RDB to the same data and encodings", async () => {
  if (!requireRedis()) return;
  const fixed = Deno.env.get("CAIRN_DIFF_SEED");
  const seeds = fixed === undefined ? [1, 2, 3] : [Number(fixed)];
  for (const seed of seeds) {
    const cairnConfig = { ...SMALL_ENCODING_LIMITS, "enable-debug-command": "yes" };
    await using redis = await startRedis(smallLimitDirectives());
    await using cairn = await startTestServer(cairnConfig);
    const [a, b] = [await cairn.client(), await redis.client()];
    await sendToBoth(a, b, randomWrites(seed, 600), `seed ${seed}`);
    const digest = await b.call("DEBUG", "DIGEST");
    equal(await a.call("DEBUG", "DIGEST"), digest, `seed ${seed}: same data`);
    await a.call("SAVE");
    await b.call("SAVE");
    await using redisOnCairnFile = await startRedis(smallLimitDirectives(), { dir: cairn.dir });
    await using cairnOnRedisFile = await startTestServer(cairnConfig, { dir: redis.dir });
    const [fromCairn, fromRedis] = [
      await redisOnCairnFile.client(),
      await cairnOnRedisFile.client(),
    ];
    equal(
      await fromCairn.call("DEBUG", "DIGEST"),
      digest,
      `seed ${seed}: Redis loading Cairn's file`,
    );
    equal(
      await fromRedis.call("DEBUG", "DIGEST"),
      digest,
      `seed ${seed}: Cairn loading Redis's file`,
    );
    deepEqual(
      await encodings(fromRedis),
      await encodings(fromCairn),
      `seed ${seed}: encodings after loading`,
    );
  }
});
