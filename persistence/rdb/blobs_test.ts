import { deepEqual, equal, throws } from "node:assert/strict";
import { decodeListpack, encodeListpack, ListpackBuilder } from "./listpack.ts";
import { decodeIntset, encodeIntset } from "./intset.ts";
import { decodeZiplist } from "./ziplist.ts";
import { decodeZipmap } from "./zipmap.ts";
import { BlobFormatError } from "./blob_error.ts";
import { encodeZiplist, encodeZipmap } from "./test_old_formats.ts";
import { INTEGER_LIKE } from "./testdata/corpus.ts";

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

Deno.test("listpack: RPUSH l a 1 -5 300 bytes as Redis 7.0 builds them", () => {
  equal(
    hex(encodeListpack(["a", "1", "-5", "300"])),
    "12 00 00 00 04 00 81 61 02 01 01 df fb 02 c1 2c 02 ff",
  );
  equal(hex(encodeListpack([])), "07 00 00 00 00 00 ff");
});

Deno.test("listpack: every integer width and string length edge round-trips", () => {
  const items = [
    ...INTEGER_LIKE,
    "4095",
    "4096",
    "-4096",
    "-4097",
    "8388607",
    "8388608",
    "-8388608",
    "-8388609",
    "x".repeat(63),
    "x".repeat(64),
    "x".repeat(4095),
    "x".repeat(4096),
    "y".repeat(20000),
  ]; // deno-fmt-ignore
  const lp = encodeListpack(items);
  deepEqual(decodeListpack(lp), items);
});

Deno.test("listpack: the element count saturates at 65535", () => {
  const items = Array.from({ length: 70000 }, (_, i) => String(i % 100));
  const lp = encodeListpack(items);
  equal(lp[4] | (lp[5] << 8), 65535);
  equal(decodeListpack(lp).length, 70000);
});

Deno.test("listpack: scores are stored as Redis's zzlInsertAt stores them", () => {
  const b = new ListpackBuilder();
  for (const s of [1, -0, 2.5, 0.1, Infinity, -Infinity, 2 ** 62, 2 ** 62 + 1024]) b.appendScore(s);
  deepEqual(decodeListpack(b.finish()), [
    "1",
    "0",
    "2.5",
    "0.10000000000000001",
    "inf",
    "-inf",
    "4611686018427387904",
    "4.6116860184273889e+18",
  ]); // deno-fmt-ignore
});

Deno.test("listpack: malformed blobs are refused", () => {
  const good = encodeListpack(["a", "bb", "300"]);
  const cases: Uint8Array[] = [
    good.subarray(0, good.length - 1), // no terminator, size mismatch
    Uint8Array.from([...good.subarray(0, 6), 0xf5, 0x01, 0xff]), // invalid encoding
  ];
  const badCount = good.slice();
  badCount[4] = 9;
  cases.push(badCount);
  const badBacklen = good.slice();
  badBacklen[8] = 5; // backlen of the first entry
  cases.push(badBacklen);
  for (const c of cases) throws(() => decodeListpack(c), BlobFormatError);
});

Deno.test("ziplist: every encoding decodes, with large prevlens", () => {
  const items = [
    ...INTEGER_LIKE.filter((s) => s !== ""),
    "",
    "B".repeat(300),
    "z".repeat(70),
    "C".repeat(17000),
  ];
  deepEqual(decodeZiplist(encodeZiplist(items)), items);
  const zl = encodeZiplist(["a", "b"]);
  zl[4] = 0; // tail offset no longer points at the last entry
  throws(() => decodeZiplist(zl), BlobFormatError);
});

Deno.test("intset: widths, ordering and validation", () => {
  const set = encodeIntset(["5", "-3", "100"], 2);
  equal(hex(set), "02 00 00 00 03 00 00 00 fd ff 05 00 64 00");
  deepEqual(decodeIntset(encodeIntset(["9223372036854775807", "-1"], 8)), {
    members: ["-1", "9223372036854775807"],
    width: 8,
  });
  equal(hex(encodeIntset(["70000"], 2)), "04 00 00 00 01 00 00 00 70 11 01 00"); // widened
  throws(() => decodeIntset(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0])), BlobFormatError); // empty
  throws(
    () => decodeIntset(Uint8Array.from([2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0])),
    BlobFormatError,
  );
  throws(() => decodeIntset(Uint8Array.from([3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0])), BlobFormatError);
});

Deno.test("zipmap: decodes pairs, free space and big lengths", () => {
  const pairs: [string, string][] = [["name", "cairn"], ["big", "v".repeat(300)], ["e", ""]];
  deepEqual(decodeZipmap(encodeZipmap(pairs, 3)), pairs);
  const zm = encodeZipmap(pairs);
  throws(() => decodeZipmap(zm.subarray(0, zm.length - 2)), BlobFormatError);
});
