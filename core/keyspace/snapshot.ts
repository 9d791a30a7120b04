/**
 * Point-in-time snapshots without fork: the walk behind BGSAVE and AOF
 * rewrites.
 *
 * Redis forks and lets the kernel copy pages on write. Deno cannot fork, and
 * copying the dataset would double memory. Instead the walk visits the
 * keyspace in small steps between client turns, and keeps the image exact
 * with *serialize-before-mutate*:
 *
 * 1. At the start, each non-empty table (one per database) gets a
 *    {@link WriteHook} and its key counts are recorded. Nothing is copied.
 * 2. The walk visits a table shard by shard (see key_table.ts). A shard is
 *    always visited whole within one step, so between steps "shard index <
 *    cursor" exactly means "already in the image".
 * 3. Before any change to a key in a shard the walk has not reached — an
 *    overwrite, a delete, an expire change, an in-place change of a
 *    collection (Db.lookupWrite) — the hook preserves the key's current
 *    value and expire time and remembers the key as done. A string value is
 *    preserved by keeping a reference to it: JavaScript strings never
 *    change, and every change of a string value stores a new one, so this
 *    costs a write nothing but one map entry. A collection, which changes
 *    in place, is serialized at once instead. A key created after the start
 *    is remembered as done too, with nothing preserved.
 * 4. When the walk reaches a shard it writes the keys not remembered as
 *    done, then the preserved strings, then forgets them: no write can
 *    reach that shard's hook again.
 *
 * So every key present at the start is serialized exactly once, with its
 * value at the start, and no key created later appears. Extra memory is
 * bounded by the keys written during the snapshot, not by the dataset (the
 * preserved strings are what Redis's fork copies on write).
 *
 * The done keys are kept in one small {@link KeyMap} per shard, dropped
 * once the walk passes the shard, so memory goes back as the walk advances.
 * Not in a `Set`: V8 internalizes every string used as a `Set` key into its
 * one process-wide string table, which grows by rehashing all its entries at
 * once. A `Set` per table stalled clients for 46, 79, 157 and 321 ms during
 * a BGSAVE of 2M keys under random writes; a `Set` per shard still for 20
 * and 43 ms (the string table's growth); a KeyMap per shard, which hashes
 * with the hash the key table already computed, does not.
 * FLUSHDB/FLUSHALL replace a database's table, and SWAPDB exchanges tables:
 * the walk keeps the tables it started with, so both are handled for free.
 *
 * Output goes to a {@link SnapshotVisitor} (the RDB writer, the AOF rewrite
 * writer). The visitor sees database sections in index order. A key changed
 * early in a database whose section has not started yet is serialized at
 * once with `capture` and emitted with `emitCaptured` when its section opens.
 *
 * @module
 */

import type { KeyTable, WriteHook } from "./key_table.ts";
import { KeyMap } from "./key_map.ts";
import type { Db } from "./db.ts";
import type { Value } from "../values/value.ts";

/** Receives the image. `C` is the visitor's form of a key serialized ahead of time. */
export interface SnapshotVisitor<C> {
  /** Opens the section of database `index`, which held `keys` keys (`volatile` with a TTL) at the start. */
  beginDb(index: number, keys: number, volatile: number): void;
  /** Writes one key of the open section. `expireAt` is Unix ms, or -1. */
  writeKey(key: string, value: Value, expireAt: number): void;
  /** Serializes a key now for a section that is not open yet (its value is about to change). */
  capture(key: string, value: Value, expireAt: number): C;
  /** Writes a captured key into the now open section. */
  emitCaptured(captured: C): void;
  /** Closes the section of database `index`. */
  endDb?(index: number): void;
}

/** Limits of one {@link SnapshotWalk.step}. */
export interface StepLimits {
  /** Stop once `performance.now()` passes this. */
  deadline: number;
  /** Stop after this many keys (used by `rdb-key-save-delay`). */
  maxKeys?: number;
}

/** Progress counters. */
export interface SnapshotProgress {
  /** Keys present at the start. */
  readonly keysTotal: number;
  /** Keys serialized so far (by the walk or ahead of it). */
  readonly keysWritten: number;
}

const EMPTY_STEP_CHECK = 256;
const DONE_MAP_SIZE = 64;

class TableWalk<C> implements WriteHook<Value> {
  readonly origin: number;
  readonly table: KeyTable<Value>;
  readonly keys: number;
  readonly volatile: number;
  /** Next shard to visit. */
  cursor = 0;
  /** The visitor has opened this table's section. */
  open = false;
  /**
   * Per shard not visited yet: the keys changed since the start, with their
   * preserved string value, or null when there is nothing left to write
   * (serialized ahead of the walk, or created after the start).
   */
  readonly done: (KeyMap<Preserved | null> | undefined)[];
  /** Keys serialized before the section opened. */
  captured: C[] = [];
  readonly #walk: SnapshotWalk<C>;

  constructor(walk: SnapshotWalk<C>, origin: number, table: KeyTable<Value>) {
    this.#walk = walk;
    this.origin = origin;
    this.table = table;
    this.keys = table.size;
    this.volatile = table.volatileCount;
    this.done = new Array(table.shardCount);
  }

