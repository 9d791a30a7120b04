/**
 * Blocking list pops with several clients: service in arrival order, the
 * first ready key serving a client blocked on several, BLMOVE chains whose
 * pushes wake further clients, timeouts, wrong types appearing while a
 * client waits. Each scenario runs on Cairn and, when installed, on
 * redis-server, and the transcripts must be equal; the expected values are
 * also asserted directly.
 *
 * Then what the list and hash commands propagate, seen on the core's
 * `write` event: blocking pops become the plain pops they performed, both
 * when they find data at once and when a push serves them later.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { later, onBoth, untilBlocked } from "../_helpers/scenarios.ts";
import { startTestServer, type TestServer } from "../_helpers/servers.ts";
import { plain, type RespClient } from "../_helpers/resp_client.ts";
import type { WriteEvent } from "../../core/events.ts";
import { Client } from "../../core/client.ts";
import { call } from "../../core/executor.ts";
import { decodeLatin1 } from "../../core/bytes.ts";

Deno.test("waiting clients are served in the order they blocked", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a, b, c] = await Promise.all([t.client(), t.client(), t.client(), t.client()]);
    const first = later(a, "BLPOP", "k", 0);
    await untilBlocked(ctl, 1);
    const second = later(b, "BRPOP", "k", 0);
    await untilBlocked(ctl, 2);
    const third = later(c, "BLPOP", "k", 0);
    await untilBlocked(ctl, 3);
    const pushed = await ctl.call("RPUSH", "k", "x", "y");
    const served = [await first, await second];
    await untilBlocked(ctl, 1);
    const pushedAgain = await ctl.call("RPUSH", "k", "z");
    return [pushed, ...served, pushedAgain, await third, await ctl.call("EXISTS", "k")];
  });
  deepEqual(transcript, [2, ["k", "x"], ["k", "y"], 1, ["k", "z"], 0]);
});

Deno.test("a client blocked on several keys is served by the first that gets data", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a] = await Promise.all([t.client(), t.client()]);
    const waiting = later(a, "BLPOP", "k1", "k2", "k3", 0);
    await untilBlocked(ctl, 1);
    await ctl.send("MULTI");
    await ctl.send("RPUSH", "k3", "from-k3");
    await ctl.send("RPUSH", "k2", "from-k2");
    await ctl.send("EXEC");
    return [await waiting, await ctl.call("LRANGE", "k2", 0, -1), await ctl.call("EXISTS", "k3")];
  });
  deepEqual(transcript, [["k3", "from-k3"], ["from-k2"], 0]);
});

Deno.test("a BLMOVE chain: each move wakes the client waiting on its destination", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a, b, c] = await Promise.all([t.client(), t.client(), t.client(), t.client()]);
    const hop1 = later(a, "BLMOVE", "s1", "s2", "RIGHT", "LEFT", 0);
    await untilBlocked(ctl, 1);
    const hop2 = later(b, "BLMOVE", "s2", "s3", "LEFT", "RIGHT", 0);
    await untilBlocked(ctl, 2);
    const hop3 = later(c, "BRPOPLPUSH", "s3", "s4", 0);
    await untilBlocked(ctl, 3);
    await ctl.call("LPUSH", "s1", "v");
    return [
      await hop1,
      await hop2,
      await hop3,
      await ctl.call("LRANGE", "s4", 0, -1),
      await ctl.call("EXISTS", "s1", "s2", "s3"),
    ];
  });
  deepEqual(transcript, ["v", "v", "v", ["v"], 0]);
});

Deno.test("BLMPOP served later pops up to its count; BLMOVE onto its own source", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a, b] = await Promise.all([t.client(), t.client(), t.client()]);
    const multi = later(a, "BLMPOP", 0, 2, "m1", "m2", "RIGHT", "COUNT", 2);
    await untilBlocked(ctl, 1);
    await ctl.call("RPUSH", "m2", "1", "2", "3");
    const rotate = later(b, "BLMOVE", "r", "r", "LEFT", "RIGHT", 0);
    await untilBlocked(ctl, 1);
    await ctl.call("RPUSH", "r", "only");
    return [
      await multi,
      await ctl.call("LRANGE", "m2", 0, -1),
      await rotate,
      await ctl.call("LRANGE", "r", 0, -1),
    ];
  });
  deepEqual(transcript, [["m2", ["3", "2"]], ["1"], "only", ["only"]]);
});

Deno.test("timeouts reply with a null array after the time, in RESP2 and RESP3", async () => {
  const transcript = await onBoth(async (t) => {
    const [a, b] = await Promise.all([t.client(), t.client()]);
    await b.send("HELLO", 3);
    const started = Date.now();
    const [resp2, resp3] = await Promise.all([
      a.pipeline([["BLPOP", "nokey", "0.05"], ["BLMOVE", "nokey", "d", "LEFT", "LEFT", "0.05"]]),
      b.pipeline([["BRPOPLPUSH", "nokey", "d", "0.05"], ["BLMPOP", "0.05", 1, "nokey", "LEFT"]]),
    ]);
    ok(Date.now() - started >= 100, "two 50 ms waits in a row on one connection");
    return [...resp2, ...resp3, await a.call("EXISTS", "d")];
  });
  deepEqual(transcript, [
    { type: "nullarray" },
    { type: "nullarray" },
    { type: "null" },
    { type: "null" },
    0,
  ]);
});

Deno.test("data that comes and goes inside a transaction does not serve anyone", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a] = await Promise.all([t.client(), t.client()]);
    const waiting = later(a, "BLPOP", "k", 0);
    await untilBlocked(ctl, 1);
    await ctl.send("MULTI");
    await ctl.send("LPUSH", "k", "gone");
    await ctl.send("LPOP", "k");
    const exec = plain(await ctl.send("EXEC"));
    await untilBlocked(ctl, 1);
    // A key of another type does not serve a list pop either.
    await ctl.call("SET", "k", "string");
    await ctl.call("DEL", "k");
    await ctl.call("RPUSH", "k", "kept");
    return [exec, await waiting];
  });
  deepEqual(transcript, [[1, "gone"], ["k", "kept"]]);
});

Deno.test("a served BLMOVE whose destination became another type gets WRONGTYPE", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a] = await Promise.all([t.client(), t.client()]);
    const waiting = later(a, "BLMOVE", "src", "dst", "LEFT", "LEFT", 0);
    await untilBlocked(ctl, 1);
    await ctl.call("SET", "dst", "string");
    await ctl.call("RPUSH", "src", "v");
    return [await waiting, await ctl.call("LRANGE", "src", 0, -1), await ctl.call("GET", "dst")];
  });
  deepEqual(transcript, [
    "error: WRONGTYPE Operation against a key holding the wrong kind of value",
    ["v"],
    "string",
  ]);
});

Deno.test("commands pipelined after a blocking pop run once it is served", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a] = await Promise.all([t.client(), t.client()]);
    const replies = a.pipeline([["BRPOP", "q", 0], ["LLEN", "q"], ["PING"]]);
    await untilBlocked(ctl, 1);
    await ctl.call("RPUSH", "q", "1", "2");
    return (await replies).map(plain);
  });
  deepEqual(transcript, [["q", "2"], 1, "PONG"]);
});

Deno.test("a timeout beyond 2^31 ms keeps waiting instead of firing at once", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a, clock] = await Promise.all([t.client(), t.client(), t.client()]);
    const waiting = later(a, "BLPOP", "k", 3_000_000);
    await untilBlocked(ctl, 1);
    // Let 50 ms pass on the server: a broken timer would have fired by then.
    const tick = await clock.send("BLPOP", "other", "0.05");
    const stillBlocked = /blocked_clients:1\r/.test(String(await ctl.call("INFO", "clients")));
    await ctl.call("RPUSH", "k", "v");
    return [tick, stillBlocked, await waiting];
  });
  deepEqual(transcript, [{ type: "nullarray" }, true, ["k", "v"]]);
});

// ---------------------------------------------------------------------------
// Propagation.

/** Records the ops of every write event of `t`. */
function recordOps(t: TestServer): string[][][] {
  const units: string[][][] = [];
  t.server.core.bus.on("write", (e: WriteEvent) => units.push(e.ops.map((op) => op.argv)));
  return units;
}

