/**
 * Packed byte-string sequences: many short byte strings stored in one
 * string, each preceded by its length, like Redis's listpack. One string
 * instead of one per element saves the per-string header and the pointer
 * slot (about 30 bytes per element), which is most of the memory of small
 * collections.
 *
 * A length is a varint of characters: 7 bits per character, low bits
 * first, the high bit set on every character but the last. Whole sequences
 * are built flat from a byte buffer ({@link pack}); small edits use `+`
 * and {@link flat}.
 *
 * Reading an element returns a slice of the packed string; V8 may share the
 * parent's memory for long slices, so values kept for long are copied with
 * {@link ownedCopy}.
 *
 * @module
 */

import { decodeLatin1, encodeLatin1Into, latin1Bytes } from "../bytes.ts";

/** Position after the varint read by {@link readLength}; avoids allocating a pair. */
export let afterLength = 0;

/** Reads the varint length at `pos`; sets {@link afterLength} to where the bytes start. */
export function readLength(data: string, pos: number): number {
  let c = data.charCodeAt(pos);
  if (c < 128) {
    afterLength = pos + 1;
    return c;
  }
  let value = c & 127;
  let scale = 128;
  let p = pos + 1;
  while (true) {
    c = data.charCodeAt(p++);
    value += (c & 127) * scale;
    if (c < 128) break;
    scale *= 128;
  }
  afterLength = p;
  return value;
}

/** The varint of `n` as characters. */
export function lengthPrefix(n: number): string {
  if (n < 128) return String.fromCharCode(n);
  let out = "";
  while (n >= 128) {
    out += String.fromCharCode(128 | (n % 128));
    n = Math.floor(n / 128);
  }
  return out + String.fromCharCode(n);
}

let scratch = new Uint8Array(16 * 1024);

/** Packs `items` into one flat string (through a byte buffer: faster than joining parts). */
export function pack(items: readonly string[]): string {
  let total = 0;
  for (const s of items) total += s.length + 5;
  if (scratch.length < total) scratch = new Uint8Array(total * 2);
  const buf = scratch;
  let p = 0;
  for (const s of items) {
    const len = s.length;
    let n = len;
    while (n >= 128) {
      buf[p++] = 128 | (n % 128);
      n = Math.floor(n / 128);
    }
    buf[p++] = n;
    if (len > 48) {
      p = encodeLatin1Into(s, buf, p);
    } else {
      for (let i = 0; i < len; i++) buf[p++] = s.charCodeAt(i);
    }
  }
  const out = decodeLatin1(buf, 0, p);
  // Do not pin a large buffer after packing one big node.
  if (scratch.length > 1024 * 1024) scratch = new Uint8Array(16 * 1024);
  return out;
}

/** Unpacks every element of `data`. */
export function unpack(data: string): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < data.length) {
    const len = readLength(data, p);
    p = afterLength;
    out.push(data.slice(p, p + len));
    p += len;
  }
  return out;
}

let flattenSink = 0;

/**
 * Returns `s` made flat. V8 flattens a rope at the first indexed read and
 * the collector then drops the rope nodes; a packed string at rest must not
 * stay a rope of every edit. The read feeds a module variable so that the
 * compiler cannot drop it.
 */
export function flat(s: string): string {
  if (s.length > 0) flattenSink ^= s.charCodeAt(0);
  return s;
}

/** Length below which V8 copies slices instead of sharing the parent string. */
const SLICE_SHARING_MIN = 13;

/** A copy of `s` that does not keep a larger string alive. */
export function ownedCopy(s: string): string {
  return s.length < SLICE_SHARING_MIN ? s : decodeLatin1(latin1Bytes(s));
}
