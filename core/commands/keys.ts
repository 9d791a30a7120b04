/**
 * Key-space commands (Redis's db.c, expire.c and OBJECT from object.c):
 * deleting, renaming, moving and copying keys, iterating them, TTLs, database
 * selection and flushing.
 *
 * Replies, errors and their order follow Redis 7.0.15. Replay forms
 * (reference §4.4): EXPIRE/PEXPIRE/EXPIREAT → `PEXPIREAT k <abs-ms>`, any of
 * them with a time already past → `DEL k` (or UNLINK with
 * lazyfree-lazy-expire); FLUSHDB and FLUSHALL are propagated even when they
 * removed nothing.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { Core } from "../core.ts";
import { type Db, NO_TOUCH } from "../keyspace/db.ts";
import type { KeyTable } from "../keyspace/key_table.ts";
import { type ScanSource, scanStep } from "../keyspace/scan_cursor.ts";
import { idleMillis, lruClock } from "../keyspace/lru_clock.ts";
import { typeOf, type Value } from "../values/value.ts";
import {
  DB_INDEX_OUT_OF_RANGE,
  NO_SUCH_KEY,
  NOT_INTEGER,
  SAME_OBJECT,
  SYNTAX_ERR,
} from "../errors.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../numbers.ts";
import { globMatch } from "../glob.ts";
import { replyHelp } from "./help_reply.ts";
import {
  copiedStringKind,
  dropStringKinds,
  forgetStringKind,
  noteStringKind,
  stringEncoding,
  stringKind,
  stringRefcount,
} from "./strings.ts";

// ---------------------------------------------------------------------------
// Argument helpers.

const INT_RANGE_ERR = "ERR value is out of range, value must between -2147483648 and 2147483647";

/**
 * Parses a C `int` argument like Redis's getIntFromObjectOrReply: replies
 * `message` (or Redis's default texts) and returns null when invalid.
 */
function parseIntArg(c: Client, text: string, message?: string): number | null {
  const n = parseInt64(text);
  if (n === null) {
    c.reply.error(message ?? NOT_INTEGER);
    return null;
  }
  if (n < -2147483648 || n > 2147483647) {
    c.reply.error(message ?? INT_RANGE_ERR);
    return null;
  }
  return Number(n);
}

/** The database with `index`, or undefined when out of range. */
function dbAt(core: Core, index: number): Db | undefined {
  return index >= 0 && index < core.dbs.length ? core.dbs[index] : undefined;
}

/** `DEL` or `UNLINK`, as the lazyfree option `option` asks. */
function deleteCommandName(core: Core, option: string): string {
  return core.config.get<boolean>(option) ? "UNLINK" : "DEL";
}

/** Propagates the command as sent even when it changed nothing (Redis's forceCommandPropagation). */
function forcePropagation(c: Client, argv: string[]): void {
  if (c.core.propagating) c.core.alsoPropagate(c.db.index, argv);
  c.preventProp = true;
}

/** A key now holds a collection: clients blocked on it may be served (Redis's dbAdd does this). */
function signalIfCollection(core: Core, db: Db, key: string, value: Value): void {
  if (typeof value !== "string") core.blocking.signalKeyAsReady(db, key);
}

// ---------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE.

function del(c: Client, argv: string[]): void {
  const db = c.db;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j];
    // An expired key is reclaimed (and its DEL propagated) rather than counted.
    if (db.table.volatileCount > 0) db.expireIfNeeded(key);
    if (db.delete(key)) {
      forgetStringKind(db, key);
      deleted++;
    }
  }
  c.core.dirty += deleted;
  c.reply.integer(deleted);
}

function exists(c: Client, argv: string[]): void {
  const db = c.db;
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(argv[j], NO_TOUCH) !== undefined) count++;
  c.reply.integer(count);
}

function type(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1], NO_TOUCH);
  c.reply.simple(v === undefined ? "none" : typeOf(v));
}

function dbsize(c: Client): void {
  c.reply.integer(c.db.size);
}

// ---------------------------------------------------------------------------
// RENAME, RENAMENX, MOVE, COPY.

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const [, src, dst] = argv;
  const value = db.lookupWrite(src);
  if (value === undefined) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  if (src === dst) {
    if (nx) c.reply.integer(0);
    else c.reply.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.reply.integer(0);
      return;
    }
    db.delete(dst);
  }
  const kind = typeof value === "string" ? stringKind(db, src, value) : null;
  db.add(dst, value);
  if (expire !== -1) db.setExpire(dst, expire);
  db.delete(src);
  forgetStringKind(db, src);
  if (kind !== null) noteStringKind(db, dst, value as string, kind);
  else forgetStringKind(db, dst);
  signalIfCollection(c.core, db, dst, value);
  c.core.dirty++;
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

