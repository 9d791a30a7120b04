/**
 * A growable output buffer with the RDB primitives: lengths, strings (with
 * Redis's choice between integer, LZF and plain encodings), little-endian
 * integers and doubles.
 *
 * The writer and DUMP append to one sink and drain it with {@link ByteSink.take}.
 *
 * @module
 */

import { encodeLatin1Into } from "../../core/bytes.ts";
import { parseInt64 } from "../../core/numbers.ts";
import { Len, StrEnc } from "./constants.ts";
import { lzfCompress } from "./lzf.ts";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// Scratch space for LZF: the raw bytes of the string and the compressed output.
// Kept between calls unless they grew large.
const SCRATCH_KEEP = 1 << 20;
let rawScratch = new Uint8Array(4096);
let lzfScratch = new Uint8Array(4096);

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** Options of the string encoder. */
export interface StringEncoding {
  /** `rdbcompression`: try LZF on strings longer than 20 bytes. */
  compression: boolean;
}

/** A growable byte buffer with RDB encoders. */
export class ByteSink {
  /** The bytes; valid up to {@link pos}. */
  buf: Uint8Array;
  /** Number of bytes written since the last take. */
  pos = 0;
  /** Whether strings longer than 20 bytes are LZF-compressed when that saves space. */
  compression: boolean;

  /** Creates an empty sink. */
  constructor(options: StringEncoding, initialCapacity = 64 * 1024) {
    this.compression = options.compression;
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Returns a copy of the bytes written so far and empties the sink. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** The bytes written so far, without copying (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Appends `bytes[start, end)`. */
  bytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const n = end - start;
    this.ensure(n);
    if (n <= 32) {
      // Small copies: a loop beats creating a subarray.
      const b = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) b[p + i] = bytes[start + i];
    } else {
      this.buf.set(
        start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end),
        this.pos,
      );
    }
    this.pos += n;
  }

  /** Appends the bytes of byte string `s` as they are. */
  latin1(s: string): void {
    this.ensure(s.length);
    this.pos = encodeLatin1Into(s, this.buf, this.pos);
  }

  /** Appends a 32-bit unsigned integer, little-endian. */
  u32LE(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = (v >>> 24) & 0xff;
    this.pos = p + 4;
  }

  /** Appends a 64-bit signed integer (a safe JavaScript integer), little-endian. */
  i64LE(v: number): void {
    const lo = v >>> 0; // two's complement low word, also for negatives
    const hi = Math.floor(v / 4294967296) >>> 0;
    this.u32LE(lo);
    this.u32LE(hi);
  }

  /** Appends an IEEE-754 double, little-endian (Redis's binary double). */
  doubleLE(d: number): void {
    f64[0] = d;
    this.bytes(f64Bytes);
  }

  /** Appends an RDB length (`rdbSaveLen`): 1, 2, 5 or 9 bytes, big-endian payload. */
  len(n: number): void {
    if (n < 64) {
      this.byte(n);
    } else if (n < 16384) {
      this.ensure(2);
      this.buf[this.pos++] = 0x40 | (n >> 8);
      this.buf[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      this.ensure(5);
      const b = this.buf;
      const p = this.pos;
      b[p] = Len.BITS32;
      b[p + 1] = (n >>> 24) & 0xff;
      b[p + 2] = (n >>> 16) & 0xff;
      b[p + 3] = (n >>> 8) & 0xff;
      b[p + 4] = n & 0xff;
      this.pos = p + 5;
    } else {
      this.ensure(9);
      const b = this.buf;
      const p = this.pos;
      const hi = Math.floor(n / 4294967296);
      const lo = n >>> 0;
      b[p] = Len.BITS64;
      b[p + 1] = (hi >>> 24) & 0xff;
      b[p + 2] = (hi >>> 16) & 0xff;
      b[p + 3] = (hi >>> 8) & 0xff;
      b[p + 4] = hi & 0xff;
      b[p + 5] = (lo >>> 24) & 0xff;
      b[p + 6] = (lo >>> 16) & 0xff;
      b[p + 7] = (lo >>> 8) & 0xff;
      b[p + 8] = lo & 0xff;
      this.pos = p + 9;
    }
  }

  /**
   * Appends a byte string as Redis's `rdbSaveRawString` would: a canonical
   * integer of at most 11 characters that fits 32 bits as C0/C1/C2, else
   * LZF when compression is on, the string is longer than 20 bytes and LZF
   * fits it in 4 bytes less, else plain.
   */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0 && this.#tryInteger(s)) return;
    if (this.compression && n > 20) {
      if (rawScratch.length < n) rawScratch = new Uint8Array(Math.max(n, rawScratch.length * 2));
      encodeLatin1Into(s, rawScratch, 0);
      const ok = this.#tryLzf(rawScratch, 0, n);
      if (rawScratch.length > SCRATCH_KEEP) rawScratch = new Uint8Array(4096);
      if (ok) return;
    }
    this.len(n);
    this.latin1(s);
  }

  /**
   * Appends raw bytes as an RDB string (listpack, intset and other blobs):
   * LZF when compression is on and it pays, else plain. Blobs are never
   * canonical integers (their headers hold zero bytes), so no integer form.
   */
  blob(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const n = end - start;
    if (this.compression && n > 20 && this.#tryLzf(bytes, start, end)) return;
    this.len(n);
    this.bytes(bytes, start, end);
  }

  /** Appends already-compressed data as an LZF string (`rdbSaveLzfBlob`). */
  lzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.byte((Len.ENCVAL << 6) | StrEnc.LZF);
    this.len(compressed.length);
    this.len(originalLength);
    this.bytes(compressed);
  }

  #tryInteger(s: string): boolean {
    const v = parseInt64(s);
    if (typeof v !== "number" || v < INT32_MIN || v > INT32_MAX) return false;
    this.integer(v);
    return true;
  }

  /** Appends a 32-bit integer as the smallest of C0/C1/C2. */
  integer(v: number): void {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    if (v >= -128 && v <= 127) {
      b[p++] = (Len.ENCVAL << 6) | StrEnc.INT8;
      b[p++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      b[p++] = (Len.ENCVAL << 6) | StrEnc.INT16;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
    } else {
      b[p++] = (Len.ENCVAL << 6) | StrEnc.INT32;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
      b[p++] = (v >> 16) & 0xff;
      b[p++] = (v >> 24) & 0xff;
    }
    this.pos = p;
  }

  /** Writes `bytes[start, end)` LZF-compressed if that fits in length - 4 bytes. */
  #tryLzf(bytes: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (n <= 4) return false;
    const capacity = n - 4;
    if (lzfScratch.length < capacity) {
      lzfScratch = new Uint8Array(Math.max(capacity, lzfScratch.length * 2));
    }
    const clen = lzfCompress(bytes, lzfScratch, capacity, start, end);
    if (clen > 0) {
      this.byte((Len.ENCVAL << 6) | StrEnc.LZF);
      this.len(clen);
      this.len(n);
      this.bytes(lzfScratch, 0, clen);
    }
    if (lzfScratch.length > SCRATCH_KEEP) lzfScratch = new Uint8Array(4096);
    return clen > 0;
  }
}
