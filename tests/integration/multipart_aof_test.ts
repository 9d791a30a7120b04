/**
 * The multi-part AOF (aof-multipart) end to end, in-process: the files of a
 * first start, restarts, BGREWRITEAOF with a new incr file and no second
 * buffer, history files and aof-disable-auto-gc, RESP bases and #TS:
 * annotations, switching appendonly at runtime, DEBUG LOADAOF, automatic
 * rewrites and the INFO sizes.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import { info } from "./aof_helpers.ts";
import {
  digest,
  fileText,
  listDir,
  manifestOf,
  multipartAof,
  nextRewrite,
  resp,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";

const AOF_DIR = "appendonlydir";

Deno.test("a first start creates the base, the first incr file and the manifest as Redis 7.0 does", async () => {
  await using t = await startTestServer(multipartAof());
  const aofDir = `${t.dir}/${AOF_DIR}`;
  deepEqual(listDir(aofDir), [
    "appendonly.aof.1.base.rdb",
    "appendonly.aof.1.incr.aof",
    "appendonly.aof.manifest",
  ]);
  equal(
    manifestOf(t.dir),
    "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
  );
  const base = fileText(`${aofDir}/appendonly.aof.1.base.rdb`);
  ok(base.startsWith("REDIS0010"), "the base is an RDB image");
  ok(base.includes("aof-base"), "with the aof-base AUX field");
  equal(Deno.statSync(`${aofDir}/appendonly.aof.1.incr.aof`).size, 0);
  const lines = t.log.lines.join("\n");
  match(lines, /Creating AOF base file appendonly\.aof\.1\.base\.rdb on server start/);
  match(lines, /Creating AOF incr file appendonly\.aof\.1\.incr\.aof on server start/);
  const fields = await info(await t.client());
  equal(fields.get("aof_enabled"), "1");
  equal(fields.get("aof_current_size"), "0", "Redis does not count the base created at start");
  equal(fields.get("aof_base_size"), "0");
});

Deno.test("writes of every type survive a restart; the incr file is opened again", async () => {
  const dir = await tempDir();
  try {
    let before: string;
    let incrSize: number;
    {
      await using t = await startTestServer(multipartAof(), { dir });
      const c = await t.client();
      await writeEveryType(c);
      before = await digest(c);
      incrSize = Number((await info(c)).get("aof_current_size"));
      ok(incrSize > 0);
      equal(await t.server.shutdown(), null);
    }
    await using t = await startTestServer(multipartAof(), { dir });
    const c = await t.client();
    equal(await digest(c), before);
    const lines = t.log.lines.join("\n");
    match(lines, /DB loaded from base file appendonly\.aof\.1\.base\.rdb: \d+\.\d{3} seconds/);
    match(lines, /DB loaded from incr file appendonly\.aof\.1\.incr\.aof: \d+\.\d{3} seconds/);
    match(lines, /DB loaded from append only file: \d+\.\d{3} seconds/);
    match(lines, /Opening AOF incr file appendonly\.aof\.1\.incr\.aof on server start/);
    const fields = await info(c);
    const baseSize = Deno.statSync(`${dir}/${AOF_DIR}/appendonly.aof.1.base.rdb`).size;
    equal(fields.get("aof_current_size"), String(baseSize + incrSize));
    equal(fields.get("aof_base_size"), String(baseSize));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF: a new incr file takes the writes at once; the base is installed with a manifest switch", async () => {
  const dir = await tempDir();
  try {
    let before: string;
    {
      await using t = await startTestServer(multipartAof(), { dir });
      const c = await t.client();
      await writeEveryType(c, "a");
      // One key per turn, 2 ms apart: the walk takes a while, writes interleave.
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "2000");
      const ended = nextRewrite(t.server);
      equal(await c.call("BGREWRITEAOF"), "Background append only file rewriting started");
      equal(
        manifestOf(dir),
        "file appendonly.aof.1.base.rdb seq 1 type b\n" +
          "file appendonly.aof.1.incr.aof seq 1 type i\n" +
          "file appendonly.aof.2.incr.aof seq 2 type i\n",
        "the manifest lists the new incr file before any write goes there",
      );
      deepEqual(await c.send("BGREWRITEAOF"), {
        type: "error",
        value: "ERR Background append only file rewriting already in progress",
      });
      await c.call("SET", "during", "rewrite");
      await c.call("DEL", "str:a");
      await writeEveryType(c, "b");
      const incr2 = fileText(`${dir}/${AOF_DIR}/appendonly.aof.2.incr.aof`);
      ok(incr2.startsWith(resp("SELECT", "0")), "the new incr file starts with a SELECT");
      ok(incr2.includes(resp("SET", "during", "rewrite")));
      ok(
        !fileText(`${dir}/${AOF_DIR}/appendonly.aof.1.incr.aof`).includes("during"),
        "writes made during the rewrite are in the new incr file only",
      );
      equal((await info(c)).get("aof_rewrite_in_progress"), "1");
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      equal(await ended, "ok");
      equal(
        manifestOf(dir),
        "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
      );
      deepEqual(listDir(`${dir}/${AOF_DIR}`), [
        "appendonly.aof.2.base.rdb",
        "appendonly.aof.2.incr.aof",
        "appendonly.aof.manifest",
      ]);
      ok(!listDir(dir).some((n) => n.startsWith("temp-")), "no temporary file is left");
      const base = fileText(`${dir}/${AOF_DIR}/appendonly.aof.2.base.rdb`);
      ok(!base.includes("during"), "the base is the dataset at the start of the rewrite");
      const fields = await info(c);
      equal(fields.get("aof_rewrites"), "1");
      equal(fields.get("aof_last_bgrewrite_status"), "ok");
      equal(fields.get("aof_base_size"), fields.get("aof_current_size"));
      before = await digest(c);
      const lines = t.log.lines.join("\n");
      match(lines, /Creating AOF incr file appendonly\.aof\.2\.incr\.aof on background rewrite/);
      match(
        lines,
        /Successfully renamed the temporary AOF base file temp-rewriteaof-bg-\d+\.aof into appendonly\.aof\.2\.base\.rdb/,
      );
      match(lines, /Removing the history file appendonly\.aof\.1\.incr\.aof in the background/);
      match(lines, /Removing the history file appendonly\.aof\.1\.base\.rdb in the background/);
      match(lines, /Background AOF rewrite finished successfully/);
    }
    await using t = await startTestServer(multipartAof(), { dir });
    equal(await digest(await t.client()), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aof-disable-auto-gc yes keeps the history files listed; no deletes them", async () => {
  await using t = await startTestServer(multipartAof({ "aof-disable-auto-gc": true }));
  const c = await t.client();
  await c.call("SET", "k", "v");
  const ended = nextRewrite(t.server);
  await c.call("BGREWRITEAOF");
  equal(await ended, "ok");
  // Redis lists the old incr files first, then the old base (verified on 7.0.15).
  equal(
    manifestOf(t.dir),
    "file appendonly.aof.2.base.rdb seq 2 type b\n" +
      "file appendonly.aof.1.incr.aof seq 1 type h\n" +
      "file appendonly.aof.1.base.rdb seq 1 type h\n" +
      "file appendonly.aof.2.incr.aof seq 2 type i\n",
  );
  equal(listDir(`${t.dir}/${AOF_DIR}`).length, 5);
  await c.call("CONFIG", "SET", "aof-disable-auto-gc", "no");
  equal(
    manifestOf(t.dir),
    "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
  );
});

Deno.test("aof-use-rdb-preamble no: RESP bases named .base.aof; aof-timestamp-enabled writes #TS: lines", async () => {
  const dir = await tempDir();
  try {
    const config = multipartAof({ "aof-use-rdb-preamble": false, "aof-timestamp-enabled": true });
    let before: string;
    {
      await using t = await startTestServer(config, { dir });
      const c = await t.client();
      await c.call("SET", "k1", "v1");
      match(
        fileText(`${dir}/${AOF_DIR}/appendonly.aof.1.incr.aof`),
        /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT/,
        "the first record of a second is annotated",
      );
      const ended = nextRewrite(t.server);
      await c.call("BGREWRITEAOF");
      equal(await ended, "ok");
      await c.call("SET", "k2", "v2");
      const base = fileText(`${dir}/${AOF_DIR}/appendonly.aof.2.base.aof`);
      match(base, /^#TS:\d+\r\n/);
      ok(base.includes(resp("SET", "k1", "v1")));
      before = await digest(c);
    }
    await using t = await startTestServer(config, { dir });
    equal(await digest(await t.client()), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CONFIG SET appendonly yes: writes go to the temporary incr file, which becomes the next incr file", async () => {
  const dir = await tempDir();
  try {
    let before: string;
    {
      await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir });
      const c = await t.client();
      await c.call("SET", "before", "1");
      deepEqual(listDir(`${dir}/${AOF_DIR}`), [], "nothing is written while appendonly is no");
      // One key: the rewrite lasts this delay. 20 ms was once too short under the parallel suite.
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "400000");
      const ended = nextRewrite(t.server);
      equal(await c.call("CONFIG", "SET", "appendonly", "yes"), "OK");
      equal((await info(c)).get("aof_enabled"), "1");
      await c.call("SET", "during", "2");
      ok(fileText(`${dir}/${AOF_DIR}/temp-appendonly.aof.incr`).includes("during"));
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      equal(await ended, "ok");
      equal(
        manifestOf(dir),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      );
      ok(fileText(`${dir}/${AOF_DIR}/appendonly.aof.1.incr.aof`).includes("during"));
      match(
        t.log.lines.join("\n"),
        /Successfully renamed the temporary AOF incr file temp-appendonly\.aof\.incr into appendonly\.aof\.1\.incr\.aof/,
      );
      await c.call("SET", "after", "3");
      before = await digest(c);
      // appendonly no: nothing more is appended.
      await c.call("CONFIG", "SET", "appendonly", "no");
      equal((await info(c)).get("aof_enabled"), "0");
      await c.call("SET", "ignored", "4");
      ok(!fileText(`${dir}/${AOF_DIR}/appendonly.aof.1.incr.aof`).includes("ignored"));
    }
    await using t = await startTestServer(multipartAof(), { dir });
    const c = await t.client();
    equal(await digest(c), before);
    equal(await c.call("GET", "ignored"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BGREWRITEAOF with appendonly no writes a base and retires every incr file", async () => {
  const dir = await tempDir();
  try {
    {
      await using t = await startTestServer(multipartAof(), { dir });
      await (await t.client()).call("SET", "a", "1");
    }
    await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir });
    const c = await t.client();
    await c.call("SET", "b", "2");
    const ended = nextRewrite(t.server);
    equal(await c.call("BGREWRITEAOF"), "Background append only file rewriting started");
    equal(await ended, "ok");
    equal(manifestOf(dir), "file appendonly.aof.2.base.rdb seq 2 type b\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DEBUG LOADAOF empties the dataset and loads the files the manifest lists", async () => {
  await using t = await startTestServer(multipartAof());
  const c = await t.client();
  await writeEveryType(c);
  const ended = nextRewrite(t.server);
  await c.call("BGREWRITEAOF");
  equal(await ended, "ok");
  await c.call("SET", "after-rewrite", "x");
  const before = await digest(c);
  equal(await c.call("DEBUG", "LOADAOF"), "OK");
  equal(await digest(c), before);
  equal((await info(c)).get("rdb_changes_since_last_save"), "0");
  match(t.log.lines.join("\n"), /Append Only File loaded by DEBUG LOADAOF/);
});

Deno.test("the AOF is rewritten automatically when it doubled past auto-aof-rewrite-min-size", async () => {
  await using t = await startTestServer(
    multipartAof({ "auto-aof-rewrite-min-size": 4096, "auto-aof-rewrite-percentage": 100 }),
  );
  const c = await t.client();
  const ended = nextRewrite(t.server);
  for (let i = 0; i < 100; i++) await c.call("SET", `key:${i}`, "v".repeat(100));
  t.server.tick();
  equal(await ended, "ok");
  match(t.log.lines.join("\n"), /Starting automatic rewriting of AOF on \d+% growth/);
  equal(manifestOf(t.dir).split("\n")[0], "file appendonly.aof.2.base.rdb seq 2 type b");
});

Deno.test("SHUTDOWN during a rewrite kills it and keeps the files complete", async () => {
  const dir = await tempDir();
  try {
    let before: string;
    {
      await using t = await startTestServer(multipartAof(), { dir });
      const c = await t.client();
      await writeEveryType(c);
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
      const ended = nextRewrite(t.server);
      await c.call("BGREWRITEAOF");
      await c.call("SET", "during", "1");
      before = await digest(c);
      equal(await t.server.shutdown(), null);
      equal(await ended, "killed");
    }
    ok(!listDir(dir).some((n) => n.startsWith("temp-")), "the temporary base is removed");
    await using t = await startTestServer(multipartAof(), { dir });
    equal(await digest(await t.client()), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
