/**
 * String commands (Redis's t_string.c): GET, SET and its variants, counters,
 * ranges, APPEND, LCS.
 *
 * Replies, errors and their order follow Redis 7.0.15. Commands whose replay
 * form differs from what the client sent rewrite it (reference §4.4): SET
 * with an expire → `SET k v PXAT <abs>`, SETEX/PSETEX likewise, SET ... GET
 * → the SET without GET, GETSET → SET, GETDEL → DEL, GETEX → PEXPIREAT / DEL
 * / PERSIST, INCRBYFLOAT → `SET k <result> KEEPTTL`.
 *
 * GET, SET and INCR are benchmarked: their common forms take a path that
 * allocates nothing beyond the stored value and the reply.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { Db } from "../keyspace/db.ts";
import {
  INCR_OVERFLOW,
  NOT_FLOAT,
  NOT_INTEGER,
  SYNTAX_ERR,
  wrongArity,
  WRONGTYPE,
} from "../errors.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../numbers.ts";
import { incrByFloatText } from "../long_double.ts";

// ---------------------------------------------------------------------------
// OBJECT ENCODING and REFCOUNT of strings.
//
// Strings are plain byte strings, so their encoding is derived from the
// content the way Redis's tryObjectEncoding decides it (a canonical integer →
// int, shared when 0-9999; up to 44 bytes → embstr; longer → raw). Only a few
// commands leave a value in another state (APPEND and SETRANGE make it raw,
// INCRBYFLOAT stores an integral result as embstr, COPY duplicates a shared
// integer into a private one); they leave a mark, kept per key table so
// FLUSHDB and SWAPDB carry or drop the marks with the keys. A mark is trusted
// only while the key still holds the same bytes.

/** What OBJECT ENCODING says about a string. */
export type StringEncoding = "int" | "embstr" | "raw";

/** A string's encoding, plus `int-private`: an int Redis does not share (refcount 1). */
export type StringKind = StringEncoding | "int-private";

interface KindMark {
  value: string;
  kind: StringKind;
}

/** Longest string Redis stores as embstr (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;
/** Redis shares the integers 0-9999 (OBJ_SHARED_INTEGERS) and reports INT_MAX as their refcount. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;
/** Marks per table before stale ones are first swept; later sweeps wait for twice the survivors. */
const FIRST_SWEEP_SIZE = 4096;

/** The marks of one key table, and the size at which stale ones are swept. */
class TableMarks extends Map<string, KindMark> {
  sweepAt = FIRST_SWEEP_SIZE;
}

const marksByTable = new WeakMap<object, TableMarks>();
/** Marks ever set minus marks removed; 0 lets hot paths skip the lookup. */
let liveMarks = 0;

/** The encoding Redis's tryObjectEncoding gives `value`. */
export function naturalStringEncoding(value: string): StringEncoding {
  if (value.length <= 20 && parseInt64(value) !== null) return "int";
  return value.length <= EMBSTR_LIMIT ? "embstr" : "raw";
}

/** The kind of the string `value` stored under `key` in `db`. */
export function stringKind(db: Db, key: string, value: string): StringKind {
  if (liveMarks !== 0) {
    const mark = marksByTable.get(db.table)?.get(key);
    if (mark !== undefined && mark.value === value) return mark.kind;
  }
  return naturalStringEncoding(value);
}

/** OBJECT ENCODING of the string `value` stored under `key` in `db`. */
export function stringEncoding(db: Db, key: string, value: string): StringEncoding {
  const kind = stringKind(db, key, value);
  return kind === "int-private" ? "int" : kind;
}

/** OBJECT REFCOUNT of the string `value` stored under `key` in `db`. */
export function stringRefcount(db: Db, key: string, value: string): number {
  return stringKind(db, key, value) === "int" && isShared(value) ? SHARED_REFCOUNT : 1;
}

/** The kind a copy of a value of kind `kind` has (Redis's dupStringObject unshares integers). */
export function copiedStringKind(kind: StringKind): StringKind {
  return kind === "int" ? "int-private" : kind;
}

