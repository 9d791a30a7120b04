/**
 * Expiry (lazy and active) and what string and key commands propagate, seen
 * from an in-process server: replies over the wire, replay ops on the core's
 * `write` event, and the cron tick driven directly.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { startTestServer, type TestServer } from "../_helpers/servers.ts";
import type { PropagatedOp, WriteEvent } from "../../core/events.ts";
import type { RespClient } from "../_helpers/resp_client.ts";

/** Collects every write event of `t`'s core. */
function recordWrites(t: TestServer): WriteEvent[] {
  const events: WriteEvent[] = [];
  t.server.core.bus.on("write", (e) => events.push(e));
  return events;
}

/** Sends a command and returns the ops of the write events it caused. */
async function opsOf(
  c: RespClient,
  events: WriteEvent[],
  ...args: (string | number)[]
): Promise<PropagatedOp[][]> {
  const before = events.length;
  await c.send(...args);
  return events.slice(before).map((e) => e.ops);
}

/** The absolute ms time in an op, checked to lie `deltaMs` after the command's window. */
function assertAbsoluteTime(text: string, from: number, to: number, deltaMs: number): void {
  const at = Number(text);
  ok(at >= from + deltaMs && at <= to + deltaMs, `${at} not in [${from}, ${to}] + ${deltaMs}`);
}

/** Starts a server whose own cron never expires keys: the test decides when that happens. */
async function startWithoutActiveExpiry(config: Record<string, unknown> = {}): Promise<TestServer> {
  const t = await startTestServer(config);
  t.server.core.activeExpireEnabled = false;
  return t;
}

Deno.test("an expired key disappears when read, and DBSIZE counts it until then", async () => {
  await using t = await startWithoutActiveExpiry();
  const c = await t.client();
  deepEqual(await c.send("SET", "gone", "v", "PXAT", "1"), { type: "simple", value: "OK" });
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 1n });
  deepEqual(await c.send("GET", "gone"), { type: "null" });
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 0n });
  // Each kind of access reclaims it the same way.
  for (
    const access of [["EXISTS", "gone"], ["TTL", "gone"], ["TYPE", "gone"], ["STRLEN", "gone"]]
  ) {
    await c.send("SET", "gone", "v", "PXAT", "1");
    await c.send(...access);
    deepEqual(await c.send("DBSIZE"), { type: "integer", value: 0n }, access[0]);
  }
});

Deno.test("KEYS hides expired keys without deleting them; SCAN reclaims them", async () => {
  await using t = await startWithoutActiveExpiry();
  const c = await t.client();
  await c.send("SET", "live", "1");
  await c.send("SET", "dead", "1", "PXAT", "1");
  deepEqual(await c.send("KEYS", "*"), { type: "array", value: [{ type: "bulk", value: "live" }] });
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 2n });
  deepEqual(await c.send("SCAN", "0"), {
    type: "array",
    value: [{ type: "bulk", value: "0" }, {
      type: "array",
      value: [{ type: "bulk", value: "live" }],
    }],
  });
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 1n });
});

Deno.test("the cron tick removes expired keys nobody reads, one DEL unit each", async () => {
  await using t = await startWithoutActiveExpiry();
  const events = recordWrites(t);
  const c = await t.client();
  for (let i = 0; i < 50; i++) await c.send("SET", `dead:${i}`, "v", "PXAT", "1");
  await c.send("SET", "alive", "v", "EX", "1000");
  await c.send("SELECT", "3");
  await c.send("SET", "dead:db3", "v", "PXAT", "1");
  const before = events.length;
  // Enabled and run in one synchronous step: the server's own timer cannot get in between.
  t.server.core.activeExpireEnabled = true;
  t.server.tick();
  t.server.core.activeExpireEnabled = false;
  const expiredOps = events.slice(before).map((e) => e.ops);
  equal(expiredOps.length, 51);
  for (const ops of expiredOps) {
    equal(ops.length, 1);
    equal(ops[0].argv[0], "DEL");
  }
  deepEqual(
    expiredOps.filter((ops) => ops[0].db === 3),
    [[{ db: 3, argv: ["DEL", "dead:db3"] }]],
  );
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 0n });
  await c.send("SELECT", "0");
  deepEqual(await c.send("DBSIZE"), { type: "integer", value: 1n });
});

