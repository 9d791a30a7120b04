/**
 * Streaming parser of AOF records: reads a file in chunks into a window and
 * parses RESP arrays out of it with the server's rules
 * (`loadSingleAppendOnlyFile` in Redis 7.0), so a multi-gigabyte AOF is
 * never held in memory — only the record being parsed is.
 *
 * - A record starts with `*<argc>`; argc < 1 is a format error.
 * - A line starting with `#` is an annotation (`#TS:`), skipped. One cut
 *   short by the end of the input is a truncated tail (Redis keeps it, and
 *   the next record appended would be glued to it).
 * - Each argument is `$<len>` then exactly `len` bytes and two more (the
 *   server does not check that they are CRLF; check-aof does).
 * - Anything else where a record or an argument must start is a format
 *   error; running out of input inside a record is a truncated tail.
 *
 * Parsing is synchronous over the window ({@link AofRecordReader.next});
 * the caller awaits {@link AofRecordReader.fill} only when the window ran
 * out, so the per-record cost has no promise in it.
 *
 * @module
 */

import { decodeLatin1 } from "../../core/bytes.ts";

/** Outcomes of {@link AofRecordReader.next}. */
export const ReadStatus = {
  /** A record was parsed: see `argv`, `recordStart`, `recordEnd`. */
  Record: 0,
  /** An annotation line was skipped. */
  Annotation: 1,
  /** The window ends inside a record: call `fill` (at the end of input: truncated). */
  NeedMore: 2,
  /** The record is malformed: see `error`. */
  FormatError: 3,
  /** The input ended, and every byte was consumed. */
  End: 4,
  /** The input ended inside a record. */
  Truncated: 5,
} as const;

/** One of {@link ReadStatus}. */
export type ReadStatus = typeof ReadStatus[keyof typeof ReadStatus];

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const HASH = 35;
/** Longest header line accepted (Redis reads them into a 1024-byte buffer). */
const MAX_LINE = 1024;

/** Something to read bytes from (a `Deno.FsFile`). */
export interface ByteSource {
  /** Reads up to `into.length` bytes; null at the end. */
  read(into: Uint8Array): Promise<number | null>;
}

/** Reads AOF records from a {@link ByteSource}. */
export class AofRecordReader {
  /** Arguments of the last record parsed. */
  argv: string[] = [];
  /** Offset of the last record (or annotation) parsed. */
  recordStart = 0;
  /** Offset just after it. */
  recordEnd = 0;
  /** What was wrong, after {@link ReadStatus.FormatError}. */
  error = "";

  readonly #source: ByteSource;
  /** Size of the whole input when known: lengths running past it are truncation, not a reason to grow. */
  readonly #totalBytes: number;
  #buf: Uint8Array;
  /** Offset in the input of `#buf[0]`. */
  #base: number;
  #pos = 0;
  #len = 0;
  #eof = false;
  /** Bytes the record being parsed needs, when more than the window holds. */
  #need = 0;

  /**
   * Reads from `source`, whose first byte is at offset `base` of the input
   * (after an RDB preamble); `initial` holds bytes already read from there.
   */
  constructor(
    source: ByteSource,
    options: { base?: number; initial?: Uint8Array; totalBytes?: number; chunkBytes?: number } = {},
  ) {
    this.#source = source;
    this.#base = options.base ?? 0;
    this.#totalBytes = options.totalBytes ?? Infinity;
    const initial = options.initial ?? new Uint8Array(0);
    this.#buf = new Uint8Array(Math.max(options.chunkBytes ?? 1 << 20, initial.length * 2, 16));
    this.#buf.set(initial);
    this.#len = initial.length;
  }

  /** Offset of the next unparsed byte. */
  get offset(): number {
    return this.#base + this.#pos;
  }

