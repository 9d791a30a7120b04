/**
 * A hash map from byte-string keys to values, built for the keyspace's
 * random lookups on tables far larger than the CPU caches.
 *
 * A JavaScript `Map` lookup on a cold million-key table follows a chain of
 * about seven dependent memory loads: the bucket, each entry of the bucket's
 * chain and each chained key string (compared to find the match), then the
 * value. Measured here: ~1.1 µs per lookup. This map keeps every entry in
 * one flat array as `[hash, key, value]` triples with open addressing and
 * linear probing. A probe reads the stored hash beside the key, so it only
 * touches a key string when the hashes match: one load for the slot, one for
 * the key, one for the value. Measured on the same table: ~0.5 µs.
 *
 * In the keyspace's maps each entry also has a stamp: the key's last access
 * on Redis's LRU clock (lru_clock.ts), for OBJECT IDLETIME. Stamps live in a
 * parallel `Int32Array`, 4 bytes per slot instead of the 8 of a fourth array
 * element (Deno's V8 has no pointer compression). A lookup only stores to
 * it, yet on a table larger than the caches that store is one more cache
 * miss: measured at 1M keys, 8-15% of a pipelined GET or INCR (a fourth
 * array element did no better: entries then straddle cache lines more
 * often). The key prefetch ({@link KeyMap.warm}) reads it ahead with the
 * slot. Storing a new value stamps it with the current clock, as Redis gives
 * every new object one. The stamps are paid for by sizing each map to the
 * keys it holds instead of to a power of two (see {@link capacityFor}):
 * measured at 1M keys, the live heap per key went from 84 to 81 bytes with
 * the stamps included.
 *
 * Hashes are 30-bit numbers from {@link hashKey}, small enough to stay
 * unboxed in the array. Deletion shifts the following entries back instead
 * of leaving tombstones, so probes stay short under churn.
 *
 * Iteration by {@link KeyMap.keys} works on a copy and skips keys deleted
 * meanwhile, so an iterator can be suspended across commands (SCAN) and
 * still returns every key present for the whole iteration. The entry
 * iterator reads the slots directly and must not outlive a change.
 *
 * @module
 */

import { lruClock } from "./lru_clock.ts";

/** Hashes a byte string to the 30 bits {@link KeyMap} stores (FNV-1a with a final mix; long keys are sampled). */
export function hashKey(key: string): number {
  const n = key.length;
  let h = 0x811c9dc5 ^ n;
  if (n <= 48) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 24; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let i = n - 24; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    // A few characters from the middle, so keys that differ only there still spread.
    const step = middleStep(n);
    for (let i = 24; i < n - 24; i += step) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return finishHash(h);
}

/**
 * The {@link hashKey} of the byte string held in `bytes[from, to)`, computed
 * from the bytes: the key prefetch hashes keys while they are still in a
 * client's read buffer, before they are decoded.
 */
