/**
 * Blocking sorted set pops (BZPOPMIN, BZPOPMAX, BZMPOP) with several
 * clients, and what set and sorted set commands propagate.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { startTestServer, type TestServer } from "../_helpers/servers.ts";
import type { Reply } from "../_helpers/resp_client.ts";

const bulk = (value: string): Reply => ({ type: "bulk", value });
const int = (value: number): Reply => ({ type: "integer", value: BigInt(value) });
const arr = (...value: Reply[]): Reply => ({ type: "array", value });
const NULL_ARRAY: Reply = { type: "nullarray" };

/** Resolves once `n` clients are blocked (polls the server's own count between turns). */
async function blockedClients(t: TestServer, n: number): Promise<void> {
  while (t.server.core.blocking.count !== n) await new Promise((r) => setTimeout(r, 1));
}

/** Collects the ops of every write unit the server emits. */
function recordWrites(t: TestServer): string[][][] {
  const units: string[][][] = [];
  t.server.core.bus.on("write", (e) => units.push(e.ops.map((op) => op.argv)));
  return units;
}

Deno.test("BZPOPMIN serves waiting clients in the order they blocked", async () => {
  await using t = await startTestServer();
  const [a, b, c, pusher] = await Promise.all([t.client(), t.client(), t.client(), t.client()]);
  const ra = a.send("BZPOPMIN", "k", 0);
  await blockedClients(t, 1);
  const rb = b.send("BZPOPMIN", "other", "k", 0);
  await blockedClients(t, 2);
  const rc = c.send("BZPOPMIN", "k", 0);
  await blockedClients(t, 3);
  deepEqual(await pusher.send("ZADD", "k", 1, "one", 2, "two"), int(2));
  deepEqual(await ra, arr(bulk("k"), bulk("one"), bulk("1")));
  deepEqual(await rb, arr(bulk("k"), bulk("two"), bulk("2")));
  equal(t.server.core.blocking.count, 1);
  deepEqual(await pusher.send("EXISTS", "k"), int(0));
  deepEqual(await pusher.send("ZADD", "k", 3, "three"), int(1));
  deepEqual(await rc, arr(bulk("k"), bulk("three"), bulk("3")));
  equal(t.server.core.blocking.count, 0);
});

Deno.test("BZPOPMAX wakes on whichever key gets data, with RESP3 doubles", async () => {
  await using t = await startTestServer();
  const [a, pusher] = await Promise.all([t.client(), t.client()]);
  await a.send("HELLO", 3);
  const ra = a.send("BZPOPMAX", "k1", "k2", 0);
  await blockedClients(t, 1);
  await pusher.send("ZADD", "k2", 1.5, "x", 7, "y");
  deepEqual(await ra, arr(bulk("k2"), bulk("y"), { type: "double", value: "7" }));
  deepEqual(await pusher.send("ZRANGE", "k2", 0, -1), arr(bulk("x")));
});

Deno.test("BZMPOP pops up to COUNT with a nested reply; timeouts reply a null array", async () => {
  await using t = await startTestServer();
  const [a, pusher] = await Promise.all([t.client(), t.client()]);
  const ra = a.send("BZMPOP", 0, 2, "k1", "k2", "MIN", "COUNT", 5);
  await blockedClients(t, 1);
  await pusher.send("ZADD", "k2", 3, "c", 1, "a", 2, "b");
  deepEqual(
    await ra,
    arr(
      bulk("k2"),
      arr(arr(bulk("a"), bulk("1")), arr(bulk("b"), bulk("2")), arr(bulk("c"), bulk("3"))),
    ),
  );
  const started = Date.now();
  deepEqual(await a.send("BZMPOP", 0.05, 1, "k1", "MAX"), NULL_ARRAY);
  deepEqual(await a.send("BZPOPMIN", "k1", "0.05"), NULL_ARRAY);
  ok(Date.now() - started >= 90, "both waits lasted their timeout");
  equal(t.server.core.blocking.count, 0);
});

Deno.test("a key of another type does not wake a waiting client", async () => {
  await using t = await startTestServer();
  const [a, other] = await Promise.all([t.client(), t.client()]);
  const ra = a.send("BZPOPMIN", "k", 0);
  await blockedClients(t, 1);
  await other.send("RPUSH", "k", "x");
  await other.send("SADD", "k2", "x");
  deepEqual(await other.send("PING"), { type: "simple", value: "PONG" });
  equal(t.server.core.blocking.count, 1);
  await other.send("DEL", "k");
  await other.send("ZADD", "k", 4, "m");
  deepEqual(await ra, arr(bulk("k"), bulk("m"), bulk("4")));
});

Deno.test("blocking pops never block inside MULTI", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await c.send("MULTI");
  await c.send("BZPOPMIN", "k", 0);
  await c.send("BZMPOP", 0, 1, "k", "MAX");
  await c.send("ZADD", "k", 1, "a");
  await c.send("BZPOPMAX", "k", 0);
  deepEqual(
    await c.send("EXEC"),
    arr(NULL_ARRAY, NULL_ARRAY, int(1), arr(bulk("k"), bulk("a"), bulk("1"))),
  );
  equal(t.server.core.blocking.count, 0);
});

Deno.test("served and immediate pops propagate as ZPOPMIN/ZPOPMAX with the popped count", async () => {
  await using t = await startTestServer();
  const units = recordWrites(t);
  const [a, b, pusher] = await Promise.all([t.client(), t.client(), t.client()]);
  const ra = a.send("BZPOPMIN", "k", 0);
  await blockedClients(t, 1);
  const rb = b.send("BZMPOP", 0, 1, "k", "MAX", "COUNT", 10);
  await blockedClients(t, 2);
  await pusher.send("ZADD", "k", 1, "a", 2, "b", 3, "c");
  await ra;
  await rb;
  deepEqual(units, [
    [["ZADD", "k", "1", "a", "2", "b", "3", "c"]],
    [["ZPOPMIN", "k"]],
    [["ZPOPMAX", "k", "2"]],
  ]);
  units.length = 0;
  await pusher.send("ZADD", "k", 1, "a", 2, "b", 3, "c");
  await pusher.send("BZPOPMAX", "nokey", "k", 0);
  await pusher.send("ZMPOP", 1, "k", "MIN", "COUNT", 5);
  await pusher.send("ZMPOP", 1, "k", "MIN");
  await pusher.send("ZPOPMIN", "k");
  deepEqual(units, [
    [["ZADD", "k", "1", "a", "2", "b", "3", "c"]],
    [["ZPOPMAX", "k"]],
    [["ZPOPMIN", "k", "2"]],
  ]);
});

Deno.test("SPOP propagates as SREMs or DEL; random reads propagate nothing", async () => {
  await using t = await startTestServer();
  const units = recordWrites(t);
  const c = await t.client();
  await c.send("SADD", "s", "a", "b", "c", "d", "e");
  const one = await c.send("SPOP", "s");
  const two = await c.send("SPOP", "s", 2);
  await c.send("SRANDMEMBER", "s", 5);
  await c.send("ZADD", "z", 1, "a");
  await c.send("ZRANDMEMBER", "z", 3, "WITHSCORES");
  await c.send("SPOP", "s", 10);
  ok(one.type === "bulk" && two.type === "array");
  const popped = [one.value, ...two.value.map((r) => (r as { value: string }).value)];
  deepEqual(units, [
    [["SADD", "s", "a", "b", "c", "d", "e"]],
    [["SREM", "s", popped[0]]],
    [["SREM", "s", popped[1]], ["SREM", "s", popped[2]]],
    [["ZADD", "z", "1", "a"]],
    [["DEL", "s"]],
  ]);
});
