/**
 * INFO persistence with the AOF on, against redis-server 7.0.15: the same
 * fields in the same order, and the same values where both servers hold
 * the same state (a fresh AOF after one write).
 */

import { deepEqual } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";

async function persistence(client: RespClient): Promise<[string, string][]> {
  const text = await client.call("INFO", "persistence") as string;
  return text.split("\r\n").filter((l) => l.includes(":")).map((l) => {
    const i = l.indexOf(":");
    return [l.slice(0, i), l.slice(i + 1)];
  });
}

Deno.test("INFO persistence lists Redis's fields in Redis's order, with the same AOF values", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ appendonly: true, "aof-multi-part": false });
  await using redis = await startRedis({ appendonly: "yes" });
  const [a, b] = [await cairn.client(), await redis.client()];
  for (const c of [a, b]) await c.call("SET", "a", "1");
  const [mine, theirs] = [await persistence(a), await persistence(b)];
  deepEqual(mine.map(([name]) => name), theirs.map(([name]) => name));
  const aof = (fields: [string, string][]) =>
    fields.filter(([name]) => name.startsWith("aof_") && name !== "aof_pending_bio_fsync");
  deepEqual(aof(mine), aof(theirs));
});