function rename(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

function renamenx(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

function move(c: Client, argv: string[]): void {
  const src = c.db;
  const index = parseIntArg(c, argv[2]);
  if (index === null) return;
  const dst = dbAt(c.core, index);
  if (dst === undefined) {
    c.reply.error(DB_INDEX_OUT_OF_RANGE);
    return;
  }
  if (src === dst) {
    c.reply.error(SAME_OBJECT);
    return;
  }
  const key = argv[1];
  const value = src.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.lookupWrite(key) !== undefined) {
    c.reply.integer(0);
    return;
  }
  const kind = typeof value === "string" ? stringKind(src, key, value) : null;
  dst.add(key, value);
  if (expire !== -1) dst.setExpire(key, expire);
  src.delete(key);
  forgetStringKind(src, key);
  if (kind !== null) noteStringKind(dst, key, value as string, kind);
  else forgetStringKind(dst, key);
  signalIfCollection(c.core, dst, key, value);
  c.core.dirty++;
  c.reply.integer(1);
}

/** A copy of `value` for COPY: collections clone themselves (keeping their encoding), strings are immutable. */
function duplicateValue(value: Value): Value {
  return typeof value === "string" ? value : value.clone();
}

function copy(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = src;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === "replace") {
      replace = true;
    } else if (opt === "db" && j + 1 < argv.length) {
      const index = parseIntArg(c, argv[++j]);
      if (index === null) return;
      const found = dbAt(c.core, index);
      if (found === undefined) {
        c.reply.error(DB_INDEX_OUT_OF_RANGE);
        return;
      }
      dst = found;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const [, key, newKey] = argv;
  if (src === dst && key === newKey) {
    c.reply.error(SAME_OBJECT);
    return;
  }
  const value = src.lookupRead(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  const occupied = dst.lookupWrite(newKey) !== undefined;
  if (occupied && !replace) {
    c.reply.integer(0);
    return;
  }
  const duplicate = duplicateValue(value);
  if (occupied) dst.delete(newKey);
  dst.add(newKey, duplicate);
  if (expire !== -1) dst.setExpire(newKey, expire);
  if (typeof value === "string") {
    noteStringKind(dst, newKey, value, copiedStringKind(stringKind(src, key, value)));
  } else {
    forgetStringKind(dst, newKey);
  }
  signalIfCollection(c.core, dst, newKey, duplicate);
  c.core.dirty++;
  c.reply.integer(1);
}

// ---------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY.

function keys(c: Client, argv: string[]): void {
  const db = c.db;
  const table = db.table;
  const pattern = argv[1];
  const all = pattern === "*";
  const checkExpiry = table.volatileCount > 0;
  const found: string[] = [];
  for (let i = 0; i < table.shardCount; i++) {
    for (const key of table.shard(i).values.keys()) {
      if (!all && !globMatch(pattern, key)) continue;
      // KEYS skips expired keys without deleting them, as Redis does.
      if (checkExpiry && db.isLogicallyExpired(key)) continue;
      found.push(key);
    }
  }
  c.reply.bulkArray(found);
}

/**
 * Parses a SCAN cursor as Redis does with strtoul: decimal, an optional sign
 * (a negative value wraps around 2^64), no leading space, nothing after the
 * digits, no overflow; an empty cursor is 0. Returns null when invalid.
 */
export function parseScanCursor(text: string): number | null {
  if (text.length === 0) return 0;
  const m = /^([+-]?)([0-9]+)$/.exec(text);
  if (m === null) return null;
  let value = BigInt(m[2]);
  if (value > 0xffffffffffffffffn) return null;
  if (m[1] === "-" && value !== 0n) value = (1n << 64n) - value;
  return Number(value);
}

interface ScanOptions {
  count: number;
  pattern: string | null;
  type: string | null;
}

function parseScanOptions(c: Client, argv: string[]): ScanOptions | null {
  const o: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    const hasValue = i + 1 < argv.length;
    if (opt === "count" && hasValue) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) {
        c.reply.error(NOT_INTEGER);
        return null;
      }
      if (n < 1) {
        c.reply.error(SYNTAX_ERR);
        return null;
      }
      o.count = Number(n);
    } else if (opt === "match" && hasValue) {
      o.pattern = argv[i + 1] === "*" ? null : argv[i + 1];
    } else if (opt === "type" && hasValue) {
      o.type = argv[i + 1].toLowerCase();
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

/** The shards of a key table as scan segments. */
function shardSource(table: KeyTable<Value>): ScanSource<string> {
  return {
    segmentCount: table.shardCount,
    segment: (index) => table.shard(index).values.keys(),
  };
}

function scan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const o = parseScanOptions(c, argv);
  if (o === null) return;
  const db = c.db;
  const table = db.table;
  const candidates: string[] = [];
  const next = scanStep(table, shardSource(table), cursor, o.count, (key) => {
    candidates.push(key);
  });
  const keys: string[] = [];
  for (const key of candidates) {
    if (o.pattern !== null && !globMatch(o.pattern, key)) continue;
    if (o.type !== null) {
      const v = db.lookupRead(key, NO_TOUCH);
      if ((v === undefined ? "none" : typeOf(v)) !== o.type) continue;
    }
    // Expired keys found on the way are reclaimed, as Redis's SCAN does.
    if (db.expireIfNeeded(key)) continue;
    keys.push(key);
  }
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(keys);
}

/** A key of `table` picked at random: a random shard, then a random position in it. */
function pickRandomKey(table: KeyTable<Value>): string | undefined {
  const shards = table.shardCount;
  const first = Math.floor(Math.random() * shards);
  for (let step = 0; step < shards; step++) {
    const key = table.shard((first + step) % shards).values.randomKey();
    if (key !== undefined) return key;
  }
  return undefined;
}

function randomkey(c: Client): void {
  const db = c.db;
  while (true) {
    const key = pickRandomKey(db.table);
    if (key === undefined) {
      c.reply.nullBulk();
      return;
    }
    // An expired pick is reclaimed and another one tried; each try removes a key, so this ends.
    if (db.table.volatileCount > 0 && db.expireIfNeeded(key)) continue;
    c.reply.bulk(key);
    return;
  }
}

// ---------------------------------------------------------------------------
// Expiry: EXPIRE family, TTL family, PERSIST.

const EXPIRE_NX = 1, EXPIRE_XX = 2, EXPIRE_GT = 4, EXPIRE_LT = 8;

/** Parses NX/XX/GT/LT after EXPIRE's time; returns the flag bits or null after an error. */
function parseExpireFlags(c: Client, argv: string[]): number | null {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === "nx") flags |= EXPIRE_NX;
    else if (opt === "xx") flags |= EXPIRE_XX;
    else if (opt === "gt") flags |= EXPIRE_GT;
    else if (opt === "lt") flags |= EXPIRE_LT;
    else {
      c.reply.error(`ERR Unsupported option ${argv[j]}`);
      return null;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return null;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    c.reply.error("ERR GT and LT options at the same time are not compatible");
    return null;
  }
  return flags;
}

