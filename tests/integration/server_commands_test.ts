/**
 * Server and connection commands: replies compared with redis-server
 * 7.0.15 where they are deterministic, and multi-client behaviour (MONITOR,
 * CLIENT KILL/LIST/REPLY/UNBLOCK, SHUTDOWN, CONFIG SET events, INFO) checked
 * against an in-process Cairn.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  describeMismatches,
  diffAgainstRedis,
  diffOnClients,
  type DiffStep,
} from "../_helpers/differential.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import { plain, type Reply, type RespClient } from "../_helpers/resp_client.ts";
import { BUILTIN_COMMANDS } from "../../core/commands/mod.ts";
import { CONNECTION_COMMANDS } from "../../core/commands/connection.ts";
import { SERVER_COMMANDS } from "../../core/commands/server.ts";
import { DEBUG_COMMANDS } from "../../core/commands/debug.ts";
import { definePlugin } from "../../core/plugin.ts";

const REGISTERED = new Set(BUILTIN_COMMANDS.map((spec) => spec.name));

/** A step whose reply holds a connection id or a time: only its shape is compared. */
function shape(...args: (string | number)[]): DiffStep {
  return { args, mode: "shape" };
}

/**
 * Steps from command lines (exact comparison) or ready steps; steps whose
 * command another family has not registered yet are left out on both sides.
 */
function steps(...lines: ((string | number)[] | DiffStep)[]): DiffStep[] {
  const out: DiffStep[] = [];
  for (const line of lines) {
    const step = Array.isArray(line) ? { args: line } : line;
    const name = String(step.args[0]).toLowerCase();
    if (REGISTERED.has(name)) out.push(step);
    else console.warn(`${name} is not implemented yet: step left out`);
  }
  return out;
}

async function expectSameAsRedis(
  list: DiffStep[],
  config: Record<string, string> = {},
): Promise<void> {
  const mismatches = await diffAgainstRedis(list, config);
  if (mismatches === null) return;
  equal(mismatches.length, 0, describeMismatches(mismatches));
}

function text(r: Reply): string {
  if (r.type === "bulk" || r.type === "verbatim" || r.type === "simple") return r.value;
  throw new Error(`expected a string reply, got ${JSON.stringify(r)}`);
}

/** INFO's `name:value` fields of one reply, in order. */
function infoFields(r: Reply): [string, string][] {
  return text(r).split("\r\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => {
    const at = l.indexOf(":");
    return [l.slice(0, at), l.slice(at + 1)];
  });
}

/** INFO's section titles and field names, `# Title` lines included. */
function infoLayout(r: Reply): string[] {
  return text(r).split("\r\n").filter((l) => l !== "").map((l) =>
    l.startsWith("#") ? l : l.slice(0, l.indexOf(":"))
  );
}

Deno.test("PING, ECHO, HELLO, AUTH and RESET reply like redis-server", async () => {
  await expectSameAsRedis(steps(
    ["PING"],
    ["PING", "x"],
    ["PING", "a", "b"],
    ["ECHO", "hi"],
    ["ECHO"],
    ["ECHO", "a", "b"],
    ["HELLO", "4"],
    ["HELLO", "1"],
    ["HELLO", "abc"],
    ["HELLO", "3", "foo"],
    ["HELLO", "3", "AUTH", "x"],
    ["HELLO", "3", "SETNAME", "a b"],
    ["HELLO", "3", "AUTH", "bob", "x"],
    ["CLIENT", "GETNAME"],
    ["AUTH", "x"],
    ["AUTH", "default", "anything"],
    ["AUTH", "bob", "x"],
    ["AUTH", "a", "b", "c"],
    shape("HELLO", "3", "SETNAME", "named"),
    ["CLIENT", "GETNAME"],
    ["PING"],
    ["RESET"],
    ["CLIENT", "GETNAME"],
    ["PING"],
  ));
});