  beforeWrite(table: KeyTable<Value>, key: string, shardIndex: number, hash: number): void {
    if (shardIndex < this.cursor) return;
    let done = this.done[shardIndex];
    // Sized for a busy shard: growing from 8 entries cost 5% of a BGSAVE under writes.
    if (done === undefined) done = this.done[shardIndex] = new KeyMap(DONE_MAP_SIZE);
    else if (done.has(key, hash)) return; // preserved already, or created
    const shard = table.shard(shardIndex);
    const value = shard.values.get(key, hash);
    if (value === undefined) {
      done.set(key, null, hash); // created after the start
      return;
    }
    const expireAt = shard.expires?.get(key, hash) ?? -1;
    if (typeof value === "string") {
      done.set(key, { value, expireAt }, hash);
    } else {
      done.set(key, null, hash);
      this.#walk.serializeAhead(this, key, value, expireAt);
    }
  }
}

/** A string value and expire time as they were at the start, kept until the walk reaches their shard. */
interface Preserved {
  readonly value: string;
  readonly expireAt: number;
}

/** One point-in-time walk over all databases. */
export class SnapshotWalk<C> implements SnapshotProgress {
  readonly #visitor: SnapshotVisitor<C>;
  readonly #tables: TableWalk<C>[] = [];
  #current = 0;
  #keysWritten = 0;
  #finished = false;
  /** Keys present at the start. */
  readonly keysTotal: number;

  /**
   * Starts a walk over `dbs` as they are now. Throws if another walk is
   * already running on one of their tables.
   */
  constructor(dbs: readonly Db[], visitor: SnapshotVisitor<C>) {
    this.#visitor = visitor;
    let total = 0;
    for (const db of dbs) {
      const table = db.table;
      if (table.size === 0) continue;
      if (table.hook !== null) {
        this.abort();
        throw new Error("Cannot start a snapshot: another snapshot is running");
      }
      const walk = new TableWalk(this, db.index, table);
      table.hook = walk;
      this.#tables.push(walk);
      total += walk.keys;
    }
    this.keysTotal = total;
  }

  /** Keys serialized so far. */
  get keysWritten(): number {
    return this.#keysWritten;
  }

  /** True once every database has been written. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Walks until `limits` are reached or the image is complete; returns true
   * when complete. Each shard is visited entirely within one call, and at
   * least one per call; the call stops early rather than late, before the
   * shards that would probably end past the deadline (a shard takes about a
   * millisecond, as long as a whole slice: stopping only once the deadline
   * had passed made slices twice their length).
   */
  step(limits: StepLimits): boolean {
    if (this.#finished) return true;
    const maxKeys = limits.maxKeys ?? Infinity;
    const startKeys = this.#keysWritten;
    let sinceClock = 0;
    let lastClock = performance.now();
    while (this.#current < this.#tables.length) {
      const tw = this.#tables[this.#current];
      if (!tw.open) this.#open(tw);
      if (tw.cursor >= tw.table.shardCount) {
        this.#close(tw);
        this.#current++;
        continue;
      }
      const before = this.#keysWritten;
      this.#visitShard(tw);
      sinceClock += this.#keysWritten - before + 1;
      if (this.#keysWritten - startKeys >= maxKeys) return false;
      if (sinceClock >= EMPTY_STEP_CHECK || this.#keysWritten !== before) {
        sinceClock = 0;
        const now = performance.now();
        // The next stretch of shards probably takes as long as the last one.
        if (now + (now - lastClock) >= limits.deadline) return false;
        lastClock = now;
      }
    }
    this.#finish();
    return true;
  }

  /** Stops the walk and removes its hooks; the image is incomplete. */
  abort(): void {
    this.#finish();
  }

  /** Called by a table's hook: serialize `key` now, before it changes. */
  serializeAhead(tw: TableWalk<C>, key: string, value: Value, expireAt: number): void {
    this.#keysWritten++;
    if (tw.open) this.#visitor.writeKey(key, value, expireAt);
    else tw.captured.push(this.#visitor.capture(key, value, expireAt));
  }

  #open(tw: TableWalk<C>): void {
    tw.open = true;
    this.#visitor.beginDb(tw.origin, tw.keys, tw.volatile);
    const captured = tw.captured;
    tw.captured = [];
    for (const c of captured) this.#visitor.emitCaptured(c);
  }

  #visitShard(tw: TableWalk<C>): void {
    const shard = tw.table.shard(tw.cursor);
    const done = tw.done[tw.cursor];
    const expires = shard.expires;
    const visitor = this.#visitor;
    let written = 0;
    shard.values.forEach((key, value, hash) => {
      if (done !== undefined && done.has(key, hash)) return;
      visitor.writeKey(key, value, expires === null ? -1 : expires.get(key, hash) ?? -1);
      written++;
    });
    done?.forEach((key, preserved) => {
      if (preserved === null) return;
      visitor.writeKey(key, preserved.value, preserved.expireAt);
      written++;
    });
    this.#keysWritten += written;
    tw.done[tw.cursor] = undefined;
    tw.cursor++;
  }

  #close(tw: TableWalk<C>): void {
    tw.table.hook = null;
    tw.done.length = 0;
    this.#visitor.endDb?.(tw.origin);
  }

  #finish(): void {
    this.#finished = true;
    for (const tw of this.#tables) {
      if (tw.table.hook === tw) tw.table.hook = null;
    }
  }
}
