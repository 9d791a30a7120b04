/**
 * List commands (Redis's t_list.c), blocking pops included, and DEBUG
 * QUICKLIST-PACKED-THRESHOLD.
 *
 * Replies, error texts and the order of argument checks follow Redis 7.0.15.
 * Propagation: a blocking pop that finds data at once is rewritten into the
 * non-blocking pop it performed (BLPOP → LPOP k, BLMPOP → LPOP k n with n
 * what was popped, BRPOPLPUSH → RPOPLPUSH, BLMOVE → LMOVE); a client served
 * later propagates the same forms from its own execution unit. Every push
 * signals the key as ready so that waiting clients are served after the
 * command.
 *
 * LPUSH, RPUSH, LPOP, RPOP, LRANGE and LINDEX are benchmarked: they allocate
 * nothing beyond the stored elements and the reply.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { DebugSubcommand } from "../core.ts";
import type { BlockedState } from "../blocking.ts";
import type { Db } from "../keyspace/db.ts";
import { NO_SUCH_KEY, OUT_OF_RANGE, SYNTAX_ERR, wrongArity, WRONGTYPE } from "../errors.ts";
import { parseInt64 } from "../numbers.ts";
import { ListValue } from "../values/list.ts";
import type { Value } from "../values/value.ts";
import { subcommandSyntaxError } from "./help_reply.ts";
import { parseBlockingTimeout } from "./blocking_timeout.ts";

// ---------------------------------------------------------------------------
// Helpers: lookups, numbers, positions.

/** The value is not a list: WRONGTYPE. */
function isNotList(v: Value): boolean {
  return typeof v === "string" || v.type !== "list";
}

/** A signed 64-bit argument as a number (Redis's getLongFromObjectOrReply), or null after replying. */
function parseLong(c: Client, text: string, message?: string): number | null {
  const v = parseInt64(text);
  if (v === null) {
    c.reply.error(message ?? "ERR value is not an integer or out of range");
    return null;
  }
  return typeof v === "number" ? v : Number(v);
}

/** An integer argument in [min, max] (Redis's getRangeLongFromObjectOrReply), or null after replying. */
function parseRangeLong(
  c: Client,
  text: string,
  min: number,
  max: number,
  message: string,
): number | null {
  const v = parseLong(c, text, message);
  if (v === null) return null;
  if (v < min || v > max) {
    c.reply.error(message);
    return null;
  }
  return v;
}

const LONG_MAX = 2 ** 63;

/** LEFT/RIGHT (any case) → true for the head, false for the tail; null after a syntax error. */
function parseEnd(c: Client, text: string): boolean | null {
  const lower = text.toLowerCase();
  if (lower === "left") return true;
  if (lower === "right") return false;
  c.reply.error(SYNTAX_ERR);
  return null;
}

/** Clients in a transaction, replaying a file or without a connection never wait. */
function mayBlock(c: Client): boolean {
  const core = c.core;
  return !core.inExec && !core.loading && c.connection !== null;
}

/**
 * After elements were popped from `list` under `key`: deletes the key when
 * the list is empty, else marks it changed; counts `popped` changes.
 */
function afterPop(c: Client, db: Db, key: string, list: ListValue, popped: number): void {
  if (list.length === 0) db.delete(key);
  else db.touch(key);
  c.core.dirty += popped;
}

/** Writes the elements `start..end` of `list` (Redis's addListRangeReply, indexes normalized). */
function replyRange(c: Client, list: ListValue, start: number, end: number, reverse: boolean) {
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  const reply = c.reply;
  reply.array(end - start + 1);
  list.forRange(start, end, reverse, (item) => reply.bulk(item));
}

/**
 * Pops up to `count` elements from one end and replies `[key, [elements]]`
 * (LMPOP and BLMPOP). Returns how many were popped.
 */
function popRangeWithKey(
  c: Client,
  db: Db,
  key: string,
  list: ListValue,
  head: boolean,
  count: number,
): number {
  const n = Math.min(count, list.length);
  const reply = c.reply;
  reply.array(2);
  reply.bulk(key);
  reply.array(n);
  for (let i = 0; i < n; i++) reply.bulk(head ? list.popHead()! : list.popTail()!);
  afterPop(c, db, key, list, n);
  return n;
}

