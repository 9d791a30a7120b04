/**
 * A read position in a window of RDB bytes, with the RDB primitives
 * (lengths, strings, integers, doubles).
 *
 * The window may hold only part of the input. When a read runs past its end
 * and more input may follow, the cursor throws {@link NEED_MORE}; the
 * streaming reader then loads more bytes and parses the record again from
 * its start. When no more input will come (`final`), running past the end
 * is a truncation error instead. Lengths read from the input are checked
 * against what the input can still hold (`limit`), so a corrupt length fails
 * at once instead of allocating or waiting for bytes that will never come.
 *
 * @module
 */

import { decodeLatin1 } from "../../core/bytes.ts";
import { Len, StrEnc } from "./constants.ts";
import { RdbError } from "./errors.ts";
import { lzfDecompress } from "./lzf.ts";

// Decompressed strings are decoded at once: small ones share this buffer
// instead of allocating an ArrayBuffer each (an allocation per value made
// loading a million LZF strings several times slower).
const SCRATCH_MAX = 64 * 1024;
let scratch = new Uint8Array(4096);

/** Thrown (not an Error, no stack) when the window must grow before parsing can go on. */
export const NEED_MORE: unique symbol = Symbol("need more input");

// LZF output is at most about 88 times its input (3 bytes can produce 264).
const LZF_MAX_RATIO = 90;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** Bytes of a blob string: a view of the window or a decompressed copy. */
export interface BlobView {
  /** Array holding the blob. */
  bytes: Uint8Array;
  /** First byte. */
  start: number;
  /** End (exclusive). */
  end: number;
  /** File offset of the string holding the blob, for messages. */
  offset: number;
}

/** A read position over a window of the input. */
export class Cursor {
  /** The window. */
  buf: Uint8Array;
  /** Next byte to read, as an index into {@link buf}. */
  pos: number;
  /** End of the valid bytes in {@link buf}. */
  end: number;
  /** File offset of `buf[0]`. */
  base = 0;
  /** True when no input follows `end`. */
  final: boolean;
  /** File offset where the input ends, when known (else Infinity). */
  limit: number;
  /** Name used in error messages. */
  readonly name: string;

  /** A cursor over `buf[start, end)`; `final` when that is all the input. */
  constructor(name: string, buf: Uint8Array, start = 0, end = buf.length, final = true) {
    this.name = name;
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.final = final;
    this.limit = final ? end : Infinity;
  }

  /** File offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** An error of `kind` at file offset `offset` (default: the current one). */
  error(kind: RdbError["kind"], detail: string, offset = this.offset): RdbError {
    return new RdbError(kind, this.name, offset, detail);
  }

  /** Makes sure `n` bytes can be read; `what` names them for the truncation error. */
  need(n: number, what: string): void {
    if (this.end - this.pos >= n) return;
    if (!this.final) throw NEED_MORE;
    throw this.error(
      "truncated",
      `Unexpected EOF reading RDB file: expected ${what} (${n} bytes), ${this.end - this.pos} left`,
    );
  }

  /** Fails unless `n` more bytes can still exist in the input (declared sizes and counts). */
  fits(n: number, what: string): void {
    const left = this.limit - this.offset;
    if (n > left) {
      // Redis would run into the end of the file reading it: same wording.
      throw this.error(
        "truncated",
        `Unexpected EOF reading RDB file: ${what} declares ${n} bytes or items but only ${left} bytes remain`,
      );
    }
  }

