/**
 * Seeded random writes (random_writes.ts, small encoding thresholds) through
 * an AOF rewrite, in both layouts and with both kinds of base (RESP, and the
 * RDB preamble): half the sequence before BGREWRITEAOF, the other half
 * while and after it runs. Cairn restarted on its files must hold what
 * Cairn held, and redis-server 7.0.15 started on the same files must hold
 * exactly what the restarted Cairn holds. `CAIRN_DIFF_SEED` replays one seed.
 *
 * One difference is Redis's own: a sorted-set score of -0 (ZINCRBY of -0 on
 * a new member) survives in a skip list, but the rewrite's `ZADD key -0
 * member ...` starts a listpack on replay, and a listpack keeps it as 0.
 * redis-server does the same with its own rewrite, so the comparison with
 * the state before the restart reads -0 scores as 0.
 */

import { deepEqual, equal } from "node:assert/strict";
import type { RespClient } from "../_helpers/resp_client.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import { AOF_LAYOUTS, aofLayoutName, nextRewriteEnd } from "../integration/aof_helpers.ts";
import {
  randomWrites,
  readEveryKey,
  SMALL_ENCODING_LIMITS,
  smallLimitDirectives,
} from "./random_writes.ts";

/** Every key's type and DEBUG DIGEST-VALUE, database by database: says which key differs. */
function keyDigests(client: RespClient): Promise<string[]> {
  return readEveryKey(client, async (db, key) => {
    const type = await client.call("TYPE", key);
    const value = await client.call("DEBUG", "DIGEST-VALUE", key);
    return `db ${db} ${key}: ${type} ${JSON.stringify(value)}`;
  });
}

/** Like {@link keyDigests}, with sorted sets read as members and scores, -0 as 0 (see the module doc). */
function keyContents(client: RespClient): Promise<string[]> {
  return readEveryKey(client, async (db, key) => {
    const type = await client.call("TYPE", key);
    const value = type === "zset"
      ? (await client.call("ZRANGE", key, 0, -1, "WITHSCORES") as string[])
        .map((x, i) => i % 2 === 1 && x === "-0" ? "0" : x)
      : await client.call("DEBUG", "DIGEST-VALUE", key);
    return `db ${db} ${key}: ${type} ${JSON.stringify(value)}`;
  });
}

for (const { multiPart, preamble } of AOF_LAYOUTS) {
  const name = aofLayoutName({ multiPart, preamble });
  Deno.test(`seeded random writes through a rewrite (${name}) reload in Cairn and in redis-server`, async () => {
    if (!requireRedis()) return;
    const fixed = Deno.env.get("CAIRN_DIFF_SEED");
    const seeds = fixed === undefined ? [1, 2] : [Number(fixed)];
    const config = {
      ...SMALL_ENCODING_LIMITS,
      appendonly: true,
      "aof-multi-part": multiPart,
      "aof-use-rdb-preamble": preamble,
      "enable-debug-command": "yes",
    };
    for (const seed of seeds) {
      const dir = await Deno.makeTempDir({ prefix: "cairn-aof-rewrite-random-" });
      try {
        const writes = randomWrites(seed, 600);
        const half = writes.length >> 1;
        let contents: string[];
        {
          // 2 ms per key keeps the rewrite running while the second half arrives.
          await using cairn = await startTestServer({ ...config, "rdb-key-save-delay": 2000 }, {
            dir,
          });
          const client = await cairn.client();
          for (const args of writes.slice(0, half)) await client.send(...args);
          const ended = nextRewriteEnd(cairn.server);
          await client.call("BGREWRITEAOF");
          for (const args of writes.slice(half)) await client.send(...args);
          equal(await ended, "ok", `seed ${seed}: the rewrite`);
          contents = await keyContents(client);
        }
        let digest: unknown;
        let keys: string[];
        {
          await using again = await startTestServer(config, { dir });
          const client = await again.client();
          deepEqual(await keyContents(client), contents, `seed ${seed}: Cairn restarted`);
          digest = await client.call("DEBUG", "DIGEST");
          keys = await keyDigests(client);
        }
        const directives = {
          ...smallLimitDirectives(),
          appendonly: "yes",
          "aof-use-rdb-preamble": preamble ? "yes" : "no",
        };
        await using redis = await startRedis(directives, { dir });
        const client = await redis.client();
        deepEqual(await keyDigests(client), keys, `seed ${seed}: redis-server on Cairn's files`);
        equal(await client.call("DEBUG", "DIGEST"), digest, `seed ${seed}: redis-server digest`);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  });
}