/** Pushes `value` on `dst` (creating it), marks it changed and ready for waiting clients. */
function pushTo(
  c: Client,
  db: Db,
  dst: string,
  target: ListValue | undefined,
  value: string,
  head: boolean,
) {
  let list = target;
  if (list === undefined) {
    list = new ListValue();
    db.add(dst, list);
  } else {
    db.touch(dst);
  }
  if (head) list.pushHead(value);
  else list.pushTail(value);
  c.core.blocking.signalKeyAsReady(db, dst);
}

function popCommandName(head: boolean): string {
  return head ? "LPOP" : "RPOP";
}

// ---------------------------------------------------------------------------
// Pushes and pops.

function pushGeneric(c: Client, argv: string[], head: boolean, onlyIfExists: boolean): void {
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  let list: ListValue;
  if (found === undefined) {
    if (onlyIfExists) {
      c.reply.integer(0);
      return;
    }
    list = new ListValue();
    db.add(key, list);
  } else if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  } else {
    list = found as ListValue;
    db.touch(key);
  }
  if (head) {
    for (let i = 2; i < argv.length; i++) list.pushHead(argv[i]);
  } else {
    for (let i = 2; i < argv.length; i++) list.pushTail(argv[i]);
  }
  c.core.dirty += argv.length - 2;
  c.reply.integer(list.length);
  c.core.blocking.signalKeyAsReady(db, key);
}

function popGeneric(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) {
    c.reply.error(wrongArity(head ? "lpop" : "rpop"));
    return;
  }
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = parseRangeLong(
      c,
      argv[2],
      0,
      LONG_MAX,
      "ERR value is out of range, must be positive",
    );
    if (n === null) return;
    count = n;
  }
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = found as ListValue;
  if (!hasCount) {
    c.reply.bulk(head ? list.popHead()! : list.popTail()!);
    afterPop(c, db, key, list, 1);
    return;
  }
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  const n = Math.min(count, list.length);
  c.reply.array(n);
  for (let i = 0; i < n; i++) c.reply.bulk(head ? list.popHead()! : list.popTail()!);
  afterPop(c, db, key, list, n);
}

/** LMPOP/BLMPOP arguments after the numkeys position. */
interface MultiPopArgs {
  keys: string[];
  head: boolean;
  count: number;
}

/** Parses `numkeys key... LEFT|RIGHT [COUNT n]` at `numkeysAt`; null after replying. */
function parseMultiPop(c: Client, argv: string[], numkeysAt: number): MultiPopArgs | null {
  const numkeys = parseRangeLong(
    c,
    argv[numkeysAt],
    1,
    LONG_MAX,
    "ERR numkeys should be greater than 0",
  );
  if (numkeys === null) return null;
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) {
    c.reply.error(SYNTAX_ERR);
    return null;
  }
  const head = parseEnd(c, argv[whereAt]);
  if (head === null) return null;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].toLowerCase() === "count" && j + 1 < argv.length) {
      j++;
      const n = parseRangeLong(c, argv[j], 1, LONG_MAX, "ERR count should be greater than 0");
      if (n === null) return null;
      count = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return { keys: argv.slice(numkeysAt + 1, whereAt), head, count: count === -1 ? 1 : count };
}

function lmpop(c: Client, argv: string[]): void {
  const args = parseMultiPop(c, argv, 1);
  if (args === null) return;
  const db = c.db;
  for (const key of args.keys) {
    const found = db.lookupWrite(key);
    if (found === undefined) continue;
    if (isNotList(found)) {
      c.reply.error(WRONGTYPE);
      return;
    }
    const n = popRangeWithKey(c, db, key, found as ListValue, args.head, args.count);
    if (c.core.propagating) c.rewriteArgv([popCommandName(args.head), key, String(n)]);
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// Reads and in-place changes.

function llen(c: Client, argv: string[]): void {
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) c.reply.integer(0);
  else if (isNotList(found)) c.reply.error(WRONGTYPE);
  else c.reply.integer((found as ListValue).length);
}

function lrange(c: Client, argv: string[]): void {
  const start = parseLong(c, argv[2]);
  if (start === null) return;
  const end = parseLong(c, argv[3]);
  if (end === null) return;
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) c.reply.array(0);
  else if (isNotList(found)) c.reply.error(WRONGTYPE);
  else replyRange(c, found as ListValue, start, end, false);
}

