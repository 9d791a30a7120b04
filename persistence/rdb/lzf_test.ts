import { deepEqual, equal } from "node:assert/strict";
import { lzfCompress, lzfDecompress } from "./lzf.ts";
import { lzfStrings, prng } from "./testdata/corpus.ts";
import { latin1Bytes } from "../../core/bytes.ts";

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

Deno.test("lzf: 44 'a' compress to Redis's bytes", () => {
  const input = latin1Bytes("a".repeat(44));
  const out = new Uint8Array(40);
  const n = lzfCompress(input, out, 40);
  equal(hex(out.subarray(0, n)), "01 61 61 e0 1f 00 01 61 61");
});

Deno.test("lzf: compress then decompress gives the input back", () => {
  const rand = prng(3);
  const inputs = lzfStrings().map(latin1Bytes);
  for (let i = 0; i < 50; i++) {
    const b = new Uint8Array(1 + Math.floor(rand() * 5000));
    const alphabet = 1 + Math.floor(rand() * 255);
    for (let j = 0; j < b.length; j++) b[j] = Math.floor(rand() * alphabet);
    inputs.push(b);
  }
  for (const input of inputs) {
    const out = new Uint8Array(input.length + (input.length >> 5) + 64);
    const n = lzfCompress(input, out);
    equal(n > 0, true);
    const back = new Uint8Array(input.length);
    equal(lzfDecompress(out, back, 0, n), input.length);
    deepEqual(back, input);
  }
});

Deno.test("lzf: refuses when the output would not fit the capacity", () => {
  const rand = prng(4);
  const noise = new Uint8Array(100);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rand() * 256);
  equal(lzfCompress(noise, new Uint8Array(96), 96), 0);
  equal(lzfCompress(new Uint8Array(0), new Uint8Array(8)), 0);
});

Deno.test("lzf: decompression errors on corrupt input", () => {
  const out = new Uint8Array(10);
  equal(lzfDecompress(new Uint8Array([0x20, 0x05]), out), "bad back-reference");
  equal(lzfDecompress(new Uint8Array([0x05, 0x61]), out), "truncated input");
  equal(lzfDecompress(new Uint8Array([0x01, 0x61, 0x61, 0xe0]), out), "truncated input");
  equal(lzfDecompress(new Uint8Array([0x1f, ...new Array(32).fill(1)]), out), "output overflow");
});
