/**
 * Listpacks (`listpack.c`): the compact encoding of small hashes, sorted
 * sets and list nodes in Redis 7.0.
 *
 * ```
 * total_bytes u32 LE | count u16 LE (65535: unknown) | entry* | 0xFF
 * entry = encoding+data | backlen (size of encoding+data, reverse varint)
 * ```
 *
 * The encoder picks the entry encodings Redis picks (a canonical int64 as
 * the smallest integer form, other strings by length), so its output is
 * byte-identical to a listpack Redis builds by appending the same elements.
 *
 * @module
 */

import { decodeLatin1, encodeLatin1Into } from "../../core/bytes.ts";
import { parseInt64 } from "../../core/numbers.ts";
import { formatDouble17g } from "../../core/numbers.ts";
import { BlobFormatError } from "./blob_error.ts";

const HEADER_SIZE = 6;
const EOF = 0xff;
const COUNT_UNKNOWN = 65535;
const LLONG_HALF = 4611686018427387904; // (double)(LLONG_MAX / 2), Redis's double2ll bound

/** Builds a listpack by appending elements. */
export class ListpackBuilder {
  #buf: Uint8Array;
  #pos = HEADER_SIZE;
  #count = 0;

  /** Starts an empty listpack. */
  constructor(capacity = 256) {
    this.#buf = new Uint8Array(Math.max(capacity, 16));
  }

  /** Number of elements appended. */
  get count(): number {
    return this.#count;
  }

  /** Size in bytes the listpack has now (header, entries and terminator). */
  get byteLength(): number {
    return this.#pos + 1;
  }

  /** Appends a byte string; a canonical int64 is stored as an integer, as Redis does. */
  append(s: string): void {
    const n = s.length;
    if (n > 0 && n <= 20) {
      const c = s.charCodeAt(n - 1);
      if (c >= 48 && c <= 57) {
        const v = parseInt64(s);
        if (v !== null) {
          this.appendInteger(v);
          return;
        }
      }
    }
    this.appendString(s);
  }

  /** Appends a byte string as a string entry. */
  appendString(s: string): void {
    const n = s.length;
    const head = n < 64 ? 1 : n < 4096 ? 2 : 5;
    this.#ensure(head + n + 5);
    const b = this.#buf;
    let p = this.#pos;
    if (n < 64) {
      b[p++] = 0x80 | n;
    } else if (n < 4096) {
      b[p++] = 0xe0 | (n >> 8);
      b[p++] = n & 0xff;
    } else {
      b[p++] = 0xf0;
      b[p++] = n & 0xff;
      b[p++] = (n >>> 8) & 0xff;
      b[p++] = (n >>> 16) & 0xff;
      b[p++] = (n >>> 24) & 0xff;
    }
    p = encodeLatin1Into(s, b, p);
    this.#finishEntry(p, head + n);
  }

  /** Appends an integer (a safe integer as number, a larger int64 as bigint). */
  appendInteger(v: number | bigint): void {
    if (typeof v === "bigint") {
      if (v >= -2147483648n && v <= 2147483647n) v = Number(v);
      else return this.#appendInt64(v);
    }
    if (v < -2147483648 || v > 2147483647) return this.#appendInt64(BigInt(v));
    this.#ensure(10);
    const b = this.#buf;
    let p = this.#pos;
    let size: number;
    if (v >= 0 && v <= 127) {
      b[p++] = v;
      size = 1;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      b[p++] = 0xc0 | (u >> 8);
      b[p++] = u & 0xff;
      size = 2;
    } else if (v >= -32768 && v <= 32767) {
      b[p++] = 0xf1;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
      size = 3;
    } else if (v >= -8388608 && v <= 8388607) {
      b[p++] = 0xf2;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
      b[p++] = (v >> 16) & 0xff;
      size = 4;
    } else {
      b[p++] = 0xf3;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
      b[p++] = (v >> 16) & 0xff;
      b[p++] = (v >> 24) & 0xff;
      size = 5;
    }
    this.#finishEntry(p, size);
  }

  /**
   * Appends a sorted set score as Redis's `zzlInsertAt` does: an integral
   * value within ±2^62 as an integer, anything else as its `%.17g` text.
   */
  appendScore(d: number): void {
    if (Number.isInteger(d) && d >= -LLONG_HALF && d <= LLONG_HALF) {
      this.appendInteger(Number.isSafeInteger(d) ? (d === 0 ? 0 : d) : BigInt(d));
    } else {
      this.appendString(formatDouble17g(d));
    }
  }

