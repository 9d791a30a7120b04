/**
 * Encoders of formats Redis 7.0 no longer writes (ziplist, zipmap, RDB
 * types 1, 3, 9-14, old versions) for the codec's tests, and a legacy
 * dataset written with them. Redis 7.0.15 still loads all of it, which is
 * how the tests learn what the bytes mean (see testdata/generate.ts).
 *
 * @module
 */

import { formatDouble17g, parseInt64 } from "../../core/numbers.ts";
import { ByteSink } from "./byte_sink.ts";
import { Opcode, RdbType } from "./constants.ts";
import { Crc64 } from "./crc64.ts";
import { encodeIntset } from "./intset.ts";
import { encodeListpack } from "./listpack.ts";

/** Builds a ziplist as Redis 6.2 would for `items`. */
export function encodeZiplist(items: readonly string[]): Uint8Array {
  const entries: number[][] = [];
  let prevSize = 0;
  let offset = 10;
  let tail = 10;
  for (const s of items) {
    const e: number[] = [];
    if (prevSize < 254) e.push(prevSize);
    else {e.push(
        0xfe,
        prevSize & 0xff,
        (prevSize >>> 8) & 0xff,
        (prevSize >>> 16) & 0xff,
        prevSize >>> 24,
      );}
    const v = s.length <= 32 ? parseInt64(s) : null;
    if (v !== null) e.push(...ziplistInt(BigInt(v)));
    else e.push(...ziplistStringHeader(s.length), ...Array.from(s, (c) => c.charCodeAt(0)));
    tail = offset;
    offset += e.length;
    prevSize = e.length;
    entries.push(e);
  }
  const total = offset + 1;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, total, true);
  dv.setUint32(4, tail, true);
  dv.setUint16(8, Math.min(items.length, 65535), true);
  let p = 10;
  for (const e of entries) {
    out.set(e, p);
    p += e.length;
  }
  out[p] = 0xff;
  return out;
}

