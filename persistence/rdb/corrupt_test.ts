/**
 * Corrupt and truncated input: every truncation point of a small file and
 * random byte flips end in an RdbError (never another exception, a hang or
 * a huge allocation), with Redis's wording for the cases Redis names.
 */

import { equal, ok, rejects } from "node:assert/strict";
import { defaultLimits } from "../../core/values/limits.ts";
import { latin1Bytes } from "../../core/bytes.ts";
import { ByteSink } from "./byte_sink.ts";
import { Opcode, RdbType } from "./constants.ts";
import { Crc64 } from "./crc64.ts";
import { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from "./dump.ts";
import { RdbError } from "./errors.ts";
import { type RdbReadOptions, readRdb } from "./reader.ts";
import { TEST_BUILDERS } from "./test_values.ts";
import { prng } from "./testdata/corpus.ts";
import { encodeRdb } from "./writer.ts";

const limits = defaultLimits();

function options(extra: Partial<RdbReadOptions> = {}): RdbReadOptions {
  return { limits, builders: TEST_BUILDERS, onKey() {}, ...extra };
}

/** A small file with one key of every type and encoding. */
function smallFile(): Uint8Array {
  const b = TEST_BUILDERS;
  return encodeRdb(
    [
      {
        index: 0,
        entries: [
          ["s", "hello", -1],
          ["i", "12345", 4102444800000],
          ["z", "z".repeat(60), -1],
          ["l", b.list(["a", "1", "-5", "x".repeat(30)], limits), -1],
          ["si", b.set(["1", "2", "70000"], limits), -1],
          ["ss", b.set(["a", "b"], limits), -1],
          ["h", b.hash([["f", "v"], ["g", "1"]], limits), -1],
          ["hh", b.hash([["f", "v".repeat(70)]], limits), -1],
        ],
      },
      {
        index: 2,
        entries: [
          ["zl", b.zset([["a", 1], ["b", 2.5]], limits), -1],
          ["zs", b.zset([["m".repeat(70), -1]], limits), -1],
        ],
      },
    ],
    { limits, compression: true },
    { ctime: 1700000000, usedMem: 1 },
  );
}

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let p = 0;
  return new ReadableStream({
    pull(c) {
      if (p >= bytes.length) return c.close();
      c.enqueue(bytes.slice(p, p + chunk));
      p += chunk;
    },
  });
}

async function expectRdbError(
  input: Uint8Array | ReadableStream<Uint8Array>,
  opts = options(),
): Promise<RdbError> {
  try {
    await readRdb(input, opts);
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw new Error(`not an RdbError: ${e}`);
  }
  throw new Error("accepted");
}

Deno.test("corrupt: every truncation point fails with an RdbError naming the offset", async () => {
  const file = smallFile();
  for (let n = 0; n < file.length; n++) {
    const cut = file.slice(0, n);
    const e = await expectRdbError(cut, options({ name: "dump.rdb" }));
    ok(e.offset <= n, `offset ${e.offset} within ${n}`);
    ok(e.message.startsWith("dump.rdb at offset "), e.message);
    if (n >= 9) equal(e.kind, "truncated", `cut at ${n}: ${e.message}`);
    // Streamed in small chunks, the same point fails the same way.
    const s = await expectRdbError(streamOf(cut, 7), options({ name: "dump.rdb" }));
    equal(s.message, e.message);
  }
});

Deno.test("corrupt: any single changed byte is caught (checksum or format)", async () => {
  const file = smallFile();
  const rand = prng(99);
  for (let i = 0; i < 400; i++) {
    const bad = file.slice();
    const pos = Math.floor(rand() * bad.length);
    bad[pos] ^= 1 + Math.floor(rand() * 255);
    await expectRdbError(bad);
  }
});

