/**
 * Byte strings.
 *
 * Cairn keeps every key, value and argument as a JavaScript string in which
 * each character is one byte (code points 0-255, "latin1"). V8 stores such
 * strings one byte per character, so they cost less memory than a
 * `Uint8Array` per value and can be used directly as `Map` keys. These
 * helpers are the only place where bytes become byte strings and back.
 *
 * @module
 */

import { Buffer } from "node:buffer";

// Deno's node:buffer decodes latin1 in native code; it is the fastest way to
// turn bytes into a one-byte string that owns its memory (a slice of a larger
// string would keep the whole read buffer alive).
const latin1Slice = Buffer.prototype.latin1Slice as (
  this: Uint8Array,
  start: number,
  end: number,
) => string;

const textEncoder = new TextEncoder();

/** Decodes `bytes[start, end)` into a byte string. */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const len = end - start;
  // Short strings: building them in JavaScript avoids the native call.
  if (len <= 4) {
    switch (len) {
      case 0:
        return "";
      case 1:
        return String.fromCharCode(bytes[start]);
      case 2:
        return String.fromCharCode(bytes[start], bytes[start + 1]);
      case 3:
        return String.fromCharCode(bytes[start], bytes[start + 1], bytes[start + 2]);
      default:
        return String.fromCharCode(
          bytes[start],
          bytes[start + 1],
          bytes[start + 2],
          bytes[start + 3],
        );
    }
  }
  return latin1Slice.call(bytes, start, end);
}

/**
 * Writes the bytes of byte string `s` into `out` at `pos` and returns the
 * position after them. `out` must have room for `s.length` bytes.
 */
export function encodeLatin1Into(s: string, out: Uint8Array, pos: number): number {
  const len = s.length;
  if (len > 48) {
    // The UTF-8 encoder is native and fast; it writes exactly one byte per
    // character only when every character is ASCII, which `read === len` proves
    // (a character >= 0x80 needs two bytes and cannot fit in `len` bytes).
    const r = textEncoder.encodeInto(s, out.subarray(pos, pos + len));
    if (r.read === len) return pos + len;
  }
  for (let i = 0; i < len; i++) out[pos + i] = s.charCodeAt(i);
  return pos + len;
}

/** Returns the bytes of byte string `s` as a new array. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  encodeLatin1Into(s, out, 0);
  return out;
}

/**
 * Converts ordinary (Unicode) text, as found in a TOML file or a log message,
 * into the byte string of its UTF-8 encoding.
 */
export function utf8ToByteString(text: string): string {
  const bytes = textEncoder.encode(text);
  return decodeLatin1(bytes, 0, bytes.length);
}

const utf8Decoder = new TextDecoder();

/** Converts a byte string holding UTF-8 back into Unicode text (for logs and errors). */
export function byteStringToUtf8(s: string): string {
  return utf8Decoder.decode(latin1Bytes(s));
}

/** Concatenates byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