/** False when NX/XX/GT/LT forbid replacing expire time `current` (-1: none) by `when`. */
function expireFlagsAllow(flags: number, current: number, when: bigint): boolean {
  if ((flags & EXPIRE_NX) !== 0 && current !== -1) return false;
  if ((flags & EXPIRE_XX) !== 0 && current === -1) return false;
  // No TTL counts as an infinite one: never greater, always less.
  if ((flags & EXPIRE_GT) !== 0 && (current === -1 || when <= current)) return false;
  if ((flags & EXPIRE_LT) !== 0 && current !== -1 && when >= current) return false;
  return true;
}

/**
 * Redis's expireGenericCommand. `relative`: the time is added to now;
 * `seconds`: it is in seconds.
 */
function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const command = argv[0].toLowerCase();
  const flags = parseExpireFlags(c, argv);
  if (flags === null) return;
  const parsed = parseInt64(argv[2]);
  if (parsed === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  let when = BigInt(parsed);
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) {
      c.reply.error(`ERR invalid expire time in '${command}' command`);
      return;
    }
    when *= 1000n;
  }
  const core = c.core;
  const base = relative ? BigInt(core.now()) : 0n;
  if (when > INT64_MAX - base) {
    c.reply.error(`ERR invalid expire time in '${command}' command`);
    return;
  }
  when += base;
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined) {
    c.reply.integer(0);
    return;
  }
  if (flags !== 0 && !expireFlagsAllow(flags, db.getExpire(key), when)) {
    c.reply.integer(0);
    return;
  }
  if (when <= core.now() && !core.loading) {
    db.delete(key);
    forgetStringKind(db, key);
    core.dirty++;
    if (core.propagating) c.rewriteArgv([deleteCommandName(core, "lazyfree-lazy-expire"), key]);
    c.reply.integer(1);
    return;
  }
  db.setExpire(key, Number(when));
  db.touch(key);
  core.dirty++;
  c.reply.integer(1);
  // PEXPIREAT already says what to replay; the others become it.
  if (core.propagating && command !== "pexpireat") {
    const replay = argv.slice();
    replay[0] = "PEXPIREAT";
    replay[2] = when.toString();
    c.rewriteArgv(replay);
  }
}

