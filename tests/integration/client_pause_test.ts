/**
 * CLIENT PAUSE and CLIENT UNPAUSE with several clients: held commands get
 * no reply until the pause ends and then run in the order they arrived;
 * WRITE mode lets reads through; UNPAUSE releases at once; a later pause
 * only extends; error replies match redis-server's. Timing is asserted with
 * timestamps taken around the awaited replies, never with sleeps.
 *
 * Scenarios that do not depend on timing run on Cairn and, when installed,
 * on redis-server, and their transcripts must be equal.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { later, onBoth, untilBlocked } from "../_helpers/scenarios.ts";
import { startTestServer } from "../_helpers/servers.ts";
import { plain, type RespClient } from "../_helpers/resp_client.ts";
import { describeMismatches, diffAgainstRedis } from "../_helpers/differential.ts";
import type { WriteEvent } from "../../core/events.ts";

/** Like {@link later}, also giving the time (Date.now()) the reply arrived. */
async function timed(c: RespClient, ...args: (string | number)[]): Promise<[unknown, number]> {
  const reply = await later(c, ...args);
  return [reply, Date.now()];
}

Deno.test("ALL pause: GET and SET get no reply until the pause ends, then run", async () => {
  await using t = await startTestServer();
  const [ctl, a, b] = await Promise.all([t.client(), t.client(), t.client()]);
  await ctl.call("SET", "k", "old");
  const pauseMs = 300;
  const before = Date.now();
  equal(await ctl.call("CLIENT", "PAUSE", pauseMs), "OK");
  const set = timed(a, "SET", "k", "new");
  const get = timed(b, "GET", "k");
  const [[setReply, setAt], [getReply, getAt]] = await Promise.all([set, get]);
  equal(setReply, "OK");
  ok(setAt - before >= pauseMs, `SET replied ${setAt - before} ms after the pause began`);
  ok(getAt - before >= pauseMs, `GET replied ${getAt - before} ms after the pause began`);
  ok(getReply === "old" || getReply === "new", `GET saw ${getReply}`);
  equal(await ctl.call("GET", "k"), "new");
});

Deno.test("ALL pause holds the pausing client and CLIENT UNPAUSE too", async () => {
  await using t = await startTestServer();
  const ctl = await t.client();
  const before = Date.now();
  const replies = await ctl.pipeline([["CLIENT", "PAUSE", 200, "ALL"], ["CLIENT", "UNPAUSE"], [
    "PING",
  ]]);
  const at = Date.now();
  deepEqual(replies.map(plain), ["OK", "OK", "PONG"]);
  ok(at - before >= 200, `UNPAUSE ran ${at - before} ms after the pause began`);
});

Deno.test("WRITE pause: reads pass, writes wait and have not run; UNPAUSE releases at once", async () => {
  await using t = await startTestServer();
  const [ctl, writer, reader] = await Promise.all([t.client(), t.client(), t.client()]);
  await ctl.call("SET", "k", "old");
  const pauseMs = 10_000;
  const before = Date.now();
  await ctl.call("CLIENT", "PAUSE", pauseMs, "WRITE");
  const set = timed(writer, "SET", "k", "new");
  await untilBlocked(ctl, 1);
  // A read, from a third client, is answered during the pause and sees the old value.
  const [getReply, getAt] = await timed(reader, "GET", "k");
  equal(getReply, "old");
  ok(getAt - before < pauseMs, "GET waited for the pause");
  const flags = String(await ctl.call("CLIENT", "LIST")).split("\n")
    .find((line) => line.includes("cmd=set "));
  ok(flags?.includes(" flags=b "), `the held client is listed as blocked: ${flags}`);
  const unpausedAt = Date.now();
  equal(await ctl.call("CLIENT", "UNPAUSE"), "OK");
  const [setReply, setAt] = await set;
  equal(setReply, "OK");
  ok(setAt >= unpausedAt, "SET replied before CLIENT UNPAUSE");
  ok(setAt - before < pauseMs, `SET waited ${setAt - before} ms: UNPAUSE did not release it`);
  equal(await reader.call("GET", "k"), "new");
  await untilBlocked(ctl, 0);
});

