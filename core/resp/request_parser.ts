/**
 * The request side of RESP: turns the bytes a client sends into commands.
 *
 * Two forms arrive on the same connection: multibulk (`*2\r\n$3\r\nGET\r\n...`,
 * what client libraries send) and inline (`GET key\r\n`, what a person types
 * in telnet). The parser keeps Redis's state machine (`processMultibulkBuffer`
 * and `processInlineBuffer` in networking.c), so a request split across any
 * number of reads parses the same way, and it reports malformed input with
 * Redis's exact protocol error strings.
 *
 * The connection reads straight into the parser's buffer ({@link
 * RequestParser.readTarget}), so bytes are copied once, when each argument
 * becomes a byte string.
 *
 * @module
 */

import { decodeLatin1 } from "../bytes.ts";
import { splitArgs } from "../split_args.ts";

/** Longest inline request or length line Redis accepts (`PROTO_INLINE_MAX_SIZE`). */
export const INLINE_MAX_SIZE = 64 * 1024;

/** A malformed request. The message is Redis's reply text, without the leading `-`. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const INITIAL_CAPACITY = 16 * 1024;
const NO_ARGS: string[] = [];
const CR = 13;
const LF = 10;

/** Incremental parser of client requests into argument vectors of byte strings. */
export class RequestParser {
  /** Largest bulk argument accepted (`proto-max-bulk-len`). */
  maxBulkLen = 512 * 1024 * 1024;
  /**
   * When true, Redis's tighter limits for clients that have not authenticated
   * apply (at most 10 arguments of at most 16384 bytes).
   */
  unauthenticated = false;

  #buf = new Uint8Array(INITIAL_CAPACITY);
  #start = 0; // first unparsed byte
  #end = 0; // one past the last received byte
  #pendingArgs = 0; // arguments still expected in the current multibulk, 0 if none
  #bulkLen = -1; // length of the bulk being read, -1 while its header is unread
  // The arguments of a request whose end has not arrived yet; NO_ARGS when
  // none. A complete request is parsed into a local array instead: storing a
  // new array here would cost a write barrier's slow path per request.
  #args: string[] = NO_ARGS;
  #argIndex = 0;
  #keyFrom = -1;
  // The previous command's name: pipelines repeat it, and returning the same
  // string saves decoding it and lets the command table match it by identity.
  #lastName = "";
  // A socket read into the region from readTarget() is outstanding: the
  // positions must not move under it (an unblocked client's buffered
  // commands can be parsed meanwhile).
  #reading = false;

  /**
   * Where argument 1 of the request {@link next} last returned starts in the
   * read buffer; -1 when it had none or was inline. The key prefetch matches
   * it with the keys it hashed (core/keyspace/key_prefetch.ts).
   */
  get keyFrom(): number {
    return this.#keyFrom;
  }

