/**
 * Real client libraries against an in-process Cairn: ioredis, node-redis
 * (RESP2 and RESP3) and the redis-cli binary, each doing ordinary work —
 * connection handshake (HELLO, CLIENT SETNAME, INFO ready checks), strings,
 * counters, MGET, pipelines and transactions.
 *
 * The libraries keep reconnect timers and sockets of their own, so these
 * tests turn Deno's op and resource sanitizers off and close every client
 * explicitly.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { redisBinary, startTestServer, type TestServer } from "../_helpers/servers.ts";
import { BUILTIN_COMMANDS } from "../../core/commands/mod.ts";

const LIBRARY_TEST = { sanitizeOps: false, sanitizeResources: false };

const REGISTERED = new Set(BUILTIN_COMMANDS.map((spec) => spec.name));

Deno.test({
  name: "ioredis: handshake, strings, counters, pipeline and MULTI",
  ...LIBRARY_TEST,
  async fn() {
    await using t = await startTestServer();
    // connectionName makes ioredis send CLIENT SETNAME; its ready check parses INFO.
    const redis = new Redis({
      host: "127.0.0.1",
      port: t.port,
      connectionName: "ioredis-test",
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    try {
      await redis.connect();
      equal(redis.status, "ready");
      equal(await redis.client("GETNAME"), "ioredis-test");
      equal(await redis.ping(), "PONG");
      equal(await redis.set("greeting", "hello"), "OK");
      equal(await redis.get("greeting"), "hello");
      equal(await redis.get("missing"), null);
      equal(await redis.incr("counter"), 1);
      equal(await redis.incrby("counter", 41), 42);
      deepEqual(await redis.mget("greeting", "missing", "counter"), ["hello", null, "42"]);
      deepEqual(await redis.pipeline().set("p", "1").incr("p").get("p").exec(), [
        [null, "OK"],
        [null, 2],
        [null, "2"],
      ]);
      deepEqual(await redis.multi().incr("m").incr("m").get("m").exec(), [
        [null, 1],
        [null, 2],
        [null, "2"],
      ]);
      await redis.set("s", "x");
      await assertRejectsWith(redis.incr("s"), /ERR value is not an integer or out of range/);
      const hello = await redis.call("HELLO", "2") as unknown[];
      deepEqual(hello.slice(0, 6), ["server", "redis", "version", "7.0.15", "proto", 2]);
      match(await redis.info("server"), /redis_version:7\.0\.15\r\n/);
      equal(await redis.quit(), "OK");
    } finally {
      redis.disconnect();
    }
  },
});

Deno.test({
  name: "node-redis over RESP3: HELLO 3, typed replies, MULTI and pipelines",
  ...LIBRARY_TEST,
  async fn() {
    await using t = await startTestServer();
    const client = createClient({
      socket: { host: "127.0.0.1", port: t.port, reconnectStrategy: false },
      RESP: 3,
      name: "node-redis-test",
    });
    client.on("error", () => {});
    await client.connect();
    try {
      equal(await client.clientGetName(), "node-redis-test");
      match(await client.clientInfo().then((i) => `resp=${i.resp}`), /resp=3/);
      equal(await client.set("k", "v"), "OK");
      equal(await client.get("k"), "v");
      equal(await client.incr("n"), 1);
      equal(await client.incrBy("n", 9), 10);
      deepEqual(await client.mGet(["k", "nope", "n"]), ["v", null, "10"]);
      deepEqual(await client.multi().set("a", "1").incr("a").get("a").exec(), ["OK", 2, "2"]);
      deepEqual(
        await client.multi().set("b", "x").get("b").execAsPipeline(),
        ["OK", "x"],
      );
      if (REGISTERED.has("sadd") && REGISTERED.has("zadd")) {
        equal(await client.sAdd("set", ["a", "b"]), 2);
        deepEqual((await client.sMembers("set")).sort(), ["a", "b"]);
        equal(await client.zAdd("z", { score: 1.5, value: "m" }), 1);
        equal(await client.zScore("z", "m"), 1.5);
      }
      match(await client.info("server"), /redis_version:7\.0\.15/);
    } finally {
      await client.close();
    }
  },
});

Deno.test({
  name: "node-redis over RESP2 sees the same data",
  ...LIBRARY_TEST,
  async fn() {
    await using t = await startTestServer();
    const client = createClient({
      socket: { host: "127.0.0.1", port: t.port, reconnectStrategy: false },
    });
    client.on("error", () => {});
    await client.connect();
    try {
      equal(await client.set("k", "v2"), "OK");
      deepEqual(await client.mGet(["k", "x"]), ["v2", null]);
      equal(await client.dbSize(), 1);
      deepEqual(await client.multi().incr("c").incr("c").exec(), [1, 2]);
      ok((await client.time()) instanceof Array);
    } finally {
      await client.close();
    }
  },
});

/** Runs redis-cli against `t` with `args`; returns its stdout (stdin: `input` if given). */
async function redisCli(t: TestServer, args: string[], input?: Uint8Array): Promise<string> {
  const bin = redisBinary("redis-cli")!;
  const child = new Deno.Command(bin, {
    args: ["-h", "127.0.0.1", "-p", String(t.port), ...args],
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
  }
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `redis-cli ${args.join(" ")} failed: ${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

Deno.test("redis-cli: commands, --no-raw, INFO, stdin scripts, RESP3 and --pipe", async () => {
  if (redisBinary("redis-cli") === null) {
    if (Deno.env.get("CI") === "true") throw new Error("redis-cli is required in CI");
    console.warn("redis-cli not installed: skipping");
    return;
  }
  await using t = await startTestServer();
  equal(await redisCli(t, ["SET", "name", "cairn"]), "OK\n");
  equal(await redisCli(t, ["GET", "name"]), "cairn\n");
  equal(await redisCli(t, ["--no-raw", "GET", "name"]), '"cairn"\n');
  equal(await redisCli(t, ["--no-raw", "GET", "nothing"]), "(nil)\n");
  equal(await redisCli(t, ["--no-raw", "INCR", "hits"]), "(integer) 1\n");
  equal(await redisCli(t, ["--no-raw", "MGET", "name", "hits"]), '1) "cairn"\n2) "1"\n');
  match(await redisCli(t, ["INFO"]), /^# Server\r?\nredis_version:7\.0\.15\r?\n/);
  match(await redisCli(t, ["INFO", "keyspace"]), /db0:keys=2,expires=0,avg_ttl=0/);
  const script = new TextEncoder().encode("SET a 10\nINCRBY a 5\nGET a\n");
  equal(await redisCli(t, [], script), "OK\n15\n15\n");
  const hello = await redisCli(t, ["-3", "--no-raw", "HELLO", "3"]);
  match(hello, /1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n/);
  // --pipe sends raw RESP, then an ECHO of its own to learn when all replies came.
  let protocol = "";
  for (let i = 0; i < 1000; i++) {
    protocol += `*3\r\n$3\r\nSET\r\n$${`bulk:${i}`.length}\r\nbulk:${i}\r\n$${
      String(i).length
    }\r\n${i}\r\n`;
  }
  const piped = await redisCli(t, ["--pipe"], new TextEncoder().encode(protocol));
  match(piped, /errors: 0, replies: 1000/);
  equal(await redisCli(t, ["GET", "bulk:999"]), "999\n");
  equal(await redisCli(t, ["DBSIZE"]), "1003\n");
});

Deno.test("COMMAND DOCS has the layout redis-cli 7.0 builds its help from", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  const docs = await c.send("COMMAND", "DOCS");
  equal(docs.type, "array"); // a flat map in RESP2
  const items = (docs as { value: { type: string; value: unknown }[] }).value;
  ok(items.length >= 2 * 50);
  for (let i = 0; i < items.length; i += 2) {
    equal(items[i].type, "bulk");
    const fields = items[i + 1].value as { type: string; value: unknown }[];
    const names = fields.filter((_, j) => j % 2 === 0).map((f) => f.value);
    for (const required of ["summary", "since", "group"]) ok(names.includes(required));
    const sub = names.indexOf("subcommands");
    if (sub >= 0) {
      const subs = fields[2 * sub + 1].value as { type: string; value: string }[];
      for (let j = 0; j < subs.length; j += 2) match(subs[j].value, /^[a-z-]+\|[a-z-]+$/);
    }
  }
});

async function assertRejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (e) {
    match(String((e as Error).message), pattern);
    return;
  }
  throw new Error(`expected a rejection matching ${pattern}`);
}