Deno.test("relative expires are propagated as absolute times", async () => {
  await using t = await startTestServer();
  const events = recordWrites(t);
  const c = await t.client();

  let from = Date.now();
  let ops = await opsOf(c, events, "SET", "k", "v", "EX", "100", "NX");
  let to = Date.now();
  equal(ops.length, 1);
  deepEqual(ops[0][0].argv.slice(0, 4), ["SET", "k", "v", "PXAT"]);
  assertAbsoluteTime(ops[0][0].argv[4], from, to, 100_000);

  from = Date.now();
  ops = await opsOf(c, events, "expire", "k", "200", "GT");
  to = Date.now();
  deepEqual(ops[0][0].argv.slice(0, 2), ["PEXPIREAT", "k"]);
  equal(ops[0][0].argv[3], "GT");
  assertAbsoluteTime(ops[0][0].argv[2], from, to, 200_000);

  ops = await opsOf(c, events, "EXPIREAT", "k", "4102444800");
  deepEqual(ops, [[{ db: 0, argv: ["PEXPIREAT", "k", "4102444800000"] }]]);
  ops = await opsOf(c, events, "pexpireat", "k", "4102444800001");
  deepEqual(ops, [[{ db: 0, argv: ["pexpireat", "k", "4102444800001"] }]]);

  from = Date.now();
  ops = await opsOf(c, events, "SETEX", "s", "10", "v");
  to = Date.now();
  deepEqual(ops[0][0].argv.slice(0, 4), ["SET", "s", "v", "PXAT"]);
  assertAbsoluteTime(ops[0][0].argv[4], from, to, 10_000);

  from = Date.now();
  ops = await opsOf(c, events, "GETEX", "s", "PX", "5000");
  to = Date.now();
  deepEqual(ops[0][0].argv.slice(0, 2), ["PEXPIREAT", "s"]);
  assertAbsoluteTime(ops[0][0].argv[2], from, to, 5000);

  deepEqual(await opsOf(c, events, "GETEX", "s", "PERSIST"), [[{ db: 0, argv: ["PERSIST", "s"] }]]);
  deepEqual(await opsOf(c, events, "GETEX", "s", "PERSIST"), []);
  deepEqual(await opsOf(c, events, "GETEX", "s", "PXAT", "1"), [[{ db: 0, argv: ["DEL", "s"] }]]);
});

Deno.test("commands with another replay form propagate it; no-ops propagate nothing", async () => {
  await using t = await startTestServer();
  const events = recordWrites(t);
  const c = await t.client();
  deepEqual(await opsOf(c, events, "set", "k", "v", "GET", "get"), [
    [{ db: 0, argv: ["set", "k", "v"] }],
  ]);
  deepEqual(await opsOf(c, events, "SET", "k", "w", "NX"), []);
  deepEqual(await opsOf(c, events, "GETSET", "k", "x"), [[{ db: 0, argv: ["SET", "k", "x"] }]]);
  deepEqual(await opsOf(c, events, "GETDEL", "k"), [[{ db: 0, argv: ["DEL", "k"] }]]);
  deepEqual(await opsOf(c, events, "GETDEL", "k"), []);
  deepEqual(await opsOf(c, events, "INCRBYFLOAT", "f", "10.5"), [
    [{ db: 0, argv: ["SET", "f", "10.5", "KEEPTTL"] }],
  ]);
  deepEqual(await opsOf(c, events, "INCRBYFLOAT", "f", "0.1"), [
    [{ db: 0, argv: ["SET", "f", "10.6", "KEEPTTL"] }],
  ]);
  deepEqual(await opsOf(c, events, "EXPIRE", "missing", "10"), []);
  deepEqual(await opsOf(c, events, "EXPIRE", "f", "-1"), [[{ db: 0, argv: ["DEL", "f"] }]]);
  deepEqual(await opsOf(c, events, "PERSIST", "missing"), []);
  deepEqual(await opsOf(c, events, "DEL", "missing"), []);
  await c.send("SELECT", "2");
  deepEqual(await opsOf(c, events, "FLUSHDB"), [[{ db: 2, argv: ["FLUSHDB"] }]]);
  deepEqual(await opsOf(c, events, "FLUSHALL", "ASYNC"), [[{
    db: 2,
    argv: ["FLUSHALL", "ASYNC"],
  }]]);
  deepEqual(await opsOf(c, events, "SWAPDB", "0", "0"), [[{ db: 2, argv: ["SWAPDB", "0", "0"] }]]);
});

