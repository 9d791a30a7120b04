/**
 * CRC-64/Jones as Redis computes it (`crc64.c`): polynomial
 * 0xAD93D23594C935A9, reflected input and output, initial value 0, no final
 * xor. The check value of "123456789" is 0xE9C6D914C4B8D9CA.
 *
 * The checksum runs over every byte of multi-gigabyte files, so it is
 * table-driven with slicing-by-16 over aligned 32-bit words. JavaScript has
 * no cheap 64-bit integers: the register is kept as two 32-bit halves and
 * each table as two `Uint32Array`s (low and high words).
 *
 * @module
 */

/** The reflected polynomial (bit-reversed 0xAD93D23594C935A9), low and high words. */
const POLY_LO = 0xac4bc9b5;
const POLY_HI = 0x95ac9329;
const SLICES = 16;

// T_LO[k * 256 + b], T_HI[...]: the CRC register after byte b followed by k zero bytes.
const T_LO = new Uint32Array(SLICES * 256);
const T_HI = new Uint32Array(SLICES * 256);

function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    T_LO[b] = lo;
    T_HI[b] = hi;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const prevLo = T_LO[(k - 1) * 256 + b];
      const prevHi = T_HI[(k - 1) * 256 + b];
      const i = prevLo & 0xff;
      T_LO[k * 256 + b] = (((prevLo >>> 8) | (prevHi << 24)) ^ T_LO[i]) >>> 0;
      T_HI[k * 256 + b] = ((prevHi >>> 8) ^ T_HI[i]) >>> 0;
    }
  }
}
buildTables();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A running CRC-64/Jones. */
export class Crc64 {
  /** Low 32 bits of the register. */
  lo = 0;
  /** High 32 bits of the register. */
  hi = 0;

  /** Feeds `bytes[start, end)`. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let lo = this.lo;
    let hi = this.hi;
    let p = start;
    // Bytes one by one until the position is 4-byte aligned in memory.
    while (p < end && ((bytes.byteOffset + p) & 3) !== 0) {
      const i = (lo ^ bytes[p++]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[i];
      hi = (hi >>> 8) ^ T_HI[i];
    }
    const wordCount = (end - p) >>> 4 << 2;
    if (wordCount > 0 && LITTLE_ENDIAN) {
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + p, wordCount);
      [lo, hi] = sliceBy16(words, lo, hi);
      p += wordCount * 4;
    }
    while (p < end) {
      const i = (lo ^ bytes[p++]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[i];
      hi = (hi >>> 8) ^ T_HI[i];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The current value. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Writes the current value as 8 bytes little-endian (as RDB and DUMP store it) at `pos`. */
  writeLE(out: Uint8Array, pos: number): void {
    writeU32LE(out, pos, this.lo);
    writeU32LE(out, pos + 4, this.hi);
  }

  /** True when the 8 bytes at `pos` hold the current value little-endian. */
  matchesLE(bytes: Uint8Array, pos: number): boolean {
    return readU32LE(bytes, pos) === this.lo && readU32LE(bytes, pos + 4) === this.hi;
  }
}

/** Runs the register over whole groups of four words (16 bytes); returns [lo, hi]. */
function sliceBy16(words: Int32Array, lo: number, hi: number): [number, number] {
  const tl = T_LO;
  const th = T_HI;
  const n = words.length;
  for (let w = 0; w < n; w += 4) {
    const a = lo ^ words[w];
    const b = hi ^ words[w + 1];
    const c = words[w + 2];
    const d = words[w + 3];
    const i0 = 3840 + (a & 0xff);
    const i1 = 3584 + ((a >>> 8) & 0xff);
    const i2 = 3328 + ((a >>> 16) & 0xff);
    const i3 = 3072 + (a >>> 24);
    const i4 = 2816 + (b & 0xff);
    const i5 = 2560 + ((b >>> 8) & 0xff);
    const i6 = 2304 + ((b >>> 16) & 0xff);
    const i7 = 2048 + (b >>> 24);
    const i8 = 1792 + (c & 0xff);
    const i9 = 1536 + ((c >>> 8) & 0xff);
    const i10 = 1280 + ((c >>> 16) & 0xff);
    const i11 = 1024 + (c >>> 24);
    const i12 = 768 + (d & 0xff);
    const i13 = 512 + ((d >>> 8) & 0xff);
    const i14 = 256 + ((d >>> 16) & 0xff);
    const i15 = d >>> 24;
    lo = tl[i0] ^ tl[i1] ^ tl[i2] ^ tl[i3] ^ tl[i4] ^ tl[i5] ^ tl[i6] ^ tl[i7] ^
      tl[i8] ^ tl[i9] ^ tl[i10] ^ tl[i11] ^ tl[i12] ^ tl[i13] ^ tl[i14] ^ tl[i15];
    hi = th[i0] ^ th[i1] ^ th[i2] ^ th[i3] ^ th[i4] ^ th[i5] ^ th[i6] ^ th[i7] ^
      th[i8] ^ th[i9] ^ th[i10] ^ th[i11] ^ th[i12] ^ th[i13] ^ th[i14] ^ th[i15];
  }
  return [lo, hi];
}

/** CRC-64/Jones of `bytes[start, end)`, starting from 0 as Redis does. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  const c = new Crc64();
  c.update(bytes, start, end);
  return c.value();
}

function writeU32LE(out: Uint8Array, pos: number, v: number): void {
  out[pos] = v & 0xff;
  out[pos + 1] = (v >>> 8) & 0xff;
  out[pos + 2] = (v >>> 16) & 0xff;
  out[pos + 3] = v >>> 24;
}

function readU32LE(b: Uint8Array, pos: number): number {
  return (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
}
