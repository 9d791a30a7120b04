import { deepEqual as assertEquals } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";

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
