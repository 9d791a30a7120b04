/**
 * Sorted set commands (Redis's t_zset.c), blocking pops included.
 *
 * Replies follow Redis 7.0: scores are doubles (`%.17g`, RESP3 double type);
 * with WITHSCORES a RESP2 client gets a flat array and a RESP3 client an
 * array of [member, score] pairs. Blocking and multi-key pops propagate as
 * ZPOPMIN/ZPOPMAX with the count actually popped; ZRANDMEMBER propagates
 * nothing.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { BlockedState } from "../blocking.ts";
import type { Db } from "../keyspace/db.ts";
import { NOT_FLOAT, SYNTAX_ERR, WRONGTYPE } from "../errors.ts";
import { formatDouble17g, formatDoubleHuman, parseDouble } from "../numbers.ts";
import { parseBlockingTimeout } from "./blocking_timeout.ts";
import { compareKeys } from "../values/score_tree.ts";
import { ZSetValue } from "../values/zset.ts";
import type { SetValue } from "../values/set.ts";
import type { Value } from "../values/value.ts";
import {
  type LexRange,
  lexRangeRanks,
  parseLexRange,
  parseScoreRange,
  type ScoreRange,
  scoreRangeRanks,
} from "../values/zset_range.ts";
import { globMatch } from "../glob.ts";
import {
  isSet,
  longArg,
  numkeysKeys,
  parseScanOptions,
  positiveLongArg,
  rangeLongArg,
  replyScan,
  sampleDistinct,
  scanCursorArg,
} from "./sets.ts";

const NAN_SCORE = "ERR resulting score is not a number (NaN)";
const NOT_FLOAT_RANGE = "ERR min or max is not a float";
const NOT_LEX_RANGE = "ERR min or max not valid string range item";

/** True when `v` is a sorted set. */
export function isZSet(v: Value): v is ZSetValue {
  return typeof v !== "string" && v.type === "zset";
}

/** Writes one score: a double (bulk string in RESP2). */
function replyScore(c: Client, score: number): void {
  c.reply.double(score);
}

/**
 * Writes `n` members with their scores as Redis does for WITHSCORES: the
 * array header, then for each pair (RESP3: a nested pair).
 */
function beginPairs(c: Client, n: number, withScores: boolean): void {
  c.reply.array(withScores && c.resp === 2 ? n * 2 : n);
}

function replyPair(c: Client, member: string, score: number, withScores: boolean): void {
  if (!withScores) {
    c.reply.bulk(member);
    return;
  }
  if (c.resp === 3) c.reply.array(2);
  c.reply.bulk(member);
  replyScore(c, score);
}

/** Lets clients blocked on `key` (BZPOPMIN, ...) have a go after this command. */
function signalReady(c: Client, key: string): void {
  c.core.blocking.signalKeyAsReady(c.db, key);
}

// ---------------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM

interface ZAddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