Deno.test("AUTH and HELLO with requirepass behave as redis-server's", async () => {
  await expectSameAsRedis(
    steps(
      ["PING"],
      ["AUTH", "wrong"],
      ["HELLO", "3"],
      ["HELLO", "3", "AUTH", "default", "wrong"],
      ["AUTH", "s3cret"],
      ["PING"],
      ["AUTH", "wrong"],
      ["PING"],
      ["RESET"],
      ["PING"],
      ["AUTH", "default", "s3cret"],
      shape("HELLO", "2", "AUTH", "default", "s3cret"),
      ["GET", "k"],
    ),
    { requirepass: "s3cret" },
  );
});

Deno.test("CLIENT subcommands validate like redis-server", async () => {
  await expectSameAsRedis(steps(
    ["CLIENT", "SETNAME", "a b"],
    ["CLIENT", "SETNAME", "é"],
    ["CLIENT", "SETNAME", "worker-1"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", ""],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME"],
    ["CLIENT", "NO-EVICT", "on"],
    ["CLIENT", "NO-EVICT", "off"],
    ["CLIENT", "NO-EVICT", "maybe"],
    ["CLIENT", "LIST", "TYPE", "foo"],
    ["CLIENT", "LIST", "ID", "abc"],
    ["CLIENT", "LIST", "ID", "999999"],
    ["CLIENT", "LIST", "foo"],
    ["CLIENT", "LIST", "ID"],
    ["CLIENT", "KILL", "1.2.3.4:5"],
    ["CLIENT", "KILL", "ID", "0"],
    ["CLIENT", "KILL", "ID", "abc"],
    ["CLIENT", "KILL", "TYPE", "foo"],
    ["CLIENT", "KILL", "USER", "bob"],
    ["CLIENT", "KILL", "SKIPME", "maybe"],
    ["CLIENT", "KILL", "ID", "999999"],
    ["CLIENT", "KILL", "ID", "99", "SKIPME"],
    ["CLIENT", "KILL", "FOO", "bar"],
    ["CLIENT", "KILL", "TYPE", "master"],
    ["CLIENT", "KILL", "TYPE", "replica", "SKIPME", "no"],
    ["CLIENT", "UNBLOCK", "abc"],
    ["CLIENT", "UNBLOCK", "999999"],
    ["CLIENT", "UNBLOCK", "999999", "foo"],
    ["CLIENT", "UNBLOCK", "999999", "ERROR"],
    ["CLIENT", "REPLY", "maybe"],
    ["CLIENT", "FOO"],
    ["CLIENT"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKINGINFO"],
    shape("HELLO", "3"),
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "GETNAME"],
  ));
});

