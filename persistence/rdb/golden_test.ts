/**
 * Compares the codec with files produced by a real redis-server 7.0.15
 * (testdata/generate.ts): DUMP payloads byte for byte, and the contents of
 * Redis's own RDB files and of legacy files Redis loaded.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { defaultLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from "./dump.ts";
import { type KeyMeta, readRdb, readRdbFile } from "./reader.ts";
import { contentsOf, type KeyContents } from "./test_contents.ts";
import { buildV11SetListpack } from "./test_old_formats.ts";
import { TEST_BUILDERS } from "./test_values.ts";
import { CONTRACT_BUILDERS, type ValueBuilders } from "./builders.ts";
import { corpus, type CorpusEntry } from "./testdata/corpus.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;
const limits = defaultLimits();

/** The corpus entry as a value made by `builders`. */
export function modelOf(e: CorpusEntry, builders: ValueBuilders): Value {
  switch (e.kind) {
    case "string":
      return e.value;
    case "list":
      return builders.list(e.items, limits);
    case "set":
      return builders.set(e.members, limits);
    case "hash":
      return builders.hash(e.entries, limits);
    case "zset":
      return builders.zset(e.entries, limits);
  }
}

function readDumps(bin: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let p = 0; p < bin.length;) {
    const n = dv.getUint32(p, true);
    out.push(bin.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return out;
}

/** A listpack stores a -0 score as the integer 0: compare scores that way. */
function normalizeZero(c: KeyContents): KeyContents {
  if (c.type !== "zset") return c;
  const value = (c.value as [string, string][]).map((
    [m, s],
  ): [string, string] => [m, s === "-0" ? "0" : s]);
  return { ...c, value };
}

type Contents = Record<number, Record<string, KeyContents>>;

async function readContents(bytes: Uint8Array, metas?: Map<string, KeyMeta>) {
  const contents: Contents = {};
  const result = await readRdb(bytes, {
    limits,
    builders: TEST_BUILDERS,
    onKey(db, key, value, expireAt, meta) {
      (contents[db] ??= {})[key] = contentsOf(value, expireAt);
      metas?.set(key, meta);
    },
  });
  // Same key order as the JSON (sorted), so deepEqual compares like for like.
  const sorted: Contents = {};
  for (const db of Object.keys(contents)) {
    const keys = Object.keys(contents[+db]).sort();
    sorted[+db] = Object.fromEntries(keys.map((k) => [k, contents[+db][k]]));
  }
  return { contents: sorted, result };
}

for (
  const [name, builders] of [["test values", TEST_BUILDERS], [
    "Cairn values",
    CONTRACT_BUILDERS,
  ]] as const
) {
  Deno.test(`golden: DUMP payloads of ${name} are byte-identical to Redis 7.0.15's`, async () => {
    const dumps = readDumps(await Deno.readFile(`${dir}dumps.bin`));
    const entries = corpus();
    equal(dumps.length, entries.length);
    let identical = 0;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const redis = dumps[i];
      const model = modelOf(e, builders);
      const ours = createDumpPayload(model, limits);
      ok(verifyDumpPayload(redis), `Redis payload of ${e.key} verifies`);
      const decoded = decodeDumpPayload(redis, e.key, limits, TEST_BUILDERS);
      deepEqual(
        normalizeZero(contentsOf(decoded, -1)),
        normalizeZero(contentsOf(model, -1)),
        `contents of ${e.key}`,
      );
      // Hash-table sets and hashes iterate in a random order in Redis: compare
      // type and size (each element is encoded on its own, so sizes match).
      if (redis[0] === 2 || redis[0] === 4) {
        equal(ours[0], redis[0], `type of ${e.key}`);
        equal(ours.length, redis.length, `payload size of ${e.key}`);
        continue;
      }
      deepEqual(ours, redis, `DUMP ${e.key}`);
      identical++;
    }
    ok(identical > entries.length - 6);
  });
}

Deno.test("golden: Redis 7.0.15's RDB file loads with identical contents", async () => {
  const expected = JSON.parse(await Deno.readTextFile(`${dir}redis-7.0.15.json`));
  const bytes = await Deno.readFile(`${dir}redis-7.0.15.rdb`);
  const { contents, result } = await readContents(bytes);
  deepEqual(contents, expected);
  equal(result.version, 10);
  equal(result.checksum, "ok");
  deepEqual(result.aux.map(([k]) => k), [
    "redis-ver",
    "redis-bits",
    "ctime",
    "used-mem",
    "aof-base",
  ]);
  equal(result.endOffset, bytes.length);
});

for (const version of [4, 6, 7, 9]) {
  Deno.test(`golden: legacy RDB v${version} (ziplist, zipmap, intset, old zsets) loads as Redis loads it`, async () => {
    const expected = JSON.parse(await Deno.readTextFile(`${dir}legacy-v${version}.json`));
    const metas = new Map<string, KeyMeta>();
    const { contents, result } = await readContents(
      await Deno.readFile(`${dir}legacy-v${version}.rdb`),
      metas,
    );
    deepEqual(contents, expected);
    equal(result.version, version);
    equal(result.checksum, version >= 5 ? "ok" : "absent");
    if (version >= 9) {
      deepEqual(metas.get("old:expire-ms"), { idle: 1000, freq: -1 });
      deepEqual(metas.get("old:freq"), { idle: -1, freq: 5 });
    }
  });
}

Deno.test("golden: a version 11 file with a set listpack (Redis 7.2, Valkey 8) loads", async () => {
  const members = ["a", "1", "-70000", "x".repeat(100)];
  const { contents, result } = await readContents(buildV11SetListpack(members));
  equal(result.version, 11);
  deepEqual(contents, {
    0: { "set:listpack": { type: "set", value: [...members].sort(), expireAt: -1 } },
  });
});

Deno.test("golden: readRdbFile streams the file in small chunks with the same result", async () => {
  const expected = JSON.parse(await Deno.readTextFile(`${dir}redis-7.0.15.json`));
  const contents: Contents = {};
  const progress: number[] = [];
  const result = await readRdbFile(`${dir}redis-7.0.15.rdb`, {
    limits,
    builders: TEST_BUILDERS,
    chunkBytes: 333,
    progressBytes: 10_000,
    onProgress: (n) => void progress.push(n),
    onKey(db, key, value, expireAt) {
      (contents[db] ??= {})[key] = contentsOf(value, expireAt);
    },
  });
  equal(result.checksum, "ok");
  for (const db of Object.keys(expected)) {
    deepEqual(Object.keys(contents[+db]).sort(), Object.keys(expected[db]).sort());
    for (const key of Object.keys(expected[db])) deepEqual(contents[+db][key], expected[db][key]);
  }
  ok(progress.length >= 5, "progress reported");
  ok(progress.every((n, i) => i === 0 || n > progress[i - 1]), "progress grows");
});
