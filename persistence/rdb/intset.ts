/**
 * Intsets (`intset.c`): sorted arrays of integers, the compact encoding of
 * sets whose members are all integers.
 *
 * ```
 * encoding u32 LE (2, 4 or 8: bytes per value) | length u32 LE | values, ascending, LE
 * ```
 *
 * @module
 */

import { parseInt64 } from "../../core/numbers.ts";
import { BlobFormatError } from "./blob_error.ts";
import { readI64LE } from "./listpack.ts";

/** Smallest intset width that holds `v` (`_intsetValueEncoding`). */
export function intsetWidthOf(v: number | bigint): 2 | 4 | 8 {
  if (v < -2147483648 || v > 2147483647) return 8;
  if (v < -32768 || v > 32767) return 4;
  return 2;
}

/**
 * Builds an intset from canonical integer members (any order, no
 * duplicates) with the given width (Redis's width depends on history: it
 * never shrinks). A width too small for some member is widened, so the
 * result is always a valid intset.
 */
export function encodeIntset(members: Iterable<string>, width: 2 | 4 | 8): Uint8Array {
  const values: (number | bigint)[] = [];
  let needsBig = false;
  for (const m of members) {
    const v = parseInt64(m);
    if (v === null) throw new Error(`intset member is not an integer: ${m}`);
    if (typeof v === "bigint") needsBig = true;
    values.push(v);
  }
  for (const v of values) {
    const w = intsetWidthOf(v);
    if (w > width) width = w;
  }
  if (needsBig) {
    values.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  } else {
    (values as number[]).sort((a, b) => a - b);
  }
  const out = new Uint8Array(8 + values.length * width);
  writeU32(out, 0, width);
  writeU32(out, 4, values.length);
  let p = 8;
  for (const v of values) {
    if (width === 8) {
      let u = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 8; i++) {
        out[p++] = Number(u & 0xffn);
        u >>= 8n;
      }
    } else {
      const n = Number(v);
      for (let i = 0; i < width; i++) out[p++] = (n >> (8 * i)) & 0xff;
    }
  }
  return out;
}

/** What an intset blob holds. */
export interface DecodedIntset {
  /** The members as decimal text, ascending. */
  members: string[];
  /** The stored width in bytes. */
  width: 2 | 4 | 8;
}

/**
 * Decodes the intset in `bytes[start, end)`, checking the width, the size,
 * that it is not empty and that values are strictly ascending.
 */
export function decodeIntset(bytes: Uint8Array, start = 0, end = bytes.length): DecodedIntset {
  const size = end - start;
  if (size < 8) throw new BlobFormatError("intset shorter than its header");
  const width = u32(bytes, start);
  if (width !== 2 && width !== 4 && width !== 8) {
    throw new BlobFormatError(`intset has an invalid encoding ${width}`);
  }
  const count = u32(bytes, start + 4);
  if (8 + count * width !== size) {
    throw new BlobFormatError(
      `intset of ${count} × ${width} bytes does not fill its ${size}-byte blob`,
    );
  }
  if (count === 0) throw new BlobFormatError("intset is empty");
  const members: string[] = new Array(count);
  let prev: number | bigint | null = null;
  let p = start + 8;
  for (let i = 0; i < count; i++, p += width) {
    let v: number | bigint;
    if (width === 2) v = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
    else if (width === 4) {
      v = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
    } else v = BigInt(readI64LE(bytes, p));
    if (prev !== null && v <= prev) {
      throw new BlobFormatError("intset values are not strictly ascending");
    }
    prev = v;
    members[i] = String(v);
  }
  return { members, width };
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function writeU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v & 0xff;
  b[p + 1] = (v >>> 8) & 0xff;
  b[p + 2] = (v >>> 16) & 0xff;
  b[p + 3] = (v >>> 24) & 0xff;
}