Deno.test("a later CLIENT PAUSE only extends: the stricter mode and the later end win", async () => {
  await using t = await startTestServer();
  const [ctl, a] = await Promise.all([t.client(), t.client()]);
  await ctl.call("SET", "k", "v");
  const before = Date.now();
  await ctl.call("CLIENT", "PAUSE", 300, "WRITE");
  // Shorter and less strict than what follows it: neither shortens nor relaxes the pause.
  await ctl.call("CLIENT", "PAUSE", 20, "WRITE");
  // Stricter but shorter: the mode becomes ALL, the end stays at 300 ms.
  await ctl.call("CLIENT", "PAUSE", 10, "ALL");
  const [reply, at] = await timed(a, "GET", "k");
  equal(reply, "v");
  ok(at - before >= 300, `GET replied ${at - before} ms after the pause began`);
});

Deno.test("CLIENT PAUSE 0 pauses nothing", async () => {
  await using t = await startTestServer();
  const [ctl, a] = await Promise.all([t.client(), t.client()]);
  equal(await ctl.call("CLIENT", "PAUSE", 0), "OK");
  equal(await a.call("SET", "k", "v"), "OK");
  equal(await ctl.call("GET", "k"), "v");
});

Deno.test("held clients run in arrival order, each with the rest of its input", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a, b] = await Promise.all([t.client(), t.client(), t.client()]);
    await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
    // a sends SET and APPEND at once: SET is held, APPEND waits in its input.
    const aReplies = a.pipeline([["SET", "k", "a"], ["APPEND", "k", "+"], ["GET", "k"]]);
    await untilBlocked(ctl, 1);
    const bReply = later(b, "SET", "k", "b");
    await untilBlocked(ctl, 2);
    const during = await ctl.call("EXISTS", "k");
    await ctl.call("CLIENT", "UNPAUSE");
    return [during, (await aReplies).map(plain), await bReply, await ctl.call("GET", "k")];
  });
  deepEqual(transcript, [0, ["OK", 2, "a+"], "OK", "b"]);
});

Deno.test("released commands are propagated as units of their own, after UNPAUSE's", async () => {
  await using t = await startTestServer();
  const units: string[][][] = [];
  t.server.core.bus.on("write", (e: WriteEvent) => units.push(e.ops.map((op) => op.argv)));
  const [ctl, a, b] = await Promise.all([t.client(), t.client(), t.client()]);
  await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
  const aReply = later(a, "SET", "a", "1");
  await untilBlocked(ctl, 1);
  const bReply = later(b, "SET", "b", "2");
  await untilBlocked(ctl, 2);
  // The UNPAUSE client's next command runs before the released ones, as in Redis.
  const ctlReplies = await ctl.pipeline([["CLIENT", "UNPAUSE"], ["SET", "c", "3"]]);
  deepEqual(ctlReplies.map(plain), ["OK", "OK"]);
  deepEqual([await aReply, await bReply], ["OK", "OK"]);
  deepEqual(units, [[["SET", "c", "3"]], [["SET", "a", "1"]], [["SET", "b", "2"]]]);
});

Deno.test("WRITE pause holds queued writes in MULTI and EXEC of writes, not reads", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, tx, ro] = await Promise.all([t.client(), t.client(), t.client()]);
    await ctl.call("SET", "k", "1");
    equal(await tx.call("MULTI"), "OK");
    await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
    const queued = later(tx, "INCR", "k");
    await untilBlocked(ctl, 1);
    // A read-only transaction goes through.
    const readOnly = await ro.pipeline([["MULTI"], ["GET", "k"], ["EXEC"]]);
    await ctl.call("CLIENT", "UNPAUSE");
    const queuedReply = await queued;
    await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
    const exec = later(tx, "EXEC");
    await untilBlocked(ctl, 1);
    const during = await ctl.call("GET", "k");
    await ctl.call("CLIENT", "UNPAUSE");
    return [readOnly.map(plain), queuedReply, during, await exec, await ctl.call("GET", "k")];
  });
  deepEqual(transcript, [["OK", "QUEUED", ["1"]], "QUEUED", "1", [2], "2"]);
});

