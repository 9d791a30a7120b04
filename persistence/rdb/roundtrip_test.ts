/** Write → read round trips for every type, encoding and writer option. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { defaultLimits, type EncodingLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import { CONTRACT_BUILDERS, type ValueBuilders } from "./builders.ts";
import { readRdb, readRdbFile } from "./reader.ts";
import { contentsOf, type KeyContents } from "./test_contents.ts";
import { TEST_BUILDERS } from "./test_values.ts";
import { corpus, prng } from "./testdata/corpus.ts";
import {
  type DbSection,
  encodeRdb,
  RdbEncoder,
  RdbSnapshotVisitor,
  writeRdbFile,
} from "./writer.ts";
import { RdbType } from "./constants.ts";
import { concatBytes } from "../../core/bytes.ts";
import { rdbTypeOf } from "./value_encoder.ts";

type Dataset = Map<number, Map<string, [Value, number]>>;

function dataset(builders: ValueBuilders, limits: EncodingLimits): Dataset {
  const out: Dataset = new Map();
  for (const e of corpus()) {
    let value: Value;
    switch (e.kind) {
      case "string":
        value = e.value;
        break;
      case "list":
        value = builders.list(e.items, limits);
        break;
      case "set":
        value = builders.set(e.members, limits);
        break;
      case "hash":
        value = builders.hash(e.entries, limits);
        break;
      case "zset":
        value = builders.zset(e.entries, limits);
        break;
    }
    if (!out.has(e.db)) out.set(e.db, new Map());
    out.get(e.db)!.set(e.key, [value, e.expireAt ?? -1]);
  }
  return out;
}

function sections(data: Dataset): DbSection[] {
  return [...data].map(([index, keys]) => ({
    index,
    entries: [...keys].map(([k, [v, e]]) => [k, v, e] as const),
  }));
}

function expected(data: Dataset): Map<string, KeyContents> {
  const out = new Map<string, KeyContents>();
  for (const [db, keys] of data) {
    for (const [k, [v, e]] of keys) out.set(`${db}/${k}`, normalize(contentsOf(v, e)));
  }
  return out;
}

/** A listpack stores a -0 score as 0. */
function normalize(c: KeyContents): KeyContents {
  if (c.type !== "zset") return c;
  const value = (c.value as [string, string][]).map((
    [m, s],
  ): [string, string] => [m, s === "-0" ? "0" : s]);
  return { ...c, value };
}

async function readBack(
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  builders: ValueBuilders,
  limits: EncodingLimits,
) {
  const got = new Map<string, KeyContents>();
  const result = await readRdb(bytes, {
    limits,
    builders,
    chunkBytes: 4096,
    onKey(db, key, value, expireAt) {
      got.set(`${db}/${key}`, normalize(contentsOf(value, expireAt)));
    },
  });
  return { got, result };
}

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let p = 0;
  return new ReadableStream({
    pull(controller) {
      if (p >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(p, p + chunk));
      p += chunk;
    },
  });
}

const builderSets: [string, ValueBuilders][] = [["test values", TEST_BUILDERS], [
  "Cairn values",
  CONTRACT_BUILDERS,
]];

for (const [name, builders] of builderSets) {
  for (const compression of [true, false]) {
    for (const checksum of [true, false]) {
      Deno.test(`round trip (${name}, rdbcompression ${compression}, rdbchecksum ${checksum})`, async () => {
        const limits = defaultLimits();
        const data = dataset(builders, limits);
        const bytes = encodeRdb(sections(data), { limits, compression, checksum });
        const { got, result } = await readBack(bytes, builders, limits);
        deepEqual(got, expected(data));
        equal(result.checksum, checksum ? "ok" : "disabled");
        equal(result.endOffset, bytes.length);
      });
    }
  }
}