/**
 * Records that `value`, just stored under `key`, has `kind` in Redis (for
 * commands that do not re-encode what they store, like APPEND).
 */
export function noteStringKind(db: Db, key: string, value: string, kind: StringKind): void {
  if (naturalStringEncoding(value) === kind || (kind === "int-private" && !isShared(value))) {
    forgetStringKind(db, key);
    return;
  }
  let marks = marksByTable.get(db.table);
  if (marks === undefined) marksByTable.set(db.table, marks = new TableMarks());
  if (marks.size >= marks.sweepAt) sweepStaleMarks(db, marks);
  if (!marks.has(key)) liveMarks++;
  marks.set(key, { value, kind });
}

/** True for the integers Redis keeps as shared objects. */
function isShared(value: string): boolean {
  const n = parseInt64(value);
  return typeof n === "number" && n >= 0 && n < SHARED_INTEGERS;
}

/** Forgets a mark left on `key`: its value was replaced or deleted. Cheap when there are none. */
export function forgetStringKind(db: Db, key: string): void {
  if (liveMarks === 0) return;
  if (marksByTable.get(db.table)?.delete(key)) liveMarks--;
}

/** Drops every mark of a table that no database holds any more (FLUSHDB, FLUSHALL). */
export function dropStringKinds(table: object): void {
  const marks = marksByTable.get(table);
  if (marks === undefined) return;
  liveMarks -= marks.size;
  marksByTable.delete(table);
}

/** Forgets marks of keys deleted or changed since (expiry, other commands' writes). */
function sweepStaleMarks(db: Db, marks: TableMarks): void {
  for (const [key, mark] of marks) {
    if (db.table.get(key) !== mark.value) {
      marks.delete(key);
      liveMarks--;
    }
  }
  // Amortized: the next sweep waits until the map doubles.
  marks.sweepAt = Math.max(FIRST_SWEEP_SIZE, marks.size * 2);
}

// ---------------------------------------------------------------------------
// Shared helpers.

/** Redis's `checkStringLength`: the error when a string would outgrow proto-max-bulk-len. */
const STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
/** Longest string V8 can hold; beyond it we must refuse even below proto-max-bulk-len. */
const MAX_JS_STRING = 2 ** 29 - 24;

/** True (after replying the error) when a string of `size + append` bytes is too long. */
function stringTooLong(c: Client, size: number, append: number): boolean {
  const total = size + append;
  if (total > c.core.config.get<number>("proto-max-bulk-len") || total > MAX_JS_STRING) {
    c.reply.error(STRING_TOO_LONG);
    return true;
  }
  return false;
}

function invalidExpireTime(c: Client, command: string): void {
  c.reply.error(`ERR invalid expire time in '${command}' command`);
}

/** Name of the command that deletes a key as lazyfree config asks (`DEL` or `UNLINK`). */
function deleteCommandName(c: Client, option: string): string {
  return c.core.config.get<boolean>(option) ? "UNLINK" : "DEL";
}

/** Replies the string at `key` (null when missing); false after a WRONGTYPE error. */
function replyStringOrNull(c: Client, key: string): boolean {
  const v = c.db.lookupRead(key);
  if (v === undefined) c.reply.nullBulk();
  else if (typeof v !== "string") {
    c.reply.error(WRONGTYPE);
    return false;
  } else c.reply.bulk(v);
  return true;
}

// ---------------------------------------------------------------------------
// SET and friends.

/** Option bits of SET and GETEX (Redis's OBJ_* flags). */
const NX = 1, XX = 2, EX = 4, PX = 8, KEEPTTL = 16, GET = 32, EXAT = 64, PXAT = 128, PERSIST = 256;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface StringOptions {
  flags: number;
  expire: string | null;
}

/**
 * Parses SET's (`forSet`) or GETEX's options from `argv[start]` on, with
 * Redis's rules on which combinations are allowed (a repeated option is
 * fine, a conflicting one is a syntax error). Returns null on error.
 */