function expire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, true, true);
}

function pexpire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, true, false);
}

function expireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, false, true);
}

function pexpireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, false, false);
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME (Redis's ttlGenericCommand). */
function ttlGeneric(c: Client, key: string, milliseconds: boolean, absolute: boolean): void {
  const db = c.db;
  if (db.lookupRead(key, NO_TOUCH) === undefined) {
    c.reply.integer(-2);
    return;
  }
  const when = db.getExpire(key);
  if (when === -1) {
    c.reply.integer(-1);
    return;
  }
  let ttl = absolute ? when : when - c.core.now();
  if (ttl < 0) ttl = 0;
  c.reply.integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
}

function ttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, false);
}

function pttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, false);
}

function expiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, true);
}

function pexpiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, true);
}

function persist(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) !== undefined && db.persist(key)) {
    db.touch(key);
    c.core.dirty++;
    c.reply.integer(1);
  } else {
    c.reply.integer(0);
  }
}

function touch(c: Client, argv: string[]): void {
  const db = c.db;
  let touched = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(argv[j]) !== undefined) touched++;
  c.reply.integer(touched);
}

// ---------------------------------------------------------------------------
// OBJECT.

const OBJECT_HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
];

/** The value for OBJECT's subcommands, or undefined after replying null. */
function objectLookup(c: Client, key: string): Value | undefined {
  const v = c.db.lookupRead(key, NO_TOUCH);
  if (v === undefined) c.reply.nullBulk();
  return v;
}

/** True when an LFU maxmemory-policy is configured (a key this server may not have). */
function lfuPolicy(core: Core): boolean {
  if (core.config.spec("maxmemory-policy") === undefined) return false;
  return core.config.getText("maxmemory-policy").includes("lfu");
}

function objectHelp(c: Client, argv: string[]): void {
  replyHelp(c, argv[0], OBJECT_HELP);
}

function objectEncoding(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv[2]);
  if (v === undefined) return;
  c.reply.bulk(
    typeof v === "string" ? stringEncoding(c.db, argv[2], v) : v.encoding(c.core.limits),
  );
}

function objectRefcount(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv[2]);
  if (v === undefined) return;
  c.reply.integer(typeof v === "string" ? stringRefcount(c.db, argv[2], v) : 1);
}

