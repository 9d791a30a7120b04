/**
 * Regenerates the golden files of the RDB codec's tests with a real
 * redis-server 7.0.15 (run from the repository root):
 *
 *     deno run -A persistence/rdb/testdata/generate.ts
 *
 * - `dumps.bin`: Redis's DUMP payload of every corpus key (corpus.ts), in
 *   corpus order, each as u32 LE length + bytes. The tests serialize the
 *   same contents and must produce the same bytes.
 * - `redis-7.0.15.rdb`: Redis's SAVE of the corpus; `redis-7.0.15.json`:
 *   what Redis replies for every key (the reader must load the same).
 * - `legacy-vN.rdb`: files in old formats built by test_old_formats.ts;
 *   Redis 7.0.15 loads each and `legacy-vN.json` records what it replies.
 *
 * @module
 */

import { latin1Bytes } from "../../../core/bytes.ts";
import { startRedis } from "../../../tests/_helpers/servers.ts";
import { fetchAll } from "../test_contents.ts";
import { buildLegacyRdb } from "../test_old_formats.ts";
import { commandsFor, corpus } from "./corpus.ts";

const here = new URL(".", import.meta.url).pathname;

async function generateCorpusFiles(): Promise<void> {
  await using redis = await startRedis();
  const c = await redis.client();
  const entries = corpus();
  const dumps: Uint8Array[] = [];
  for (const entry of entries) {
    await c.call("SELECT", entry.db);
    for (const cmd of commandsFor(entry)) await c.call(...cmd);
    const payload = await c.call("DUMP", entry.key) as string;
    dumps.push(latin1Bytes(payload));
  }
  let total = 0;
  for (const d of dumps) total += 4 + d.length;
  const bin = new Uint8Array(total);
  const dv = new DataView(bin.buffer);
  let p = 0;
  for (const d of dumps) {
    dv.setUint32(p, d.length, true);
    bin.set(d, p + 4);
    p += 4 + d.length;
  }
  await Deno.writeFile(`${here}dumps.bin`, bin);
  await c.call("SAVE");
  await Deno.copyFile(`${redis.dir}/dump.rdb`, `${here}redis-7.0.15.rdb`);
  const contents = await fetchAll(c);
  await Deno.writeTextFile(`${here}redis-7.0.15.json`, JSON.stringify(contents) + "\n");
}

async function generateLegacy(version: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rdb-legacy-" });
  const bytes = buildLegacyRdb(version);
  await Deno.writeFile(`${dir}/dump.rdb`, bytes);
  await using redis = await startRedis({ dbfilename: "dump.rdb" }, { dir });
  const c = await redis.client();
  const contents = await fetchAll(c);
  if (Object.keys(contents).length === 0) throw new Error(`redis loaded nothing from v${version}`);
  await Deno.writeFile(`${here}legacy-v${version}.rdb`, bytes);
  await Deno.writeTextFile(`${here}legacy-v${version}.json`, JSON.stringify(contents) + "\n");
  await redis.stop();
  await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) {
  await generateCorpusFiles();
  for (const v of [4, 6, 7, 9]) await generateLegacy(v);
  console.log("testdata regenerated in", here);
}
