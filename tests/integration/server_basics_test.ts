import { deepEqual as assertEquals } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import { encodeCommand, plain } from "../_helpers/resp_client.ts";
import { PREFETCH_MAX_KEYS, PREFETCH_MIN_KEYS } from "../../core/keyspace/key_prefetch.ts";

Deno.test("server answers PING and a protocol error closes only that connection", async () => {
  await using t = await startTestServer();
  const a = await t.client();
  const b = await t.client();
  assertEquals(await a.send("PING"), { type: "simple", value: "PONG" });
  await b.write("*1\r\n$x\r\n");
  assertEquals(await b.read(), { type: "error", value: "Protocol error: invalid bulk length" });
  assertEquals(await b.closedByPeer(), true);
  assertEquals(await a.send("PING", "hi"), { type: "bulk", value: "hi" });
});

Deno.test("inline commands and pipelined requests split across writes", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await c.write("SET k 'hello world'\r\nGET k\r\n*2\r\n$3\r\nGE");
  assertEquals(await c.read(), { type: "simple", value: "OK" });
  assertEquals(await c.read(), { type: "bulk", value: "hello world" });
  await c.write("T\r\n$1\r\nk\r\n");
  assertEquals(await c.read(), { type: "bulk", value: "hello world" });
});

Deno.test("long pipelines on a table large enough for the key prefetch run every command in order", async () => {
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  await c.call("DEBUG", "POPULATE", PREFETCH_MIN_KEYS, "key");
  const commands: string[][] = [];
  const expected: unknown[] = [];
  // More commands than one prefetch covers, mixing keyed and keyless ones.
  for (let i = 0; commands.length < PREFETCH_MAX_KEYS * 5; i++) {
    commands.push(["SET", `key:${i}`, `new:${i}`], ["GET", `key:${i}`], ["PING"]);
    commands.push(["GET", `key:${i + 1000}`], ["INCR", "counter"], ["DEL", `key:${i + 2000}`]);
    expected.push("OK", `new:${i}`, "PONG", `value:${i + 1000}`, i + 1, 1);
  }
  const bytes = new Uint8Array(commands.flatMap((cmd) => [...encodeCommand(cmd)]));
  // Written whole, then in pieces that cut requests anywhere.
  for (const piece of [bytes.length, 37]) {
    await c.call("FLUSHALL");
    await c.call("DEBUG", "POPULATE", PREFETCH_MIN_KEYS, "key");
    for (let at = 0; at < bytes.length; at += piece) await c.write(bytes.subarray(at, at + piece));
    const replies = [];
    for (let i = 0; i < commands.length; i++) replies.push(plain(await c.read()));
    assertEquals(replies, expected, `pieces of ${piece} bytes`);
  }
});

Deno.test("unknown command and arity errors use Redis's wording", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  assertEquals(await c.send("NOPE", "a", "b"), {
    type: "error",
    value: "ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ",
  });
  assertEquals(await c.send("GET"), {
    type: "error",
    value: "ERR wrong number of arguments for 'get' command",
  });
});