Deno.test("corrupt: random damage without checksum never hangs or throws anything else", async () => {
  const file = smallFile();
  const rand = prng(1234);
  const deadline = Date.now() + 20_000;
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 3000 && Date.now() < deadline; i++) {
    const bad = file.slice();
    const flips = 1 + Math.floor(rand() * 4);
    for (let f = 0; f < flips; f++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
    const started = Date.now();
    try {
      await readRdb(bad, options({ verifyChecksum: false }));
      accepted++;
    } catch (e) {
      if (!(e instanceof RdbError)) throw new Error(`flip ${i}: not an RdbError: ${e}`);
      refused++;
    }
    ok(Date.now() - started < 1000, "each read finishes quickly");
  }
  ok(refused > 0 && accepted + refused > 100);
});

Deno.test("corrupt: DUMP payload damage is refused by the footer or the decoder", () => {
  const rand = prng(5);
  const payload = createDumpPayload(TEST_BUILDERS.hash([["f", "v"], ["n", "12"]], limits), limits);
  for (let i = 0; i < 2000; i++) {
    const bad = payload.slice();
    bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
    if (!verifyDumpPayload(bad, true)) continue;
    try {
      decodeDumpPayload(bad, "k", limits, TEST_BUILDERS);
    } catch (e) {
      if (!(e instanceof RdbError)) throw new Error(`not an RdbError: ${e}`);
    }
  }
});

/** A file: header then `body` records then EOF and a valid checksum. */
function fileWith(body: (s: ByteSink) => void, version = "0010"): Uint8Array {
  const s = new ByteSink({ compression: false });
  s.latin1(`REDIS${version}`);
  body(s);
  s.byte(Opcode.EOF);
  const crc = new Crc64();
  crc.update(s.buf, 0, s.pos);
  s.ensure(8);
  crc.writeLE(s.buf, s.pos);
  s.pos += 8;
  return s.take();
}

Deno.test("corrupt: Redis's messages for header, checksum and encoding errors", async () => {
  const minimal = latin1Bytes("REDIS0010\xff\xa9\xfd\x37\xfe\x89\xa7\x7e\xeb");
  equal((await readRdb(minimal, options())).checksum, "ok");
  const zeroSum = latin1Bytes("REDIS0010\xff\0\0\0\0\0\0\0\0");
  equal((await readRdb(zeroSum, options())).checksum, "disabled");

  const wrongSum = minimal.slice();
  wrongSum[10] ^= 0xff;
  equal(
    (await expectRdbError(wrongSum)).detail,
    "Wrong RDB checksum expected: (eb7ea789fe37fda9) but got (eb7ea789fe37fd56). Aborting now.",
  );
  equal(
    (await expectRdbError(latin1Bytes("RODIS0010\xff"))).detail,
    "Wrong signature trying to load DB from file",
  );
  equal(
    (await expectRdbError(latin1Bytes("REDIS0012\xff"))).detail,
    "Can't handle RDB format version 12",
  );
  equal(
    (await expectRdbError(latin1Bytes("REDIS0000\xff"))).detail,
    "Can't handle RDB format version 0",
  );
  const unknownType = fileWith((s) => {
    s.byte(200);
    s.string("k");
  });
  ok((await expectRdbError(unknownType)).detail.startsWith("Unknown RDB encoding type 200"));
  const badString = fileWith((s) => {
    s.byte(RdbType.STRING);
    s.byte(0xc7);
  });
  ok((await expectRdbError(badString)).detail.startsWith("Unknown RDB string encoding type 7"));
  const badLength = fileWith((s) => {
    s.byte(Opcode.SELECTDB);
    s.byte(0x9a);
  });
  ok((await expectRdbError(badLength)).detail.startsWith("Unknown length encoding"));
  const dupSet = fileWith((s) => {
    s.byte(RdbType.SET);
    s.string("k");
    s.len(2);
    s.string("a");
    s.string("a");
  });
  equal((await expectRdbError(dupSet)).detail, "Duplicate set members detected");
  const nanScore = fileWith((s) => {
    s.byte(RdbType.ZSET_2);
    s.string("k");
    s.len(1);
    s.string("m");
    s.doubleLE(NaN);
  });
  equal((await expectRdbError(nanScore)).detail, "Zset with NAN score detected");
  const db20 = fileWith((s) => {
    s.byte(Opcode.SELECTDB);
    s.len(20);
  });
  ok(
    (await expectRdbError(db20, options({ databases: 16 }))).detail.includes(
      "more than 16 databases",
    ),
  );
});