  /** Reads one byte. */
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  /** Reads a 32-bit unsigned integer, little-endian. */
  u32LE(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads a 64-bit signed integer, little-endian, as a number (rounded beyond 2^53). */
  i64LE(what: string): number {
    this.need(8, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 8;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
    return hi * 4294967296 + lo;
  }

  /** Reads a binary double (8 bytes little-endian). */
  doubleLE(what: string): number {
    this.need(8, what);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i];
    this.pos = p + 8;
    return f64[0];
  }

  /** Reads an RDB length (`rdbLoadLen`); a special string encoding here is corrupt. */
  len(what: string): number {
    const start = this.pos;
    const first = this.u8(what);
    const kind = first >> 6;
    if (kind === Len.BITS6) return first & 0x3f;
    if (kind === Len.BITS14) return ((first & 0x3f) << 8) | this.u8(what);
    if (first === Len.BITS32) {
      this.need(4, what);
      const b = this.buf;
      const p = this.pos;
      this.pos = p + 4;
      return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    }
    if (first === Len.BITS64) {
      this.need(8, what);
      const b = this.buf;
      const p = this.pos;
      this.pos = p + 8;
      const hi = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      const lo = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
      if (hi >= 0x200000) {
        throw this.error(
          "corrupt",
          `${what}: 64-bit length ${hi}:${lo} is too large`,
          this.base + start,
        );
      }
      return hi * 4294967296 + lo;
    }
    throw this.error(
      "corrupt",
      `Unknown length encoding ${first >> 6} in rdbLoadLen() (first byte 0x${
        first.toString(16)
      }) reading ${what}`,
      this.base + start,
    );
  }

  /** Reads a count of items that each take at least `minBytes` bytes, checking it fits the input. */
  count(what: string, minBytes = 1): number {
    const n = this.len(what);
    this.fits(n * minBytes, what);
    return n;
  }

  /** Reads an RDB string (plain, integer or LZF) as a byte string. */
  string(what: string): string {
    const start = this.pos;
    const first = this.u8(what);
    if (first >> 6 !== Len.ENCVAL) {
      this.pos = start;
      const n = this.len(what);
      this.fits(n, what);
      this.need(n, what);
      const s = decodeLatin1(this.buf, this.pos, this.pos + n);
      this.pos += n;
      return s;
    }
    const enc = first & 0x3f;
    if (enc === StrEnc.LZF) {
      // The decompressed bytes only live until decoded: reuse one buffer.
      const out = this.#lzf(what, start, true);
      return decodeLatin1(out, 0, out.length);
    }
    return String(this.#integer(enc, what, start));
  }

  /** Reads an RDB string holding binary data (listpack, ziplist, intset, zipmap, list node). */
  blob(what: string): BlobView {
    const offset = this.offset;
    const start = this.pos;
    const first = this.u8(what);
    if (first >> 6 !== Len.ENCVAL) {
      this.pos = start;
      const n = this.len(what);
      this.fits(n, what);
      this.need(n, what);
      const view = { bytes: this.buf, start: this.pos, end: this.pos + n, offset };
      this.pos += n;
      return view;
    }
    const enc = first & 0x3f;
    if (enc === StrEnc.LZF) {
      const out = this.#lzf(what, start);
      return { bytes: out, start: 0, end: out.length, offset };
    }
    const text = String(this.#integer(enc, what, start));
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return { bytes, start: 0, end: bytes.length, offset };
  }

  #integer(enc: number, what: string, start: number): number {
    const b = this.buf;
    if (enc === StrEnc.INT8) {
      this.need(1, what);
      return (b[this.pos++] << 24) >> 24;
    }
    if (enc === StrEnc.INT16) {
      this.need(2, what);
      const p = this.pos;
      this.pos = p + 2;
      return ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
    }
    if (enc === StrEnc.INT32) {
      this.need(4, what);
      const p = this.pos;
      this.pos = p + 4;
      return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
    }
    throw this.error(
      "corrupt",
      `Unknown RDB string encoding type ${enc} reading ${what}`,
      this.base + start,
    );
  }

  #lzf(what: string, start: number, transient = false): Uint8Array {
    const clen = this.len(what);
    const ulen = this.len(what);
    this.fits(clen, what);
    if (ulen > clen * LZF_MAX_RATIO + 64 || clen === 0) {
      throw this.error(
        "corrupt",
        `Invalid LZF compressed string reading ${what}: ${clen} bytes cannot hold ${ulen}`,
        this.base + start,
      );
    }
    this.need(clen, what);
    let out: Uint8Array;
    if (transient && ulen <= SCRATCH_MAX) {
      if (scratch.length < ulen) scratch = new Uint8Array(Math.min(SCRATCH_MAX, ulen * 2));
      out = scratch.subarray(0, ulen);
    } else {
      out = new Uint8Array(ulen);
    }
    const got = lzfDecompress(this.buf, out, this.pos, this.pos + clen);
    if (got !== ulen) {
      const why = typeof got === "number" ? `${got} of ${ulen} bytes produced` : got;
      throw this.error(
        "corrupt",
        `Invalid LZF compressed string reading ${what}: ${why}`,
        this.base + start,
      );
    }
    this.pos += clen;
    return out;
  }
}
