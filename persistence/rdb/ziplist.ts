/**
 * Ziplists (`ziplist.c`), read only: Redis up to 6.2 stored small lists,
 * hashes and sorted sets this way, and 7.0 still loads them.
 *
 * ```
 * zlbytes u32 LE | zltail u32 LE | zllen u16 LE (65535: unknown) | entry* | 0xFF
 * entry = prevlen (1 byte, or 0xFE + u32 LE) | encoding | data
 * ```
 *
 * @module
 */

import { decodeLatin1 } from "../../core/bytes.ts";
import { BlobFormatError } from "./blob_error.ts";
import { readI64LE } from "./listpack.ts";

const HEADER_SIZE = 10;
const END = 0xff;
const BIG_PREVLEN = 0xfe;

/**
 * Decodes the ziplist in `bytes[start, end)` into its elements (integers as
 * decimal text), checking the header, every entry's bounds and prevlen, the
 * tail offset and the terminator, as Redis's deep validation does.
 */
export function decodeZiplist(bytes: Uint8Array, start = 0, end = bytes.length): string[] {
  const size = end - start;
  if (size < HEADER_SIZE + 1) throw new BlobFormatError("ziplist shorter than its header");
  const zlbytes = u32(bytes, start);
  if (zlbytes !== size) {
    throw new BlobFormatError(`ziplist header says ${zlbytes} bytes but the blob has ${size}`);
  }
  const zltail = u32(bytes, start + 4);
  const declared = bytes[start + 8] | (bytes[start + 9] << 8);
  if (bytes[end - 1] !== END) throw new BlobFormatError("ziplist does not end with 0xFF");
  const last = end - 1;
  const out: string[] = [];
  let p = start + HEADER_SIZE;
  let prevSize = 0;
  let lastEntry = start + HEADER_SIZE;
  while (p < last) {
    const entryStart = p;
    let prevlen = bytes[p++];
    if (prevlen === BIG_PREVLEN) {
      room(p, 4, last);
      prevlen = u32(bytes, p);
      p += 4;
    } else if (prevlen === END) {
      throw new BlobFormatError("ziplist entry has an invalid prevlen 0xFF");
    }
    if (prevlen !== prevSize) {
      throw new BlobFormatError(
        `ziplist entry at blob byte ${entryStart - start} has a bad prevlen`,
      );
    }
    room(p, 1, last);
    const enc = bytes[p];
    let value: string;
    if (enc < 0xc0) {
      let n: number;
      if (enc < 0x40) {
        n = enc;
        p += 1;
      } else if (enc < 0x80) {
        room(p, 2, last);
        n = ((enc & 0x3f) << 8) | bytes[p + 1];
        p += 2;
      } else {
        room(p, 5, last);
        n = ((bytes[p + 1] << 24) | (bytes[p + 2] << 16) | (bytes[p + 3] << 8) | bytes[p + 4]) >>>
          0;
        p += 5;
      }
      room(p, n, last);
      value = decodeLatin1(bytes, p, p + n);
      p += n;
    } else {
      p++;
      value = readZiplistInt(bytes, enc, p, last);
      p += intSize(enc);
    }
    prevSize = p - entryStart;
    lastEntry = entryStart;
    out.push(value);
  }
  if (p !== last) throw new BlobFormatError("ziplist entries overrun the terminator");
  if (zltail !== lastEntry - start) {
    throw new BlobFormatError("ziplist tail offset does not point at its last entry");
  }
  if (declared !== 65535 && declared !== out.length) {
    throw new BlobFormatError(`ziplist header says ${declared} entries but it holds ${out.length}`);
  }
  return out;
}

function intSize(enc: number): number {
  switch (enc) {
    case 0xc0:
      return 2;
    case 0xd0:
      return 4;
    case 0xe0:
      return 8;
    case 0xf0:
      return 3;
    case 0xfe:
      return 1;
    default:
      return 0; // 0xF1..0xFD: the value is in the encoding byte
  }
}

function readZiplistInt(b: Uint8Array, enc: number, p: number, last: number): string {
  if (enc >= 0xf1 && enc <= 0xfd) return String((enc & 0x0f) - 1);
  const n = intSize(enc);
  if (n === 0) throw new BlobFormatError(`invalid ziplist entry encoding 0x${enc.toString(16)}`);
  room(p, n, last);
  switch (enc) {
    case 0xc0:
      return String(((b[p] | (b[p + 1] << 8)) << 16) >> 16);
    case 0xd0:
      return String(b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24));
    case 0xe0:
      return readI64LE(b, p);
    case 0xf0:
      return String(((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8) >> 8);
    default:
      return String((b[p] << 24) >> 24);
  }
}

function room(p: number, n: number, last: number): void {
  if (p + n > last) throw new BlobFormatError("ziplist entry runs past the end of the ziplist");
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}