function objectIdletime(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === undefined) return;
  if (lfuPolicy(c.core)) {
    c.reply.error(
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  const stamp = c.db.table.accessStamp(argv[2]) ?? lruClock();
  c.reply.integer(Math.floor(idleMillis(stamp) / 1000));
}

function objectFreq(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === undefined) return;
  if (!lfuPolicy(c.core)) {
    c.reply.error(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  // Access frequencies are not tracked: report Redis's initial counter (LFU_INIT_VAL).
  c.reply.integer(5);
}

// ---------------------------------------------------------------------------
// SELECT, SWAPDB, FLUSHDB, FLUSHALL.

function select(c: Client, argv: string[]): void {
  const index = parseIntArg(c, argv[1]);
  if (index === null) return;
  const db = dbAt(c.core, index);
  if (db === undefined) {
    c.reply.error(DB_INDEX_OUT_OF_RANGE);
    return;
  }
  c.db = db;
  c.reply.ok();
}

/** True when `key` is in `table` with an expire time already past. */
function expiredIn(core: Core, table: KeyTable<Value>, key: string): boolean {
  const when = table.getExpire(key);
  return when !== undefined && when <= core.now() && !core.loading;
}

/**
 * Invalidates WATCHes on `emptied` whose key changes when its table is
 * replaced by `replacement` (Redis's touchAllWatchedKeysInDb): a key that
 * exists on either side changes, except that an expired key staying expired
 * or going away is not a change a watcher can observe.
 */
function touchWatchedOnReplace(core: Core, emptied: Db, replacement: KeyTable<Value>): void {
  if (emptied.watchers === null) return;
  for (const [key, list] of emptied.watchers) {
    const inEmptied = emptied.table.has(key);
    const inReplacement = replacement.has(key);
    if (!inEmptied && !inReplacement) continue;
    for (const wk of list) {
      if (wk.expired) {
        if (!inReplacement) {
          wk.expired = false;
          continue;
        }
        if (expiredIn(core, replacement, key)) continue;
      } else if (!inEmptied && expiredIn(core, replacement, key)) {
        wk.expired = true;
        continue;
      }
      wk.client.dirtyCas = true;
    }
  }
}

/** After a swap, keys clients block on may hold data now: let the dispatcher serve them. */
function signalBlockedAfterSwap(core: Core, a: Db, b: Db): void {
  if (core.blocking.count === 0) return;
  for (const client of core.clients.values()) {
    const state = client.blocked;
    if (state === null || (state.db !== a && state.db !== b)) continue;
    for (const key of state.keys) {
      if (state.db.table.has(key)) core.blocking.signalKeyAsReady(state.db, key);
    }
  }
}

function swapdb(c: Client, argv: string[]): void {
  const first = parseIntArg(c, argv[1], "ERR invalid first DB index");
  if (first === null) return;
  const second = parseIntArg(c, argv[2], "ERR invalid second DB index");
  if (second === null) return;
  const core = c.core;
  const a = dbAt(core, first);
  const b = dbAt(core, second);
  if (a === undefined || b === undefined) {
    c.reply.error(DB_INDEX_OUT_OF_RANGE);
    return;
  }
  if (a !== b) {
    touchWatchedOnReplace(core, a, b.table);
    touchWatchedOnReplace(core, b, a.table);
    const table = a.table;
    a.table = b.table;
    b.table = table;
    signalBlockedAfterSwap(core, a, b);
  }
  core.dirty++;
  c.reply.ok();
}

/** Checks FLUSHDB/FLUSHALL's optional ASYNC|SYNC; false after a syntax error. */
function flushArgsValid(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2) {
    const mode = argv[1].toLowerCase();
    if (mode === "sync" || mode === "async") return true;
  }
  c.reply.error(SYNTAX_ERR);
  return false;
}

function flushdb(c: Client, argv: string[]): void {
  if (!flushArgsValid(c, argv)) return;
  const old = c.db.table;
  c.core.dirty += c.db.flush();
  dropStringKinds(old);
  forcePropagation(c, argv);
  c.reply.ok();
}

function flushall(c: Client, argv: string[]): void {
  if (!flushArgsValid(c, argv)) return;
  const old = c.core.dbs.map((db) => db.table);
  c.core.dirty += c.core.flushAll();
  for (const table of old) dropStringKinds(table);
  forcePropagation(c, argv);
  c.reply.ok();
}

// ---------------------------------------------------------------------------
// The table.

const ONE_KEY = { first: 1, last: 1, step: 1 } as const;
const ALL_KEYS = { first: 1, last: -1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;
const OBJECT_KEY = { first: 2, last: 2, step: 1 } as const;

/** The key-space commands. */
export const KEYS_COMMANDS: readonly CommandSpec[] = [
  {
    name: "del",
    arity: -2,
    flags: ["write"],
    keys: ALL_KEYS,
    group: "generic",
    summary: "Deletes keys; replies how many existed",
    since: "1.0.0",
    handler: del,
  },
  {
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    keys: ALL_KEYS,
    group: "generic",
    summary: "Deletes keys (the memory is reclaimed later in Redis; here as DEL)",
    since: "4.0.0",
    handler: del,
  },
  {
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: ALL_KEYS,
    group: "generic",
    summary: "Counts how many of the given keys exist (repeats count again)",
    since: "1.0.0",
    handler: exists,
  },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Names the type of the value at a key, or none",
    since: "1.0.0",
    handler: type,
  },
  {
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: ALL_KEYS,
    group: "generic",
    summary: "Counts the existing keys among the given ones, as an access",
    since: "3.2.1",
    handler: touch,
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    group: "server",
    summary: "Number of keys in the selected database",
    since: "1.0.0",
    handler: dbsize,
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: TWO_KEYS,
    group: "generic",
    summary: "Renames a key, replacing the destination",
    since: "1.0.0",
    handler: rename,
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    keys: TWO_KEYS,
    group: "generic",
    summary: "Renames a key only if the new name is free",
    since: "1.0.0",
    handler: renamenx,
  },
  {
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Moves a key to another database if it is free there",
    since: "1.0.0",
    handler: move,
  },
  {
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    group: "generic",
    summary: "Copies the value at a key to another key, optionally in another database",
    since: "6.2.0",
    handler: copy,
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    group: "generic",
    summary: "Lists the keys matching a glob pattern",
    since: "1.0.0",
    handler: keys,
  },
  {
    name: "scan",
    arity: -2,
    flags: ["readonly", "touches_arbitrary_keys"],
    group: "generic",
    summary: "Iterates over the keys with a cursor, optionally filtered by pattern and type",
    since: "2.8.0",
    handler: scan,
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly", "touches_arbitrary_keys"],
    group: "generic",
    summary: "Returns a random key",
    since: "1.0.0",
    handler: randomkey,
  },
  {
    name: "expire",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Sets a key's time to live in seconds",
    since: "1.0.0",
    handler: expire,
  },
  {
    name: "pexpire",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Sets a key's time to live in milliseconds",
    since: "2.6.0",
    handler: pexpire,
  },
  {
    name: "expireat",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Sets when a key expires, as a Unix time in seconds",
    since: "1.2.0",
    handler: expireat,
  },
  {
    name: "pexpireat",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Sets when a key expires, as a Unix time in milliseconds",
    since: "2.6.0",
    handler: pexpireat,
  },
  {
    name: "ttl",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Seconds left before a key expires (-1: no expiry, -2: no key)",
    since: "1.0.0",
    handler: ttl,
  },
  {
    name: "pttl",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Milliseconds left before a key expires (-1: no expiry, -2: no key)",
    since: "2.6.0",
    handler: pttl,
  },
  {
    name: "expiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Unix time in seconds when a key expires (-1: no expiry, -2: no key)",
    since: "7.0.0",
    handler: expiretime,
  },
  {
    name: "pexpiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Unix time in milliseconds when a key expires (-1: no expiry, -2: no key)",
    since: "7.0.0",
    handler: pexpiretime,
  },
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    group: "generic",
    summary: "Removes a key's time to live",
    since: "2.2.0",
    handler: persist,
  },
  {
    name: "object",
    arity: -2,
    flags: [],
    group: "generic",
    summary: "Inspects how a key's value is stored",
    since: "2.2.3",
    subcommands: [
      {
        name: "encoding",
        arity: 3,
        flags: ["readonly"],
        keys: OBJECT_KEY,
        group: "generic",
        summary: "Names the internal representation of a key's value",
        since: "2.2.3",
        handler: objectEncoding,
      },
      {
        name: "refcount",
        arity: 3,
        flags: ["readonly"],
        keys: OBJECT_KEY,
        group: "generic",
        summary: "Reference count of a key's value (shared small integers report INT_MAX)",
        since: "2.2.3",
        handler: objectRefcount,
      },
      {
        name: "idletime",
        arity: 3,
        flags: ["readonly"],
        keys: OBJECT_KEY,
        group: "generic",
        summary: "Seconds since a key was last accessed",
        since: "2.2.3",
        handler: objectIdletime,
      },
      {
        name: "freq",
        arity: 3,
        flags: ["readonly"],
        keys: OBJECT_KEY,
        group: "generic",
        summary: "Access frequency counter of a key (needs an LFU maxmemory-policy)",
        since: "4.0.0",
        handler: objectFreq,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "generic",
        summary: "Lists the OBJECT subcommands",
        since: "6.2.0",
        handler: objectHelp,
      },
    ],
  },
  {
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    group: "connection",
    summary: "Selects the database the connection works on",
    since: "1.0.0",
    handler: select,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    group: "server",
    summary: "Exchanges the contents of two databases",
    since: "4.0.0",
    handler: swapdb,
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    group: "server",
    summary: "Deletes every key of the selected database",
    since: "1.0.0",
    handler: flushdb,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    group: "server",
    summary: "Deletes every key of every database",
    since: "1.0.0",
    handler: flushall,
  },
];
