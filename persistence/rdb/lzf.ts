/**
 * LZF compression as Redis 7.0 does it (liblzf 3.6 built with HLOG 16 and
 * VERY_FAST, `lzf_c.c` / `lzf_d.c`).
 *
 * The compressor reproduces Redis's output byte for byte, including its
 * refusal to compress: Redis stores a string compressed only when LZF fits
 * it in `length - 4` bytes, and liblzf's capacity checks are conservative
 * near the end of the output, so the same decisions must be made here.
 *
 * Stream format: a control byte `c < 32` copies the next `c + 1` literal
 * bytes; otherwise `c >> 5` is the match length minus 2 (7 means "plus the
 * next byte"), and `((c & 31) << 8) + next byte + 1` is the distance back
 * into the output.
 *
 * @module
 */

const HASH_SIZE = 1 << 16;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// The hash table maps a 3-byte hash to the last position seen with it. It is
// reused across calls: entries hold `base + position`, and `base` moves past
// the previous input on each call, so older entries read as absent without
// clearing 64K slots per small string.
const table = new Int32Array(HASH_SIZE);
let base = 1;

function slotOf(b: Uint8Array, p: number): number {
  return ((((b[p] << 8) | b[p + 1]) - 5 * ((b[p + 1] << 8) | b[p + 2])) & 0xffff);
}

/**
 * Compresses `input[start, end)` into `out` using at most `capacity` bytes
 * (default: `out.length`). Returns the compressed length, or 0 when the
 * result would not fit (Redis then stores the data uncompressed). `out`
 * must have room for `capacity` bytes.
 */
export function lzfCompress(
  input: Uint8Array,
  out: Uint8Array,
  capacity = out.length,
  start = 0,
  end = input.length,
): number {
  const inLen = end - start;
  if (inLen === 0 || capacity === 0) return 0;
  if (base + inLen >= 0x7fff0000) {
    table.fill(0);
    base = 1;
  }
  const tbase = base - start; // table value of input position p is tbase + p
  base += inLen + 1;
  let ip = start;
  let op = 1; // byte 0 is reserved for the first literal run's header
  let lit = 0;
  const limit = end - 2;
  while (ip < limit) {
    const slot = slotOf(input, ip);
    const stored = table[slot];
    table[slot] = tbase + ip;
    const ref = stored - tbase; // negative or >= ip when stale
    const off = ip - ref - 1;
    if (
      stored !== 0 && off >= 0 && off < MAX_OFFSET && ref > start &&
      input[ref + 2] === input[ip + 2] && input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      if (op + 4 >= capacity && op - (lit === 0 ? 1 : 0) + 4 >= capacity) return 0;
      out[op - lit - 1] = lit - 1;
      if (lit === 0) op--;
      let len = matchLength(input, ref, ip, end);
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len + 1;
      if (ip >= limit) break;
      // VERY_FAST: index the two positions before the new one.
      table[slotOf(input, ip - 2)] = tbase + ip - 2;
      table[slotOf(input, ip - 1)] = tbase + ip - 1;
    } else {
      if (op >= capacity) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LITERAL) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > capacity) return 0;
  while (ip < end) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}

/**
 * Length of the match at `ip` against `ref` (the first 3 bytes are known to
 * match), with liblzf's exact bounds: 16 bytes compared unconditionally when
 * more than 16 may remain, then a bounded loop.
 */
function matchLength(input: Uint8Array, ref: number, ip: number, end: number): number {
  let len = 2;
  let maxlen = end - ip - len;
  if (maxlen > MAX_REF) maxlen = MAX_REF;
  if (maxlen > 16) {
    for (let k = 0; k < 16; k++) {
      len++;
      if (input[ref + len] !== input[ip + len]) return len;
    }
  }
  do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
  return len;
}

/** Why decompression failed. */
export type LzfError = "output overflow" | "bad back-reference" | "truncated input";

/**
 * Decompresses `input[start, end)` into `out`, which must be exactly the
 * original length. Returns the number of bytes written or an error. The
 * caller must check the count against the expected length.
 */
export function lzfDecompress(
  input: Uint8Array,
  out: Uint8Array,
  start = 0,
  end = input.length,
): number | LzfError {
  let ip = start;
  let op = 0;
  const outEnd = out.length;
  while (ip < end) {
    let ctrl = input[ip++];
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outEnd) return "output overflow";
      if (ip + ctrl > end) return "truncated input";
      // Runs are at most 32 bytes: a loop beats creating a subarray.
      for (let k = 0; k < ctrl; k++) out[op + k] = input[ip + k];
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= end) return "truncated input";
        len += input[ip++];
      }
      if (ip >= end) return "truncated input";
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      len += 2;
      if (op + len > outEnd) return "output overflow";
      if (ref < 0) return "bad back-reference";
      // Byte by byte: the source may overlap what is being written (runs).
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  return op;
}