function zaddGeneric(c: Client, argv: string[], incrCommand: boolean): void {
  const flags: ZAddFlags = {
    nx: false,
    xx: false,
    gt: false,
    lt: false,
    ch: false,
    incr: incrCommand,
  };
  let at = 2;
  for (; at < argv.length; at++) {
    const opt = argv[at];
    if (opt.length > 4) break;
    const lower = opt.toLowerCase();
    if (lower === "nx") flags.nx = true;
    else if (lower === "xx") flags.xx = true;
    else if (lower === "ch") flags.ch = true;
    else if (lower === "incr") flags.incr = true;
    else if (lower === "gt") flags.gt = true;
    else if (lower === "lt") flags.lt = true;
    else break;
  }
  const elements = argv.length - at;
  if (elements === 0 || elements % 2 !== 0) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const pairs = elements / 2;
  if (flags.nx && flags.xx) {
    c.reply.error("ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    c.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (flags.incr && pairs > 1) {
    c.reply.error("ERR INCR option supports a single increment-element pair");
    return;
  }
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) {
    const s = parseDouble(argv[at + j * 2]);
    if (s === null) {
      c.reply.error(NOT_FLOAT);
      return;
    }
    scores[j] = s;
  }
  const db = c.db;
  const key = argv[1];
  const found = db.lookupWrite(key);
  if (found !== undefined && !isZSet(found)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let zset = found;
  if (zset === undefined) {
    if (flags.xx) {
      if (flags.incr) c.reply.nullBulk();
      else c.reply.integer(0);
      return;
    }
    zset = ZSetValue.forFirstMember(argv[at + 1], c.core.limits);
    db.add(key, zset);
    signalReady(c, key);
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  let failed = false;
  const limits = c.core.limits;
  for (let j = 0; j < pairs; j++) {
    const member = argv[at + 1 + j * 2];
    let score = scores[j];
    const current = zset.score(member);
    if (current !== undefined) {
      if (flags.nx) continue;
      if (flags.incr) {
        score += current;
        if (Number.isNaN(score)) {
          failed = true;
          break;
        }
      }
      if ((flags.lt && score >= current) || (flags.gt && score <= current)) continue;
      if (score !== current) {
        zset.updateScore(member, current, score);
        updated++;
      }
      processed++;
      lastScore = score;
    } else if (!flags.xx) {
      zset.insert(member, score, limits);
      added++;
      processed++;
      lastScore = score;
    }
  }
  if (added + updated > 0) {
    db.touch(key);
    c.core.dirty += added + updated;
  }
  if (failed) c.reply.error(NAN_SCORE);
  else if (flags.incr) {
    if (processed > 0) replyScore(c, lastScore);
    else c.reply.nullBulk();
  } else {
    c.reply.integer(flags.ch ? added + updated : added);
  }
}

function zrem(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const zset = db.lookupWrite(key);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  if (!isZSet(zset)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (zset.delete(argv[i])) deleted++;
    if (zset.size === 0) {
      db.delete(key);
      break;
    }
  }
  if (deleted > 0) {
    db.touch(key);
    c.core.dirty += deleted;
  }
  c.reply.integer(deleted);
}

// ---------------------------------------------------------------------------
// Reading one sorted set

/** Looks `key` up for reading; replies `onMissing` when absent, WRONGTYPE when not a zset. */
function readZSet(c: Client, key: string, onMissing: () => void): ZSetValue | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) {
    onMissing();
    return null;
  }
  if (!isZSet(v)) {
    c.reply.error(WRONGTYPE);
    return null;
  }
  return v;
}

function zcard(c: Client, argv: string[]): void {
  const zset = readZSet(c, argv[1], () => c.reply.integer(0));
  if (zset !== null) c.reply.integer(zset.size);
}

function zscore(c: Client, argv: string[]): void {
  const zset = readZSet(c, argv[1], () => c.reply.nullBulk());
  if (zset === null) return;
  const score = zset.score(argv[2]);
  if (score === undefined) c.reply.nullBulk();
  else replyScore(c, score);
}

function zmscore(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v !== undefined && !isZSet(v)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = v === undefined ? undefined : v.score(argv[i]);
    if (score === undefined) c.reply.nullBulk();
    else replyScore(c, score);
  }
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const zset = readZSet(c, argv[1], () => c.reply.nullBulk());
  if (zset === null) return;
  const rank = zset.rank(argv[2]);
  if (rank < 0) c.reply.nullBulk();
  else c.reply.integer(reverse ? zset.size - 1 - rank : rank);
}

function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) {
    c.reply.error(NOT_FLOAT_RANGE);
    return;
  }
  const zset = readZSet(c, argv[1], () => c.reply.integer(0));
  if (zset === null) return;
  const [start, end] = scoreRangeRanks(zset, range);
  c.reply.integer(end - start);
}

function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (range === null) {
    c.reply.error(NOT_LEX_RANGE);
    return;
  }
  const zset = readZSet(c, argv[1], () => c.reply.integer(0));
  if (zset === null) return;
  const [start, end] = lexRangeRanks(zset, range);
  c.reply.integer(end - start);
}

// ---------------------------------------------------------------------------
// ZRANGE and friends

type RangeKind = "auto" | "rank" | "score" | "lex";

/** Where a range goes: to the client, or into a destination key (ZRANGESTORE). */
interface RangeRequest {
  kind: RangeKind;
  reverse: boolean | null;
  /** Destination key for ZRANGESTORE, null to reply. */
  store: string | null;
}

/**
 * Clamps a rank interval as Redis does: negative indexes count from the end.
 * Returns [first, last] (inclusive) or null when empty.
 */
function clampRanks(start: number, end: number, size: number): [number, number] | null {
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (start < 0) start = 0;
  if (start > end || start >= size) return null;
  if (end >= size) end = size - 1;
  return [start, end];
}

/**
 * The ranks a range command selects, in emission order: `first` is the rank
 * of the first element emitted, `count` how many, stepping down when
 * `reverse`.
 */
interface Selection {
  first: number;
  count: number;
  reverse: boolean;
}

