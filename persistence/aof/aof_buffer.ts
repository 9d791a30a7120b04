/**
 * A growable byte buffer holding AOF records: RESP arrays of bulk strings,
 * written straight from byte-string arguments without intermediate
 * strings or arrays (this is on the write path of every command).
 *
 * @module
 */

import { encodeLatin1Into } from "../../core/bytes.ts";

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const ZERO = 48;

/** Buffers above this size are dropped after being emptied instead of kept for reuse. */
const KEEP_CAPACITY = 1 << 20;

/** Bytes of the decimal form of a non-negative integer. */
function decimalLength(n: number): number {
  let len = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    len++;
  }
  return len;
}

/** Growable bytes with appenders for AOF records. */
export class AofBuffer {
  #buf: Uint8Array;
  #len = 0;
  readonly #initial: number;

  /** Creates an empty buffer. */
  constructor(initialCapacity = 16 * 1024) {
    this.#initial = initialCapacity;
    this.#buf = new Uint8Array(initialCapacity);
  }

  /** Number of bytes held. */
  get length(): number {
    return this.#len;
  }

  /** The bytes held (a view, valid until the next change). */
  view(start = 0, end = this.#len): Uint8Array {
    return this.#buf.subarray(start, end);
  }

  /** Appends one command as a RESP array of bulk strings. */
  appendCommand(argv: readonly string[]): void {
    let size = 3 + decimalLength(argv.length);
    for (let i = 0; i < argv.length; i++) {
      const n = argv[i].length;
      size += n + 5 + decimalLength(n);
    }
    this.#room(size);
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = STAR;
    p = this.#digits(argv.length, p);
    buf[p++] = CR;
    buf[p++] = LF;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      buf[p++] = DOLLAR;
      p = this.#digits(arg.length, p);
      buf[p++] = CR;
      buf[p++] = LF;
      p = encodeLatin1Into(arg, buf, p);
      buf[p++] = CR;
      buf[p++] = LF;
    }
    this.#len = p;
  }

  /** Appends the header of a RESP array of `n` bulk strings (follow with {@link appendBulk}). */
  appendArrayHeader(n: number): void {
    this.#room(3 + decimalLength(n));
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = STAR;
    p = this.#digits(n, p);
    buf[p++] = CR;
    buf[p++] = LF;
    this.#len = p;
  }

  /** Appends one bulk string. */
  appendBulk(arg: string): void {
    const n = arg.length;
    this.#room(n + 5 + decimalLength(n));
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = DOLLAR;
    p = this.#digits(n, p);
    buf[p++] = CR;
    buf[p++] = LF;
    p = encodeLatin1Into(arg, buf, p);
    buf[p++] = CR;
    buf[p++] = LF;
    this.#len = p;
  }

  /** Appends an annotation line (`#TS:...`) followed by CRLF. `line` is ASCII. */
  appendLine(line: string): void {
    this.#room(line.length + 2);
    let p = encodeLatin1Into(line, this.#buf, this.#len);
    this.#buf[p++] = CR;
    this.#buf[p++] = LF;
    this.#len = p;
  }

  /** Appends raw bytes. */
  appendBytes(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** Drops the first `n` bytes (they were written). */
  consume(n: number): void {
    if (n >= this.#len) {
      this.clear();
      return;
    }
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
  }

  /** Empties the buffer, releasing a large backing array. */
  clear(): void {
    this.#len = 0;
    if (this.#buf.length > KEEP_CAPACITY) this.#buf = new Uint8Array(this.#initial);
  }

  /** Returns a copy of the bytes held and empties the buffer. */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#len);
    this.clear();
    return out;
  }

  #digits(n: number, p: number): number {
    const buf = this.#buf;
    if (n < 10) {
      buf[p] = ZERO + n;
      return p + 1;
    }
    const end = p + decimalLength(n);
    let q = end;
    while (n >= 10) {
      const next = Math.floor(n / 10);
      buf[--q] = ZERO + (n - next * 10);
      n = next;
    }
    buf[--q] = ZERO + n;
    return end;
  }

  #room(n: number): void {
    const need = this.#len + n;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}