/** Runs `args` and returns the units it caused. */
async function unitsOf(
  c: RespClient,
  units: string[][][],
  ...args: (string | number)[]
): Promise<string[][][]> {
  const before = units.length;
  await c.send(...args);
  return units.slice(before);
}

Deno.test("blocking pops that find data propagate as the plain pops they did", async () => {
  await using t = await startTestServer();
  const units = recordOps(t);
  const c = await t.client();
  await c.send("RPUSH", "k", "1", "2", "3", "4", "5");
  deepEqual(await unitsOf(c, units, "BLPOP", "nokey", "k", 0), [[["LPOP", "k"]]]);
  deepEqual(await unitsOf(c, units, "BRPOP", "k", 1), [[["RPOP", "k"]]]);
  deepEqual(await unitsOf(c, units, "BLMPOP", 0, 1, "k", "LEFT", "COUNT", 9), [[[
    "LPOP",
    "k",
    "3",
  ]]]);
  await c.send("RPUSH", "s", "a", "b");
  deepEqual(await unitsOf(c, units, "BRPOPLPUSH", "s", "d", 0), [[["RPOPLPUSH", "s", "d"]]]);
  deepEqual(await unitsOf(c, units, "BLMOVE", "s", "d", "left", "RIGHT", 0), [[[
    "LMOVE",
    "s",
    "d",
    "left",
    "RIGHT",
  ]]]);
  deepEqual(await unitsOf(c, units, "LMPOP", 1, "d", "RIGHT", "COUNT", 5), [[[
    "RPOP",
    "d",
    "2",
  ]]]);
  // Nothing popped, nothing propagated.
  deepEqual(await unitsOf(c, units, "LPOP", "nokey"), []);
  deepEqual(await unitsOf(c, units, "BLPOP", "nokey", "0.01"), []);
  deepEqual(await unitsOf(c, units, "LTRIM", "nokey", 0, 1), []);
});