function lindex(c: Client, argv: string[]): void {
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const index = parseLong(c, argv[2]);
  if (index === null) return;
  const list = found as ListValue;
  const i = list.resolveIndex(index);
  if (i < 0) c.reply.nullBulk();
  else c.reply.bulk(list.at(i));
}

function lset(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const index = parseLong(c, argv[2]);
  if (index === null) return;
  const list = found as ListValue;
  const i = list.resolveIndex(index);
  if (i < 0) {
    c.reply.error(OUT_OF_RANGE);
    return;
  }
  list.set(i, argv[3]);
  db.touch(key);
  c.core.dirty++;
  c.reply.ok();
}

function lrem(c: Client, argv: string[]): void {
  const count = parseLong(c, argv[2]);
  if (count === null) return;
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    c.reply.integer(0);
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = found as ListValue;
  const removed = list.removeMatching(argv[3], Math.abs(count), count < 0);
  if (removed > 0) afterPop(c, db, key, list, removed);
  c.reply.integer(removed);
}

function ltrim(c: Client, argv: string[]): void {
  let start = parseLong(c, argv[2]);
  if (start === null) return;
  let end = parseLong(c, argv[3]);
  if (end === null) return;
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    c.reply.ok();
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = found as ListValue;
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let fromHead: number;
  let fromTail: number;
  if (start > end || start >= len) {
    fromHead = len;
    fromTail = 0;
  } else {
    if (end >= len) end = len - 1;
    fromHead = start;
    fromTail = len - end - 1;
  }
  list.removeRange(len - fromTail, fromTail);
  list.removeRange(0, fromHead);
  // Redis marks the key changed even when nothing was trimmed.
  afterPop(c, db, key, list, fromHead + fromTail);
  c.reply.ok();
}