Deno.test("corrupt: huge declared lengths fail at once without allocating", async () => {
  const hugeString = fileWith((s) => {
    s.byte(RdbType.STRING);
    s.string("k");
    s.len(2 ** 40);
  });
  const e = await expectRdbError(hugeString);
  ok(e.detail.includes("declares 1099511627776 bytes"), e.detail);
  const hugeList = fileWith((s) => {
    s.byte(RdbType.LIST);
    s.string("k");
    s.len(4_000_000_000);
  });
  await expectRdbError(hugeList);
  const hugeLzf = fileWith((s) => {
    s.byte(RdbType.STRING);
    s.string("k");
    s.byte(0xc3);
    s.len(4);
    s.len(2 ** 31);
    s.u32LE(0);
  });
  ok((await expectRdbError(hugeLzf)).detail.startsWith("Invalid LZF compressed string"));
  // Streamed with a known total size, a declared length beyond it fails before reading on.
  const big = encodeRdb([{ index: 0, entries: [["k", "v".repeat(100_000), -1]] }], {
    limits,
    compression: false,
  });
  const truncated = big.slice(0, 50_000);
  const s = await expectRdbError(
    streamOf(truncated, 1000),
    options({ totalBytes: truncated.length }),
  );
  ok(s.detail.includes("declares"), s.detail);
});

Deno.test("unsupported: streams, modules, functions and module AUX name what was refused", async () => {
  const stream = fileWith((s) => {
    s.byte(RdbType.STREAM_LISTPACKS_2);
    s.string("events");
  });
  const e1 = await expectRdbError(stream);
  equal(e1.kind, "unsupported");
  ok(e1.detail.includes('key "events"') && e1.detail.includes("stream"), e1.detail);
  equal(e1.offset, 9); // the key record
  const module = fileWith((s) => {
    s.byte(RdbType.MODULE_2);
    s.string("mod");
    s.len(0);
  });
  ok((await expectRdbError(module)).detail.includes("module"));
  const fn = fileWith((s) => {
    s.byte(Opcode.FUNCTION2);
    s.string("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
  });
  const e3 = await expectRdbError(fn);
  equal(e3.kind, "unsupported");
  ok(e3.detail.startsWith("RDB opcode FUNCTION2"), e3.detail);
  equal(e3.offset, 9);
  const maux = fileWith((s) => {
    s.byte(Opcode.MODULE_AUX);
    s.len(0);
  });
  ok((await expectRdbError(maux)).detail.startsWith("RDB opcode MODULE_AUX"));
});

Deno.test("empty collections are skipped and reported, as Redis does", async () => {
  const file = fileWith((s) => {
    s.byte(RdbType.LIST);
    s.string("empty");
    s.len(0);
    s.byte(RdbType.STRING);
    s.string("k");
    s.string("v");
  });
  const empties: string[] = [];
  const keys: string[] = [];
  const r = await readRdb(
    file,
    options({ onEmptyKey: (_db, k) => void empties.push(k), onKey: (_db, k) => void keys.push(k) }),
  );
  equal(r.emptyKeysSkipped, 1);
  equal(empties[0], "empty");
  equal(keys.join(), "k");
});

Deno.test("rejects a truncated file read from a stream without a hang", async () => {
  const file = smallFile();
  await rejects(readRdb(streamOf(file.slice(0, file.length - 3), 1), options()), RdbError);
});
