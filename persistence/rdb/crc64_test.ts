import { equal } from "node:assert/strict";
import { Crc64, crc64 } from "./crc64.ts";
import { prng } from "./testdata/corpus.ts";
import { latin1Bytes } from "../../core/bytes.ts";

const ascii = latin1Bytes;

Deno.test("crc64: check value of 123456789 is CRC-64/Jones with init 0", () => {
  equal(crc64(ascii("123456789")), 0xe9c6d914c4b8d9can);
  equal(crc64(new Uint8Array(0)), 0n);
});

Deno.test("crc64: the minimal RDB v10 file's checksum is the one Redis accepts", () => {
  // 'REDIS0010' + EOF: Redis 7.0.15 loads it with trailer A9 FD 37 FE 89 A7 7E EB.
  equal(crc64(ascii("REDIS0010\xff")), 0xeb7ea789fe37fda9n);
});

Deno.test("crc64: incremental updates at any split and alignment equal one pass", () => {
  const rand = prng(1);
  const data = new Uint8Array(4099);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * 256);
  // A byte-at-a-time reference, independent of the sliced tables.
  let ref = 0n;
  const poly = 0x95ac9329ac4bc9b5n;
  for (const b of data) {
    ref ^= BigInt(b);
    for (let k = 0; k < 8; k++) ref = ref & 1n ? (ref >> 1n) ^ poly : ref >> 1n;
  }
  equal(crc64(data), ref);
  for (let t = 0; t < 50; t++) {
    const start = Math.floor(rand() * 20);
    const view = data.subarray(start); // unaligned views
    const c = new Crc64();
    let p = 0;
    while (p < view.length) {
      const n = Math.min(view.length - p, Math.floor(rand() * 300));
      c.update(view, p, p + n);
      p += n;
    }
    equal(c.value(), crc64(data, start));
  }
});