function parseStringOptions(argv: string[], start: number, forSet: boolean): StringOptions | null {
  let flags = 0;
  let expire: string | null = null;
  for (let j = start; j < argv.length; j++) {
    const opt = argv[j].length <= 7 ? argv[j].toLowerCase() : "";
    const hasNext = j + 1 < argv.length;
    if (opt === "nx" && forSet && (flags & XX) === 0) {
      flags |= NX;
    } else if (opt === "xx" && forSet && (flags & NX) === 0) {
      flags |= XX;
    } else if (opt === "get" && forSet) {
      flags |= GET;
    } else if (opt === "keepttl" && forSet && (flags & (PERSIST | ANY_EXPIRE)) === 0) {
      flags |= KEEPTTL;
    } else if (opt === "persist" && !forSet && (flags & (ANY_EXPIRE | KEEPTTL)) === 0) {
      flags |= PERSIST;
    } else if (
      hasNext && (opt === "ex" || opt === "px" || opt === "exat" || opt === "pxat") &&
      (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~EXPIRE_BIT[opt]))) === 0
    ) {
      flags |= EXPIRE_BIT[opt];
      expire = argv[++j];
    } else {
      return null;
    }
  }
  return { flags, expire };
}

const EXPIRE_BIT: Record<string, number> = { ex: EX, px: PX, exat: EXAT, pxat: PXAT };

/**
 * The absolute expire time (Unix ms) of an EX/PX/EXAT/PXAT argument, as
 * Redis's getExpireMillisecondsOrReply computes it, or null after replying
 * an error. Returned as a bigint: times beyond 2^53 ms are legal.
 */
function expireMillis(c: Client, text: string, flags: number, command: string): bigint | null {
  const parsed = parseInt64(text);
  if (parsed === null) {
    c.reply.error(NOT_INTEGER);
    return null;
  }
  let ms = BigInt(parsed);
  const seconds = (flags & (EX | EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) {
    invalidExpireTime(c, command);
    return null;
  }
  if (seconds) ms *= 1000n;
  if ((flags & (EX | PX)) !== 0) ms += BigInt(c.core.now());
  if (ms > INT64_MAX) {
    // C's signed overflow wraps negative, which Redis then refuses.
    invalidExpireTime(c, command);
    return null;
  }
  return ms;
}

/**
 * Redis's setGenericCommand. `nxReply`: SETNX replies 1/0 instead of
 * OK/null.
 */
function setGeneric(
  c: Client,
  argv: string[],
  flags: number,
  key: string,
  value: string,
  expire: string | null,
  nxReply: boolean,
): void {
  let when = 0n;
  if (expire !== null) {
    const ms = expireMillis(c, expire, flags, argv[0].toLowerCase());
    if (ms === null) return;
    when = ms;
  }
  if ((flags & GET) !== 0 && !replyStringOrNull(c, key)) return;
  const db = c.db;
  const found = db.lookupWrite(key) !== undefined;
  if (((flags & NX) !== 0 && found) || ((flags & XX) !== 0 && !found)) {
    if ((flags & GET) === 0) {
      if (nxReply) c.reply.integer(0);
      else c.reply.nullBulk();
    }
    return;
  }
  db.setKey(key, value, (flags & KEEPTTL) !== 0);
  forgetStringKind(db, key);
  c.core.dirty++;
  if (expire !== null) {
    db.setExpire(key, Number(when));
    if (c.core.propagating) c.rewriteArgv(["SET", key, value, "PXAT", when.toString()]);
  }
  if ((flags & GET) === 0) {
    if (nxReply) c.reply.integer(1);
    else c.reply.ok();
  } else if (expire === null && c.core.propagating) {
    c.rewriteArgv(
      argv.filter((arg, j) => j < 3 || arg.length !== 3 || arg.toLowerCase() !== "get"),
    );
  }
}

function get(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) c.reply.nullBulk();
  else if (typeof v !== "string") c.reply.error(WRONGTYPE);
  else c.reply.bulk(v);
}