Deno.test("COMMAND, CONFIG, FUNCTION, SHUTDOWN and log commands reply like redis-server", async () => {
  await expectSameAsRedis([
    ...steps(
      shape("TIME"),
      ["COMMAND", "INFO", "get", "nosuchcommand", "config|get", "CLIENT|SETNAME"],
      ["COMMAND", "GETKEYS", "get", "a"],
      ["COMMAND", "GETKEYS", "set", "a", "b"],
      ["COMMAND", "GETKEYS", "mget", "a", "b", "c"],
      ["COMMAND", "GETKEYS", "nosuch", "a"],
      ["COMMAND", "GETKEYS", "get", "a", "b"],
      ["COMMAND", "GETKEYS", "ping", "a", "b"],
      ["COMMAND", "GETKEYS", "config", "get", "x"],
      ["COMMAND", "GETKEYSANDFLAGS", "get", "a"],
      ["COMMAND", "LIST", "FILTERBY", "foo", "x"],
      ["COMMAND", "LIST", "FILTERBY", "aclcat", "nope"],
      ["COMMAND", "LIST", "FILTERBY", "module", "x"],
      ["COMMAND", "LIST", "extra"],
      ["COMMAND", "DOCS", "nosuchcommand"],
      ["COMMAND", "HELP"],
      ["CONFIG", "GET", "maxclients"],
      ["CONFIG", "GET", "nosuchkey"],
      ["CONFIG", "SET", "nosuchkey", "1"],
      ["CONFIG", "SET", "databases", "3"],
      ["CONFIG", "SET", "maxclients", "abc"],
      ["CONFIG", "SET", "timeout", "-1"],
      ["CONFIG", "SET", "loglevel", "foo"],
      ["CONFIG", "SET", "lazyfree-lazy-expire", "maybe"],
      ["CONFIG", "SET", "timeout", "5", "timeout", "6"],
      ["CONFIG", "SET", "hash-max-ziplist-entries", "5", "hash-max-listpack-entries", "6"],
      ["CONFIG", "SET", "timeout", "5", "maxclients", "abc"],
      ["CONFIG", "GET", "timeout"],
      ["CONFIG", "SET", "timeout", "5", "nosuchkey", "1"],
      ["CONFIG", "SET", "timeout"],
      ["CONFIG", "SET", "timeout", "5", "maxclients"],
      ["CONFIG", "SET", "dir", "/tmp"],
      ["CONFIG", "SET", "timeout", "7", "LAZYFREE-LAZY-EXPIRE", "yes"],
      ["CONFIG", "RESETSTAT"],
      ["CONFIG", "REWRITE"],
      ["CONFIG", "HELP"],
      ["CONFIG", "FOO"],
      ["FUNCTION", "LIST"],
      ["FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "x*"],
      ["FUNCTION", "LIST", "foo"],
      ["FUNCTION", "LIST", "LIBRARYNAME"],
      ["FUNCTION", "FLUSH"],
      ["FUNCTION", "FLUSH", "ASYNC"],
      ["FUNCTION", "FLUSH", "foo"],
      ["FUNCTION", "FLUSH", "a", "b"],
      ["SHUTDOWN", "ABORT"],
      ["SHUTDOWN", "FOO"],
      ["SHUTDOWN", "SAVE", "NOSAVE"],
      ["SHUTDOWN", "ABORT", "NOW"],
      ["SLOWLOG", "LEN"],
      ["SLOWLOG", "GET"],
      ["SLOWLOG", "RESET"],
      ["LATENCY", "LATEST"],
      ["LATENCY", "RESET"],
      ["MULTI"],
      ["MONITOR"],
      ["EXEC"],
      ["MULTI"],
      ["SHUTDOWN"],
      ["DISCARD"],
      ["INFO", "nosuchsection"],
      shape("HELLO", "3"),
      ["COMMAND", "INFO", "get", "nosuchcommand", "config|get"],
      ["CONFIG", "GET", "maxclients"],
      shape("TIME"),
    ),
    { args: ["COMMAND", "LIST", "FILTERBY", "pattern", "config*"], mode: "unordered" },
    { args: ["CONFIG", "GET", "*ziplist-entries*"], mode: "unordered" },
    { args: ["CONFIG", "GET", "MAXCLIENTS", "maxclients", "timeout", "max*"], mode: "unordered" },
    { args: ["CONFIG", "GET", "timeout", "lazyfree-lazy-expire"], mode: "unordered" },
    { args: ["CONFIG", "GET", "*max-*-entries", "hash-max-ziplist-entries"], mode: "unordered" },
  ]);
});

Deno.test("DEBUG PROTOCOL and the DEBUG errors match redis-server in RESP2 and RESP3", async () => {
  const types = [
    "string",
    "integer",
    "double",
    "bignum",
    "null",
    "array",
    "set",
    "map",
    "attrib",
    "push",
    "verbatim",
    "true",
    "false",
    "nosuchtype",
  ];
  const protocol = types.map((t) => ["DEBUG", "PROTOCOL", t]);
  await expectSameAsRedis(steps(
    ...protocol,
    ["DEBUG", "PROTOCOL"],
    ["DEBUG", "NOSUCH"],
    ["DEBUG", "DIGEST", "extra"],
    ["DEBUG", "SLEEP", "0"],
    ["DEBUG", "SLEEP", "0.001"],
    ["DEBUG", "ERROR", "MYERR something failed"],
    ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    ["DEBUG", "PAUSE-CRON", "0"],
    ["DEBUG", "LOG", "hello"],
    ["DEBUG", "OBJECT", "missing"],
    ["DEBUG", "POPULATE", "-1"],
    ["DEBUG", "POPULATE", "abc"],
    ["DEBUG", "POPULATE", "1", "p", "-1"],
    ["DEBUG", "POPULATE", "1", "p", "1", "x"],
    shape("HELLO", "3"),
    ...protocol,
  ));
});

Deno.test("DEBUG DIGEST and DIGEST-VALUE equal redis-server's for the same data", async () => {
  const binary = String.fromCharCode(0, 1, 13, 10, 200, 255);
  await expectSameAsRedis(steps(
    ["DEBUG", "DIGEST"],
    ["DEBUG", "DIGEST-VALUE", "nokey"],
    ["SET", "s", "hello"],
    ["SET", "n", "12345"],
    ["SET", binary, binary],
    ["SET", "t", "ttl", "PXAT", "4102444800000"],
    ["DEBUG", "DIGEST"],
    ["DEBUG", "DIGEST-VALUE", "s", "n", binary, "t", "nokey"],
    ["SADD", "set", "1", "2", "300", "-7"],
    ["SADD", "mixed", "a", "1", "b"],
    ["ZADD", "z", "1.5", "a", "0.1", "b", "1e20", "c", "-inf", "d", "3", "e"],
    ["RPUSH", "l", "a", "b", "1", "c"],
    ["HSET", "h", "f", "v", "n", "1"],
    ["DEBUG", "DIGEST-VALUE", "set", "mixed", "z", "l", "h"],
    ["DEBUG", "DIGEST"],
    ["SELECT", "5"],
    ["SET", "s", "hello"],
    ["DEBUG", "DIGEST"],
    ["DEBUG", "POPULATE", "200"],
    ["DEBUG", "POPULATE", "20", "pfx", "40"],
    ["DEBUG", "POPULATE", "5", "short", "3"],
    ["DEBUG", "POPULATE", "300"],
    ["DBSIZE"],
    ["GET", "pfx:3"],
    ["GET", "short:4"],
    ["DEBUG", "DIGEST"],
  ));
});

Deno.test("DEBUG OBJECT reports the encoding and serialized length redis-server does", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const values = [
    "12",
    "-5",
    "40000",
    "123456789012",
    "hello",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS",
  ];
  for (const server of [cairn, redis]) {
    const c = await server.client();
    for (const [i, v] of values.entries()) await c.send("SET", `k${i}`, v);
  }
  const a = await cairn.client();
  const b = await redis.client();
  for (let i = 0; i < values.length; i++) {
    const fields = async (c: RespClient) => {
      const line = text(await c.send("DEBUG", "OBJECT", `k${i}`));
      match(line, /^Value at:0x[0-9a-f]+ refcount:\d+ encoding:\S+ serializedlength:\d+ lru:\d+ /);
      return line.split(" ").filter((f) => /^(refcount|encoding|serializedlength):/.test(f));
    };
    deepEqual(await fields(a), await fields(b), `value ${values[i]}`);
  }
});