Deno.test("round trip: list node shapes (fill, plain nodes, compressed interior nodes)", async () => {
  const rand = prng(11);
  const items = Array.from({ length: 2000 }, (_, i) => "e".repeat(Math.floor(rand() * 200)) + i);
  const variants: Partial<EncodingLimits>[] = [
    { listMaxListpackSize: -1 },
    { listMaxListpackSize: -5 },
    { listMaxListpackSize: 5 },
    { listMaxListpackSize: 0 },
    { listPackedThreshold: 150 },
    { listCompressDepth: 1 },
    { listCompressDepth: 3, listMaxListpackSize: 7 },
  ];
  for (const v of variants) {
    const limits = { ...defaultLimits(), ...v };
    const list = TEST_BUILDERS.list(items, limits);
    const bytes = encodeRdb([{ index: 0, entries: [["l", list, -1]] }], { limits });
    const { got } = await readBack(bytes, TEST_BUILDERS, limits);
    deepEqual(got.get("0/l")?.value, items, JSON.stringify(v));
  }
});

Deno.test("round trip: a stream with one-byte chunks gives the same keys", async () => {
  const limits = defaultLimits();
  const data = dataset(TEST_BUILDERS, limits);
  const bytes = encodeRdb(sections(data), { limits });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // Mostly tiny chunks, so records span many reads.
      for (let p = 0; p < bytes.length;) {
        const n = p < 5000 ? 1 : 997;
        controller.enqueue(bytes.slice(p, p + n));
        p += n;
      }
      controller.close();
    },
  });
  const { got, result } = await readBack(stream, TEST_BUILDERS, limits);
  deepEqual(got, expected(data));
  equal(result.checksum, "ok");
});

Deno.test("round trip: records far larger than the read chunk", async () => {
  const limits = defaultLimits();
  const rand = prng(5);
  let big = "";
  for (let i = 0; i < 3 << 20; i += 64) {
    big += String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(rand() * 256)));
  }
  const items = Array.from({ length: 200_000 }, (_, i) => `item:${i}`);
  const list = TEST_BUILDERS.list(items, limits);
  const bytes = encodeRdb([{ index: 0, entries: [["big", big, -1], ["list", list, -1]] }], {
    limits,
  });
  const { got } = await readBack(bytes.slice(), TEST_BUILDERS, limits); // whole buffer
  const streamed = await readBack(streamOf(bytes, 65536), TEST_BUILDERS, limits);
  equal((got.get("0/big")?.value as string).length, big.length);
  ok(got.get("0/big")?.value === big);
  deepEqual(streamed.got, got);
  equal((streamed.got.get("0/list")?.value as string[]).length, items.length);
  // The window grew to hold the largest record, not the whole input.
  ok(streamed.result.peakWindowBytes < 2 * (big.length + 65536) + 65536);
});

Deno.test("round trip: many small keys stream through a window of about one chunk", async () => {
  const limits = defaultLimits();
  const entries = Array.from({ length: 50_000 }, (_, i) => [`key:${i}`, `value:${i}`, -1] as const);
  const bytes = encodeRdb([{ index: 0, entries }], { limits });
  ok(bytes.length > 1_000_000);
  const { got, result } = await readBack(streamOf(bytes, 1000), TEST_BUILDERS, limits);
  equal(got.size, entries.length);
  ok(result.peakWindowBytes <= 2 * 4096, `window ${result.peakWindowBytes}`);
});

Deno.test("writer: draining in slices gives the same file as one pass; sections in any order", async () => {
  const limits = defaultLimits();
  const data = dataset(TEST_BUILDERS, limits);
  const order = [...data.keys()].reverse();
  const whole = new RdbEncoder({ limits });
  const sliced = new RdbEncoder({ limits });
  const chunks: Uint8Array[] = [];
  const aux = { ctime: 1700000000, usedMem: 123456 };
  whole.header(aux);
  sliced.header(aux);
  chunks.push(sliced.take());
  for (const db of order) {
    const keys = data.get(db)!;
    whole.selectDb(db, keys.size, 0);
    sliced.selectDb(db, keys.size, 0);
    for (const [k, [v, e]] of keys) {
      whole.encodeKey(k, v, e);
      sliced.encodeKey(k, v, e);
      if (sliced.pending > 10_000) chunks.push(sliced.take());
    }
  }
  whole.end();
  sliced.end();
  chunks.push(sliced.take());
  const a = whole.take();
  const b = concatBytes(chunks);
  deepEqual(b, a);
  equal(sliced.size, a.length);
  const { got, result } = await readBack(b, TEST_BUILDERS, limits);
  deepEqual(got, expected(data));
  equal(result.checksum, "ok");
  deepEqual(result.aux, [
    ["redis-ver", "7.0.15"],
    ["redis-bits", "64"],
    ["ctime", "1700000000"],
    ["used-mem", "123456"],
    ["aof-base", "0"],
  ]);
});

