/**
 * AOF files between Cairn and redis-server 7.0.15: Cairn's single file
 * passes redis-check-aof and loads into Redis (which upgrades it to its
 * multi-part layout) with the same DEBUG DIGEST; a Redis-6-style single
 * file (Redis 7's base and INCR files concatenated, RESP or RDB-preamble
 * base) loads into Cairn with the same digest; `cairn check-aof` prints
 * what redis-check-aof prints, with the same exit codes.
 */

import { equal, ok } from "node:assert/strict";
import { redisBinary, requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import type { RespClient } from "../_helpers/resp_client.ts";
import { concatBytes } from "../../core/bytes.ts";
import { parseManifest } from "../../persistence/aof/manifest.ts";
import { nextRewriteEnd } from "../integration/aof_helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A workload touching every value type, TTLs far in the future, several databases. */
async function workload(c: RespClient): Promise<void> {
  const far = 4102444800;
  await c.call("SET", "s", "v");
  await c.call("SET", "bin", "\x00\xff\r\n");
  await c.call("SET", "ttl", "x", "EXAT", far);
  await c.call("RPUSH", "l", ...Array.from({ length: 150 }, (_, i) => `e${i}`));
  await c.call("HSET", "h", ...Array.from({ length: 140 }, (_, i) => `f${i % 70}`));
  await c.call("SADD", "set", ...Array.from({ length: 100 }, (_, i) => `m${i}`));
  await c.call("SADD", "ints", "1", "2", "300000");
  await c.call("ZADD", "z", "0.1", "a", "1e300", "b", "-inf", "c", "3", "d");
  await c.call("INCRBYFLOAT", "f", "2.5");
  await c.call("SELECT", "7");
  await c.call("SET", "seven", "7");
  await c.call("EXPIREAT", "seven", far);
  await c.pipeline([["MULTI"], ["INCR", "n"], ["SELECT", "0"], ["LPOP", "l"], ["EXEC"]]);
  await c.call("SELECT", "0");
}

/** Waits until redis-server has loaded its data (it answers DEBUG while loading). */
async function loaded(client: RespClient): Promise<void> {
  while ((await client.call("INFO", "persistence") as string).includes("loading:1")) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function run(cmd: string, args: string[], stdin?: string) {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("Cairn's AOF passes redis-check-aof and loads into redis-server with the same digest", async () => {
  if (!requireRedis()) return;
  for (const afterRewrite of [false, true]) {
    const dir = await Deno.makeTempDir({ prefix: "cairn-aof-interop-" });
    try {
      let digest: unknown;
      {
        await using t = await startTestServer({
          appendonly: true,
          "aof-multi-part": false,
          "aof-timestamp-enabled": true,
          "enable-debug-command": "yes",
        }, { dir });
        const c = await t.client();
        await workload(c);
        if (afterRewrite) {
          const ended = nextRewriteEnd(t.server);
          await c.call("BGREWRITEAOF");
          equal(await ended, "ok");
          await c.call("SET", "after-rewrite", "1");
        }
        digest = await c.call("DEBUG", "DIGEST");
      }
      const check = await run(redisBinary("redis-check-aof")!, [`${dir}/appendonly.aof`]);
      equal(check.code, 0, check.stdout);
      ok(check.stdout.includes("is valid"), check.stdout);
      // Redis 7 finds an old-style appendonly.aof and upgrades it to a multi-part AOF.
      await using redis = await startRedis({ appendonly: "yes" }, { dir });
      const r = await redis.client();
      await loaded(r);
      equal(await r.call("DEBUG", "DIGEST"), digest);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a Redis-6-style single file (RESP base or RDB preamble, then RESP) loads into Cairn", async () => {
  if (!requireRedis()) return;
  for (const preamble of ["no", "yes"]) {
    await using redis = await startRedis({ appendonly: "yes", "aof-use-rdb-preamble": preamble });
    const r = await redis.client();
    await workload(r);
    await r.call("BGREWRITEAOF");
    while ((await r.call("INFO", "persistence") as string).includes("aof_rewrite_in_progress:1")) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await r.call("SET", "after", "1");
    await r.call("LPUSH", "l", "again");
    const digest = await r.call("DEBUG", "DIGEST");
    const parts = await Promise.all(
      currentAofFiles(redis.dir).map((name) => Deno.readFile(`${redis.dir}/appendonlydir/${name}`)),
    );
    const single = concatBytes(parts);
    const dir = await Deno.makeTempDir({ prefix: "cairn-aof-6style-" });
    try {
      await Deno.writeFile(`${dir}/appendonly.aof`, single);
      await using t = await startTestServer({
        appendonly: true,
        "aof-multi-part": false,
        "enable-debug-command": "yes",
      }, { dir });
      equal(await (await t.client()).call("DEBUG", "DIGEST"), digest, `preamble ${preamble}`);
      if (preamble === "yes") {
        ok(t.log.lines.some((l) => l.includes("Reading RDB preamble from AOF file...")));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

/**
 * The base file then the incr files that redis-server's manifest in `dir` lists, in load order. The
 * directory alone does not tell: the files a rewrite replaced stay there until a background thread
 * deletes them, the likely cause of a digest mismatch this test gave once when it took the first
 * files it found.
 */
function currentAofFiles(dir: string): string[] {
  const manifest = parseManifest(
    Deno.readTextFileSync(`${dir}/appendonlydir/appendonly.aof.manifest`),
  );
  ok(manifest.base !== null, "redis-server's manifest lists a base file");
  return manifest.loadOrder.map((file) => file.name);
}

/** Files to check: valid, truncated, corrupt, unfinished or nested transactions, annotations. */
function checkCases(): Record<string, string> {
  const cmd = (...a: string[]) =>
    `*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join("");
  const good = cmd("SELECT", "0") + cmd("SET", "a", "1") + cmd("MULTI") + cmd("INCR", "n") +
    cmd("EXEC");
  return {
    "valid.aof": good,
    "annotated.aof": "#TS:100\r\n" + good + "#TS:200\r\n" + cmd("SET", "b", "2"),
    "truncated.aof": good + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\nab",
    "open-multi.aof": good + cmd("MULTI") + cmd("SET", "c", "3"),
    "nested.aof": cmd("MULTI") + cmd("MULTI") + cmd("EXEC"),
    "stray-exec.aof": good + cmd("EXEC"),
    "garbage.aof": good + "hello\r\n" + cmd("SET", "x", "y"),
    "bad-crlf.aof": good + "*2\r\n$3\r\nGETxx\r\n",
    "bad-prefix.aof": good + "*2\r\n$3\r\nGET\r\n:1\r\n",
    "empty.aof": "",
  };
}

Deno.test("cairn check-aof prints what redis-check-aof prints, with the same exit codes", async () => {
  if (!requireRedis()) return;
  const dir = await Deno.makeTempDir({ prefix: "cairn-check-aof-" });
  try {
    const argSets = (f: string) => [[f], ["--fix", f], ["--truncate-to-timestamp", "150", f]];
    for (const [name, text] of Object.entries(checkCases())) {
      for (const args of argSets("FILE")) {
        const theirs = `${dir}/${name}`;
        const mine = `${dir}/${name}`;
        await Deno.writeTextFile(theirs, text);
        const expected = await run(
          redisBinary("redis-check-aof")!,
          args.map((a) => a === "FILE" ? theirs : a),
          "y\n",
        );
        const redisFile = await Deno.readTextFile(theirs);
        await Deno.writeTextFile(mine, text);
        const actual = await run(Deno.execPath(), [
          "run",
          "-A",
          `${ROOT}main.ts`,
          "check-aof",
          ...args.map((a) => a === "FILE" ? mine : a),
        ], "y\n");
        const label = `${name} ${args.join(" ")}`;
        equal(actual.stdout, expected.stdout, label);
        equal(actual.code, expected.code, label);
        equal(await Deno.readTextFile(mine), redisFile, `${label}: same file afterwards`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
