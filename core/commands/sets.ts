/**
 * Set commands (Redis's t_set.c), and DEBUG HTSTATS-KEY.
 *
 * Replies follow Redis 7.0: SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a
 * count reply with a RESP3 set; SRANDMEMBER with a count replies with an
 * array. SPOP propagates as SREMs (or as DEL when it empties the set), and
 * SRANDMEMBER propagates nothing.
 *
 * This file also holds the argument helpers the sorted set and SORT
 * commands share (integer arguments with Redis's error texts, SCAN options).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { DebugSubcommand } from "../core.ts";
import { NO_SUCH_KEY, NOT_INTEGER, SYNTAX_ERR, WRONGTYPE } from "../errors.ts";
import { INT64_MIN, parseInt64 } from "../numbers.ts";
import { SetValue } from "../values/set.ts";
import type { Value } from "../values/value.ts";
import { parseCursor } from "../keyspace/scan_cursor.ts";
import { globMatch } from "../glob.ts";
import { hashKey } from "../keyspace/key_map.ts";

// ---------------------------------------------------------------------------
// Shared argument helpers

/** True when `v` is a set. */
export function isSet(v: Value): v is SetValue {
  return typeof v !== "string" && v.type === "set";
}

/**
 * Parses a C `long` argument like Redis's `getLongFromObjectOrReply`.
 * Replies with the error (`ERR <msg>` when a message is given) and returns
 * null when invalid. Values beyond 2^53 come back rounded, which is exact
 * enough for the ranges and counts they are used for.
 */
export function longArg(c: Client, text: string, msg?: string): number | null {
  const v = parseInt64(text);
  if (v === null) {
    c.reply.error(msg === undefined ? NOT_INTEGER : "ERR " + msg);
    return null;
  }
  return typeof v === "bigint" ? Number(v) : v;
}

/**
 * Parses a `long` that must be at least `min` (and at most LONG_MAX), like
 * `getRangeLongFromObjectOrReply`. `min` is 0, 1 or -LONG_MAX (written
 * `-9223372036854775807`), the bounds Redis uses.
 */
export function rangeLongArg(
  c: Client,
  text: string,
  min: 0 | 1 | "-9223372036854775807",
  msg?: string,
): number | null {
  const v = parseInt64(text);
  if (v === null) {
    c.reply.error(msg === undefined ? NOT_INTEGER : "ERR " + msg);
    return null;
  }
  const tooSmall = typeof min === "string" ? v === INT64_MIN : Number(v) < min;
  if (tooSmall) {
    c.reply.error(
      msg === undefined
        ? `ERR value is out of range, value must between ${min} and 9223372036854775807`
        : "ERR " + msg,
    );
    return null;
  }
  return typeof v === "bigint" ? Number(v) : v;
}

/** Parses a non-negative `long` like `getPositiveLongFromObjectOrReply` with its default text. */
export function positiveLongArg(c: Client, text: string, msg?: string): number | null {
  return rangeLongArg(c, text, 0, msg ?? "value is out of range, must be positive");
}

/** Options of the SCAN family on one collection. */
export interface ScanOptions {
  /** COUNT (default 10). */
  count: number;
  /** MATCH pattern, or null when absent or `*`. */
  pattern: string | null;
}

/**
 * Parses `[MATCH pattern] [COUNT count]` from `argv[from]` on, as Redis's
 * `scanGenericCommand` does for SSCAN, HSCAN and ZSCAN; replies and returns
 * null on error.
 */