function set(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    // The plain form: no option parsing, no allocation.
    const db = c.db;
    const key = argv[1];
    // Redis looks the key up first, so an expired key is deleted (and its DEL propagated).
    if (db.table.volatileCount > 0) db.expireIfNeeded(key);
    db.setKey(key, argv[2]);
    forgetStringKind(db, key);
    c.core.dirty++;
    c.reply.ok();
    return;
  }
  const options = parseStringOptions(argv, 3, true);
  if (options === null) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  setGeneric(c, argv, options.flags, argv[1], argv[2], options.expire, false);
}

function setnx(c: Client, argv: string[]): void {
  setGeneric(c, argv, NX, argv[1], argv[2], null, true);
}

function setex(c: Client, argv: string[]): void {
  setGeneric(c, argv, EX, argv[1], argv[3], argv[2], false);
}

function psetex(c: Client, argv: string[]): void {
  setGeneric(c, argv, PX, argv[1], argv[3], argv[2], false);
}

function getset(c: Client, argv: string[]): void {
  if (!replyStringOrNull(c, argv[1])) return;
  const db = c.db;
  db.setKey(argv[1], argv[2]);
  forgetStringKind(db, argv[1]);
  c.core.dirty++;
  if (c.core.propagating) c.rewriteArgv(["SET", argv[1], argv[2]]);
}

function getdel(c: Client, argv: string[]): void {
  if (!replyStringOrNull(c, argv[1])) return;
  const db = c.db;
  if (!db.delete(argv[1])) return;
  forgetStringKind(db, argv[1]);
  c.core.dirty++;
  if (c.core.propagating) {
    c.rewriteArgv([deleteCommandName(c, "lazyfree-lazy-user-del"), argv[1]]);
  }
}

function getex(c: Client, argv: string[]): void {
  const options = parseStringOptions(argv, 2, false);
  if (options === null) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const { flags, expire } = options;
  const db = c.db;
  const key = argv[1];
  const v = db.lookupRead(key);
  if (v === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (typeof v !== "string") {
    c.reply.error(WRONGTYPE);
    return;
  }
  let when = 0n;
  if (expire !== null) {
    const ms = expireMillis(c, expire, flags, "getex");
    if (ms === null) return;
    when = ms;
  }
  c.reply.bulk(v);
  const core = c.core;
  if ((flags & (EXAT | PXAT)) !== 0 && when <= core.now() && !core.loading) {
    db.delete(key);
    forgetStringKind(db, key);
    core.dirty++;
    if (core.propagating) c.rewriteArgv([deleteCommandName(c, "lazyfree-lazy-expire"), key]);
  } else if (expire !== null) {
    db.setExpire(key, Number(when));
    db.touch(key);
    core.dirty++;
    if (core.propagating) c.rewriteArgv(["PEXPIREAT", key, when.toString()]);
  } else if ((flags & PERSIST) !== 0 && db.persist(key)) {
    db.touch(key);
    core.dirty++;
    if (core.propagating) c.rewriteArgv(["PERSIST", key]);
  }
}

function mget(c: Client, argv: string[]): void {
  const db = c.db;
  c.reply.array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const v = db.lookupRead(argv[j]);
    if (typeof v === "string") c.reply.bulk(v);
    else c.reply.nullBulk();
  }
}

function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) {
    c.reply.error(wrongArity(nx ? "msetnx" : "mset"));
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(argv[j]) !== undefined) {
        c.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    if (db.table.volatileCount > 0) db.expireIfNeeded(argv[j]);
    db.setKey(argv[j], argv[j + 1]);
    forgetStringKind(db, argv[j]);
  }
  c.core.dirty += (argv.length - 1) / 2;
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

function mset(c: Client, argv: string[]): void {
  msetGeneric(c, argv, false);
}

function msetnx(c: Client, argv: string[]): void {
  msetGeneric(c, argv, true);
}