Deno.test("CLIENT REPLY SKIP still drops the reply of a command the pause held", async () => {
  const transcript = await onBoth(async (t) => {
    const [ctl, a] = await Promise.all([t.client(), t.client()]);
    await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
    await a.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n");
    const reply = later(a, "SET", "k", "v");
    await untilBlocked(ctl, 1);
    await ctl.call("CLIENT", "UNPAUSE");
    // Only GET's reply comes: SET's was skipped.
    await a.write("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
    return [await reply];
  });
  deepEqual(transcript, ["v"]);
});

Deno.test("a held client that disconnects is dropped; CLIENT UNBLOCK does not release it", async () => {
  await using t = await startTestServer();
  const [ctl, gone, held] = await Promise.all([t.client(), t.client(), t.client()]);
  await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
  void gone.send("SET", "gone", "1").catch(() => {});
  await untilBlocked(ctl, 1);
  gone.close();
  await untilBlocked(ctl, 0);
  const heldId = Number(await held.call("CLIENT", "ID"));
  const reply = later(held, "SET", "k", "v");
  await untilBlocked(ctl, 1);
  equal(await ctl.call("CLIENT", "UNBLOCK", heldId), 0);
  equal(await ctl.call("CLIENT", "UNBLOCK", heldId, "ERROR"), 0);
  await ctl.call("CLIENT", "UNPAUSE");
  equal(await reply, "OK");
  equal(await ctl.call("EXISTS", "gone"), 0);
});

Deno.test("active expiry does not run during a pause", async () => {
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const ctl = await t.client();
  // The server's own cron must not expire the key before the pause starts.
  await ctl.call("DEBUG", "SET-ACTIVE-EXPIRE", 0);
  const at = Date.now() + 5;
  await ctl.call("SET", "k", "v", "PXAT", at);
  while (Date.now() <= at) await new Promise((r) => setTimeout(r, 1));
  await ctl.call("CLIENT", "PAUSE", 10_000, "WRITE");
  await ctl.call("DEBUG", "SET-ACTIVE-EXPIRE", 1);
  t.server.tick();
  // DBSIZE counts keys without expiring them.
  equal(await ctl.call("DBSIZE"), 1);
  await ctl.call("CLIENT", "UNPAUSE");
  t.server.tick();
  equal(await ctl.call("DBSIZE"), 0);
});

Deno.test("CLIENT PAUSE and UNPAUSE errors match redis-server", async () => {
  const mismatches = await diffAgainstRedis([
    { args: ["CLIENT", "PAUSE"] },
    { args: ["CLIENT", "PAUSE", "abc"] },
    { args: ["CLIENT", "PAUSE", "1.5"] },
    { args: ["CLIENT", "PAUSE", "-1"] },
    { args: ["CLIENT", "PAUSE", "99999999999999999999"] },
    { args: ["CLIENT", "PAUSE", "10", "foo"] },
    { args: ["CLIENT", "PAUSE", "abc", "foo"] },
    { args: ["CLIENT", "PAUSE", "-1", "WRITE"] },
    { args: ["CLIENT", "PaUsE", "10", "write", "extra"] },
    { args: ["CLIENT", "UNPAUSE", "x"] },
    { args: ["CLIENT", "UNPAUSE"] },
    { args: ["CLIENT", "PAUSE", "0"] },
    { args: ["CLIENT", "PAUSE", "0", "wRiTe"] },
    { args: ["PING"] },
  ]);
  if (mismatches === null) return;
  equal(mismatches.length, 0, describeMismatches(mismatches));
});