Deno.test("writer: the snapshot visitor emits captured keys as written", async () => {
  const limits = defaultLimits();
  const enc = new RdbEncoder({ limits });
  const visitor = new RdbSnapshotVisitor(enc, { limits });
  const captured = visitor.capture("early", TEST_BUILDERS.set(["1", "2"], limits), 4102444800000);
  enc.header();
  visitor.beginDb(3, 2, 1);
  visitor.writeKey("k", "v", -1);
  visitor.emitCaptured(captured);
  enc.end();
  const { got } = await readBack(enc.take(), TEST_BUILDERS, limits);
  deepEqual(got.get("3/early"), { type: "set", value: ["1", "2"], expireAt: 4102444800000 });
  deepEqual(got.get("3/k"), { type: "string", value: "v", expireAt: -1 });
});

Deno.test("writer: file on disk, RESIZEDB hints, trailing bytes after the checksum", async () => {
  const limits = defaultLimits();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/dump.rdb`;
    const size = await writeRdbFile(path, [
      { index: 0, entries: [["a", "1", -1], ["b", "2", 4102444800000]] },
      { index: 1, entries: [] },
    ], { limits });
    equal((await Deno.stat(path)).size, size);
    const hints: number[][] = [];
    const result = await readRdbFile(path, {
      limits,
      builders: TEST_BUILDERS,
      onKey() {},
      onResizeDb: (db, keys, expires) => void hints.push([db, keys, expires]),
    });
    deepEqual(hints, [[0, 2, 1]]);
    equal(result.keys, 2);
    const withTail = new Uint8Array([
      ...await Deno.readFile(path),
      ...new TextEncoder().encode("*1\r\n$4\r\nPING\r\n"),
    ]);
    const r2 = await readRdb(withTail, { limits, builders: TEST_BUILDERS, onKey() {} });
    equal(r2.endOffset, size);
    equal(new TextDecoder().decode(r2.trailing), "*1\r\n$4\r\nPING\r\n");
    // From a stream the tail is whole too, and the stream can be read on.
    const stream = streamOf(withTail, withTail.length);
    const r3 = await readRdb(stream, { limits, builders: TEST_BUILDERS, onKey() {} });
    equal(new TextDecoder().decode(r3.trailing), "*1\r\n$4\r\nPING\r\n");
    equal((await stream.getReader().read()).done, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writer: encodings follow the limits as Redis 7.0 chooses them", () => {
  const limits = defaultLimits();
  const b = TEST_BUILDERS;
  equal(rdbTypeOf(b.set(["1", "2"], limits), limits), RdbType.SET_INTSET);
  equal(rdbTypeOf(b.set(["1", "x"], limits), limits), RdbType.SET);
  equal(rdbTypeOf(b.hash([["f", "v"]], limits), limits), RdbType.HASH_LISTPACK);
  equal(rdbTypeOf(b.hash([["f", "v".repeat(65)]], limits), limits), RdbType.HASH);
  equal(rdbTypeOf(b.zset([["m", 1]], limits), limits), RdbType.ZSET_LISTPACK);
  equal(rdbTypeOf(b.list(["a"], limits), limits), RdbType.LIST_QUICKLIST_2);
  const small = { ...limits, zsetMaxListpackEntries: 0 };
  equal(rdbTypeOf(b.zset([["m", 1]], small), small), RdbType.ZSET_2);
});