  #appendInt64(v: bigint): void {
    this.#ensure(14);
    const b = this.#buf;
    let p = this.#pos;
    b[p++] = 0xf4;
    let u = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      b[p++] = Number(u & 0xffn);
      u >>= 8n;
    }
    this.#finishEntry(p, 9);
  }

  #finishEntry(p: number, size: number): void {
    this.#pos = writeBacklen(this.#buf, p, size);
    this.#count++;
  }

  #ensure(n: number): void {
    const need = this.#pos + n + 1;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** Finishes the listpack and returns its bytes (a view of the builder's buffer). */
  finish(): Uint8Array {
    const b = this.#buf;
    const total = this.#pos + 1;
    b[this.#pos] = EOF;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = (total >>> 24) & 0xff;
    const count = Math.min(this.#count, COUNT_UNKNOWN);
    b[4] = count & 0xff;
    b[5] = count >> 8;
    return b.subarray(0, total);
  }
}

/** Builds a listpack holding `items` in order. */
export function encodeListpack(items: Iterable<string>): Uint8Array {
  const lp = new ListpackBuilder();
  for (const s of items) lp.append(s);
  return lp.finish();
}

/** Size of the backlen field for an entry of `size` bytes (`lpEncodeBacklen`). */
export function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

function writeBacklen(b: Uint8Array, p: number, l: number): number {
  if (l <= 127) {
    b[p++] = l;
  } else if (l < 16383) {
    b[p++] = l >>> 7;
    b[p++] = (l & 127) | 128;
  } else if (l < 2097151) {
    b[p++] = l >>> 14;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  } else if (l < 268435455) {
    b[p++] = l >>> 21;
    b[p++] = ((l >>> 14) & 127) | 128;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  } else {
    b[p++] = Math.floor(l / 268435456);
    b[p++] = ((l >>> 21) & 127) | 128;
    b[p++] = ((l >>> 14) & 127) | 128;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  }
  return p;
}

/** Reads the backlen that ends just before `end`; returns -1 if malformed. */
function readBacklen(b: Uint8Array, end: number, min: number): number {
  let val = 0;
  let shift = 0;
  let p = end - 1;
  for (;;) {
    if (p < min) return -1;
    val += (b[p] & 127) * 2 ** shift;
    if ((b[p] & 128) === 0) break;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
  return val;
}

/**
 * Decodes the listpack in `bytes[start, end)` into its elements (integers
 * as decimal text), validating the header, every entry and its backlen, and
 * the terminator. Throws {@link BlobFormatError} when malformed.
 */
export function decodeListpack(bytes: Uint8Array, start = 0, end = bytes.length): string[] {
  const size = end - start;
  if (size < HEADER_SIZE + 1) throw new BlobFormatError("listpack shorter than its header");
  const total = readU32LE(bytes, start);
  if (total !== size) {
    throw new BlobFormatError(`listpack header says ${total} bytes but the blob has ${size}`);
  }
  const declared = bytes[start + 4] | (bytes[start + 5] << 8);
  if (bytes[end - 1] !== EOF) throw new BlobFormatError("listpack does not end with 0xFF");
  const out: string[] = [];
  let p = start + HEADER_SIZE;
  const last = end - 1;
  while (p < last) {
    const entryStart = p;
    const b0 = bytes[p];
    let entrySize: number;
    let value: string;
    if (b0 < 0x80) {
      value = String(b0);
      entrySize = 1;
    } else if (b0 < 0xc0) {
      const n = b0 & 0x3f;
      entrySize = 1 + n;
      checkRoom(p, entrySize, last);
      value = decodeLatin1(bytes, p + 1, p + 1 + n);
    } else if (b0 < 0xe0) {
      checkRoom(p, 2, last);
      let v = ((b0 & 0x1f) << 8) | bytes[p + 1];
      if (v >= 4096) v -= 8192;
      value = String(v);
      entrySize = 2;
    } else if (b0 < 0xf0) {
      checkRoom(p, 2, last);
      const n = ((b0 & 0x0f) << 8) | bytes[p + 1];
      entrySize = 2 + n;
      checkRoom(p, entrySize, last);
      value = decodeLatin1(bytes, p + 2, p + 2 + n);
    } else {
      switch (b0) {
        case 0xf0: {
          checkRoom(p, 5, last);
          const n = readU32LE(bytes, p + 1);
          entrySize = 5 + n;
          checkRoom(p, entrySize, last);
          value = decodeLatin1(bytes, p + 5, p + 5 + n);
          break;
        }
        case 0xf1:
          checkRoom(p, 3, last);
          value = String((bytes[p + 1] | (bytes[p + 2] << 8)) << 16 >> 16);
          entrySize = 3;
          break;
        case 0xf2:
          checkRoom(p, 4, last);
          value = String((bytes[p + 1] | (bytes[p + 2] << 8) | (bytes[p + 3] << 16)) << 8 >> 8);
          entrySize = 4;
          break;
        case 0xf3:
          checkRoom(p, 5, last);
          value = String(
            bytes[p + 1] | (bytes[p + 2] << 8) | (bytes[p + 3] << 16) | (bytes[p + 4] << 24),
          );
          entrySize = 5;
          break;
        case 0xf4:
          checkRoom(p, 9, last);
          value = readI64LE(bytes, p + 1);
          entrySize = 9;
          break;
        default:
          throw new BlobFormatError(
            `invalid listpack entry encoding 0x${b0.toString(16)} at blob byte ${p - start}`,
          );
      }
    }
    p += entrySize;
    const bl = backlenSize(entrySize);
    checkRoom(p, bl, last);
    p += bl;
    if (readBacklen(bytes, p, entryStart) !== entrySize) {
      throw new BlobFormatError(
        `listpack entry at blob byte ${entryStart - start} has a bad backlen`,
      );
    }
    out.push(value);
  }
  if (p !== last) throw new BlobFormatError("listpack entries overrun the terminator");
  if (declared !== COUNT_UNKNOWN && declared !== out.length) {
    throw new BlobFormatError(
      `listpack header says ${declared} entries but it holds ${out.length}`,
    );
  }
  return out;
}

function checkRoom(p: number, n: number, last: number): void {
  if (p + n > last) throw new BlobFormatError("listpack entry runs past the end of the listpack");
}

function readU32LE(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** Reads a little-endian int64 as decimal text. */
export function readI64LE(b: Uint8Array, p: number): string {
  const lo = readU32LE(b, p);
  const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
  // Exact as a double while |value| < 2^53.
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