function linsert(c: Client, argv: string[]): void {
  const where = argv[2].toLowerCase();
  if (where !== "before" && where !== "after") {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found === undefined) {
    c.reply.integer(0);
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = found as ListValue;
  const pivot = list.indexOf(argv[3]);
  if (pivot < 0) {
    c.reply.integer(-1);
    return;
  }
  list.insertAt(where === "after" ? pivot + 1 : pivot, argv[4]);
  db.touch(key);
  c.core.dirty++;
  c.reply.integer(list.length);
}

const RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the " +
  "second ... or use negative to start from the end of the list";

function lpos(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j + 1 < argv.length;
    if (opt === "rank" && more) {
      const n = parseLong(c, argv[++j]);
      if (n === null) return;
      if (n === 0) {
        c.reply.error(RANK_ZERO);
        return;
      }
      rank = n;
    } else if (opt === "count" && more) {
      const n = parseRangeLong(c, argv[++j], 0, LONG_MAX, "ERR COUNT can't be negative");
      if (n === null) return;
      count = n;
    } else if (opt === "maxlen" && more) {
      const n = parseRangeLong(c, argv[++j], 0, LONG_MAX, "ERR MAXLEN can't be negative");
      if (n === null) return;
      maxlen = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const found = c.db.lookupRead(argv[1]);
  if (found === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.nullBulk();
    return;
  }
  if (isNotList(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = found as ListValue;
  const matches = findPositions(list, argv[2], rank, count === -1 ? 1 : count, maxlen);
  if (count !== -1) {
    c.reply.array(matches.length);
    for (const m of matches) c.reply.integer(m);
  } else if (matches.length > 0) {
    c.reply.integer(matches[0]);
  } else {
    c.reply.nullBulk();
  }
}

/**
 * Positions of `value` in `list`, skipping the first |rank|-1 matches,
 * searching from the tail for a negative rank, at most `count` of them
 * (0: all), looking at no more than `maxlen` elements (0: all).
 */
function findPositions(
  list: ListValue,
  value: string,
  rank: number,
  count: number,
  maxlen: number,
): number[] {
  const skip = Math.abs(rank) - 1;
  const limit = maxlen === 0 ? list.length : Math.min(list.length, maxlen);
  const out: number[] = [];
  let seen = 0;
  let looked = 0;
  list.scan(rank < 0, (item, index) => {
    if (looked++ >= limit) return false;
    if (item !== value || seen++ < skip) return true;
    out.push(index);
    return count === 0 || out.length < count;
  });
  return out;
}

// ---------------------------------------------------------------------------
// Moves.

/**
 * LMOVE/RPOPLPUSH and the immediate path of their blocking forms. `rewrite`
 * is the replay argv when it differs from the client's (blocking forms).
 */
function moveGeneric(
  c: Client,
  src: string,
  dst: string,
  fromHead: boolean,
  toHead: boolean,
  rewrite: string[] | null,
): void {
  const db = c.db;
  const source = db.lookupWrite(src);
  if (source === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (isNotList(source)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const target = db.lookupWrite(dst);
  if (target !== undefined && isNotList(target)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const list = source as ListValue;
  const value = fromHead ? list.popHead()! : list.popTail()!;
  pushTo(c, db, dst, target as ListValue | undefined, value, toHead);
  c.reply.bulk(value);
  afterPop(c, db, src, list, 1);
  if (rewrite !== null && c.core.propagating) c.rewriteArgv(rewrite);
}

function lmove(c: Client, argv: string[]): void {
  const fromHead = parseEnd(c, argv[3]);
  if (fromHead === null) return;
  const toHead = parseEnd(c, argv[4]);
  if (toHead === null) return;
  moveGeneric(c, argv[1], argv[2], fromHead, toHead, null);
}

function rpoplpush(c: Client, argv: string[]): void {
  moveGeneric(c, argv[1], argv[2], false, true, null);
}

// ---------------------------------------------------------------------------
// Blocking pops.

/** What a waiting client does once one of its keys holds a list. */
type WaitKind =
  /** BLPOP/BRPOP: one element, replied as [key, element]. */
  | { kind: "pop" }
  /** BLMPOP: up to `count` elements, replied as [key, [elements]]. */
  | { kind: "mpop"; count: number }
  /** BLMOVE/BRPOPLPUSH: one element moved to `dst`. */
  | { kind: "move"; dst: string; toHead: boolean; rpoplpush: boolean };

/** A client waiting in BLPOP, BRPOP, BLMPOP, BLMOVE or BRPOPLPUSH. */
class ListWait implements BlockedState {
  constructor(
    readonly db: Db,
    readonly keys: readonly string[],
    readonly deadline: number,
    readonly head: boolean,
    readonly what: WaitKind,
  ) {}

  tryServe(client: Client, key: string): boolean {
    const db = this.db;
    const found = db.lookupWrite(key);
    if (found === undefined || isNotList(found) || (found as ListValue).length === 0) return false;
    const list = found as ListValue;
    const core = client.core;
    const what = this.what;
    if (what.kind === "pop") {
      const value = this.head ? list.popHead()! : list.popTail()!;
      client.reply.array(2);
      client.reply.bulk(key);
      client.reply.bulk(value);
      afterPop(client, db, key, list, 1);
      core.alsoPropagate(db.index, [popCommandName(this.head), key]);
    } else if (what.kind === "mpop") {
      const n = popRangeWithKey(client, db, key, list, this.head, what.count);
      core.alsoPropagate(db.index, [popCommandName(this.head), key, String(n)]);
    } else {
      const target = db.lookupWrite(what.dst);
      if (target !== undefined && isNotList(target)) {
        // Served with an error: the client stops waiting, nothing moves.
        client.reply.error(WRONGTYPE);
        return true;
      }
      const value = this.head ? list.popHead()! : list.popTail()!;
      pushTo(client, db, what.dst, target as ListValue | undefined, value, what.toHead);
      client.reply.bulk(value);
      afterPop(client, db, key, list, 1);
      core.alsoPropagate(
        db.index,
        what.rpoplpush
          ? ["RPOPLPUSH", key, what.dst]
          : ["LMOVE", key, what.dst, this.head ? "left" : "right", what.toHead ? "left" : "right"],
      );
    }
    return true;
  }

  onTimeout(client: Client): void {
    client.reply.nullArray();
  }
}

/**
 * BLPOP, BRPOP, BLMPOP: pops from the first of `keys` holding a list, or
 * waits. `count` is -1 for BLPOP/BRPOP.
 */
function blockingPop(c: Client, keys: string[], head: boolean, deadline: number, count: number) {
  const db = c.db;
  for (const key of keys) {
    const found = db.lookupWrite(key);
    if (found === undefined) continue;
    if (isNotList(found)) {
      c.reply.error(WRONGTYPE);
      return;
    }
    const list = found as ListValue;
    if (list.length === 0) continue;
    if (count !== -1) {
      const n = popRangeWithKey(c, db, key, list, head, count);
      if (c.core.propagating) c.rewriteArgv([popCommandName(head), key, String(n)]);
      return;
    }
    const value = head ? list.popHead()! : list.popTail()!;
    c.reply.array(2);
    c.reply.bulk(key);
    c.reply.bulk(value);
    afterPop(c, db, key, list, 1);
    if (c.core.propagating) c.rewriteArgv([popCommandName(head), key]);
    return;
  }
  if (!mayBlock(c)) {
    c.reply.nullArray();
    return;
  }
  const what: WaitKind = count === -1 ? { kind: "pop" } : { kind: "mpop", count };
  c.core.blocking.block(c, new ListWait(db, keys, deadline, head, what));
}

function bpop(c: Client, argv: string[], head: boolean): void {
  const deadline = parseBlockingTimeout(c, argv[argv.length - 1]);
  if (deadline === null) return;
  blockingPop(c, argv.slice(1, -1), head, deadline, -1);
}

function blmpop(c: Client, argv: string[]): void {
  const args = parseMultiPop(c, argv, 2);
  if (args === null) return;
  const deadline = parseBlockingTimeout(c, argv[1]);
  if (deadline === null) return;
  blockingPop(c, args.keys, args.head, deadline, args.count);
}

/** BLMOVE/BRPOPLPUSH once the arguments are parsed. */
function blockingMove(
  c: Client,
  argv: string[],
  fromHead: boolean,
  toHead: boolean,
  deadline: number,
  rpoplpush: boolean,
): void {
  const src = argv[1];
  const dst = argv[2];
  const source = c.db.lookupWrite(src);
  if (source !== undefined && isNotList(source)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  if (source !== undefined) {
    const rewrite = rpoplpush ? ["RPOPLPUSH", src, dst] : ["LMOVE", src, dst, argv[3], argv[4]];
    moveGeneric(c, src, dst, fromHead, toHead, rewrite);
    return;
  }
  if (!mayBlock(c)) {
    c.reply.nullBulk();
    return;
  }
  const what: WaitKind = { kind: "move", dst, toHead, rpoplpush };
  c.core.blocking.block(c, new ListWait(c.db, [src], deadline, fromHead, what));
}

function blmove(c: Client, argv: string[]): void {
  const fromHead = parseEnd(c, argv[3]);
  if (fromHead === null) return;
  const toHead = parseEnd(c, argv[4]);
  if (toHead === null) return;
  const deadline = parseBlockingTimeout(c, argv[5]);
  if (deadline === null) return;
  blockingMove(c, argv, fromHead, toHead, deadline, false);
}

function brpoplpush(c: Client, argv: string[]): void {
  const deadline = parseBlockingTimeout(c, argv[3]);
  if (deadline === null) return;
  blockingMove(c, argv, false, true, deadline, true);
}

// ---------------------------------------------------------------------------
// DEBUG QUICKLIST-PACKED-THRESHOLD.

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Redis's `memtoull`: digits and an optional unit; no sign. Null when invalid. */
function parseMemoryValue(text: string): number | null {
  const m = /^(\d*)([a-zA-Z]*)$/.exec(text);
  if (m === null) return null;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1] || "0") * unit;
}

/** Largest threshold Redis accepts: just under 4 GiB. */
const PACKED_THRESHOLD_MAX = 2 ** 32 - 2 ** 20;

function debugPackedThreshold(c: Client, argv: string[]): void {
  if (argv.length !== 3) {
    c.reply.error(subcommandSyntaxError(argv));
    return;
  }
  const size = parseMemoryValue(argv[2]);
  if (size === null || size > PACKED_THRESHOLD_MAX) {
    c.reply.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    return;
  }
  c.core.limits.listPackedThreshold = size === 0 ? 2 ** 30 : size;
  c.reply.ok();
}

// ---------------------------------------------------------------------------
// Command table.

/** Key positions of LMPOP (numkeys at 1) and BLMPOP (numkeys at 2). */
function numkeysPositions(argv: readonly string[], numkeysAt: number): number[] {
  const n = Number(argv[numkeysAt]);
  const out: number[] = [];
  if (!Number.isInteger(n) || n < 1) return out;
  for (let i = 0; i < n && numkeysAt + 1 + i < argv.length; i++) out.push(numkeysAt + 1 + i);
  return out;
}

const FIRST_KEY = { first: 1, last: 1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;

/** The list commands. */
export const LISTS_COMMANDS: readonly CommandSpec[] = [
  {
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Prepends elements to a list, creating it if needed",
    since: "1.0.0",
    handler: (c, argv) => pushGeneric(c, argv, true, false),
  },
  {
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Appends elements to a list, creating it if needed",
    since: "1.0.0",
    handler: (c, argv) => pushGeneric(c, argv, false, false),
  },
  {
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Prepends elements to a list only if it exists",
    since: "2.2.0",
    handler: (c, argv) => pushGeneric(c, argv, true, true),
  },
  {
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Appends elements to a list only if it exists",
    since: "2.2.0",
    handler: (c, argv) => pushGeneric(c, argv, false, true),
  },
  {
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Removes and returns the first elements of a list",
    since: "1.0.0",
    handler: (c, argv) => popGeneric(c, argv, true),
  },
  {
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Removes and returns the last elements of a list",
    since: "1.0.0",
    handler: (c, argv) => popGeneric(c, argv, false),
  },
  {
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Returns the elements between two indexes of a list",
    since: "1.0.0",
    handler: lrange,
  },
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Returns the number of elements of a list",
    since: "1.0.0",
    handler: llen,
  },
  {
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Returns the element at an index of a list",
    since: "1.0.0",
    handler: lindex,
  },
  {
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Replaces the element at an index of a list",
    since: "1.0.0",
    handler: lset,
  },
  {
    name: "lrem",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Removes occurrences of an element from a list",
    since: "1.0.0",
    handler: lrem,
  },
  {
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Keeps only the elements between two indexes of a list",
    since: "1.0.0",
    handler: ltrim,
  },
  {
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Inserts an element before or after the first occurrence of a pivot",
    since: "2.2.0",
    handler: linsert,
  },
  {
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    group: "list",
    summary: "Returns the indexes of an element in a list",
    since: "6.0.6",
    handler: lpos,
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    group: "list",
    summary: "Moves the last element of a list to the head of another",
    since: "1.2.0",
    handler: rpoplpush,
  },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    group: "list",
    summary: "Moves an element from one end of a list to an end of another",
    since: "6.2.0",
    handler: lmove,
  },
  {
    name: "lmpop",
    arity: -4,
    flags: ["write"],
    getKeys: (argv) => numkeysPositions(argv, 1),
    group: "list",
    summary: "Pops elements from the first non-empty list among several",
    since: "7.0.0",
    handler: lmpop,
  },
  {
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    group: "list",
    summary: "Pops the first element of the first non-empty list, waiting for one",
    since: "2.0.0",
    handler: (c, argv) => bpop(c, argv, true),
  },
  {
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    group: "list",
    summary: "Pops the last element of the first non-empty list, waiting for one",
    since: "2.0.0",
    handler: (c, argv) => bpop(c, argv, false),
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: TWO_KEYS,
    group: "list",
    summary: "Moves the last element of a list to the head of another, waiting for one",
    since: "2.2.0",
    handler: brpoplpush,
  },
  {
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: TWO_KEYS,
    group: "list",
    summary: "Moves an element between lists, waiting for one",
    since: "6.2.0",
    handler: blmove,
  },
  {
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking"],
    getKeys: (argv) => numkeysPositions(argv, 2),
    group: "list",
    summary: "Pops elements from the first non-empty list among several, waiting for one",
    since: "7.0.0",
    handler: blmpop,
  },
];

/** DEBUG subcommands provided by this family. */
export const LISTS_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [
  {
    name: "quicklist-packed-threshold",
    help: "QUICKLIST-PACKED-THRESHOLD <size>\n" +
      "    Sets the threshold for elements to be inserted as plain vs packed nodes\n" +
      "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    handler: debugPackedThreshold,
  },
];
