/**
 * Seeded random write sequences against redis-server 7.0.15, compared by
 * their AOF records: keys of every type collide (so WRONGTYPE refusals,
 * no-op writes and type changes all occur), transactions wrap some of them,
 * and each server's single-file (Cairn) or incr file (Redis) must hold the
 * same records, one by one, relative TTLs normalized. Then Cairn replays its
 * file and its DEBUG DIGEST must equal Redis's.
 *
 * The sequences come from random_writes.ts. `CAIRN_DIFF_SEED` replays one
 * seed.
 */

import { deepEqual, equal } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import {
  randomWrites,
  sendToBoth,
  SMALL_ENCODING_LIMITS,
  smallLimitDirectives,
} from "./random_writes.ts";
import { parseAofRecords } from "./aof_records.ts";

/** Absolute times computed from each server's clock: both become one token. */
function normalizeTimes(records: string[][], now: number): string[][] {
  return records.map((argv) =>
    argv.map((a) => /^\d{13}$/.test(a) && Math.abs(Number(a) - now) < 3_600_000 ? "<now+ttl>" : a)
  );
}

Deno.test("seeded random writes give the AOF records redis-server 7.0 writes", async () => {
  if (!requireRedis()) return;
  const fixed = Deno.env.get("CAIRN_DIFF_SEED");
  const seeds = fixed === undefined ? [1, 2, 3] : [Number(fixed)];
  const config = { appendonly: "yes", appendfsync: "always", "enable-debug-command": "yes" };
  const cairnConfig = {
    ...config,
    ...SMALL_ENCODING_LIMITS,
    appendonly: true,
    "aof-multi-part": false,
  };
  for (const seed of seeds) {
    const dir = await Deno.makeTempDir({ prefix: "cairn-aof-random-" });
    try {
      const sequence = randomWrites(seed, 600);
      await using redis = await startRedis({ ...config, ...smallLimitDirectives() });
      let digest: unknown;
      {
        await using cairn = await startTestServer(cairnConfig, { dir });
        const [a, b] = [await cairn.client(), await redis.client()];
        await sendToBoth(a, b, sequence, `seed ${seed}`);
        digest = await a.call("DEBUG", "DIGEST");
        equal(digest, await b.call("DEBUG", "DIGEST"), `seed ${seed}: same data`);
      }
      const now = Date.now();
      const mine = normalizeTimes(
        parseAofRecords(await Deno.readTextFile(`${dir}/appendonly.aof`)),
        now,
      );
      const theirs = normalizeTimes(
        parseAofRecords(
          await Deno.readTextFile(`${redis.dir}/appendonlydir/appendonly.aof.1.incr.aof`),
        ),
        now,
      );
      for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
        deepEqual(
          mine[i],
          theirs[i],
          `seed ${seed}, record ${i}: cairn ${JSON.stringify(mine[i])} redis ${
            JSON.stringify(theirs[i])
          } (after ${JSON.stringify(theirs[i - 1])})`,
        );
      }
      await using again = await startTestServer(cairnConfig, { dir });
      equal(await (await again.client()).call("DEBUG", "DIGEST"), digest, `seed ${seed}: replay`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
