/**
 * The table behind one database: keys to values, plus keys to expire times.
 *
 * A single JavaScript `Map` would be simplest, but when a `Map` of a million
 * keys grows or shrinks V8 rehashes it in one step: measured here, 160 ms at
 * 1M keys and 340 ms at 2M, during which no client is served. Redis avoids
 * that with incremental rehashing. This table does the same with linear
 * hashing over many small `Map`s ("shards"): when the table gets fuller it
 * splits one shard (about a thousand keys) into two, so growth costs a little
 * at a time and never stalls.
 *
 * Shards also give the snapshot walk (snapshot.ts) a cheap notion of
 * "already visited": it walks shard by shard, and a key's shard index says
 * whether the walk has passed it. While a walk runs the layout is frozen (no
 * splits); it catches up afterwards, one split per insert.
 *
 * Each shard's keys live in a {@link KeyMap}, an open-addressing map that
 * needs fewer memory loads per lookup than a `Map` (see key_map.ts); the
 * key's hash is computed once per command and serves both the shard choice
 * and the lookup inside the shard. All the table's maps take their slot
 * arrays from one {@link SlotPool} (slot_pool.ts), which goes when the table
 * goes.
 *
 * Expire times live in a second map per shard, created only when the shard
 * has a volatile key, so keys without a TTL cost nothing extra. It is a
 * {@link KeyMap} too, never a `Map`: V8 internalizes every string used as a
 * `Map` or `Set` key (it becomes a ThinString pointing into V8's string
 * table), and that one process-wide table grows by rehashing all its
 * entries at once. Measured: setting a TTL on 2M keys stalled for up to 299 ms
 * with a `Map` per shard, against 43 ms without TTLs, and took 100 MB more.
 *
 * @module
 */

import { hashKey, KeyMap } from "./key_map.ts";
import { lruClock } from "./lru_clock.ts";
import { SlotPool } from "./slot_pool.ts";

/** One shard: a slice of the keys and the expire times of those that have one. */
export interface Shard<V> {
  /** Keys of this shard and their values. */
  readonly values: KeyMap<V>;
  /** Expire times (Unix ms) of the keys of this shard that have one. */
  expires: KeyMap<number> | null;
}

/** Average keys per shard before the table splits one. */
const SPLIT_LOAD = 1024;

/**
 * A per-table hook run before a key is changed, created or removed. The
 * snapshot walk installs one to serialize the old value first.
 */
export interface WriteHook<V> {
  /** Called before `key` (in shard `shardIndex`, with {@link hashKey} `hash`) is created, changed or deleted. */
  beforeWrite(table: KeyTable<V>, key: string, shardIndex: number, hash: number): void;
}

/** Keys to values with expire times, stored as linear-hashed shards. */
export class KeyTable<V> {
  // Slot storage for all the table's maps, dropped with the table (slot_pool.ts).
  readonly #pool = new SlotPool();
  #shards: Shard<V>[] = [{ values: new KeyMap(0, true, this.#pool), expires: null }];
  #level = 0; // the table has between 2^level and 2^(level+1) shards
  #splitNext = 0; // next shard to split at this level
  #size = 0;
  #volatile = 0;
  // A command usually touches the same key several times in a row (lookup,
  // then set, then the TTL): remember the shard of the last key to hash once.
  #memoKey: string | null = null;
  #memoHash = 0;
  #memoIndex = 0;
  /** Set while a snapshot walk runs over this table; freezes the layout. */
  hook: WriteHook<V> | null = null;

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** Number of keys with an expire time. */
  get volatileCount(): number {
    return this.#volatile;
  }

  /** The storage of the table's slot arrays (for tests and diagnostics). */
  get slotPool(): SlotPool {
    return this.#pool;
  }

  /** Number of shards. Shard indexes run from 0 to `shardCount - 1`. */
  get shardCount(): number {
    return this.#shards.length;
  }

  /** The shard at `index`. */
  shard(index: number): Shard<V> {
    return this.#shards[index];
  }