// ---------------------------------------------------------------------------
// Counters.

/** Marks a 64-bit sum that does not fit. */
const OVERFLOW = Symbol("overflow");

/** Adds `incr` to the integer at `key` (Redis's incrDecrCommand). */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const v = db.lookupWrite(key);
  let current: number | bigint = 0;
  if (v !== undefined) {
    if (typeof v !== "string") {
      c.reply.error(WRONGTYPE);
      return;
    }
    const parsed = parseInt64(v);
    if (parsed === null) {
      c.reply.error(NOT_INTEGER);
      return;
    }
    current = parsed;
  }
  let next: number | bigint | typeof OVERFLOW;
  if (typeof current === "number" && typeof incr === "number") {
    next = current + incr;
    if (!Number.isSafeInteger(next)) next = addInt64(current, incr);
  } else {
    next = addInt64(current, incr);
  }
  if (next === OVERFLOW) {
    c.reply.error(INCR_OVERFLOW);
    return;
  }
  const text = typeof next === "number" ? String(next) : next.toString();
  if (v === undefined) db.add(key, text);
  else db.overwrite(key, text);
  forgetStringKind(db, key);
  c.core.dirty++;
  c.reply.integer(next);
}

/** Exact 64-bit addition; a number when the sum is a safe integer. */
function addInt64(a: number | bigint, b: number | bigint): number | bigint | typeof OVERFLOW {
  const sum = BigInt(a) + BigInt(b);
  if (sum > INT64_MAX || sum < INT64_MIN) return OVERFLOW;
  const n = Number(sum);
  return Number.isSafeInteger(n) ? n : sum;
}

/** Parses INCRBY/DECRBY's increment, or replies the error and returns null. */
function parseIncrement(c: Client, text: string): number | bigint | null {
  const n = parseInt64(text);
  if (n === null) c.reply.error(NOT_INTEGER);
  return n;
}

function incr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], 1);
}

function decr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], -1);
}

function incrby(c: Client, argv: string[]): void {
  const n = parseIncrement(c, argv[2]);
  if (n !== null) incrDecr(c, argv[1], n);
}

function decrby(c: Client, argv: string[]): void {
  const n = parseIncrement(c, argv[2]);
  if (n === null) return;
  if (n === INT64_MIN) {
    c.reply.error("ERR decrement would overflow");
    return;
  }
  incrDecr(c, argv[1], -n);
}

function incrbyfloat(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const v = db.lookupWrite(key);
  if (v !== undefined && typeof v !== "string") {
    c.reply.error(WRONGTYPE);
    return;
  }
  const result = incrByFloatText(v ?? null, argv[2]);
  if (result === "invalid") {
    c.reply.error(NOT_FLOAT);
    return;
  }
  if (result === "nan") {
    c.reply.error("ERR increment would produce NaN or Infinity");
    return;
  }
  if (v === undefined) db.add(key, result);
  else db.overwrite(key, result);
  // Redis stores the printed sum as it is, without trying the int encoding.
  noteStringKind(db, key, result, result.length <= EMBSTR_LIMIT ? "embstr" : "raw");
  c.core.dirty++;
  c.reply.bulk(result);
  if (c.core.propagating) c.rewriteArgv(["SET", key, result, "KEEPTTL"]);
}

// ---------------------------------------------------------------------------
// Lengths and ranges.

function append(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const suffix = argv[2];
  const v = db.lookupWrite(key);
  let total: number;
  if (v === undefined) {
    db.add(key, suffix);
    forgetStringKind(db, key);
    total = suffix.length;
  } else {
    if (typeof v !== "string") {
      c.reply.error(WRONGTYPE);
      return;
    }
    if (stringTooLong(c, v.length, suffix.length)) return;
    const next = v + suffix;
    db.overwrite(key, next);
    noteStringKind(db, key, next, "raw");
    total = next.length;
  }
  c.core.dirty++;
  c.reply.integer(total);
}