export function parseScanOptions(c: Client, argv: string[], from: number): ScanOptions | null {
  const options: ScanOptions = { count: 10, pattern: null };
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    if (opt === "count" && i + 1 < argv.length) {
      const n = longArg(c, argv[i + 1]);
      if (n === null) return null;
      if (n < 1) {
        c.reply.error(SYNTAX_ERR);
        return null;
      }
      options.count = n;
    } else if (opt === "match" && i + 1 < argv.length) {
      options.pattern = argv[i + 1] === "*" ? null : argv[i + 1];
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return options;
}

const ULONG_LIMIT = 1n << 64n;

/**
 * Parses a SCAN cursor as Redis does (`strtoul`): optional sign, digits, no
 * leading blank; a negative value wraps around; the empty text is 0. Returns
 * null for "ERR invalid cursor".
 */
export function scanCursorArg(text: string): number | null {
  if (text.length === 0) return 0;
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  if (/^\+?[0-9]+$/.test(text)) {
    const fast = parseCursor(text.charCodeAt(0) === 43 ? text.slice(1) : text);
    if (fast !== null) return fast;
  }
  let v = BigInt(text);
  if (v >= ULONG_LIMIT || v <= -ULONG_LIMIT) return null;
  if (v < 0n) v += ULONG_LIMIT;
  return Number(v);
}

/** Writes the reply of a SCAN-family command: the next cursor and the items. */
export function replyScan(c: Client, cursor: number, items: readonly string[]): void {
  c.reply.array(2);
  c.reply.bulk(String(cursor));
  c.reply.bulkArray(items);
}

/** Key positions of a command whose keys follow a numkeys argument at `numkeysAt`. */
export function numkeysKeys(argv: readonly string[], numkeysAt: number): number[] {
  const n = Number(argv[numkeysAt]);
  const keys: number[] = [];
  if (!Number.isInteger(n) || n < 1) return keys;
  for (let i = 0; i < n && numkeysAt + 1 + i < argv.length; i++) keys.push(numkeysAt + 1 + i);
  return keys;
}

// ---------------------------------------------------------------------------
// Commands

function sadd(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  let set = db.lookupWrite(key);
  if (set === undefined) {
    set = new SetValue();
    db.add(key, set);
  } else if (!isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const limits = c.core.limits;
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i], limits)) added++;
  if (added > 0) db.touch(key);
  c.core.dirty += added;
  c.reply.integer(added);
}