Deno.test("INFO prints Redis 7.0's sections and fields in Redis's order", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  for (const c of [a, b]) await c.send("SET", "k", "v");
  for (const section of ["server", "clients", "memory", "persistence", "stats", "replication"]) {
    deepEqual(
      infoLayout(await a.send("INFO", section)),
      infoLayout(await b.send("INFO", section)),
      section,
    );
  }
  // CPU, cluster and the default selection have the same layout too.
  deepEqual(infoLayout(await a.send("INFO", "cpu", "CLUSTER")), [
    ...infoLayout(await b.send("INFO", "cpu", "CLUSTER")),
  ]);
  const titles = (r: Reply) => infoLayout(r).filter((l) => l.startsWith("#"));
  deepEqual(titles(await a.send("INFO")), titles(await b.send("INFO")));
  deepEqual(titles(await a.send("INFO", "all")), titles(await b.send("INFO", "all")));
  deepEqual(titles(await a.send("INFO", "default")), titles(await b.send("INFO", "default")));
  deepEqual(
    titles(await a.send("INFO", "keyspace", "modules", "errorstats")),
    titles(await b.send("INFO", "keyspace", "modules", "errorstats")),
  );
});

Deno.test("INFO reports keyspace, clients, command and error statistics", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  const other = await t.client();
  await c.send("SET", "a", "1");
  await c.send("SET", "b", "2", "PXAT", String(Date.now() + 100_000));
  await c.send("SELECT", "2");
  await c.send("SET", "x", "1");
  await c.send("GET", "x");
  await c.send("GET", "nokey");
  await c.send("GET");
  await c.send("NOSUCHCOMMAND");
  await c.send("CONFIG", "SET", "nosuch", "1");
  const info = new Map(infoFields(await c.send("INFO", "everything")));
  equal(info.get("db0")?.replace(/avg_ttl=\d+/, "avg_ttl=N"), "keys=2,expires=1,avg_ttl=N");
  ok(Number(/avg_ttl=(\d+)/.exec(info.get("db0")!)![1]) > 90_000);
  equal(info.get("db2"), "keys=1,expires=0,avg_ttl=0");
  equal(info.get("connected_clients"), "2");
  equal(info.get("keyspace_hits"), "1");
  equal(info.get("keyspace_misses"), "1");
  equal(info.get("tcp_port"), String(t.port));
  equal(info.get("redis_version"), "7.0.15");
  match(
    info.get("cmdstat_get")!,
    /^calls=2,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=0$/,
  );
  match(info.get("cmdstat_config|set")!, /^calls=1,.*,rejected_calls=0,failed_calls=1$/);
  equal(info.get("errorstat_ERR"), "count=3");
  equal(info.get("total_error_replies"), "3");
  other.close();
  await c.send("CONFIG", "RESETSTAT");
  const after = new Map(infoFields(await c.send("INFO", "commandstats", "errorstats", "stats")));
  equal(after.get("errorstat_ERR"), undefined);
  equal(after.get("cmdstat_get"), undefined);
  equal(after.get("total_error_replies"), "0");
  // A command's own call is counted once it returns, as in Redis.
  match(after.get("cmdstat_config|resetstat")!, /^calls=1,/);
});