function strlen(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) c.reply.integer(0);
  else if (typeof v !== "string") c.reply.error(WRONGTYPE);
  else c.reply.integer(v.length);
}

function getrange(c: Client, argv: string[]): void {
  const startArg = parseInt64(argv[2]);
  if (startArg === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  const endArg = parseInt64(argv[3]);
  if (endArg === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) {
    c.reply.bulk("");
    return;
  }
  if (typeof v !== "string") {
    c.reply.error(WRONGTYPE);
    return;
  }
  // Compared before narrowing: beyond 2^53 two arguments may become equal as numbers.
  if (startArg < 0 && endArg < 0 && startArg > endArg) {
    c.reply.bulk("");
    return;
  }
  const len = v.length;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk("");
  else c.reply.bulk(v.slice(start, end + 1));
}

function setrange(c: Client, argv: string[]): void {
  const offsetArg = parseInt64(argv[2]);
  if (offsetArg === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  if (offsetArg < 0) {
    c.reply.error("ERR offset is out of range");
    return;
  }
  const offset = Number(offsetArg);
  const piece = argv[3];
  const db = c.db;
  const key = argv[1];
  const v = db.lookupWrite(key);
  let next: string;
  if (v === undefined) {
    if (piece.length === 0) {
      c.reply.integer(0);
      return;
    }
    if (stringTooLong(c, offset, piece.length)) return;
    next = "\0".repeat(offset) + piece;
    db.add(key, next);
  } else {
    if (typeof v !== "string") {
      c.reply.error(WRONGTYPE);
      return;
    }
    if (piece.length === 0) {
      c.reply.integer(v.length);
      return;
    }
    if (stringTooLong(c, offset, piece.length)) return;
    next = v.length < offset
      ? v + "\0".repeat(offset - v.length) + piece
      : v.slice(0, offset) + piece + v.slice(offset + piece.length);
    db.overwrite(key, next);
  }
  noteStringKind(db, key, next, "raw");
  c.core.dirty++;
  c.reply.integer(next.length);
}

// ---------------------------------------------------------------------------
// LCS.

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

function parseLcsOptions(c: Client, argv: string[]): LcsOptions | null {
  const o: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === "idx") o.idx = true;
    else if (opt === "len") o.len = true;
    else if (opt === "withmatchlen") o.withMatchLen = true;
    else if (opt === "minmatchlen" && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]);
      if (n === null) {
        c.reply.error(NOT_INTEGER);
        return null;
      }
      o.minMatchLen = n < 0 ? 0 : Number(n);
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  if (o.len && o.idx) {
    c.reply.error("ERR If you want both the length and indexes, please just use IDX.");
    return null;
  }
  return o;
}

/** One matching range of LCS IDX: positions in a, positions in b, length. */
type LcsRange = [number, number, number, number, number];

function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const va = db.lookupRead(argv[1]);
  const vb = db.lookupRead(argv[2]);
  if (
    (va !== undefined && typeof va !== "string") || (vb !== undefined && typeof vb !== "string")
  ) {
    c.reply.error("ERR The specified keys must contain string values");
    return;
  }
  const a = va ?? "";
  const b = vb ?? "";
  const o = parseLcsOptions(c, argv);
  if (o === null) return;
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.core.config.get<number>("proto-max-bulk-len")) {
    c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return;
  }
  // table[i * (blen + 1) + j] = LCS length of a[0, i) and b[0, j).
  const row = blen + 1;
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    c.reply.error("ERR Insufficient memory, failed allocating transient memory for LCS");
    return;
  }
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      const at = i * row + j;
      if (ai === b.charCodeAt(j - 1)) table[at] = table[at - row - 1] + 1;
      else {
        const up = table[at - row];
        const left = table[at - 1];
        table[at] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * row + blen];
  if (o.len) {
    c.reply.integer(total);
    return;
  }
  const { text, ranges } = lcsBacktrack(a, b, table, total, o.minMatchLen);
  if (!o.idx) {
    c.reply.bulk(text);
    return;
  }
  c.reply.map(2);
  c.reply.bulk("matches");
  c.reply.array(ranges.length);
  for (const [as, ae, bs, be, len] of ranges) {
    c.reply.array(o.withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.integer(as);
    c.reply.integer(ae);
    c.reply.array(2);
    c.reply.integer(bs);
    c.reply.integer(be);
    if (o.withMatchLen) c.reply.integer(len);
  }
  c.reply.bulk("len");
  c.reply.integer(total);
}