Deno.test("clients served after a push propagate their pops in their own units", async () => {
  await using t = await startTestServer();
  const units = recordOps(t);
  const [ctl, a, b, m] = await Promise.all([t.client(), t.client(), t.client(), t.client()]);
  const pop = a.send("BRPOP", "k", 0);
  await untilBlocked(ctl, 1);
  const move = b.send("BLMOVE", "k2", "dst", "RIGHT", "LEFT", 0);
  await untilBlocked(ctl, 2);
  const mpop = m.send("BLMPOP", 0, 1, "k3", "LEFT", "COUNT", 5);
  await untilBlocked(ctl, 3);
  const before = units.length;
  await ctl.send("RPUSH", "k", "a", "b");
  await pop;
  await ctl.send("RPUSH", "k2", "c");
  await move;
  await ctl.send("RPUSH", "k3", "d", "e");
  await mpop;
  deepEqual(units.slice(before), [
    [["RPUSH", "k", "a", "b"]],
    [["RPOP", "k"]],
    [["RPUSH", "k2", "c"]],
    [["LMOVE", "k2", "dst", "right", "left"]],
    [["RPUSH", "k3", "d", "e"]],
    [["LPOP", "k3", "2"]],
  ]);
  const brpoplpush = a.send("BRPOPLPUSH", "src", "dst", 0);
  await untilBlocked(ctl, 1);
  deepEqual(await unitsOf(ctl, units, "LPUSH", "src", "x"), [
    [["LPUSH", "src", "x"]],
    [["RPOPLPUSH", "src", "dst"]],
  ]);
  equal((await brpoplpush).type, "bulk");
});

Deno.test("a blocking pop inside MULTI replies as on timeout and propagates only real pops", async () => {
  await using t = await startTestServer();
  const units = recordOps(t);
  const c = await t.client();
  await c.send("MULTI");
  await c.send("BLPOP", "nokey", 0);
  await c.send("RPUSH", "k", "v");
  await c.send("BLPOP", "k", 0);
  const before = units.length;
  deepEqual(plain(await c.send("EXEC")), [null, 1, ["k", "v"]]);
  deepEqual(units.slice(before), [[["RPUSH", "k", "v"], ["LPOP", "k"]]]);
});

Deno.test("HINCRBYFLOAT propagates the result as HSET; HRANDFIELD propagates nothing", async () => {
  await using t = await startTestServer();
  const units = recordOps(t);
  const c = await t.client();
  deepEqual(await unitsOf(c, units, "HINCRBYFLOAT", "h", "f", "0.1"), [[[
    "HSET",
    "h",
    "f",
    "0.1",
  ]]]);
  deepEqual(await unitsOf(c, units, "HINCRBYFLOAT", "h", "f", "0.2"), [[[
    "HSET",
    "h",
    "f",
    "0.3",
  ]]]);
  deepEqual(await unitsOf(c, units, "HINCRBYFLOAT", "h", "f", "x"), []);
  deepEqual(await unitsOf(c, units, "HRANDFIELD", "h", 2, "WITHVALUES"), []);
  deepEqual(await unitsOf(c, units, "HINCRBY", "h", "n", 5), [[["HINCRBY", "h", "n", "5"]]]);
  deepEqual(await unitsOf(c, units, "HDEL", "h", "nofield"), []);
  deepEqual(await unitsOf(c, units, "HDEL", "h", "f", "n"), [[["HDEL", "h", "f", "n"]]]);
  equal(plain(await c.send("EXISTS", "h")), 0);
});

Deno.test("a replaying client (loading, no connection) never blocks: it gets the timeout reply", async () => {
  await using t = await startTestServer();
  const core = t.server.core;
  const replayer = new Client(core);
  const run = (...argv: string[]): string => {
    const found = core.commands.lookup(argv);
    if ("error" in found) throw new Error(found.error);
    call(core, replayer, found, argv);
    return decodeLatin1(replayer.reply.take());
  };
  core.loading = true;
  try {
    equal(run("BLPOP", "k", "0"), "*-1\r\n");
    equal(run("BLMPOP", "0", "1", "k", "LEFT"), "*-1\r\n");
    equal(run("BLMOVE", "k", "d", "LEFT", "LEFT", "0"), "$-1\r\n");
    equal(run("BRPOPLPUSH", "k", "d", "0"), "$-1\r\n");
    equal(core.blocking.count, 0);
  } finally {
    core.loading = false;
  }
});