Deno.test("INFO commandstats reports execution time: exact for a command's first calls, sampled after", async () => {
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  await c.call("DEBUG", "SLEEP", "0.05");
  const stat = async (name: string) => {
    const info = new Map(infoFields(await c.send("INFO", "commandstats")));
    const m = /^calls=(\d+),usec=(\d+),usec_per_call=([\d.]+),/.exec(info.get(name)!)!;
    return { calls: Number(m[1]), usec: Number(m[2]), perCall: Number(m[3]) };
  };
  const debug = await stat("cmdstat_debug");
  equal(debug.calls, 1);
  ok(debug.usec >= 50_000 && debug.usec < 5_000_000, `DEBUG SLEEP 0.05 took ${debug.usec} usec`);
  // Many calls: most are not timed, and the total is scaled from those that were.
  for (let i = 0; i < 20; i++) {
    await c.pipeline(Array.from({ length: 100 }, (_, j) => ["SET", `k${j}`, "v"]));
  }
  const set = await stat("cmdstat_set");
  equal(set.calls, 2000);
  ok(set.usec > 0);
  ok(Math.abs(set.perCall - set.usec / set.calls) < 0.01);
});

Deno.test("plugins override core INFO fields in place and append their own", async () => {
  const plugin = definePlugin({
    name: "info-test",
    setup(ctx) {
      ctx.addInfo("persistence", () => [["rdb_saves", 7], ["aof_current_size", 1234]]);
      ctx.addInfo("pluginsection", () => [["answer", 42]]);
    },
  });
  await using t = await startTestServer({}, { plugins: [plugin] });
  const c = await t.client();
  const fields = infoFields(await c.send("INFO", "persistence"));
  const names = fields.map(([n]) => n);
  equal(names[0], "loading");
  deepEqual(fields.find(([n]) => n === "rdb_saves"), ["rdb_saves", "7"]);
  ok(names.indexOf("rdb_saves") < names.indexOf("aof_enabled"), "kept in Redis's place");
  equal(names.at(-1), "aof_current_size");
  equal(names.filter((n) => n === "rdb_saves").length, 1);
  deepEqual(infoLayout(await c.send("INFO", "pluginsection")), ["# Pluginsection", "answer"]);
  ok(!text(await c.send("INFO", "all")).includes("answer:"), "not part of INFO all");
  ok(text(await c.send("INFO", "everything")).includes("answer:42"));
});

