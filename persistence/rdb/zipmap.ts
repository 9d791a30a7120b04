/**
 * Zipmaps (`zipmap.c`), read only: the small-hash encoding of Redis 2.4 and
 * older (RDB type 9).
 *
 * ```
 * zmlen (1 byte, 254+ means "count by scanning")
 * (len field, field, len value, free (1 byte), value, free unused bytes)*
 * 0xFF
 * len = 1 byte < 254, or 0xFE + u32 little-endian
 * ```
 *
 * @module
 */

import { decodeLatin1 } from "../../core/bytes.ts";
import { BlobFormatError } from "./blob_error.ts";

const BIGLEN = 254;
const END = 255;

/** Decodes the zipmap in `bytes[start, end)` into its field/value pairs. */
export function decodeZipmap(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): [string, string][] {
  if (end - start < 2) throw new BlobFormatError("zipmap shorter than its header");
  if (bytes[end - 1] !== END) throw new BlobFormatError("zipmap does not end with 0xFF");
  const declared = bytes[start];
  const out: [string, string][] = [];
  let p = start + 1;
  for (;;) {
    room(p, 1, end);
    if (bytes[p] === END) break;
    const [flen, afterFlen] = readLen(bytes, p, end);
    room(afterFlen, flen, end);
    const field = decodeLatin1(bytes, afterFlen, afterFlen + flen);
    p = afterFlen + flen;
    room(p, 1, end);
    if (bytes[p] === END) throw new BlobFormatError("zipmap field without a value");
    const [vlen, afterVlen] = readLen(bytes, p, end);
    room(afterVlen, 1, end);
    const free = bytes[afterVlen];
    const vstart = afterVlen + 1;
    room(vstart, vlen + free, end);
    const value = decodeLatin1(bytes, vstart, vstart + vlen);
    p = vstart + vlen + free;
    out.push([field, value]);
  }
  if (out.length === 0) throw new BlobFormatError("zipmap is empty");
  if (declared !== BIGLEN && declared !== out.length) {
    throw new BlobFormatError(`zipmap header says ${declared} entries but it holds ${out.length}`);
  }
  return out;
}

function readLen(b: Uint8Array, p: number, end: number): [number, number] {
  const first = b[p];
  if (first < BIGLEN) return [first, p + 1];
  if (first === END) throw new BlobFormatError("zipmap length byte 0xFF");
  room(p + 1, 4, end);
  const n = (b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16) | (b[p + 4] << 24)) >>> 0;
  return [n, p + 5];
}

function room(p: number, n: number, end: number): void {
  if (p + n > end) throw new BlobFormatError("zipmap entry runs past the end of the zipmap");
}
