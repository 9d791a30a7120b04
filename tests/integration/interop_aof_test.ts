/**
 * AOF interoperability with redis-server 7.0.15, both ways, compared with
 * DEBUG DIGEST:
 *
 * - Cairn writes (multi-part with and without RDB preamble; single file with
 *   and without it), with a rewrite and writes after it; redis-server loads
 *   the directory (upgrading the single file as 7.0 does);
 * - redis-server writes a multi-part AOF (after a BGREWRITEAOF, with incr
 *   writes, with and without preamble); Cairn loads it, and redis-server
 *   loads what Cairn appended to it;
 * - redis-check-aof accepts Cairn's manifests and files.
 */

import { equal, match } from "node:assert/strict";
import { redisBinary, requireRedis, startTestServer } from "../_helpers/servers.ts";
import { AOF_LAYOUTS, aofLayoutName } from "./aof_helpers.ts";
import {
  copyTree,
  digest,
  manifestOf,
  multipartAof,
  nextRewrite,
  run,
  spawnRedis,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";

/** Loads a copy of `dir` in redis-server with appendonly yes; returns its digest. */
async function redisDigest(dir: string, extra: Record<string, string> = {}): Promise<string> {
  const copy = await tempDir("redis-interop-");
  try {
    copyTree(dir, copy);
    await using r = await spawnRedis(copy, { appendonly: "yes", ...extra });
    return await digest(await r.client());
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
}

for (const { multiPart, preamble } of AOF_LAYOUTS) {
  const name = aofLayoutName({ multiPart, preamble });
  Deno.test(`Cairn writes a ${name}; redis-server loads the same data`, async () => {
    if (!requireRedis()) return;
    const dir = await tempDir();
    try {
      const config = multipartAof({
        "aof-multi-part": multiPart,
        "aof-use-rdb-preamble": preamble,
        "aof-timestamp-enabled": !preamble,
      });
      let expected: string;
      {
        await using t = await startTestServer(config, { dir });
        const c = await t.client();
        await writeEveryType(c, "a");
        const ended = nextRewrite(t.server);
        await c.call("BGREWRITEAOF");
        equal(await ended, "ok");
        await writeEveryType(c, "b");
        await c.call("DEL", "str:a", "list:a");
        await c.call("EXPIRE", "hash:a", 1_000_000);
        expected = await digest(c);
      }
      equal(await redisDigest(dir), expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const preamble of [true, false]) {
  Deno.test(`redis-server writes a multi-part AOF (preamble ${preamble}); Cairn loads it and appends to it`, async () => {
    if (!requireRedis()) return;
    const dir = await tempDir();
    try {
      const yesNo = preamble ? "yes" : "no";
      let expected: string;
      {
        await using r = await spawnRedis(dir, { appendonly: "yes", "aof-use-rdb-preamble": yesNo });
        const c = await r.client();
        await writeEveryType(c, "a");
        await c.call("BGREWRITEAOF");
        while (
          (await c.call("INFO", "persistence") as string).includes("aof_rewrite_in_progress:1")
        ) {
          await new Promise((r) => setTimeout(r, 10));
        }
        await writeEveryType(c, "b");
        await c.call("DEL", "set:a");
        expected = await digest(c);
        await r.stop();
      }
      const manifest = manifestOf(dir);
      match(
        manifest,
        new RegExp(`appendonly\\.aof\\.2\\.base\\.${preamble ? "rdb" : "aof"} seq 2 type b`),
      );
      let appended: string;
      {
        await using t = await startTestServer(
          multipartAof({ "aof-use-rdb-preamble": preamble }),
          { dir },
        );
        const c = await t.client();
        equal(await digest(c), expected);
        equal(
          manifestOf(dir),
          manifest,
          "Cairn opens Redis's last incr file and keeps the manifest",
        );
        await writeEveryType(c, "cairn");
        appended = await digest(c);
      }
      equal(await redisDigest(dir), appended, "redis-server loads what Cairn appended");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("redis-check-aof accepts Cairn's manifests and files", async () => {
  const checker = redisBinary("redis-check-aof");
  if (!requireRedis() || checker === null) return;
  for (const preamble of [true, false]) {
    await using t = await startTestServer(
      multipartAof({ "aof-use-rdb-preamble": preamble, "aof-timestamp-enabled": true }),
    );
    const c = await t.client();
    await writeEveryType(c, "a");
    const ended = nextRewrite(t.server);
    await c.call("BGREWRITEAOF");
    equal(await ended, "ok");
    await writeEveryType(c, "b");
    const { code, out } = await run(checker, [
      `${t.dir}/appendonlydir/appendonly.aof.manifest`,
    ]);
    equal(code, 0, out);
    match(out, /All AOF files and manifest are valid/);
    match(out, new RegExp(`Start to check BASE AOF \\(${preamble ? "RDB" : "RESP"} format\\)`));
  }
});