/**
 * Walks the LCS table back from the end as Redis does, building the common
 * subsequence and the contiguous matching ranges (last ones first).
 */
function lcsBacktrack(
  a: string,
  b: string,
  table: Uint32Array,
  total: number,
  minMatchLen: number,
): { text: string; ranges: LcsRange[] } {
  const row = b.length + 1;
  const chars: string[] = new Array(total);
  const ranges: LcsRange[] = [];
  let idx = total;
  let i = a.length;
  let j = b.length;
  let aStart = -1, aEnd = 0, bStart = 0, bEnd = 0; // aStart -1: no range open
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a[i - 1];
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * row + j] > table[i * row + j - 1]) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const len = aEnd - aStart + 1;
      if (minMatchLen === 0 || len >= minMatchLen) ranges.push([aStart, aEnd, bStart, bEnd, len]);
      aStart = -1;
    }
  }
  return { text: chars.join(""), ranges };
}

/** The string commands. */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Returns the string value of a key",
    since: "1.0.0",
    handler: get,
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets the string value of a key, with options for expiry and conditions",
    since: "1.0.0",
    handler: set,
  },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets a key only when it does not exist; replies 1 if it did",
    since: "1.0.0",
    handler: setnx,
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets a key with a time to live in seconds",
    since: "2.0.0",
    handler: setex,
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets a key with a time to live in milliseconds",
    since: "2.6.0",
    handler: psetex,
  },
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: -1, step: 1 },
    group: "string",
    summary: "Returns the string values of several keys (null for missing or non-string keys)",
    since: "1.0.0",
    handler: mget,
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 2 },
    group: "string",
    summary: "Sets several keys at once",
    since: "1.0.1",
    handler: mset,
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 2 },
    group: "string",
    summary: "Sets several keys only if none of them exists",
    since: "1.0.1",
    handler: msetnx,
  },
  {
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Appends to the string at a key; replies the new length",
    since: "2.0.0",
    handler: append,
  },
  {
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Returns the length of the string at a key",
    since: "2.2.0",
    handler: strlen,
  },
  {
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Adds one to the integer at a key",
    since: "1.0.0",
    handler: incr,
  },
  {
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Subtracts one from the integer at a key",
    since: "1.0.0",
    handler: decr,
  },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Adds an integer to the integer at a key",
    since: "1.0.0",
    handler: incrby,
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Subtracts an integer from the integer at a key",
    since: "1.0.0",
    handler: decrby,
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Adds a decimal number to the number at a key",
    since: "2.6.0",
    handler: incrbyfloat,
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets a key and returns its previous string value",
    since: "1.0.0",
    handler: getset,
  },
  {
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Returns the string value of a key and deletes the key",
    since: "6.2.0",
    handler: getdel,
  },
  {
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Returns the string value of a key and changes or removes its time to live",
    since: "6.2.0",
    handler: getex,
  },
  {
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary:
      "Returns a substring of the string at a key (inclusive offsets, negative from the end)",
    since: "2.4.0",
    handler: getrange,
  },
  {
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Old name of GETRANGE",
    since: "1.0.0",
    handler: getrange,
  },
  {
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Overwrites part of the string at a key from an offset, padding with zero bytes",
    since: "2.2.0",
    handler: setrange,
  },
  {
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    keys: { first: 1, last: 2, step: 1 },
    group: "string",
    summary: "Finds the longest common subsequence of two strings",
    since: "7.0.0",
    handler: lcs,
  },
];