function srem(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const set = db.lookupWrite(key);
  if (set === undefined) {
    c.reply.integer(0);
    return;
  }
  if (!isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!set.delete(argv[i])) continue;
    deleted++;
    if (set.size === 0) {
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

function smove(c: Client, argv: string[]): void {
  const db = c.db;
  const [, srcKey, dstKey, member] = argv;
  const src = db.lookupWrite(srcKey);
  let dst = db.lookupWrite(dstKey);
  if (src === undefined) {
    c.reply.integer(0);
    return;
  }
  if (!isSet(src) || (dst !== undefined && !isSet(dst))) {
    c.reply.error(WRONGTYPE);
    return;
  }
  if (src === dst) {
    c.reply.integer(src.has(member) ? 1 : 0);
    return;
  }
  if (!src.delete(member)) {
    c.reply.integer(0);
    return;
  }
  if (src.size === 0) db.delete(srcKey);
  if (dst === undefined) {
    dst = new SetValue();
    db.add(dstKey, dst);
  }
  db.touch(srcKey);
  c.core.dirty++;
  if ((dst as SetValue).add(member, c.core.limits)) {
    c.core.dirty++;
    db.touch(dstKey);
  }
  c.reply.integer(1);
}

function sismember(c: Client, argv: string[]): void {
  const set = c.db.lookupRead(argv[1]);
  if (set === undefined) c.reply.integer(0);
  else if (!isSet(set)) c.reply.error(WRONGTYPE);
  else c.reply.integer(set.has(argv[2]) ? 1 : 0);
}

function smismember(c: Client, argv: string[]): void {
  const set = c.db.lookupRead(argv[1]);
  if (set !== undefined && !isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.integer(set !== undefined && set.has(argv[i]) ? 1 : 0);
  }
}

function scard(c: Client, argv: string[]): void {
  const set = c.db.lookupRead(argv[1]);
  if (set === undefined) c.reply.integer(0);
  else if (!isSet(set)) c.reply.error(WRONGTYPE);
  else c.reply.integer(set.size);
}

/** Redis's SPOP_MOVE_STRATEGY_MUL: past this ratio Redis rebuilds the set from what remains. */
const SPOP_REBUILD_RATIO = 5;

function spop(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const set = db.lookupWrite(key);
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (!isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const member = set.popRandom();
  if (c.core.propagating) c.rewriteArgv(["SREM", key, member]);
  c.reply.bulk(member);
  if (set.size === 0) db.delete(key);
  db.touch(key);
  c.core.dirty++;
}

function spopWithCount(c: Client, argv: string[]): void {
  const count = positiveLongArg(c, argv[2]);
  if (count === null) return;
  const db = c.db;
  const key = argv[1];
  const set = db.lookupWrite(key);
  if (set === undefined) {
    c.reply.set(0);
    return;
  }
  if (!isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  if (count === 0) {
    c.reply.set(0);
    return;
  }
  const core = c.core;
  const size = set.size;
  if (count >= size) {
    // The whole set goes: Redis replies with it and propagates a DEL.
    core.dirty += size;
    const members = set.toArray();
    c.reply.set(members.length);
    for (const m of members) c.reply.bulk(m);
    db.delete(key);
    if (core.propagating) c.rewriteArgv(["DEL", key]);
    return;
  }
  core.dirty += count;
  c.reply.set(count);
  const propagate = core.propagating;
  for (let i = 0; i < count; i++) {
    const member = set.popRandom();
    c.reply.bulk(member);
    if (propagate) core.alsoPropagate(db.index, ["SREM", key, member]);
  }
  // Redis builds a new set from the remaining members when few remain, which
  // gives it a fresh encoding (an intset again if they are all integers).
  if ((size - count) * SPOP_REBUILD_RATIO <= count) set.resetEncoding(core.limits);
  c.preventProp = true;
  db.touch(key);
}

/** Redis's SRANDMEMBER_SUB_STRATEGY_MUL: past this ratio, sample by removing from a copy. */
const SAMPLE_BY_REMOVAL_RATIO = 3;

function srandmember(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  if (argv.length === 3) {
    const count = rangeLongArg(c, argv[2], "-9223372036854775807");
    if (count === null) return;
    const set = c.db.lookupRead(argv[1]);
    if (set === undefined) c.reply.array(0);
    else if (!isSet(set)) c.reply.error(WRONGTYPE);
    else if (count < 0) {
      // Drawn with repetition, streamed: the count may exceed any array's size.
      c.reply.array(-count);
      for (let i = 0; i < -count; i++) c.reply.bulk(set.random());
    } else c.reply.bulkArray(sampleMembers(set, count));
    return;
  }
  const set = c.db.lookupRead(argv[1]);
  if (set === undefined) c.reply.nullBulk();
  else if (!isSet(set)) c.reply.error(WRONGTYPE);
  else c.reply.bulk(set.random());
}

/** SRANDMEMBER with a positive count: `count` distinct members, or the whole set. */
function sampleMembers(set: SetValue, count: number): string[] {
  const size = set.size;
  if (count === 0) return [];
  if (count >= size) return set.toArray();
  return sampleDistinct(size, count, (i) => set.at(i));
}

/** `count` distinct elements among `size` (count < size), picked uniformly. */
export function sampleDistinct<T>(size: number, count: number, at: (i: number) => T): T[] {
  const out: T[] = [];
  if (count * SAMPLE_BY_REMOVAL_RATIO > size) {
    // Partial Fisher-Yates over all positions.
    const positions = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const p = positions[j];
      positions[j] = positions[i];
      out.push(at(p));
    }
    return out;
  }
  const picked = new Set<number>();
  while (picked.size < count) {
    const i = Math.floor(Math.random() * size);
    if (picked.has(i)) continue;
    picked.add(i);
    out.push(at(i));
  }
  return out;
}

/** Looks up the sets named by `keys` for SINTER/SUNION/SDIFF; null after a WRONGTYPE reply. */
function lookupSets(c: Client, keys: readonly string[]): (SetValue | undefined)[] | null {
  const sets: (SetValue | undefined)[] = [];
  for (const key of keys) {
    const v = c.db.lookupRead(key);
    if (v !== undefined && !isSet(v)) {
      c.reply.error(WRONGTYPE);
      return null;
    }
    sets.push(v);
  }
  return sets;
}

/** Stores a set result (or deletes `dst` when it is empty) and replies with its size. */
function storeSetResult(c: Client, dst: string, members: Iterable<string>): void {
  const result = SetValue.fromMembers(members, c.core.limits);
  const db = c.db;
  if (result.size > 0) {
    db.setKey(dst, result);
    c.core.dirty++;
    c.reply.integer(result.size);
  } else {
    c.reply.integer(0);
    if (db.delete(dst)) c.core.dirty++;
  }
}

function intersect(sets: SetValue[], limit: number): string[] {
  const ordered = [...sets].sort((a, b) => a.size - b.size);
  const first = ordered[0];
  const out: string[] = [];
  for (const member of first) {
    let inAll = true;
    for (let j = 1; j < ordered.length; j++) {
      if (ordered[j] !== first && !ordered[j].has(member)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    out.push(member);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/** SINTER, SMEMBERS, SINTERSTORE, SINTERCARD (`cardLimit` >= 0 asks for the count only). */
function sinterGeneric(
  c: Client,
  keys: readonly string[],
  dst: string | null,
  cardLimit: number,
): void {
  const sets = lookupSets(c, keys);
  if (sets === null) return;
  const present = sets.filter((s): s is SetValue => s !== undefined);
  const result = present.length < sets.length ? [] : intersect(present, Math.max(0, cardLimit));
  if (dst !== null) storeSetResult(c, dst, result);
  else if (cardLimit >= 0) c.reply.integer(result.length);
  else {
    c.reply.set(result.length);
    for (const m of result) c.reply.bulk(m);
  }
}

function smembers(c: Client, argv: string[]): void {
  const set = c.db.lookupRead(argv[1]);
  if (set === undefined) c.reply.set(0);
  else if (!isSet(set)) c.reply.error(WRONGTYPE);
  else {
    c.reply.set(set.size);
    for (const m of set) c.reply.bulk(m);
  }
}

function sinter(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null, -1);
}

function sinterstore(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(2), argv[1], -1);
}

function sintercard(c: Client, argv: string[]): void {
  const numkeys = rangeLongArg(c, argv[1], 1, "numkeys should be greater than 0");
  if (numkeys === null) return;
  if (numkeys > argv.length - 2) {
    c.reply.error("ERR Number of keys can't be greater than number of args");
    return;
  }
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (argv[j].toLowerCase() === "limit" && j + 1 < argv.length) {
      const n = positiveLongArg(c, argv[++j], "LIMIT can't be negative");
      if (n === null) return;
      limit = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), null, limit);
}

function union(sets: (SetValue | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) if (s !== undefined) { for (const m of s) out.add(m); }
  return out;
}

function difference(sets: (SetValue | undefined)[]): string[] {
  const first = sets[0];
  if (first === undefined) return [];
  const rest = sets.slice(1).filter((s): s is SetValue => s !== undefined);
  if (rest.includes(first)) return [];
  const out: string[] = [];
  for (const m of first) if (!rest.some((s) => s.has(m))) out.push(m);
  return out;
}

function sunionDiffGeneric(
  c: Client,
  keys: readonly string[],
  dst: string | null,
  op: "union" | "diff",
): void {
  const sets = lookupSets(c, keys);
  if (sets === null) return;
  const result = op === "union" ? union(sets) : difference(sets);
  if (dst !== null) {
    storeSetResult(c, dst, result);
    return;
  }
  c.reply.set(op === "union" ? (result as Set<string>).size : (result as string[]).length);
  for (const m of result) c.reply.bulk(m);
}

function sscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]);
  if (cursor === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const set = c.db.lookupRead(argv[1]);
  if (set === undefined) {
    replyScan(c, 0, []);
    return;
  }
  if (!isSet(set)) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const options = parseScanOptions(c, argv, 3);
  if (options === null) return;
  const { pattern } = options;
  const out: string[] = [];
  if (set.scansWhole) {
    // Small sets come back whole, as Redis returns intsets (in their order).
    const members = set.toArray();
    if (set.encoding(c.core.limits) === "intset") members.sort(compareIntegers);
    for (const m of members) if (pattern === null || globMatch(pattern, m)) out.push(m);
    replyScan(c, 0, out);
    return;
  }
  const next = set.scan(cursor, options.count, (m) => {
    if (pattern === null || globMatch(pattern, m)) out.push(m);
  });
  replyScan(c, next, out);
}

/** Orders canonical integer strings by value (exactly, also beyond 2^53). */
function compareIntegers(a: string, b: string): number {
  if (a.length < 16 && b.length < 16) return Number(a) - Number(b);
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------------------
// DEBUG HTSTATS-KEY

/** Buckets Redis's dict would have for `n` entries: a power of two, at least 4. */
function tableSizeFor(n: number): number {
  let size = 4;
  while (size < n) size *= 2;
  return size;
}

/**
 * Redis's `dictGetStats` report for a hash table holding `keys`. Cairn's
 * collections are not chained hash tables, so the chains are those a table
 * of Redis's size would have with Cairn's key hash: the same shape of report
 * with realistic numbers.
 */
export function hashTableStats(keys: Iterable<string>, count: number): string {
  if (count === 0) {
    return "Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n";
  }
  const size = tableSizeFor(count);
  const chains = new Uint32Array(size);
  for (const k of keys) chains[hashKey(k) & (size - 1)]++;
  const VECTLEN = 50;
  const histogram = new Array<number>(VECTLEN).fill(0);
  let slots = 0;
  let maxChain = 0;
  for (const len of chains) {
    histogram[Math.min(len, VECTLEN - 1)]++;
    if (len === 0) continue;
    slots++;
    if (len > maxChain) maxChain = len;
  }
  let out = "Hash table 0 stats (main hash table):\n" +
    ` table size: ${size}\n` +
    ` number of elements: ${count}\n` +
    ` different slots: ${slots}\n` +
    ` max chain length: ${maxChain}\n` +
    ` avg chain length (counted): ${(count / slots).toFixed(2)}\n` +
    ` avg chain length (computed): ${(count / slots).toFixed(2)}\n` +
    " Chain length distribution:\n";
  for (let i = 0; i < VECTLEN - 1; i++) {
    if (histogram[i] === 0) continue;
    out += `   ${i}: ${histogram[i]} (${((histogram[i] / size) * 100).toFixed(2)}%)\n`;
  }
  return out;
}

/** The keys of the hash table behind `v`, or null when Redis's encoding has none. */
function hashTableKeys(c: Client, v: Value): { keys: Iterable<string>; count: number } | null {
  if (typeof v === "string") return null;
  const limits = c.core.limits;
  switch (v.type) {
    case "set":
      return v.encoding(limits) === "hashtable" ? { keys: v, count: v.size } : null;
    case "zset":
      return v.encoding(limits) === "skiplist"
        ? { keys: [...v.entries()].map((e) => e[0]), count: v.size }
        : null;
    case "hash":
      return v.encoding(limits) === "hashtable"
        ? { keys: [...v.entries()].map((e) => e[0]), count: v.size }
        : null;
    default:
      return null;
  }
}

function debugHtstatsKey(c: Client, argv: string[]): void {
  if (argv.length !== 3) {
    c.reply.error(
      `ERR unknown subcommand or wrong number of arguments for '${
        argv[1].slice(0, 128)
      }'. Try DEBUG HELP.`,
    );
    return;
  }
  const v = c.db.peek(argv[2]);
  if (v === undefined) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  const table = hashTableKeys(c, v);
  if (table === null) {
    c.reply.error(
      "ERR The value stored at the specified key is not represented using an hash table",
    );
    return;
  }
  c.reply.verbatim(hashTableStats(table.keys, table.count));
}

// ---------------------------------------------------------------------------
// Specs

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const ALL_KEYS = { first: 1, last: -1, step: 1 } as const;
const STORE_KEYS = { first: 1, last: -1, step: 1 } as const;

/** The set commands. */
export const SETS_COMMANDS: readonly CommandSpec[] = [
  {
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Adds members to a set, creating it if needed",
    since: "1.0.0",
    handler: sadd,
  },
  {
    name: "srem",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Removes members from a set; the key goes when the set empties",
    since: "1.0.0",
    handler: srem,
  },
  {
    name: "smove",
    arity: 4,
    flags: ["write", "fast"],
    keys: { first: 1, last: 2, step: 1 },
    group: "set",
    summary: "Moves a member from one set to another",
    since: "1.0.0",
    handler: smove,
  },
  {
    name: "sismember",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Tells whether a value belongs to a set",
    since: "1.0.0",
    handler: sismember,
  },
  {
    name: "smismember",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Tells, for each value, whether it belongs to a set",
    since: "6.2.0",
    handler: smismember,
  },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "set",
    summary: "Returns every member of a set",
    since: "1.0.0",
    handler: smembers,
  },
  {
    name: "scard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Returns the number of members of a set",
    since: "1.0.0",
    handler: scard,
  },
  {
    name: "spop",
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "set",
    summary: "Removes and returns random members of a set",
    since: "1.0.0",
    handler: spop,
  },
  {
    name: "srandmember",
    arity: -2,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "set",
    summary: "Returns random members of a set without removing them",
    since: "1.0.0",
    handler: srandmember,
  },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    group: "set",
    summary: "Returns the members common to all the given sets",
    since: "1.0.0",
    handler: sinter,
  },
  {
    name: "sintercard",
    arity: -3,
    flags: ["readonly"],
    getKeys: (argv) => numkeysKeys(argv, 1),
    group: "set",
    summary: "Counts the members common to all the given sets, up to a limit",
    since: "7.0.0",
    handler: sintercard,
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: STORE_KEYS,
    group: "set",
    summary: "Stores the intersection of sets in a key",
    since: "1.0.0",
    handler: sinterstore,
  },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    group: "set",
    summary: "Returns the members of any of the given sets",
    since: "1.0.0",
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, "union"),
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: STORE_KEYS,
    group: "set",
    summary: "Stores the union of sets in a key",
    since: "1.0.0",
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], "union"),
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    group: "set",
    summary: "Returns the members of the first set that are in none of the others",
    since: "1.0.0",
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, "diff"),
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: STORE_KEYS,
    group: "set",
    summary: "Stores the difference of sets in a key",
    since: "1.0.0",
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], "diff"),
  },
  {
    name: "sscan",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    group: "set",
    summary: "Iterates over the members of a set",
    since: "2.8.0",
    handler: sscan,
  },
];

/** DEBUG subcommands provided by this family. */
export const SETS_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [
  {
    name: "htstats-key",
    help: "HTSTATS-KEY <key>\n    Like HTSTATS but for the hash table stored at <key>'s value.",
    handler: debugHtstatsKey,
  },
];