  /** Bytes received and not yet parsed into a command. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Returns a region to read the next bytes into, after making room: at least
   * 4 KiB, or the rest of a large bulk argument that is being received.
   */
  readTarget(): Uint8Array {
    let want = 4096;
    if (this.#bulkLen >= 0) {
      want = Math.max(want, this.#bulkLen + 2 - this.buffered);
    }
    this.#ensureRoom(want);
    this.#reading = true;
    return this.#buf.subarray(this.#end);
  }

  /** Records that `n` bytes were read into the region from {@link readTarget}. */
  commit(n: number): void {
    this.#end += n;
    this.#reading = false;
  }

  /** Appends bytes received elsewhere (tests, the AOF loader). */
  append(bytes: Uint8Array): void {
    this.#ensureRoom(bytes.length);
    this.#buf.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  /**
   * Parses the next complete command. Returns `null` when more bytes are
   * needed. Empty requests (a blank inline line, `*0`) are skipped. Throws
   * {@link ProtocolError} on malformed input; the connection must then reply
   * with the message and close.
   */
  next(): string[] | null {
    while (this.#start < this.#end) {
      let argv: string[] | null | undefined;
      if (this.#pendingArgs > 0 || this.#buf[this.#start] === 42 /* '*' */) {
        argv = this.#parseMultibulk();
      } else {
        this.#keyFrom = -1;
        argv = this.#parseInline();
      }
      if (argv === null) return null;
      if (argv !== undefined) {
        this.#compact();
        return argv;
      }
    }
    this.#compact();
    return null;
  }

  /** Returns undefined for an empty request, null when incomplete. */
  #parseInline(): string[] | null | undefined {
    const buf = this.#buf;
    const nl = buf.subarray(this.#start, this.#end).indexOf(LF);
    if (nl < 0) {
      if (this.buffered > INLINE_MAX_SIZE) {
        throw new ProtocolError("Protocol error: too big inline request");
      }
      return null;
    }
    const lineEnd = this.#start + nl;
    let textEnd = lineEnd;
    if (textEnd > this.#start && buf[textEnd - 1] === CR) textEnd--;
    const line = decodeLatin1(buf, this.#start, textEnd);
    this.#start = lineEnd + 1;
    const argv = splitArgs(line);
    if (argv === null) {
      throw new ProtocolError("Protocol error: unbalanced quotes in request");
    }
    return argv.length > 0 ? argv : undefined;
  }

  /** Returns undefined for an empty request, null when incomplete. */
  #parseMultibulk(): string[] | null | undefined {
    const buf = this.#buf;
    let args = this.#args;
    if (this.#pendingArgs === 0) {
      const cr = this.#findCR(this.#start);
      if (cr < 0) {
        if (this.buffered > INLINE_MAX_SIZE) {
          throw new ProtocolError("Protocol error: too big mbulk count string");
        }
        return null;
      }
      if (cr + 1 >= this.#end) return null; // the \n has not arrived
      const count = parseLength(buf, this.#start + 1, cr);
      if (Number.isNaN(count) || count > 0x7fffffff) {
        throw new ProtocolError("Protocol error: invalid multibulk length");
      }
      if (count > 10 && this.unauthenticated) {
        throw new ProtocolError("Protocol error: unauthenticated multibulk length");
      }
      this.#start = cr + 2;
      if (count <= 0) return undefined;
      this.#pendingArgs = count;
      // Sized up front: a growing array would allocate room for 17 arguments.
      args = new Array(count);
      this.#argIndex = 0;
      this.#keyFrom = -1;
    }
    while (this.#pendingArgs > 0) {
      if (this.#bulkLen < 0) {
        if (this.#start >= this.#end) return this.#suspend(args);
        const cr = this.#findCR(this.#start);
        if (cr < 0) {
          if (this.buffered > INLINE_MAX_SIZE) {
            throw new ProtocolError("Protocol error: too big bulk count string");
          }
          return this.#suspend(args);
        }
        if (cr + 1 >= this.#end) return this.#suspend(args);
        if (buf[this.#start] !== 36 /* '$' */) {
          throw new ProtocolError(
            `Protocol error: expected '$', got '${String.fromCharCode(buf[this.#start])}'`,
          );
        }
        const len = parseLength(buf, this.#start + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > this.maxBulkLen) {
          throw new ProtocolError("Protocol error: invalid bulk length");
        }
        if (len > 16384 && this.unauthenticated) {
          throw new ProtocolError("Protocol error: unauthenticated bulk length");
        }
        this.#start = cr + 2;
        this.#bulkLen = len;
      }
      if (this.#end - this.#start < this.#bulkLen + 2) return this.#suspend(args);
      const from = this.#start;
      const to = from + this.#bulkLen;
      if (this.#argIndex === 1) this.#keyFrom = from;
      args[this.#argIndex] = this.#argIndex === 0
        ? this.#commandName(buf, from, to)
        : decodeLatin1(buf, from, to);
      this.#argIndex++;
      this.#start = to + 2;
      this.#bulkLen = -1;
      this.#pendingArgs--;
    }
    if (this.#args !== NO_ARGS) this.#args = NO_ARGS;
    return args;
  }

  /** Keeps the arguments of an incomplete request for the next call; returns null. */
  #suspend(args: string[]): null {
    this.#args = args;
    return null;
  }

  /**
   * Calls `visit(bytes, from, to)` with the second argument (where most
   * commands have their key) of each complete multibulk request buffered,
   * at most `max` of them, starting with the next one {@link next} returns;
   * returns how many requests it looked at. Nothing is consumed and nothing
   * is checked: it stops quietly at the first request that is incomplete,
   * inline, or malformed, which {@link next} then handles. The key prefetch
   * (core/keyspace/key_prefetch.ts) uses it.
   */
  forEachPendingKey(
    visit: (bytes: Uint8Array, from: number, to: number) => void,
    max: number,
  ): number {
    if (this.#pendingArgs !== 0) return 0;
    const buf = this.#buf;
    const end = this.#end;
    let p = this.#start;
    let requests = 0;
    while (requests < max && p < end && buf[p] === 42 /* '*' */) {
      let cr = this.#findCR(p);
      if (cr < 0 || cr + 1 >= end) break;
      const count = parseLength(buf, p + 1, cr);
      if (!(count > 0)) break;
      p = cr + 2;
      let keyFrom = -1;
      let keyTo = -1;
      for (let arg = 0; arg < count; arg++) {
        if (p >= end || buf[p] !== 36 /* '$' */) return requests;
        cr = this.#findCR(p);
        if (cr < 0 || cr + 1 >= end) return requests;
        const len = parseLength(buf, p + 1, cr);
        const from = cr + 2;
        if (!(len >= 0) || from + len + 2 > end) return requests;
        if (arg === 1) {
          keyFrom = from;
          keyTo = from + len;
        }
        p = from + len + 2;
      }
      if (keyFrom >= 0) visit(buf, keyFrom, keyTo);
      requests++;
    }
    return requests;
  }

  #commandName(buf: Uint8Array, from: number, to: number): string {
    const last = this.#lastName;
    const n = to - from;
    if (last.length === n) {
      let i = 0;
      while (i < n && last.charCodeAt(i) === buf[from + i]) i++;
      if (i === n) return last;
    }
    const name = decodeLatin1(buf, from, to);
    if (n <= 32) this.#lastName = name;
    return name;
  }

  #findCR(from: number): number {
    const buf = this.#buf;
    const end = this.#end;
    for (let i = from; i < end; i++) if (buf[i] === CR) return i;
    return -1;
  }

  #compact(): void {
    if (this.#start === this.#end && !this.#reading) {
      this.#start = this.#end = 0;
      // Give back the memory of a large request once it has been parsed.
      if (this.#buf.length > 1024 * 1024) this.#buf = new Uint8Array(INITIAL_CAPACITY);
    }
  }

  #ensureRoom(want: number): void {
    if (this.#buf.length - this.#end >= want) return;
    const used = this.#end - this.#start;
    if (this.#buf.length - used >= want && this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      let cap = this.#buf.length * 2;
      while (cap - used < want) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
    }
    this.#start = 0;
    this.#end = used;
  }
}

/**
 * Parses the decimal in `buf[from, to)` with Redis's `string2ll` rules.
 * Returns NaN when it is not a canonical integer.
 */
function parseLength(buf: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len <= 0 || len >= 21) return NaN;
  let i = from;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === to) return NaN;
  }
  if (buf[i] === 48 /* '0' */) return len === 1 ? 0 : NaN;
  let v = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}