function selectByRank(zset: ZSetValue, start: number, end: number, reverse: boolean): Selection {
  const size = zset.size;
  const ranks = clampRanks(start, end, size);
  if (ranks === null) return { first: 0, count: 0, reverse };
  const [from, to] = ranks;
  return { first: reverse ? size - 1 - from : from, count: to - from + 1, reverse };
}

/** Applies LIMIT offset count to the ranks `[start, end)` of a score or lex range. */
function selectInterval(
  zset: ZSetValue,
  [start, end]: [number, number],
  offset: number,
  limit: number,
  reverse: boolean,
): Selection {
  // Redis walks `offset` elements one by one: a negative offset walks off the end.
  if (offset < 0 || (offset > 0 && offset >= zset.size)) return { first: 0, count: 0, reverse };
  let count = end - start - offset;
  if (limit >= 0 && limit < count) count = limit;
  if (count <= 0) return { first: 0, count: 0, reverse };
  return { first: reverse ? end - 1 - offset : start + offset, count, reverse };
}

/** Emits a selection to the client. */
function replySelection(c: Client, zset: ZSetValue, sel: Selection, withScores: boolean): void {
  beginPairs(c, sel.count, withScores);
  if (sel.count === 0) return;
  const cursor = zset.cursorAt(sel.first);
  for (let i = 0; i < sel.count; i++) {
    replyPair(c, cursor.member, cursor.score, withScores);
    if (sel.reverse) cursor.prev();
    else cursor.next();
  }
}

/**
 * Stores a selection under `dst` (ZRANGESTORE), or deletes `dst` when it is
 * empty. Redis adds the members one by one, in the order of the range, to a
 * listpack (unless a range by rank is known to be too long for one) that
 * turns into a skip list at the first member that does not fit. A member
 * added while it was a listpack lost a -0 score to the listpack's integer 0,
 * even when the result ends up a skip list: `byRank` says which start applies.
 */
function storeSelection(
  c: Client,
  dst: string,
  zset: ZSetValue | null,
  sel: Selection,
  byRank: boolean,
): void {
  const pairs: [string, number][] = [];
  if (zset !== null && sel.count > 0) {
    const limits = c.core.limits;
    let listpack = !byRank || sel.count <= limits.zsetMaxListpackEntries;
    const cursor = zset.cursorAt(sel.first);
    for (let i = 0; i < sel.count; i++) {
      const member = cursor.member;
      let score = cursor.score;
      if (
        listpack &&
        (i + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)
      ) {
        listpack = false;
      }
      if (listpack && score === 0) score = 0;
      pairs.push([member, score]);
      if (sel.reverse) cursor.prev();
      else cursor.next();
    }
  }
  storeZSetResult(c, dst, pairs);
}

/** Stores a sorted set result (or deletes `dst` when empty) and replies with its size. */
function storeZSetResult(c: Client, dst: string, pairs: Iterable<[string, number]>): void {
  const result = ZSetValue.fromEntries(pairs, c.core.limits);
  const db = c.db;
  if (result.size > 0) {
    db.setKey(dst, result);
    c.core.dirty++;
    signalReady(c, dst);
    c.reply.integer(result.size);
  } else {
    c.reply.integer(0);
    if (db.delete(dst)) c.core.dirty++;
  }
}