  /** Index of the shard that holds (or would hold) `key`. */
  shardIndexOf(key: string): number {
    if (key === this.#memoKey) return this.#memoIndex;
    const h = hashKey(key);
    const i = this.#indexOfHash(h);
    this.#memoKey = key;
    this.#memoHash = h;
    this.#memoIndex = i;
    return i;
  }

  /**
   * Tells the table that `hash` is the {@link hashKey} of `key`, which the
   * next calls are likely about: they then skip hashing it. The key
   * prefetch knows the hashes of the keys of the commands it read ahead.
   */
  hint(key: string, hash: number): void {
    this.#memoKey = key;
    this.#memoHash = hash;
    this.#memoIndex = this.#indexOfHash(hash);
  }

  #indexOfHash(h: number): number {
    const low = (1 << this.#level) - 1;
    let i = h & low;
    if (i < this.#splitNext) i = h & ((low << 1) | 1);
    return i;
  }

  /**
   * Reads ahead the home slots of the keys whose {@link hashKey} values are
   * `hashes[0, count)`, changing nothing (see {@link KeyMap.warm}). Returns
   * a number made from what was read.
   */
  warm(hashes: Int32Array, count: number): number {
    let t = 0;
    for (let j = 0; j < count; j++) {
      const h = hashes[j];
      t += this.#shards[this.#indexOfHash(h)].values.warm(h);
    }
    return t;
  }

  /** The value of `key`, or undefined. Does not look at expire times. */
  get(key: string): V | undefined {
    return this.#shards[this.shardIndexOf(key)].values.get(key, this.#memoHash);
  }

  /**
   * Like {@link get}, and records an access to `key` at the current LRU
   * clock (Redis's lookupKey without LOOKUP_NOTOUCH).
   */
  access(key: string): V | undefined {
    return this.#shards[this.shardIndexOf(key)].values.access(key, lruClock(), this.#memoHash);
  }

  /** The LRU clock of the last access to `key`, or undefined when it is absent. */
  accessStamp(key: string): number | undefined {
    return this.#shards[this.shardIndexOf(key)].values.stampOf(key, this.#memoHash);
  }

  /** Sets the LRU clock of the last access to `key`, which must be present. */
  setAccessStamp(key: string, stamp: number): void {
    this.#shards[this.shardIndexOf(key)].values.setStamp(key, stamp, this.#memoHash);
  }

  /** True when `key` is present (expired or not). */
  has(key: string): boolean {
    return this.#shards[this.shardIndexOf(key)].values.has(key, this.#memoHash);
  }

  /** Adds `key` or replaces its value; its expire time is kept. */
  set(key: string, value: V): void {
    const i = this.shardIndexOf(key);
    const h = this.#memoHash; // taken before the hook, which may look up other keys
    if (this.hook !== null) this.hook.beforeWrite(this, key, i, h);
    if (this.#shards[i].values.set(key, value, h)) {
      this.#size++;
      if (this.hook === null && this.#size > this.#shards.length * SPLIT_LOAD) this.#splitOne();
    }
  }

  /** Removes `key` and its expire time; returns whether it was present. */
  delete(key: string): boolean {
    const i = this.shardIndexOf(key);
    const shard = this.#shards[i];
    const h = this.#memoHash;
    if (!shard.values.has(key, h)) return false;
    if (this.hook !== null) this.hook.beforeWrite(this, key, i, h);
    shard.values.delete(key, h);
    this.#size--;
    if (shard.expires !== null && shard.expires.delete(key, h)) this.#volatile--;
    return true;
  }

  /** Runs the write hook for `key` before a value is changed in place (a list push, ...). */
  beforeInPlaceChange(key: string): void {
    if (this.hook === null) return;
    const i = this.shardIndexOf(key);
    this.hook.beforeWrite(this, key, i, this.#memoHash);
  }

  /** Expire time of `key` in Unix ms, or undefined when it has none. */
  getExpire(key: string): number | undefined {
    if (this.#volatile === 0) return undefined;
    const expires = this.#shards[this.shardIndexOf(key)].expires;
    return expires === null ? undefined : expires.get(key, this.#memoHash);
  }

  /** Sets the expire time of `key`, which must be present. */
  setExpire(key: string, when: number): void {
    const i = this.shardIndexOf(key);
    const h = this.#memoHash;
    if (this.hook !== null) this.hook.beforeWrite(this, key, i, h);
    const shard = this.#shards[i];
    if (shard.expires === null) shard.expires = new KeyMap(0, false, this.#pool);
    if (shard.expires.set(key, when, h)) this.#volatile++;
  }

  /** Removes the expire time of `key`; returns whether it had one. */
  deleteExpire(key: string): boolean {
    if (this.#volatile === 0) return false;
    const i = this.shardIndexOf(key);
    const h = this.#memoHash;
    const expires = this.#shards[i].expires;
    if (expires === null || !expires.has(key, h)) return false;
    if (this.hook !== null) this.hook.beforeWrite(this, key, i, h);
    expires.delete(key, h);
    this.#volatile--;
    return true;
  }

  /** Iterates over every key and value, shard by shard. */
  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.#shards.length; i++) yield* this.#shards[i].values;
  }

  /** Splits the next shard in linear-hashing order, moving about half of its keys. */
  #splitOne(): void {
    const from = this.#splitNext;
    const mask = (2 << this.#level) - 1;
    const source = this.#shards[from];
    // The new shard is split again in the next round, once the table has
    // doubled: by then it holds 3 times the keys it gets now if this split
    // comes at the start of the round, 2 times at its end.
    const done = from / (1 << this.#level);
    const growth = (3 + done) / (1 + done);
    const target: Shard<V> = {
      values: source.values.split(mask, from, growth),
      expires: source.expires === null ? null : source.expires.split(mask, from, growth),
    };
    this.#shards.push(target);
    this.#memoKey = null;
    this.#splitNext++;
    if (this.#splitNext === 1 << this.#level) {
      this.#level++;
      this.#splitNext = 0;
    }
  }
}