Deno.test("CONFIG SET applies all values or none and announces each change", async () => {
  await using t = await startTestServer();
  const events: unknown[] = [];
  t.server.core.bus.on("config.changed", (e) => events.push(e));
  const c = await t.client();
  equal((await c.send("CONFIG", "SET", "timeout", "30", "maxclients", "nope")).type, "error");
  deepEqual(plain(await c.send("CONFIG", "GET", "timeout")), ["timeout", "0"]);
  deepEqual(events, []);
  deepEqual(await c.send("CONFIG", "SET", "timeout", "30", "maxclients", "10000"), {
    type: "simple",
    value: "OK",
  });
  deepEqual(events, [{ key: "timeout", value: "30", previous: "0" }]);
  equal(t.server.core.config.get<number>("timeout"), 30);
});

Deno.test("CONFIG REWRITE writes the file the server was started from", async () => {
  await using t = await startTestServer();
  const path = `${t.dir}/cairn.conf`;
  await Deno.writeTextFile(path, "# my config\ntimeout 0\n");
  t.server.core.config.file = path;
  t.server.core.config.fileFormat = "redis.conf";
  const c = await t.client();
  await c.send("CONFIG", "SET", "timeout", "42");
  deepEqual(await c.send("CONFIG", "REWRITE"), { type: "simple", value: "OK" });
  const written = await Deno.readTextFile(path);
  match(written, /^# my config\ntimeout 42\n/);
  await Deno.remove(path);
  await Deno.mkdir(path);
  const failed = await c.send("CONFIG", "REWRITE");
  equal(failed.type, "error");
  match((failed as { value: string }).value, /^ERR Rewriting config file: /);
});

Deno.test("MONITOR streams other clients' commands until RESET", async () => {
  await using t = await startTestServer();
  const m = await t.client();
  const c = await t.client();
  deepEqual(await m.send("MONITOR"), { type: "simple", value: "OK" });
  await c.send("SET", "k", "a b");
  await c.send("SELECT", "3");
  await c.send("GET", "k");
  const line1 = text(await m.read());
  match(line1, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "a b"$/);
  match(text(await m.read()), /^\d+\.\d{6} \[3 127\.0\.0\.1:\d+\] "SELECT" "3"$/);
  match(text(await m.read()), /^\d+\.\d{6} \[3 127\.0\.0\.1:\d+\] "GET" "k"$/);
  const list = text(await c.send("CLIENT", "LIST"));
  match(list, / flags=O /);
  deepEqual(await m.send("RESET"), { type: "simple", value: "RESET" });
  await c.send("SET", "k", "after");
  deepEqual(await m.send("PING"), { type: "simple", value: "PONG" });
});

Deno.test("CLIENT LIST and INFO describe each connection", async () => {
  await using t = await startTestServer();
  const a = await t.client();
  const b = await t.client();
  const idA = Number(plain(await a.send("CLIENT", "ID")));
  const idB = Number(plain(await b.send("CLIENT", "ID")));
  await a.send("CLIENT", "SETNAME", "alpha");
  await b.send("SELECT", "4");
  await b.send("MULTI");
  await b.send("GET", "x");
  const lines = text(await a.send("CLIENT", "LIST")).split("\n");
  equal(lines.at(-1), "");
  const lineA = lines.find((l) => l.startsWith(`id=${idA} `))!;
  const lineB = lines.find((l) => l.startsWith(`id=${idB} `))!;
  match(
    lineA,
    /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=-?\d+ name=alpha age=\d+ idle=\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=0 oll=0 omem=0 tot-mem=\d+ events=r cmd=client\|list user=default redir=-1 resp=2$/,
  );
  match(lineB, / name= .* flags=x db=4 .* multi=1 .* multi-mem=4 /);
  const only = text(await a.send("CLIENT", "LIST", "ID", String(idB), "12345678"));
  equal(only.split("\n").length, 2);
  ok(only.startsWith(`id=${idB} `));
  equal(text(await a.send("CLIENT", "LIST", "TYPE", "normal")).split("\n").length, 3);
  equal(text(await a.send("CLIENT", "LIST", "TYPE", "pubsub")), "");
  await b.send("DISCARD");
  const info = text(await b.send("CLIENT", "INFO"));
  ok(info.startsWith(`id=${idB} `) && info.endsWith("\n") && info.includes(" cmd=client|info "));
});

Deno.test("CLIENT KILL closes the matching connections", async () => {
  await using t = await startTestServer();
  const a = await t.client();
  const b = await t.client();
  const c = await t.client();
  const idB = String(plain(await b.send("CLIENT", "ID")));
  deepEqual(await a.send("CLIENT", "KILL", "ID", idB), { type: "integer", value: 1n });
  equal(await b.closedByPeer(), true);
  const addrC = / addr=(\S+) /.exec(text(await c.send("CLIENT", "INFO")))![1];
  deepEqual(await a.send("CLIENT", "KILL", addrC), { type: "simple", value: "OK" });
  equal(await c.closedByPeer(), true);
  deepEqual(await a.send("CLIENT", "KILL", "TYPE", "normal"), { type: "integer", value: 0n });
  deepEqual(await a.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"), {
    type: "integer",
    value: 1n,
  });
  equal(await a.closedByPeer(), true);
});