export function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  const n = to - from;
  let h = 0x811c9dc5 ^ n;
  if (n <= 48) {
    for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  } else {
    for (let i = from; i < from + 24; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    for (let i = to - 24; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const step = middleStep(n);
    for (let i = from + 24; i < to - 24; i += step) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return finishHash(h);
}

function middleStep(n: number): number {
  return Math.floor((n - 48) / 8) + 1;
}

function finishHash(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x3fffffff;
}

/** Array elements per entry: hash, key, value. */
const WIDTH = 3;
const MIN_CAPACITY = 8;
const NO_STAMPS = new Int32Array(0);

/** Keys to values with open addressing; see the module doc. */
export class KeyMap<V> {
  #slots: unknown[];
  // Access stamp of the entry in each slot; empty when the map keeps none.
  #stamps: Int32Array;
  readonly #keepsStamps: boolean;
  #capacity: number; // number of entries the slots hold, full or empty
  #size = 0;

  /**
   * An empty map, with room for `expectedSize` keys before it first grows.
   * Only a map made with `keepsStamps` records access stamps (the keyspace's
   * values); others (expire times, a snapshot's bookkeeping) allocate none.
   */
  constructor(expectedSize = 0, keepsStamps = false) {
    this.#keepsStamps = keepsStamps;
    this.#capacity = capacityFor(expectedSize);
    this.#slots = emptySlots(this.#capacity);
    this.#stamps = this.#newStamps(this.#capacity);
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (whose {@link hashKey} is `hash`), or undefined. */
  get(key: string, hash: number = hashKey(key)): V | undefined {
    const s = this.#find(key, hash);
    return s < 0 ? undefined : this.#slots[s * WIDTH + 2] as V;
  }

  /** Like {@link get}, and records `stamp` as the key's last access when present. */
  access(key: string, stamp: number, hash: number = hashKey(key)): V | undefined {
    const s = this.#find(key, hash);
    if (s < 0) return undefined;
    if (this.#keepsStamps) this.#stamps[s] = stamp;
    return this.#slots[s * WIDTH + 2] as V;
  }

  /** The access stamp of `key`, or undefined when it is absent. */
  stampOf(key: string, hash: number = hashKey(key)): number | undefined {
    const s = this.#find(key, hash);
    return s < 0 || !this.#keepsStamps ? undefined : this.#stamps[s];
  }

  /** Sets the access stamp of `key`, which must be present (RESTORE ... IDLETIME). */
  setStamp(key: string, stamp: number, hash: number = hashKey(key)): void {
    const s = this.#find(key, hash);
    if (s >= 0 && this.#keepsStamps) this.#stamps[s] = stamp;
  }

  /**
   * Reads the memory a lookup of `hash` starts with: its home slot, the
   * headers of the key and value stored there, and the slot's stamp. The
   * reads change nothing; on a table larger than the caches they bring
   * those lines in ahead of the lookup (see core/keyspace/key_prefetch.ts).
   * Returns a number made from what was read, so that the compiler cannot
   * drop the reads.
   */
  warm(hash: number): number {
    const s = homeOf(hash, this.#capacity);
    const k = this.#slots[s * WIDTH + 1];
    const v = this.#slots[s * WIDTH + 2];
    let t = this.#keepsStamps ? this.#stamps[s] : 0;
    if (typeof k === "string") t += k.length;
    if (typeof v === "string") t += v.length;
    return t;
  }

  /** True when `key` is present. */
  has(key: string, hash: number = hashKey(key)): boolean {
    return this.#find(key, hash) >= 0;
  }

  /**
   * Adds `key` or replaces its value, stamping it as accessed at `stamp`;
   * returns true when the key was added.
   */
  set(key: string, value: V, hash: number = hashKey(key), stamp: number = lruClock()): boolean {
    const slots = this.#slots;
    const capacity = this.#capacity;
    let s = homeOf(hash, capacity);
    let i = s * WIDTH;
    while (true) {
      const k = slots[i + 1];
      if (k === undefined) break;
      if (slots[i] === hash && k === key) {
        slots[i + 2] = value;
        if (this.#keepsStamps) this.#stamps[s] = stamp;
        return false;
      }
      if (++s === capacity) s = 0;
      i = s * WIDTH;
    }
    slots[i] = hash;
    slots[i + 1] = key;
    slots[i + 2] = value;
    if (this.#keepsStamps) this.#stamps[s] = stamp;
    // Grow past 3/4 full: linear probing slows down quickly above that.
    if (++this.#size * 4 > capacity * 3) this.#rebuild(capacityFor(this.#size));
    return true;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string, hash: number = hashKey(key)): boolean {
    const s = this.#find(key, hash);
    if (s < 0) return false;
    this.#removeAt(s);
    this.#size--;
    // Shrink below 1/5 full, so a map that emptied gives its memory back.
    const capacity = this.#capacity;
    if (capacity > MIN_CAPACITY && this.#size * 5 < capacity) {
      this.#rebuild(capacityFor(this.#size));
    }
    return true;
  }

  /** Iterates over the keys present now that are still present when reached. */
  *keys(): IterableIterator<string> {
    const copy: string[] = [];
    const slots = this.#slots;
    for (let i = 1; i < slots.length; i += WIDTH) {
      const k = slots[i];
      if (k !== undefined) copy.push(k as string);
    }
    for (const key of copy) if (this.has(key)) yield key;
  }

  /** Iterates over `[key, value]` pairs. The map must not change during the iteration. */
  *entries(): IterableIterator<[string, V]> {
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i += WIDTH) {
      const k = slots[i + 1];
      if (k !== undefined) yield [k as string, slots[i + 2] as V];
    }
  }

  /**
   * Calls `visit` with each key, its value and its {@link hashKey}. Unlike
   * {@link entries} it allocates nothing per entry, which matters when a
   * snapshot walks millions of keys. The map must not change during the walk.
   */
  forEach(visit: (key: string, value: V, hash: number) => void): void {
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i += WIDTH) {
      const k = slots[i + 1];
      if (k !== undefined) visit(k as string, slots[i + 2] as V, slots[i] as number);
    }
  }

  /** Same as {@link entries}. */
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** A key picked uniformly at random, or undefined when the map is empty. */
  randomKey(random: () => number = Math.random): string | undefined {
    if (this.#size === 0) return undefined;
    const slots = this.#slots;
    const count = slots.length / WIDTH;
    // At least 1/5 of the slots are used, so this takes 5 tries on average at worst.
    while (true) {
      const k = slots[Math.floor(random() * count) * WIDTH + 1];
      if (k !== undefined) return k as string;
    }
  }

  /**
   * Moves the entries whose hash is rejected by `keep` into a new map and
   * returns it (a key table splitting a shard).
   */
  split(keep: (hash: number) => boolean): KeyMap<V> {
    const old = this.#slots;
    const oldStamps = this.#stamps;
    let kept = 0;
    for (let i = 0; i < old.length; i += WIDTH) {
      if (old[i + 1] !== undefined && keep(old[i] as number)) kept++;
    }
    // Both halves are sized for what they hold: keeping the old size would
    // leave the source map half empty, a cost in memory paid per key.
    const moved = new KeyMap<V>(0, this.#keepsStamps);
    moved.#reset(capacityFor(this.#size - kept));
    this.#reset(capacityFor(kept));
    for (let s = 0, i = 0; i < old.length; s++, i += WIDTH) {
      const k = old[i + 1];
      if (k === undefined) continue;
      const hash = old[i] as number;
      const stamp = this.#keepsStamps ? oldStamps[s] : 0;
      if (keep(hash)) this.set(k as string, old[i + 2] as V, hash, stamp);
      else moved.set(k as string, old[i + 2] as V, hash, stamp);
    }
    return moved;
  }

  #newStamps(capacity: number): Int32Array {
    return this.#keepsStamps ? new Int32Array(capacity) : NO_STAMPS;
  }

  #reset(capacity: number): void {
    this.#capacity = capacity;
    this.#slots = emptySlots(capacity);
    this.#stamps = this.#newStamps(capacity);
    this.#size = 0;
  }

  /** The slot holding `key` (its entry starts at array index slot * WIDTH), or -1. */
  #find(key: string, hash: number): number {
    const slots = this.#slots;
    const capacity = this.#capacity;
    let s = homeOf(hash, capacity);
    while (true) {
      const i = s * WIDTH;
      const k = slots[i + 1];
      if (k === undefined) return -1;
      if (slots[i] === hash && k === key) return s;
      if (++s === capacity) s = 0;
    }
  }

  /** Empties slot `at`, then moves back later entries of its probe run that may fill it. */
  #removeAt(at: number): void {
    const slots = this.#slots;
    const stamps = this.#stamps;
    const capacity = this.#capacity;
    // Distance from slot b forward to slot a, around the end.
    const ahead = (a: number, b: number) => (a >= b ? a - b : a - b + capacity);
    let hole = at;
    let s = hole;
    while (true) {
      if (++s === capacity) s = 0;
      const i = s * WIDTH;
      const k = slots[i + 1];
      if (k === undefined) break;
      const home = homeOf(slots[i] as number, capacity);
      // The entry at s may move to the hole when its home is not in (hole, s].
      if (ahead(s, home) >= ahead(s, hole)) {
        const h = hole * WIDTH;
        slots[h] = slots[i];
        slots[h + 1] = k;
        slots[h + 2] = slots[i + 2];
        if (this.#keepsStamps) stamps[hole] = stamps[s];
        hole = s;
      }
    }
    const h = hole * WIDTH;
    slots[h] = undefined;
    slots[h + 1] = undefined;
    slots[h + 2] = undefined;
  }

  #rebuild(capacity: number): void {
    const old = this.#slots;
    const oldStamps = this.#stamps;
    this.#reset(capacity);
    for (let s = 0, i = 0; i < old.length; s++, i += WIDTH) {
      const k = old[i + 1];
      if (k === undefined) continue;
      const stamp = this.#keepsStamps ? oldStamps[s] : 0;
      this.set(k as string, old[i + 2] as V, old[i] as number, stamp);
    }
  }
}

function emptySlots(capacity: number): unknown[] {
  return new Array(capacity * WIDTH).fill(undefined);
}

/**
 * The home slot of `hash` in a table of `capacity` slots (its entry starts
 * at array index slot * WIDTH): the hash scaled to the capacity, so its
 * high bits choose. The key table chooses shards by the low bits, so within
 * one map those are equal. Exact in doubles: hash * capacity < 2^53.
 */
function homeOf(hash: number, capacity: number): number {
  return Math.floor((hash * capacity) / 1073741824);
}

/**
 * The capacity a map of `size` keys is rebuilt with: 40% full. It grows
 * past 3/4 full (linear probing slows quickly above that) and shrinks below
 * 1/5. Capacities are not powers of two: with powers of two the maps are
 * between 3/8 and 3/4 full, and the key table's shards all sit at the same
 * point of that range, so at some dataset sizes every map is 3/8 full (2.1
 * slots per key at 1M keys). Measured at 1M keys of 100 bytes: rebuilding
 * to 50% full made the smallest tables but the most garbage (RSS growth 263
 * MB), 33% the largest tables (258 MB), 40% the least (251 MB; powers of two
 * without stamps: 253 MB).
 */
function capacityFor(size: number): number {
  return Math.max(MIN_CAPACITY, Math.ceil(size * 2.5));
}
