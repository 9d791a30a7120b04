import { deepEqual, equal } from "node:assert/strict";
import { afterLength, lengthPrefix, ownedCopy, pack, readLength, unpack } from "./packed.ts";

Deno.test("length prefixes round-trip, including multi-character ones", () => {
  for (const n of [0, 1, 127, 128, 300, 16383, 16384, 1 << 21, 2 ** 32 + 5]) {
    const text = "ab" + lengthPrefix(n) + "z";
    equal(readLength(text, 2), n, String(n));
    equal(afterLength, text.length - 1, String(n));
  }
  equal(lengthPrefix(127).length, 1);
  equal(lengthPrefix(128).length, 2);
});

Deno.test("pack and unpack keep binary elements of any length", () => {
  const items = [
    "",
    "a",
    String.fromCharCode(0, 128, 255, 13, 10),
    "x".repeat(200),
    "y".repeat(20000),
  ];
  const packed = pack(items);
  equal(packed.length, items.reduce((n, s) => n + s.length + lengthPrefix(s.length).length, 0));
  deepEqual(unpack(packed), items);
  deepEqual(unpack(pack([])), []);
});

Deno.test("ownedCopy returns an equal string", () => {
  const parent = "p".repeat(100) + "tail-of-some-length";
  const slice = parent.slice(100);
  equal(ownedCopy(slice), "tail-of-some-length");
  equal(ownedCopy("short"), "short");
});