Deno.test("lazy-expire options choose UNLINK for the deletions they cover", async () => {
  await using t = await startWithoutActiveExpiry({
    "lazyfree-lazy-expire": true,
    "lazyfree-lazy-user-del": true,
  });
  const events = recordWrites(t);
  const c = await t.client();
  await c.send("SET", "a", "1");
  deepEqual(await opsOf(c, events, "EXPIRE", "a", "0"), [[{ db: 0, argv: ["UNLINK", "a"] }]]);
  await c.send("SET", "b", "1");
  deepEqual(await opsOf(c, events, "GETDEL", "b"), [[{ db: 0, argv: ["UNLINK", "b"] }]]);
  await c.send("SET", "c", "1", "PXAT", "1");
  deepEqual(await opsOf(c, events, "GET", "c"), [[{ db: 0, argv: ["UNLINK", "c"] }]]);
});

Deno.test("a key expiring inside a command is deleted first, in the same unit", async () => {
  await using t = await startWithoutActiveExpiry();
  const events = recordWrites(t);
  const c = await t.client();
  await c.send("SET", "n", "41", "PXAT", "1");
  deepEqual(await opsOf(c, events, "INCR", "n"), [[
    { db: 0, argv: ["DEL", "n"] },
    { db: 0, argv: ["INCR", "n"] },
  ]]);
  deepEqual(await c.send("GET", "n"), { type: "bulk", value: "1" });
  await c.send("SET", "s", "old", "PXAT", "1");
  deepEqual(await opsOf(c, events, "SET", "s", "new"), [[
    { db: 0, argv: ["DEL", "s"] },
    { db: 0, argv: ["SET", "s", "new"] },
  ]]);
  // A read that finds the key expired propagates only the deletion.
  await c.send("SET", "r", "v", "PXAT", "1");
  deepEqual(await opsOf(c, events, "GET", "r"), [[{ db: 0, argv: ["DEL", "r"] }]]);
});

Deno.test("a transaction with two writes is one unit with both ops", async () => {
  await using t = await startTestServer();
  const events = recordWrites(t);
  const c = await t.client();
  await c.send("MULTI");
  await c.send("SET", "a", "1");
  await c.send("INCRBYFLOAT", "a", "2");
  await c.send("GET", "a");
  const ops = await opsOf(c, events, "EXEC");
  deepEqual(ops, [[
    { db: 0, argv: ["SET", "a", "1"] },
    { db: 0, argv: ["SET", "a", "3", "KEEPTTL"] },
  ]]);
  // One write: just that write, and EXEC never appears.
  await c.send("MULTI");
  await c.send("GET", "a");
  await c.send("SETEX", "b", "100", "v");
  const single = await opsOf(c, events, "EXEC");
  equal(single.length, 1);
  equal(single[0].length, 1);
  deepEqual(single[0][0].argv.slice(0, 4), ["SET", "b", "v", "PXAT"]);
});

Deno.test("TTL and PTTL count down from the expire time", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await c.send("SET", "k", "v", "PX", "100000");
  const pttl = await c.send("PTTL", "k");
  ok(pttl.type === "integer" && pttl.value > 99_000n && pttl.value <= 100_000n);
  deepEqual(await c.send("TTL", "k"), { type: "integer", value: 100n });
  await c.send("SET", "k", "v", "PX", "1400");
  deepEqual(await c.send("TTL", "k"), { type: "integer", value: 1n }); // rounded, as Redis does
  deepEqual(await c.send("TTL", "nokey"), { type: "integer", value: -2n });
  await c.send("SET", "forever", "v");
  deepEqual(await c.send("PTTL", "forever"), { type: "integer", value: -1n });
});