Deno.test("CLIENT REPLY OFF, SKIP and ON drop exactly the replies Redis drops", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await c.write(
    "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n" +
      "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n",
  );
  // SKIP has no reply and hides SET's: the first reply is GET's.
  deepEqual(await c.read(), { type: "bulk", value: "1" });
  await c.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n");
  await c.write("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n2\r\n");
  await c.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n");
  deepEqual(await c.send("CLIENT", "REPLY", "ON"), { type: "simple", value: "OK" });
  deepEqual(await c.send("GET", "a"), { type: "bulk", value: "2" });
});

Deno.test("CLIENT UNBLOCK ends a blocking wait with its timeout reply or an error", async () => {
  if (!REGISTERED.has("bzpopmin")) return;
  await using t = await startTestServer();
  const a = await t.client();
  const b = await t.client();
  const m = await t.client();
  await m.send("MONITOR");
  const idB = String(plain(await b.send("CLIENT", "ID")));
  await m.read(); // CLIENT ID
  // MONITOR sees a command once it ran, so b is waiting when its BZPOPMIN shows.
  const blockB = async () => {
    await b.write("*3\r\n$8\r\nBZPOPMIN\r\n$1\r\nz\r\n$1\r\n0\r\n");
    match(text(await m.read()), /"BZPOPMIN" "z" "0"$/);
  };
  await blockB();
  match(text(await a.send("CLIENT", "LIST", "ID", idB)), / flags=b /);
  deepEqual(await a.send("CLIENT", "UNBLOCK", idB), { type: "integer", value: 1n });
  deepEqual(await b.read(), { type: "nullarray" });
  await blockB();
  deepEqual(await a.send("CLIENT", "UNBLOCK", idB, "ERROR"), { type: "integer", value: 1n });
  deepEqual(await b.read(), {
    type: "error",
    value: "UNBLOCKED client unblocked via CLIENT UNBLOCK",
  });
  deepEqual(await a.send("CLIENT", "UNBLOCK", idB), { type: "integer", value: 0n });
});