  /** Bytes of the window from `start` (an input offset, still in the window) to the parse position. */
  bytesFrom(start: number, max = 64): Uint8Array {
    const from = Math.max(0, start - this.#base);
    return this.#buf.subarray(from, Math.min(this.#len, from + max));
  }

  /** Parses the next record or annotation from the window. */
  next(): ReadStatus {
    const buf = this.#buf;
    const start = this.#pos;
    if (start >= this.#len) return this.#eof ? ReadStatus.End : ReadStatus.NeedMore;
    this.recordStart = this.#base + start;
    const first = buf[start];
    if (first === HASH) return this.#annotation(start);
    if (first !== STAR) return this.#fail(`expected '*' or '#', got ${showByte(first)}`);
    const header = this.#line(start);
    if (header < 0) return this.#short(header);
    const argc = atoi(buf, start + 1, header);
    if (argc < 1) return this.#fail(`invalid argument count`);
    let p = header + 1;
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (p >= this.#len) return this.#short(-1);
      if (buf[p] !== DOLLAR) {
        return this.#fail(`expected '$' for argument ${i + 1} of ${argc}, got ${showByte(buf[p])}`);
      }
      const lineEnd = this.#line(p);
      if (lineEnd < 0) return this.#short(lineEnd);
      const len = atoi(buf, p + 1, lineEnd);
      if (len < 0) return this.#fail(`invalid length of argument ${i + 1} of ${argc}`);
      const data = lineEnd + 1;
      const end = data + len + 2;
      if (end > this.#len) {
        if (this.#base + end > this.#totalBytes) return this.#truncatedNow();
        this.#need = end - start;
        return this.#short(-1);
      }
      argv.push(decodeLatin1(buf, data, data + len));
      p = end;
    }
    this.argv = argv;
    this.#pos = p;
    this.recordEnd = this.#base + p;
    return ReadStatus.Record;
  }

  /**
   * Loads more input into the window, keeping the unparsed part. Resolves
   * false at the end of the input (then {@link next} reports End or Truncated).
   */
  async fill(): Promise<boolean> {
    if (this.#eof) return false;
    this.#compact();
    const want = Math.max(this.#need, this.#len + 1);
    if (want > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < want) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    this.#need = 0;
    const n = await this.#source.read(this.#buf.subarray(this.#len));
    if (n === null || n === 0) {
      this.#eof = true;
      return false;
    }
    this.#len += n;
    return true;
  }

  #annotation(start: number): ReadStatus {
    const lf = this.#buf.indexOf(LF, start);
    if (lf < 0 || lf >= this.#len) {
      // Redis accepts an unterminated last annotation, but the next record
      // appended would then be glued to it and lost: cut it off instead.
      return this.#eof ? this.#truncatedNow() : ReadStatus.NeedMore;
    }
    this.#pos = lf + 1;
    this.recordEnd = this.#base + this.#pos;
    return ReadStatus.Annotation;
  }

  /** Index of the LF ending the line at `from`, or -1 (need more) / -2 (too long). */
  #line(from: number): number {
    const limit = Math.min(this.#len, from + MAX_LINE);
    for (let i = from; i < limit; i++) {
      if (this.#buf[i] === LF) return i;
    }
    return limit - from >= MAX_LINE ? -2 : -1;
  }

  #short(code: number): ReadStatus {
    if (code === -2) return this.#fail("header line too long");
    return this.#eof ? this.#truncatedNow() : ReadStatus.NeedMore;
  }

  #truncatedNow(): ReadStatus {
    this.#eof = true;
    return ReadStatus.Truncated;
  }

  #fail(message: string): ReadStatus {
    this.error = message;
    return ReadStatus.FormatError;
  }

  #compact(): void {
    if (this.#pos === 0) return;
    this.#buf.copyWithin(0, this.#pos, this.#len);
    this.#base += this.#pos;
    this.#len -= this.#pos;
    this.#pos = 0;
  }
}

/**
 * C's `atoi`/`strtol` on `buf[from, to)`: optional blanks and sign, then
 * digits; stops at anything else. Returns 0 when there are no digits.
 */
function atoi(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 32 || buf[i] === 9)) i++;
  let negative = false;
  if (i < to && (buf[i] === 45 || buf[i] === 43)) negative = buf[i++] === 45;
  let n = 0;
  while (i < to && buf[i] >= 48 && buf[i] <= 57) n = n * 10 + (buf[i++] - 48);
  return negative ? -n : n;
}

function showByte(b: number): string {
  if (b === CR) return "'\\r'";
  if (b === LF) return "'\\n'";
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16)}`;
}
