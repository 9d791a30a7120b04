/**
 * One numbered database: the operations commands use to read and change keys.
 *
 * The rules follow Redis's db.c:
 * - Reads and writes look keys up through {@link Db.lookupRead} and
 *   {@link Db.lookupWrite}, which delete a key whose TTL has passed (lazy
 *   expiry) and report the deletion so it is propagated as a DEL.
 * - A command that changes a collection in place must have looked it up with
 *   `lookupWrite`: that is what lets a running snapshot serialize the old
 *   value first (serialize-before-mutate, see snapshot.ts).
 * - Every change calls {@link Db.touch} (Redis's `signalModifiedKey`), which
 *   invalidates WATCH. `setKey`, `add` and `delete` do it themselves; a
 *   command that changes a collection in place calls it.
 *
 * @module
 */

import { KeyTable } from "./key_table.ts";
import type { Value } from "../values/value.ts";

/** What a database needs from the server around it. */
export interface KeyspaceHost {
  /** The time commands see, in Unix ms (fixed for the duration of a command). */
  now(): number;
  /** True while a dataset is being loaded: keys are then never expired. */
  isLoading(): boolean;
  /** Called after `key` was deleted because its TTL passed. */
  keyExpired(db: Db, key: string): void;
  /** Hit and miss counters of read lookups (INFO keyspace_hits/misses). */
  readonly stats: { keyspaceHits: number; keyspaceMisses: number };
}

/** A client watching keys (MULTI/EXEC with WATCH). */
export interface Watcher {
  /** Set when a watched key changed: the next EXEC must fail. */
  dirtyCas: boolean;
}

/** One key watched by one client. */
export interface WatchedKey {
  /** The watching client. */
  readonly client: Watcher;
  /** Database of the key. */
  readonly db: Db;
  /** The key. */
  readonly key: string;
  /**
   * The key was already logically expired when watched; its deletion then
   * does not count as a change (Redis 7.0's rule).
   */
  expired: boolean;
}

/** {@link Db.lookupRead}'s flag for a lookup that must not record an access (Redis's LOOKUP_NOTOUCH). */
export const NO_TOUCH = true;

/** One of the numbered databases. */
export class Db {
  /** Index of this database (0 to `databases - 1`). */
  readonly index: number;
  /** The keys. Replaced by FLUSHDB, exchanged by SWAPDB. */
  table: KeyTable<Value> = new KeyTable();
  /** Watches on keys of this database, by key; null when nobody watches. */
  watchers: Map<string, WatchedKey[]> | null = null;
  readonly #host: KeyspaceHost;

  /** Creates database `index`. */
  constructor(index: number, host: KeyspaceHost) {
    this.index = index;
    this.#host = host;
  }

  /** Number of keys, including expired keys not yet reclaimed (as DBSIZE counts them). */
  get size(): number {
    return this.table.size;
  }