function ziplistStringHeader(n: number): number[] {
  if (n <= 63) return [n];
  if (n <= 16383) return [0x40 | (n >> 8), n & 0xff];
  return [0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function ziplistInt(v: bigint): number[] {
  const le = (n: number) => {
    const out: number[] = [];
    let u = BigInt.asUintN(n * 8, v);
    for (let i = 0; i < n; i++) {
      out.push(Number(u & 0xffn));
      u >>= 8n;
    }
    return out;
  };
  if (v >= 0n && v <= 12n) return [0xf1 + Number(v)];
  if (v >= -128n && v <= 127n) return [0xfe, ...le(1)];
  if (v >= -32768n && v <= 32767n) return [0xc0, ...le(2)];
  if (v >= -8388608n && v <= 8388607n) return [0xf0, ...le(3)];
  if (v >= -2147483648n && v <= 2147483647n) return [0xd0, ...le(4)];
  return [0xe0, ...le(8)];
}

/** Builds a zipmap (Redis 2.4's small hash) of `pairs`, with `free` spare bytes per value. */
export function encodeZipmap(pairs: readonly [string, string][], free = 0): Uint8Array {
  const out: number[] = [Math.min(pairs.length, 254)];
  const len = (n: number) =>
    n < 254 ? [n] : [0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  for (const [f, v] of pairs) {
    out.push(...len(f.length), ...Array.from(f, (c) => c.charCodeAt(0)));
    out.push(...len(v.length), free, ...Array.from(v, (c) => c.charCodeAt(0)));
    for (let i = 0; i < free; i++) out.push(0);
  }
  out.push(0xff);
  return new Uint8Array(out);
}

/** An old-style string double (type 3 zsets): length byte then `%.17g` text. */
function writeStringDouble(sink: ByteSink, d: number): void {
  if (d === Infinity) return sink.byte(254);
  if (d === -Infinity) return sink.byte(255);
  const text = formatDouble17g(d);
  sink.byte(text.length);
  sink.latin1(text);
}

/** The legacy dataset: keys of every old type, as `[type, key, write payload]`. */
function legacyKeys(): [number, string, (s: ByteSink) => void][] {
  const strings = (items: string[]) => (s: ByteSink) => {
    s.len(items.length);
    for (const x of items) s.string(x);
  };
  const big = "B".repeat(300); // forces 5-byte ziplist prevlens
  const zl = [
    "a",
    "0",
    "12",
    "13",
    "-1",
    "127",
    "-129",
    "40000",
    "-8388608",
    "2147483647",
    "-2147483649",
    big,
    "z",
  ];
  return [
    [RdbType.STRING, "old:string", (s) => s.string("hello old world")],
    [RdbType.LIST, "old:list", strings(["x", "1", "yy", "-20000"])],
    [RdbType.SET, "old:set", strings(["m1", "m2", "3"])],
    [RdbType.SET, "old:set-ints", strings(["5", "-3", "100"])],
    [RdbType.ZSET, "old:zset", (s) => {
      const entries: [string, number][] = [["a", 1.5], ["b", -Infinity], ["c", Infinity], [
        "d",
        0.1,
      ], ["e", 3]];
      s.len(entries.length);
      for (const [m, d] of entries) {
        s.string(m);
        writeStringDouble(s, d);
      }
    }],
    [RdbType.HASH, "old:hash", (s) => {
      s.len(2);
      for (const x of ["f", "v", "g", "12"]) s.string(x);
    }],
    [
      RdbType.HASH_ZIPMAP,
      "old:zipmap",
      (s) => s.blob(encodeZipmap([["name", "cairn"], ["n", "42"], ["e", ""]], 2)),
    ],
    [RdbType.LIST_ZIPLIST, "old:list-ziplist", (s) => s.blob(encodeZiplist(zl))],
    [RdbType.SET_INTSET, "old:intset", (s) => s.blob(encodeIntset(["1", "-2", "70000"], 8))],
    [
      RdbType.ZSET_ZIPLIST,
      "old:zset-ziplist",
      (s) => s.blob(encodeZiplist(["c", "-inf", "a", "1", "b", "2.5", "d", "3000000000"])),
    ],
    [
      RdbType.HASH_ZIPLIST,
      "old:hash-ziplist",
      (s) => s.blob(encodeZiplist(["f1", "v1", "f2", "300", "f3", big])),
    ],
    [RdbType.LIST_QUICKLIST, "old:quicklist", (s) => {
      s.len(3);
      s.blob(encodeZiplist(zl));
      s.blob(encodeZiplist(["n2", "7"]));
      s.blob(encodeZiplist(Array.from({ length: 200 }, (_, i) => `e${i}`)));
    }],
  ]; // deno-fmt-ignore
}

/**
 * A file of RDB `version` (4 to 9) holding the legacy dataset in db 0 and
 * db 3, with an EXPIRETIME (seconds) key, an EXPIRETIME_MS key, and (from
 * version 9) IDLE and FREQ opcodes. Quicklist (type 14) needs version 7.
 */
export function buildLegacyRdb(version: number): Uint8Array {
  const s = new ByteSink({ compression: true });
  s.latin1(`REDIS${String(version).padStart(4, "0")}`);
  if (version >= 7) {
    s.byte(Opcode.AUX);
    s.string("redis-ver");
    s.string("3.2.0");
  }
  s.byte(Opcode.SELECTDB);
  s.len(0);
  for (const [type, key, write] of legacyKeys()) {
    if (type === RdbType.LIST_QUICKLIST && version < 7) continue;
    s.byte(type);
    s.string(key);
    write(s);
  }
  s.byte(Opcode.SELECTDB);
  s.len(3);
  s.byte(Opcode.EXPIRETIME);
  s.u32LE(2147000000); // 2038: the field is a signed 32-bit count of seconds
  s.byte(RdbType.STRING);
  s.string("old:expire-seconds");
  s.string("s");
  s.byte(Opcode.EXPIRETIME_MS);
  s.i64LE(4102444800123);
  if (version >= 9) {
    s.byte(Opcode.IDLE);
    s.len(1000);
  }
  s.byte(RdbType.STRING);
  s.string("old:expire-ms");
  s.string("ms");
  if (version >= 9) {
    s.byte(Opcode.FREQ);
    s.byte(5);
    s.byte(RdbType.STRING);
    s.string("old:freq");
    s.string("f");
  }
  s.byte(Opcode.EOF);
  if (version >= 5) {
    const crc = new Crc64();
    crc.update(s.buf, 0, s.pos);
    s.ensure(8);
    crc.writeLE(s.buf, s.pos);
    s.pos += 8;
  }
  return s.take();
}

/** A version 11 file (Redis 7.2, Valkey 8) with a SET_LISTPACK key; Redis 7.0 cannot load it. */
export function buildV11SetListpack(members: readonly string[]): Uint8Array {
  const s = new ByteSink({ compression: true });
  s.latin1("REDIS0011");
  s.byte(Opcode.AUX);
  s.string("valkey-ver");
  s.string("8.0.1");
  s.byte(Opcode.SELECTDB);
  s.len(0);
  s.byte(RdbType.SET_LISTPACK);
  s.string("set:listpack");
  s.blob(encodeListpack(members));
  s.byte(Opcode.EOF);
  const crc = new Crc64();
  crc.update(s.buf, 0, s.pos);
  s.ensure(8);
  crc.writeLE(s.buf, s.pos);
  s.pos += 8;
  return s.take();
}
