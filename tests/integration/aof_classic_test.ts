/**
 * The single-file AOF (aof-classic) end to end, in-process: restarts,
 * BGREWRITEAOF with the two buffers, scheduling behind a BGSAVE, switching
 * appendonly at runtime, DEBUG LOADAOF, automatic rewrites, startup with a
 * truncated or corrupt file, SHUTDOWN.
 */

import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import { plain } from "../_helpers/resp_client.ts";
import { classicAof, info, nextRewriteEnd, resp } from "./aof_helpers.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "cairn-aof-" });
}

const DEBUG = { "enable-debug-command": "yes" };

Deno.test("writes of every kind survive a restart through the AOF", async () => {
  const dir = await tempDir();
  try {
    let digest: unknown;
    {
      await using t = await startTestServer({ ...classicAof("always"), ...DEBUG }, { dir });
      const c = await t.client();
      await c.call("SET", "s", "v");
      await c.call("SET", "ttl", "x", "EX", "1000");
      await c.call("RPUSH", "l", "a", "b", "c");
      await c.call("HSET", "h", "f", "1", "g", "2");
      await c.call("SADD", "set", "m1", "m2");
      await c.call("ZADD", "z", "1.5", "x", "2", "y");
      await c.call("INCRBYFLOAT", "f", "0.1");
      await c.call("SELECT", "5");
      await c.call("SET", "in5", "yes");
      await c.pipeline([["MULTI"], ["INCR", "n"], ["SELECT", "0"], ["LPOP", "l"], ["EXEC"]]);
      digest = await c.call("DEBUG", "DIGEST");
      equal(await c.call("DBSIZE"), 7);
    }
    await using t2 = await startTestServer({ ...classicAof(), ...DEBUG }, { dir });
    const c2 = await t2.client();
    equal(await c2.call("DEBUG", "DIGEST"), digest);
    ok((await c2.call("PTTL", "ttl") as number) > 990_000);
    ok(t2.log.lines.some((l) => /DB loaded from append only file: \d+\.\d{3} seconds/.test(l)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF compacts the file and keeps the writes made while it ran", async () => {
  const dir = await tempDir();
  try {
    let digest: unknown;
    {
      // A RESP base, so the file can be read as text (hybrid-preamble serves RDB bases).
      const config = { ...classicAof(), "aof-use-rdb-preamble": false, ...DEBUG };
      await using t = await startTestServer(config, { dir });
      const c = await t.client();
      for (let i = 0; i < 200; i++) await c.call("SET", `k${i}`, `v${i}`);
      for (let i = 0; i < 300; i++) await c.call("INCR", "counter");
      await c.call("RPUSH", "list", ...Array.from({ length: 100 }, (_, i) => `e${i}`));
      const before = (await Deno.stat(`${dir}/appendonly.aof`)).size;
      // One key per turn, 2 ms apart: the walk takes a while, writes interleave.
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "2000");
      const ended = nextRewriteEnd(t.server);
      equal(await c.call("BGREWRITEAOF"), "Background append only file rewriting started");
      equal((await info(c)).get("aof_rewrite_in_progress"), "1");
      const again = await c.send("BGREWRITEAOF");
      deepEqual(
        plain(again),
        new Error("ERR Background append only file rewriting already in progress"),
      );
      // Changes during the rewrite: to keys already walked and not yet walked, new keys, deletions.
      for (let i = 0; i < 200; i += 7) await c.call("SET", `k${i}`, `changed${i}`);
      await c.call("DEL", "k3", "k199");
      await c.call("SET", "during", "yes");
      await c.call("LPUSH", "list", "head");
      await c.call("SELECT", "2");
      await c.call("SET", "db2", "x");
      equal(await ended, "ok");
      const fields = await info(c);
      equal(fields.get("aof_rewrite_in_progress"), "0");
      equal(fields.get("aof_rewrites"), "1");
      equal(fields.get("aof_last_bgrewrite_status"), "ok");
      await c.call("SET", "after", "1"); // appended to the new file
      digest = await c.call("DEBUG", "DIGEST");
      const text = await Deno.readTextFile(`${dir}/appendonly.aof`);
      ok(text.startsWith(resp("SELECT", "0")), "the base starts with SELECT 0");
      ok(!text.includes(resp("INCR", "counter")), "300 INCRs became one SET");
      ok(text.includes(resp("SET", "counter", "300")));
      ok((await Deno.stat(`${dir}/appendonly.aof`)).size < before);
      equal(
        (await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.name.startsWith("temp-")).length,
        0,
      );
    }
    await using t2 = await startTestServer({ ...classicAof(), ...DEBUG }, { dir });
    equal(await (await t2.client()).call("DEBUG", "DIGEST"), digest);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF during a BGSAVE is scheduled and runs when the BGSAVE ends", async () => {
  await using t = await startTestServer({ ...classicAof(), ...DEBUG });
  const c = await t.client();
  for (let i = 0; i < 20; i++) await c.call("SET", `k${i}`, "v");
  await c.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
  equal(await c.call("BGSAVE"), "Background saving started");
  equal(await c.call("BGREWRITEAOF"), "Background append only file rewriting scheduled");
  const fields = await info(c);
  equal(fields.get("aof_rewrite_scheduled"), "1");
  equal(fields.get("aof_pending_rewrite"), "1");
  await c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
  const ended = nextRewriteEnd(t.server);
  // The cron starts the scheduled rewrite once the job slot is free.
  while ((await info(c)).get("rdb_bgsave_in_progress") === "1") {
    await new Promise((r) => setTimeout(r, 10));
  }
  t.server.tick();
  equal(await ended, "ok");
  const after = await info(c);
  equal(after.get("aof_rewrite_scheduled"), "0");
  equal(after.get("aof_rewrites"), "1");
});

Deno.test("CONFIG SET appendonly yes creates the AOF with a rewrite; no stops appending", async () => {
  const dir = await tempDir();
  try {
    let digest: unknown;
    {
      const config = { "aof-multi-part": false, "aof-use-rdb-preamble": false, ...DEBUG };
      await using t = await startTestServer(config, { dir });
      const c = await t.client();
      await c.call("SET", "before", "1");
      equal((await info(c)).get("aof_enabled"), "0");
      const ended = nextRewriteEnd(t.server);
      equal(await c.call("CONFIG", "SET", "appendonly", "yes"), "OK");
      equal((await info(c)).get("aof_enabled"), "1");
      equal(await ended, "ok");
      await c.call("SET", "after", "2");
      const text = await Deno.readTextFile(`${dir}/appendonly.aof`);
      ok(text.includes(resp("SET", "before", "1")) && text.includes(resp("SET", "after", "2")));
      digest = await c.call("DEBUG", "DIGEST");
      await c.call("CONFIG", "SET", "appendonly", "no");
      equal((await info(c)).get("aof_enabled"), "0");
      await c.call("SET", "ignored", "3");
      ok(!(await Deno.readTextFile(`${dir}/appendonly.aof`)).includes("ignored"));
    }
    await using t2 = await startTestServer({ ...classicAof(), ...DEBUG }, { dir });
    equal(await (await t2.client()).call("DEBUG", "DIGEST"), digest);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendonly yes with no AOF but an RDB: starts empty and ignores dump.rdb, as Redis", async () => {
  const dir = await tempDir();
  try {
    {
      await using t = await startTestServer({ ...DEBUG }, { dir });
      const c = await t.client();
      await c.call("SET", "from-rdb", "1");
      equal(await c.call("SAVE"), "OK");
    }
    await using t = await startTestServer({ ...classicAof(), ...DEBUG }, { dir });
    const c = await t.client();
    equal(await c.call("DBSIZE"), 0);
    equal(await Deno.readTextFile(`${dir}/appendonly.aof`), "", "an empty AOF is created");
    ok((await Deno.stat(`${dir}/dump.rdb`)).isFile, "dump.rdb is left alone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DEBUG LOADAOF empties the dataset and loads the file back", async () => {
  await using t = await startTestServer({ ...classicAof(), ...DEBUG });
  const c = await t.client();
  await c.call("SET", "a", "1");
  await c.call("HSET", "h", "f", "v");
  const digest = await c.call("DEBUG", "DIGEST");
  // A key changed behind the AOF's back disappears on reload.
  t.server.core.dbs[0].add("ghost", "boo");
  equal(await c.call("DBSIZE"), 3);
  equal(await c.call("DEBUG", "LOADAOF"), "OK");
  equal(await c.call("DBSIZE"), 2);
  equal(await c.call("DEBUG", "DIGEST"), digest);
  equal((await info(c)).get("rdb_changes_since_last_save"), "0");
  ok(t.log.lines.some((l) => l.includes("Append Only File loaded by DEBUG LOADAOF")));
});

Deno.test("the AOF is rewritten automatically when it doubled past auto-aof-rewrite-min-size", async () => {
  await using t = await startTestServer({
    ...classicAof(),
    "auto-aof-rewrite-min-size": 4096,
    "auto-aof-rewrite-percentage": 0, // off while the file grows: the server's own cron must not race
  });
  const c = await t.client();
  for (let i = 0; i < 200; i++) await c.call("SET", "same-key", `value-${i}`);
  const size = Number((await info(c)).get("aof_current_size"));
  ok(size > 4096);
  const ended = nextRewriteEnd(t.server);
  await c.call("CONFIG", "SET", "auto-aof-rewrite-percentage", "100");
  t.server.tick(); // or the server's own tick, whichever comes first
  equal(await ended, "ok");
  ok(t.log.lines.some((l) => /Starting automatic rewriting of AOF on \d+% growth/.test(l)));
  const fields = await info(c);
  ok(Number(fields.get("aof_current_size")) < 200);
  equal(fields.get("aof_base_size"), fields.get("aof_current_size"));
});

Deno.test("SHUTDOWN flushes and fsyncs the AOF", async () => {
  const dir = await tempDir();
  try {
    const t = await startTestServer({ ...classicAof("no") }, { dir });
    const c = await t.client();
    await c.call("SET", "k", "v");
    c.write(resp("SHUTDOWN", "NOSAVE"));
    await t.server.finished;
    ok(t.log.lines.some((l) => l.includes("Calling fsync() on the AOF file.")));
    await t[Symbol.asyncDispose]();
    equal(
      await Deno.readTextFile(`${dir}/appendonly.aof`),
      resp("SELECT", "0") + resp("SET", "k", "v"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startup with a truncated tail: loads the prefix and cuts the file, or refuses", async () => {
  const dir = await tempDir();
  try {
    const good = resp("SELECT", "0") + resp("SET", "a", "1");
    const path = `${dir}/appendonly.aof`;
    const cut = "*3\r\n$3\r\nSET\r\n$1\r\nb";
    await Deno.writeTextFile(path, good + cut);
    await rejects(
      startTestServer({ ...classicAof(), "aof-load-truncated": false }, { dir }),
      /Unexpected end of file reading the append only file appendonly.aof/,
    );
    equal((await Deno.stat(path)).size, good.length + cut.length, "the refused file is untouched");
    await using t = await startTestServer({ ...classicAof() }, { dir });
    const c = await t.client();
    deepEqual(await c.call("KEYS", "*"), ["a"]);
    equal(await Deno.readTextFile(path), good);
    ok(t.log.lines.some((l) => l.includes("!!! Truncating the AOF appendonly.aof at offset")));
    await c.call("SET", "c", "3");
    // A restarted server selects its database again before its first record, as Redis does.
    equal(await Deno.readTextFile(path), good + resp("SELECT", "0") + resp("SET", "c", "3"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startup with a corrupt AOF refuses with the offset and the record", async () => {
  const dir = await tempDir();
  try {
    const good = resp("SELECT", "0") + resp("SET", "a", "1");
    await Deno.writeTextFile(`${dir}/appendonly.aof`, good + "garbage\r\n" + resp("SET", "b", "2"));
    await rejects(
      startTestServer({ ...classicAof() }, { dir }),
      (e: Error) => {
        match(e.message, /Bad file format reading the append only file appendonly.aof/);
        match(e.message, new RegExp(`offset ${good.length}`));
        match(e.message, /garbage/);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("INFO persistence shows the aof_* fields with true values, in Redis's order", async () => {
  await using t = await startTestServer({ ...classicAof() });
  const c = await t.client();
  await c.call("SET", "k", "v");
  const names = [...(await info(c)).keys()];
  const aof = names.filter((n) => n.startsWith("aof_"));
  deepEqual(aof, [
    "aof_enabled",
    "aof_rewrite_in_progress",
    "aof_rewrite_scheduled",
    "aof_last_rewrite_time_sec",
    "aof_current_rewrite_time_sec",
    "aof_last_bgrewrite_status",
    "aof_rewrites",
    "aof_rewrites_consecutive_failures",
    "aof_last_write_status",
    "aof_last_cow_size",
    "aof_current_size",
    "aof_base_size",
    "aof_pending_rewrite",
    "aof_buffer_length",
    "aof_pending_bio_fsync",
    "aof_delayed_fsync",
  ]);
  equal(names.indexOf("aof_current_size"), names.indexOf("module_fork_last_cow_size") + 1);
  const fields = await info(c);
  equal(fields.get("aof_current_size"), String((await Deno.stat(`${t.dir}/appendonly.aof`)).size));
});