  /**
   * Returns the value of `key` for reading, or undefined if it is missing or
   * expired. Counts a keyspace hit or miss. Records the access (OBJECT
   * IDLETIME) unless `noTouch` ({@link NO_TOUCH}), which the commands Redis
   * calls with LOOKUP_NOTOUCH pass: EXISTS, TYPE, the TTL family, OBJECT,
   * SCAN's TYPE filter.
   */
  lookupRead(key: string, noTouch = false): Value | undefined {
    const table = this.table;
    const value = noTouch ? table.get(key) : table.access(key);
    if (value === undefined || (table.volatileCount > 0 && this.#expireIfNeeded(key))) {
      this.#host.stats.keyspaceMisses++;
      return undefined;
    }
    this.#host.stats.keyspaceHits++;
    return value;
  }

  /** Like {@link lookupRead} without counting a hit or miss or recording an access. */
  peek(key: string): Value | undefined {
    const table = this.table;
    const value = table.get(key);
    if (value === undefined) return undefined;
    if (table.volatileCount > 0 && this.#expireIfNeeded(key)) return undefined;
    return value;
  }

  /**
   * Returns the value of `key` for a command that may change it in place, or
   * undefined if it is missing or expired.
   */
  lookupWrite(key: string): Value | undefined {
    const table = this.table;
    const value = table.access(key);
    if (value === undefined) return undefined;
    if (table.volatileCount > 0 && this.#expireIfNeeded(key)) return undefined;
    if (table.hook !== null && typeof value !== "string") table.beforeInPlaceChange(key);
    return value;
  }

  /** True when `key` exists and has not expired. */
  exists(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /**
   * Stores `value` under `key`, creating it or replacing its value. The TTL
   * is removed unless `keepTtl` (Redis's `setKey`).
   */
  setKey(key: string, value: Value, keepTtl = false): void {
    const table = this.table;
    table.set(key, value);
    if (!keepTtl && table.volatileCount > 0) table.deleteExpire(key);
    this.touch(key);
  }

  /** Adds `key`, which the caller knows is absent (Redis's `dbAdd`). */
  add(key: string, value: Value): void {
    this.table.set(key, value);
    this.touch(key);
  }

  /** Replaces the value of existing `key`, keeping its TTL (Redis's `dbOverwrite`). */
  overwrite(key: string, value: Value): void {
    this.table.set(key, value);
    this.touch(key);
  }

  /** Deletes `key`; returns whether it existed. */
  delete(key: string): boolean {
    if (!this.table.delete(key)) return false;
    this.touch(key);
    return true;
  }

  /** Expire time of `key` in Unix ms, or -1 when it has no TTL. */
  getExpire(key: string): number {
    return this.table.getExpire(key) ?? -1;
  }

  /** Sets the expire time of existing `key` in Unix ms. */
  setExpire(key: string, when: number): void {
    this.table.setExpire(key, when);
  }

  /** Removes the TTL of `key`; returns whether it had one. */
  persist(key: string): boolean {
    return this.table.deleteExpire(key);
  }

  /** Marks `key` as changed: invalidates WATCH on it (Redis's `signalModifiedKey`). */
  touch(key: string): void {
    if (this.watchers === null) return;
    const list = this.watchers.get(key);
    if (list === undefined) return;
    for (const wk of list) {
      if (wk.expired && !this.table.has(key)) {
        // An expired key went away: not a change the watcher can observe.
        wk.expired = false;
        continue;
      }
      wk.client.dirtyCas = true;
    }
  }

  /** Marks every watched key of this database that exists as changed (FLUSHDB). */
  touchAllWatched(): void {
    if (this.watchers === null) return;
    for (const [key, list] of this.watchers) {
      if (!this.table.has(key)) continue;
      for (const wk of list) {
        if (wk.expired) wk.expired = false;
        else wk.client.dirtyCas = true;
      }
    }
  }

  /** True when `key` is present but its TTL has passed (not deleted here). */
  isLogicallyExpired(key: string): boolean {
    const when = this.table.getExpire(key);
    return when !== undefined && when < this.#host.now() && !this.#host.isLoading();
  }

  /**
   * Empties the database and returns the number of keys removed. The old
   * table is dropped, not cleared: a snapshot walk that still reads it keeps
   * a consistent image.
   */
  flush(): number {
    const removed = this.table.size;
    this.touchAllWatched();
    this.table = new KeyTable();
    return removed;
  }

  /**
   * Deletes `key` if its TTL has passed. Returns true when the key is gone
   * (logically expired), false when it is still alive. While loading, keys
   * are never expired.
   */
  expireIfNeeded(key: string): boolean {
    return this.#expireIfNeeded(key);
  }

  #expireIfNeeded(key: string): boolean {
    const when = this.table.getExpire(key);
    if (when === undefined) return false;
    const host = this.#host;
    // Redis's keyIsExpired: expired only once the clock is strictly past the time.
    if (when >= host.now()) return false;
    if (host.isLoading()) return false;
    this.table.delete(key);
    this.touch(key);
    host.keyExpired(this, key);
    return true;
  }

  /** Time-to-live of `key` in ms: -2 when missing, -1 when it has no TTL. */
  ttl(key: string): number {
    if (this.peek(key) === undefined) return -2;
    const when = this.table.getExpire(key);
    if (when === undefined) return -1;
    const left = when - this.#host.now();
    return left < 0 ? 0 : left;
  }
}