Deno.test("SHUTDOWN waits for the plugins and replies their refusal", async () => {
  let started = Promise.withResolvers<void>();
  let verdict = Promise.withResolvers<boolean>();
  const plugin = definePlugin({
    name: "slow-shutdown",
    setup: () => ({
      shutdown: async () => {
        started.resolve();
        if (await verdict.promise) throw new Error("disk is gone");
      },
    }),
  });
  await using t = await startTestServer({}, { plugins: [plugin] });
  const a = await t.client();
  const b = await t.client();
  await a.write("*1\r\n$8\r\nSHUTDOWN\r\n");
  await started.promise;
  match(text(await b.send("INFO", "clients")), /blocked_clients:1\r\n/);
  verdict.resolve(true);
  deepEqual(await a.read(), { type: "error", value: "ERR Errors trying to SHUTDOWN. Check logs." });
  deepEqual(await a.send("PING"), { type: "simple", value: "PONG" });
  started = Promise.withResolvers<void>();
  verdict = Promise.withResolvers<boolean>();
  await a.write("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
  await started.promise;
  verdict.resolve(false);
  await t.server.finished;
  equal(await a.closedByPeer(), true);
});

Deno.test("the instantaneous rate in INFO averages the last 16 samples", async () => {
  await using t = await startTestServer();
  const core = t.server.core;
  // Ticks in the future, 200 ms apart, 100 commands each: 500 per second.
  // The first only sets the starting point; its sample is pushed out.
  const base = Date.now() + 1000;
  core.bus.emit("cron", { now: base });
  for (let i = 1; i <= 16; i++) {
    core.stats.commandsProcessed += 100;
    core.bus.emit("cron", { now: base + i * 200 });
  }
  const c = await t.client();
  const info = new Map(infoFields(await c.send("INFO", "stats")));
  equal(info.get("instantaneous_ops_per_sec"), "500");
});

Deno.test("the same data gives the same DEBUG DIGEST on two Cairn connections and redis", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  const mismatches = await diffOnClients(
    a,
    b,
    steps(
      ["DEBUG", "POPULATE", "1000", "key", "10"],
      ["DEBUG", "DIGEST"],
      ["DEL", "key:7"],
      ["DEBUG", "DIGEST"],
      ["FLUSHALL"],
      ["DEBUG", "DIGEST"],
    ),
  );
  equal(mismatches.length, 0, describeMismatches(mismatches));
});

Deno.test("COMMAND INFO of the connection, server and DEBUG commands equals redis-server's", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  await a.send("HELLO", "3");
  await b.send("HELLO", "3");
  const families = [...CONNECTION_COMMANDS, ...SERVER_COMMANDS, ...DEBUG_COMMANDS];
  const names = families.flatMap((spec) => [
    spec.name,
    ...(spec.subcommands ?? []).map((sub) => `${spec.name}|${sub.name}`),
  ]);
  for (const name of names) {
    const [ours, theirs] = [
      await a.send("COMMAND", "INFO", name),
      await b.send("COMMAND", "INFO", name),
    ];
    // Everything but the list of subcommands, which Cairn implements only in part.
    const head = (r: Reply) => (r as { value: { value: Reply[] }[] }).value[0].value.slice(0, 9);
    deepEqual(
      head(ours),
      head(theirs),
      `${name}: ${Deno.inspect([head(ours), head(theirs)], { depth: 9 })}`,
    );
  }
});
