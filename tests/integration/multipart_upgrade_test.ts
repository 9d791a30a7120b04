/**
 * Moving a dataset from the single-file AOF (`aof-multi-part no`, Redis
 * 6.x's layout) to the multi-part one by restarting with `aof-multi-part
 * yes`: the old file becomes base 1 exactly as Redis 7.0's upgrade does,
 * nothing is lost, later rewrites retire it; redis-server 7.0.15 upgrades
 * the same file to the same manifest and data; an upgrade interrupted
 * half-way is finished at the next start.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { requireRedis, startTestServer } from "../_helpers/servers.ts";
import {
  copyTree,
  digest,
  fileText,
  listDir,
  manifestOf,
  multipartAof,
  nextRewrite,
  resp,
  spawnRedis,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";

const UPGRADED = "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";

/** Writes the every-type dataset into a single-file AOF in `dir`; returns its digest. */
async function classicDataset(dir: string, preamble: boolean): Promise<string> {
  const config = {
    appendonly: true,
    "aof-multi-part": false,
    "aof-use-rdb-preamble": preamble,
    "enable-debug-command": "yes",
  };
  await using t = await startTestServer(config, { dir });
  const c = await t.client();
  await writeEveryType(c, "old");
  if (preamble) {
    // Rewrite so that the file starts with an RDB preamble, then add a tail.
    const ended = nextRewrite(t.server);
    await c.call("BGREWRITEAOF");
    equal(await ended, "ok");
    await writeEveryType(c, "tail");
  }
  return await digest(c);
}

for (const preamble of [false, true]) {
  Deno.test(`restarting with aof-multi-part yes upgrades a single-file AOF (preamble ${preamble})`, async () => {
    const dir = await tempDir();
    try {
      const before = await classicDataset(dir, preamble);
      ok(fileText(`${dir}/appendonly.aof`).startsWith("REDIS") === preamble);
      let after: string;
      {
        await using t = await startTestServer(multipartAof(), { dir });
        const c = await t.client();
        equal(await digest(c), before, "every write of the old file is there");
        const lines = t.log.lines.join("\n");
        match(
          lines,
          /Successfully migrated an old-style AOF file \(appendonly\.aof\) into the AOF directory \(appendonlydir\)\./,
        );
        if (preamble) match(lines, /Reading RDB preamble from AOF file\.\.\./);
        equal(manifestOf(dir), UPGRADED);
        ok(!listDir(dir).includes("appendonly.aof"), "the old file moved into the directory");
        await c.call("SET", "new", "write");
        ok(
          fileText(`${dir}/appendonlydir/appendonly.aof.1.incr.aof`).includes(
            resp("SET", "new", "write"),
          ),
        );
        after = await digest(c);
      }
      {
        await using t = await startTestServer(multipartAof(), { dir });
        const c = await t.client();
        equal(await digest(c), after);
        const ended = nextRewrite(t.server);
        await c.call("BGREWRITEAOF");
        equal(await ended, "ok");
        equal(
          manifestOf(dir),
          "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
        );
        ok(!listDir(`${dir}/appendonlydir`).includes("appendonly.aof"), "the old base was deleted");
      }
      await using t = await startTestServer(multipartAof(), { dir });
      equal(await digest(await t.client()), after);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("redis-server 7.0 upgrades the same single file to the same manifest and data", async () => {
  if (!requireRedis()) return;
  const dir = await tempDir();
  const copy = await tempDir("redis-upgrade-");
  try {
    const before = await classicDataset(dir, true);
    copyTree(dir, copy);
    await using r = await spawnRedis(copy, { appendonly: "yes" });
    equal(await digest(await r.client()), before);
    await r.stop();
    equal(manifestOf(copy), UPGRADED);
    await using _t = await startTestServer(multipartAof(), { dir });
    equal(manifestOf(dir), manifestOf(copy));
    deepEqual(listDir(`${dir}/appendonlydir`), listDir(`${copy}/appendonlydir`));
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(copy, { recursive: true });
  }
});

Deno.test("an upgrade interrupted after the manifest was written is finished at the next start", async () => {
  const dir = await tempDir();
  try {
    const before = await classicDataset(dir, false);
    // The state a crash between Redis's manifest write and its rename leaves.
    Deno.mkdirSync(`${dir}/appendonlydir`);
    Deno.writeTextFileSync(
      `${dir}/appendonlydir/appendonly.aof.manifest`,
      "file appendonly.aof seq 1 type b\n",
    );
    await using t = await startTestServer(multipartAof(), { dir });
    equal(await digest(await t.client()), before);
    equal(manifestOf(dir), UPGRADED);
    match(t.log.lines.join("\n"), /Successfully migrated an old-style AOF file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with appendonly no the old file is left alone", async () => {
  const dir = await tempDir();
  try {
    await classicDataset(dir, false);
    await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir });
    ok(listDir(dir).includes("appendonly.aof"));
    deepEqual(listDir(`${dir}/appendonlydir`), []);
    equal(await (await t.client()).call("DBSIZE"), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