/** Redis's zrangeGenericCommand: `argv[from]` is the source key, then min, max, options. */
function zrangeGeneric(c: Client, argv: string[], from: number, request: RangeRequest): void {
  const store = request.store !== null;
  let kind = request.kind;
  let reverse = request.reverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = from + 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const left = argv.length - j - 1;
    if (!store && opt === "withscores") withScores = true;
    else if (opt === "limit" && left >= 2) {
      const o = longArg(c, argv[j + 1]);
      if (o === null) return;
      const l = longArg(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (reverse === null && opt === "rev") reverse = true;
    else if (kind === "auto" && opt === "bylex") kind = "lex";
    else if (kind === "auto" && opt === "byscore") kind = "score";
    else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  reverse ??= false;
  if (kind === "auto") kind = "rank";
  if (limit !== -1 && kind === "rank") {
    c.reply.error(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
    return;
  }
  if (withScores && kind === "lex") {
    c.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  // Reversed score and lex ranges are written max first.
  const swap = reverse && kind !== "rank";
  const minText = argv[swap ? from + 2 : from + 1];
  const maxText = argv[swap ? from + 1 : from + 2];
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (kind === "rank") {
    const s = longArg(c, minText);
    if (s === null) return;
    const e = longArg(c, maxText);
    if (e === null) return;
    start = s;
    end = e;
  } else if (kind === "score") {
    scoreRange = parseScoreRange(minText, maxText);
    if (scoreRange === null) {
      c.reply.error(NOT_FLOAT_RANGE);
      return;
    }
  } else {
    lexRange = parseLexRange(minText, maxText);
    if (lexRange === null) {
      c.reply.error(NOT_LEX_RANGE);
      return;
    }
  }
  const v = c.db.lookupRead(argv[from]);
  if (v === undefined) {
    if (store) storeSelection(c, request.store!, null, { first: 0, count: 0, reverse }, true);
    else c.reply.array(0);
    return;
  }
  if (!isZSet(v)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let sel: Selection;
  if (kind === "rank") sel = selectByRank(v, start, end, reverse);
  else if (kind === "score") {
    sel = selectInterval(v, scoreRangeRanks(v, scoreRange!), offset, limit, reverse);
  } else {
    sel = selectInterval(v, lexRangeRanks(v, lexRange!), offset, limit, reverse);
  }
  if (store) storeSelection(c, request.store!, v, sel, kind === "rank");
  else replySelection(c, v, sel, withScores);
}

// ---------------------------------------------------------------------------
// ZREMRANGEBY*

function zremrangeGeneric(c: Client, argv: string[], kind: "rank" | "score" | "lex"): void {
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (kind === "rank") {
    const s = longArg(c, argv[2]);
    if (s === null) return;
    const e = longArg(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (kind === "score") {
    scoreRange = parseScoreRange(argv[2], argv[3]);
    if (scoreRange === null) {
      c.reply.error(NOT_FLOAT_RANGE);
      return;
    }
  } else {
    lexRange = parseLexRange(argv[2], argv[3]);
    if (lexRange === null) {
      c.reply.error(NOT_LEX_RANGE);
      return;
    }
  }
  const db = c.db;
  const key = argv[1];
  const zset = db.lookupWrite(key);
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  if (!isZSet(zset)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let from: number;
  let count: number;
  if (kind === "rank") {
    const ranks = clampRanks(start, end, zset.size);
    if (ranks === null) {
      c.reply.integer(0);
      return;
    }
    from = ranks[0];
    count = ranks[1] - ranks[0] + 1;
  } else {
    const [s, e] = kind === "score"
      ? scoreRangeRanks(zset, scoreRange!)
      : lexRangeRanks(zset, lexRange!);
    from = s;
    count = e - s;
  }
  zset.removeRange(from, count);
  if (zset.size === 0) db.delete(key);
  if (count > 0) db.touch(key);
  c.core.dirty += count;
  c.reply.integer(count);
}

// ---------------------------------------------------------------------------
// Pops

/** How a pop replies (Redis's genericZpopCommand flags). */
interface PopShape {
  /** Prefix the reply with the key name (blocking and multi-key pops). */
  emitKey: boolean;
  /** Pairs as nested arrays (ZMPOP/BZMPOP, ZPOPMIN with a count in RESP3). */
  nested: boolean;
}

/**
 * Pops up to `count` elements (`-1`: one, Redis's "no count") from the
 * non-empty `zset` under `key`, writes the reply in `shape`, deletes the key
 * when it empties. Returns how many were popped.
 */
function popFrom(
  c: Client,
  db: Db,
  key: string,
  zset: ZSetValue,
  highest: boolean,
  count: number,
  shape: PopShape,
): number {
  const n = Math.min(count === -1 ? 1 : count, zset.size);
  const reply = c.reply;
  if (!shape.nested && !shape.emitKey) reply.array(n * 2);
  else if (shape.nested && !shape.emitKey) reply.array(n);
  else if (!shape.nested) {
    reply.array(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.array(2);
    reply.bulk(key);
    reply.array(n);
  }
  for (let i = 0; i < n; i++) {
    const [member, score] = zset.pop(highest);
    if (shape.nested) reply.array(2);
    reply.bulk(member);
    replyScore(c, score);
  }
  c.core.dirty += n;
  if (zset.size === 0) db.delete(key);
  db.touch(key);
  return n;
}

function zpopMinMax(c: Client, argv: string[], highest: boolean): void {
  if (argv.length > 3) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = positiveLongArg(c, argv[2]);
    if (n === null) return;
    count = n;
  }
  const db = c.db;
  const key = argv[1];
  const zset = db.lookupWrite(key);
  if (zset === undefined) {
    c.reply.array(0);
    return;
  }
  if (!isZSet(zset)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  popFrom(c, db, key, zset, highest, count, {
    emitKey: false,
    nested: c.resp === 3 && count !== -1,
  });
}

/** The replayable form of a pop: ZPOPMIN/ZPOPMAX key [count]. */
function popArgv(highest: boolean, key: string, popped: number | null): string[] {
  const argv = [highest ? "ZPOPMAX" : "ZPOPMIN", key];
  if (popped !== null) argv.push(String(popped));
  return argv;
}

/** A client waiting in BZPOPMIN, BZPOPMAX or BZMPOP. */
class ZPopWait implements BlockedState {
  constructor(
    readonly db: Db,
    readonly keys: readonly string[],
    readonly deadline: number,
    readonly highest: boolean,
    readonly count: number,
    readonly multiPop: boolean,
  ) {}

  tryServe(client: Client, key: string): boolean {
    const db = this.db;
    const zset = db.lookupWrite(key);
    if (zset === undefined || !isZSet(zset) || zset.size === 0) return false;
    const popped = popFrom(client, db, key, zset, this.highest, this.count, {
      emitKey: true,
      nested: this.multiPop,
    });
    const core = client.core;
    if (core.propagating) {
      core.alsoPropagate(db.index, popArgv(this.highest, key, this.count === -1 ? null : popped));
    }
    return true;
  }

  onTimeout(client: Client): void {
    client.reply.nullArray();
  }
}

/**
 * BZPOPMIN, BZPOPMAX, BZMPOP: pop from the first non-empty key, or block.
 * `count` is -1 for BZPOPMIN/BZPOPMAX.
 */
function blockingPop(
  c: Client,
  keys: readonly string[],
  highest: boolean,
  deadline: number,
  count: number,
  multiPop: boolean,
): void {
  const db = c.db;
  for (const key of keys) {
    const zset = db.lookupWrite(key);
    if (zset === undefined) continue;
    if (!isZSet(zset)) {
      c.reply.error(WRONGTYPE);
      return;
    }
    if (zset.size === 0) continue;
    const popped = popFrom(c, db, key, zset, highest, count, { emitKey: true, nested: multiPop });
    if (c.core.propagating) c.rewriteArgv(popArgv(highest, key, count === -1 ? null : popped));
    return;
  }
  const core = c.core;
  if (core.inExec || core.loading) {
    // A transaction (or a replayed file) cannot wait: Redis treats it as a timeout.
    c.reply.nullArray();
    return;
  }
  core.blocking.block(c, new ZPopWait(db, keys, deadline, highest, count, multiPop));
}

function bzpop(c: Client, argv: string[], highest: boolean): void {
  const deadline = parseBlockingTimeout(c, argv[argv.length - 1]);
  if (deadline === null) return;
  blockingPop(c, argv.slice(1, -1), highest, deadline, -1, false);
}

/** ZMPOP (`numkeysAt` 1) and BZMPOP (`numkeysAt` 2, after the timeout). */
function zmpopGeneric(c: Client, argv: string[], numkeysAt: number, blocking: boolean): void {
  const numkeys = rangeLongArg(c, argv[numkeysAt], 1, "numkeys should be greater than 0");
  if (numkeys === null) return;
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const where = argv[whereAt].toLowerCase();
  if (where !== "min" && where !== "max") {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const highest = where === "max";
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].toLowerCase() === "count" && j + 1 < argv.length) {
      const n = rangeLongArg(c, argv[++j], 1, "count should be greater than 0");
      if (n === null) return;
      count = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysAt + 1, whereAt);
  if (blocking) {
    const deadline = parseBlockingTimeout(c, argv[1]);
    if (deadline === null) return;
    blockingPop(c, keys, highest, deadline, count, true);
    return;
  }
  const db = c.db;
  for (const key of keys) {
    const zset = db.lookupWrite(key);
    if (zset === undefined) continue;
    if (!isZSet(zset)) {
      c.reply.error(WRONGTYPE);
      return;
    }
    const popped = popFrom(c, db, key, zset, highest, count, { emitKey: true, nested: true });
    if (c.core.propagating) c.rewriteArgv(popArgv(highest, key, popped));
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER

function zrandmember(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const zset = readZSet(c, argv[1], () => c.reply.nullBulk());
    if (zset !== null) c.reply.bulk(zset.random()[0]);
    return;
  }
  const count = rangeLongArg(c, argv[2], "-9223372036854775807");
  if (count === null) return;
  if (argv.length > 4 || (argv.length === 4 && argv[3].toLowerCase() !== "withscores")) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const withScores = argv.length === 4;
  if (withScores && Math.abs(count) > 4611686018427387903) {
    c.reply.error("ERR value is out of range");
    return;
  }
  const zset = readZSet(c, argv[1], () => c.reply.array(0));
  if (zset === null) return;
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  const size = zset.size;
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    beginPairs(c, n, withScores);
    for (let i = 0; i < n; i++) {
      const [m, s] = zset.random();
      replyPair(c, m, s, withScores);
    }
    return;
  }
  if (count >= size) {
    // The whole set, in the order Redis's zuiNext walks it: highest first.
    beginPairs(c, size, withScores);
    zset.forEachDescending((m, s) => replyPair(c, m, s, withScores));
    return;
  }
  const picked = sampleDistinct(size, count, (i) => {
    const cursor = zset.cursorAt(i);
    return [cursor.member, cursor.score] as const;
  });
  beginPairs(c, picked.length, withScores);
  for (const [m, s] of picked) replyPair(c, m, s, withScores);
}

// ---------------------------------------------------------------------------
// ZSCAN

function zscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]);
  if (cursor === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const zset = readZSet(c, argv[1], () => replyScan(c, 0, []));
  if (zset === null) return;
  const options = parseScanOptions(c, argv, 3);
  if (options === null) return;
  const { pattern } = options;
  const out: string[] = [];
  if (zset.scansWhole) {
    // Returned whole, in order, as Redis returns a listpack; a listpack holds
    // its scores as text, integers without a fraction.
    const format = zset.isListpack ? formatDoubleHuman : formatDouble17g;
    zset.forEach((m, s) => {
      if (pattern === null || globMatch(pattern, m)) out.push(m, format(s));
    });
    replyScan(c, 0, out);
    return;
  }
  const next = zset.scan(cursor, options.count, (m, s) => {
    if (pattern === null || globMatch(pattern, m)) out.push(m, formatDouble17g(s));
  });
  replyScan(c, next, out);
}

// ---------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD

type SetOp = "union" | "inter" | "diff";

/** One input of a set operation: a sorted set, or a set whose members score 1. */
interface OpSource {
  value: ZSetValue | SetValue | undefined;
  weight: number;
}

function sourceSize(src: OpSource): number {
  return src.value === undefined ? 0 : src.value.size;
}

function sourceScore(src: OpSource, member: string): number | undefined {
  const v = src.value;
  if (v === undefined) return undefined;
  if (v.type === "set") return v.has(member) ? 1 : undefined;
  return v.score(member);
}

function forEachInSource(src: OpSource, fn: (member: string, score: number) => void): void {
  const v = src.value;
  if (v === undefined) return;
  if (v.type === "set") { for (const m of v) fn(m, 1); }
  else v.forEach(fn);
}

type Aggregate = "sum" | "min" | "max";

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === "sum") {
    const s = target + value;
    // inf + -inf is NaN; Redis keeps 0 then.
    return Number.isNaN(s) ? 0 : s;
  }
  if (how === "min") return value < target ? value : target;
  return value > target ? value : target;
}

function weighted(score: number, weight: number): number {
  const s = score * weight;
  return Number.isNaN(s) ? 0 : s;
}

function computeInter(
  sources: OpSource[],
  how: Aggregate,
  limit: number,
  out: Map<string, number>,
): number {
  const first = sources[0];
  if (sourceSize(first) === 0) return 0;
  let count = 0;
  let stop = false;
  forEachInSource(first, (member, score) => {
    if (stop) return;
    let total = weighted(score, first.weight);
    for (let j = 1; j < sources.length; j++) {
      const src = sources[j];
      const value = src.value === first.value ? score : sourceScore(src, member);
      if (value === undefined) return;
      total = aggregate(total, value * src.weight, how);
    }
    count++;
    out.set(member, total);
    if (limit > 0 && count >= limit) stop = true;
  });
  return count;
}

function computeUnion(sources: OpSource[], how: Aggregate, out: Map<string, number>): void {
  for (const src of sources) {
    forEachInSource(src, (member, score) => {
      const value = weighted(score, src.weight);
      const seen = out.get(member);
      out.set(member, seen === undefined ? value : aggregate(seen, value, how));
    });
  }
}

function computeDiff(sources: OpSource[], out: Map<string, number>): void {
  const [first, ...rest] = sources;
  forEachInSource(first, (member, score) => {
    for (const src of rest) if (sourceScore(src, member) !== undefined) return;
    out.set(member, score);
  });
}

/** Parsed arguments of a set operation; null after an error reply. */
function parseSetOp(
  c: Client,
  argv: string[],
  numkeysAt: number,
  op: SetOp,
  store: boolean,
  cardOnly: boolean,
): { sources: OpSource[]; how: Aggregate; withScores: boolean; limit: number } | null {
  const setnum = longArg(c, argv[numkeysAt]);
  if (setnum === null) return null;
  if (setnum < 1) {
    c.reply.error(`ERR at least 1 input key is needed for '${argv[0].toLowerCase()}' command`);
    return null;
  }
  if (setnum > argv.length - (numkeysAt + 1)) {
    c.reply.error(SYNTAX_ERR);
    return null;
  }
  const sources: OpSource[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = c.db.lookupRead(argv[j]);
    if (v !== undefined && !isZSet(v) && !isSet(v)) {
      c.reply.error(WRONGTYPE);
      return null;
    }
    sources.push({ value: v, weight: 1 });
  }
  let how: Aggregate = "sum";
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const opt = argv[j].toLowerCase();
    const remaining = argv.length - j;
    if (op !== "diff" && !cardOnly && remaining >= setnum + 1 && opt === "weights") {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseDouble(argv[j]);
        if (w === null) {
          c.reply.error("ERR weight value is not a float");
          return null;
        }
        sources[i].weight = w;
      }
    } else if (op !== "diff" && !cardOnly && remaining >= 2 && opt === "aggregate") {
      const name = argv[j + 1].toLowerCase();
      if (name !== "sum" && name !== "min" && name !== "max") {
        c.reply.error(SYNTAX_ERR);
        return null;
      }
      how = name;
      j += 2;
    } else if (!store && !cardOnly && opt === "withscores") {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && opt === "limit") {
      const n = positiveLongArg(c, argv[j + 1], "LIMIT can't be negative");
      if (n === null) return null;
      limit = n;
      j += 2;
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return { sources, how, withScores, limit };
}

function zsetOpGeneric(
  c: Client,
  argv: string[],
  dst: string | null,
  numkeysAt: number,
  op: SetOp,
  cardOnly = false,
): void {
  const parsed = parseSetOp(c, argv, numkeysAt, op, dst !== null, cardOnly);
  if (parsed === null) return;
  const { how, withScores, limit } = parsed;
  let sources = parsed.sources;
  // Smallest inputs first, as Redis orders them (it changes float sums slightly).
  if (op !== "diff") sources = [...sources].sort((a, b) => sourceSize(a) - sourceSize(b));
  const result = new Map<string, number>();
  if (op === "inter") {
    const count = computeInter(sources, how, cardOnly ? limit : 0, result);
    if (cardOnly) {
      c.reply.integer(count);
      return;
    }
  } else if (op === "union") computeUnion(sources, how, result);
  else computeDiff(sources, result);
  if (dst !== null) {
    storeZSetResult(c, dst, result);
    return;
  }
  const pairs = [...result];
  pairs.sort((a, b) => compareKeys(a[1], a[0], b[1], b[0]));
  beginPairs(c, pairs.length, withScores);
  for (const [m, s] of pairs) replyPair(c, m, s, withScores);
}

// ---------------------------------------------------------------------------
// Specs

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;

/** Keys of ZUNIONSTORE and friends: the destination, then numkeys keys. */
function storeOpKeys(argv: readonly string[]): number[] {
  return [1, ...numkeysKeys(argv, 2)];
}

/** The sorted set commands. */
export const ZSETS_COMMANDS: readonly CommandSpec[] = [
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Adds members with scores to a sorted set, or updates their scores",
    since: "1.2.0",
    handler: (c, argv) => zaddGeneric(c, argv, false),
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Adds an increment to the score of a member",
    since: "1.2.0",
    handler: (c, argv) => zaddGeneric(c, argv, true),
  },
  {
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes members from a sorted set; the key goes when it empties",
    since: "1.2.0",
    handler: zrem,
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns the number of members of a sorted set",
    since: "1.2.0",
    handler: zcard,
  },
  {
    name: "zscore",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns the score of a member",
    since: "1.2.0",
    handler: zscore,
  },
  {
    name: "zmscore",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns the scores of several members",
    since: "6.2.0",
    handler: zmscore,
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns the position of a member by ascending score",
    since: "2.0.0",
    handler: (c, argv) => zrankGeneric(c, argv, false),
  },
  {
    name: "zrevrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns the position of a member by descending score",
    since: "2.0.0",
    handler: (c, argv) => zrankGeneric(c, argv, true),
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Counts the members whose score is in a range",
    since: "2.0.0",
    handler: zcount,
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Counts the members in a lexicographic range",
    since: "2.8.9",
    handler: zlexcount,
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members by rank, score or lexicographic range",
    since: "1.2.0",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "auto", reverse: null, store: null }),
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 2, step: 1 },
    group: "sorted_set",
    summary: "Stores a range of a sorted set in another key",
    since: "6.2.0",
    handler: (c, argv) =>
      zrangeGeneric(c, argv, 2, { kind: "auto", reverse: null, store: argv[1] }),
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members by rank, highest score first",
    since: "1.2.0",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "rank", reverse: true, store: null }),
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members whose score is in a range",
    since: "1.0.5",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "score", reverse: false, store: null }),
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members whose score is in a range, highest first",
    since: "2.2.0",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "score", reverse: true, store: null }),
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members in a lexicographic range",
    since: "2.8.9",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "lex", reverse: false, store: null }),
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns members in a lexicographic range, last first",
    since: "2.8.9",
    handler: (c, argv) => zrangeGeneric(c, argv, 1, { kind: "lex", reverse: true, store: null }),
  },
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes the members in a rank range",
    since: "2.0.0",
    handler: (c, argv) => zremrangeGeneric(c, argv, "rank"),
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes the members whose score is in a range",
    since: "1.2.0",
    handler: (c, argv) => zremrangeGeneric(c, argv, "score"),
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes the members in a lexicographic range",
    since: "2.8.9",
    handler: (c, argv) => zremrangeGeneric(c, argv, "lex"),
  },
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes and returns the members with the lowest scores",
    since: "5.0.0",
    handler: (c, argv) => zpopMinMax(c, argv, false),
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Removes and returns the members with the highest scores",
    since: "5.0.0",
    handler: (c, argv) => zpopMinMax(c, argv, true),
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "fast", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    group: "sorted_set",
    summary: "Pops the lowest-scored member of the first non-empty sorted set, or waits",
    since: "5.0.0",
    handler: (c, argv) => bzpop(c, argv, false),
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "fast", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    group: "sorted_set",
    summary: "Pops the highest-scored member of the first non-empty sorted set, or waits",
    since: "5.0.0",
    handler: (c, argv) => bzpop(c, argv, true),
  },
  {
    name: "zmpop",
    arity: -4,
    flags: ["write"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "sorted_set",
    summary: "Pops members from the first non-empty sorted set",
    since: "7.0.0",
    handler: (c, argv) => zmpopGeneric(c, argv, 1, false),
  },
  {
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking"],
    getKeys: (argv) => numkeysKeys(argv, 2),
    group: "sorted_set",
    summary: "Pops members from the first non-empty sorted set, or waits",
    since: "7.0.0",
    handler: (c, argv) => zmpopGeneric(c, argv, 2, true),
  },
  {
    name: "zrandmember",
    arity: -2,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Returns random members of a sorted set",
    since: "6.2.0",
    handler: zrandmember,
  },
  {
    name: "zscan",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "sorted_set",
    summary: "Iterates over the members and scores of a sorted set",
    since: "2.8.0",
    handler: zscan,
  },
  {
    name: "zunion",
    arity: -3,
    flags: ["readonly"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "sorted_set",
    summary: "Returns the union of sorted sets",
    since: "6.2.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, "union"),
  },
  {
    name: "zinter",
    arity: -3,
    flags: ["readonly"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "sorted_set",
    summary: "Returns the intersection of sorted sets",
    since: "6.2.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, "inter"),
  },
  {
    name: "zdiff",
    arity: -3,
    flags: ["readonly"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "sorted_set",
    summary: "Returns the members of the first sorted set that are in none of the others",
    since: "6.2.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, "diff"),
  },
  {
    name: "zintercard",
    arity: -3,
    flags: ["readonly"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "sorted_set",
    summary: "Counts the members common to sorted sets, up to a limit",
    since: "7.0.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, null, 1, "inter", true),
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: storeOpKeys,
    group: "sorted_set",
    summary: "Stores the union of sorted sets in a key",
    since: "2.0.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, "union"),
  },
  {
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: storeOpKeys,
    group: "sorted_set",
    summary: "Stores the intersection of sorted sets in a key",
    since: "2.0.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, "inter"),
  },
  {
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: storeOpKeys,
    group: "sorted_set",
    summary: "Stores the difference of sorted sets in a key",
    since: "6.2.0",
    handler: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, "diff"),
  },
];
