/**
 * A hash map from byte-string keys to values, built for the keyspace's
 * random lookups on tables far larger than the CPU caches.
 *
 * A JavaScript `Map` lookup on a cold million-key table follows a chain of
 * about seven dependent memory loads: the bucket, each entry of the bucket's
 * chain and each chained key string (compared to find the match), then the
 * value. Measured here: ~1.1 µs per lookup. This map uses open addressing
 * with linear probing over two parallel arrays: an `Int32Array` holding
 * each slot's tag (the key's hash plus one; 0 marks an empty slot) and
 * access stamp, and a plain array holding each slot's key and value. A
 * probe compares tags and only touches a key string when they match: one
 * load for the tag, one for the key and value, one for the key string.
 * Measured on the same table with an earlier layout that kept each hash
 * beside its key and value: ~0.5 µs per lookup.
 *
 * The stamp is the key's last access on Redis's LRU clock (lru_clock.ts),
 * for OBJECT IDLETIME; maps made without stamps leave it 0. Keeping tags
 * and stamps out of the plain array matters for the collector: an
 * `Int32Array` over 64 bytes keeps its memory outside the JavaScript heap,
 * so when a map without a pool is rebuilt or split the young-generation
 * collector copies only the key and value slots (16 bytes each instead of
 * 24). Measured with redis-benchmark at pipeline 16 on a server already
 * holding ~860k keys, before the pool: INCR collector time 600 ms to
 * 435 ms per 2M commands and main-thread time 3.0 to 2.65 µs per command,
 * against a layout of `[hash, key, value]` triples with the stamps in a
 * separate `Int32Array`.
 * The tag and stamp of a slot sit side by side, so the store of an access
 * stamp hits the line the probe already read. The key prefetch
 * ({@link KeyMap.warm}) reads that line ahead. Storing a new value stamps
 * it with the current clock, as Redis gives every new object one. Each
 * map is sized to the keys it holds instead of to a power of two (see
 * {@link capacityFor}). The maps of a key table take their larger slot
 * arrays from the table's {@link SlotPool} (slot_pool.ts): a map that
 * grows or splits then creates no array for the young-generation collector
 * to copy, and leaves no old array behind as garbage.
 *
 * Hashes are 30-bit numbers from {@link hashKey}, so the tag fits an
 * `Int32Array` element. Deletion shifts the following entries back instead
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
import type { SlotPool } from "./slot_pool.ts";

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

/** Array elements per entry in the slots: key, value. */
const WIDTH = 2;
/** Int32Array elements per entry in the tags: tag, stamp. */
const TAG_WIDTH = 2;
const MIN_CAPACITY = 8;

/** The tag stored for `hash` in an occupied slot; 0 marks an empty one. */
function tagOf(hash: number): number {
  return hash + 1;
}

/** Keys to values with open addressing; see the module doc. */
export class KeyMap<V> {
  // The slots live in #slots from index #base on: a range of a pool's page
  // (see slot_pool.ts), or an array of their own when the map is small or
  // has no pool.
  #slots!: unknown[];
  #base = 0;
  readonly #pool: SlotPool | null;
  // Per slot: the tag (hash + 1, or 0 when empty) and the access stamp.
  #tags!: Int32Array;
  readonly #keepsStamps: boolean;
  #capacity = 0; // number of entries the slots hold, full or empty
  #size = 0;

  /**
   * An empty map, with room for `expectedSize` keys before it first grows.
   * Only a map made with `keepsStamps` records access stamps (the keyspace's
   * values); others (expire times, a snapshot's bookkeeping) leave them 0.
   * A map given a `pool` takes its larger slot arrays from it; it must then
   * live as long as the pool's other maps (see slot_pool.ts).
   */
  constructor(expectedSize = 0, keepsStamps = false, pool: SlotPool | null = null) {
    this.#keepsStamps = keepsStamps;
    this.#pool = pool;
    this.#reset(capacityFor(expectedSize));
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (whose {@link hashKey} is `hash`), or undefined. */
  get(key: string, hash: number = hashKey(key)): V | undefined {
    const s = this.#find(key, hash);
    return s < 0 ? undefined : this.#slots[this.#base + s * WIDTH + 1] as V;
  }

  /** Like {@link get}, and records `stamp` as the key's last access when present. */
  access(key: string, stamp: number, hash: number = hashKey(key)): V | undefined {
    const s = this.#find(key, hash);
    if (s < 0) return undefined;
    if (this.#keepsStamps) this.#tags[s * TAG_WIDTH + 1] = stamp;
    return this.#slots[this.#base + s * WIDTH + 1] as V;
  }

  /** The access stamp of `key`, or undefined when it is absent. */
  stampOf(key: string, hash: number = hashKey(key)): number | undefined {
    const s = this.#find(key, hash);
    return s < 0 || !this.#keepsStamps ? undefined : this.#tags[s * TAG_WIDTH + 1];
  }

  /** Sets the access stamp of `key`, which must be present (RESTORE ... IDLETIME). */
  setStamp(key: string, stamp: number, hash: number = hashKey(key)): void {
    const s = this.#find(key, hash);
    if (s >= 0 && this.#keepsStamps) this.#tags[s * TAG_WIDTH + 1] = stamp;
  }

  /**
   * Reads the memory a lookup of `hash` starts with: the tags and stamps
   * from its home slot to the slot with its tag (or an empty one, or four
   * slots on), that slot, and the headers of its key and value when the tag
   * matches. The reads change nothing; on a table larger than the caches
   * they bring those lines in ahead of the lookup (see
   * core/keyspace/key_prefetch.ts). A key the map does not hold (an INCR or
   * SET creating it) no longer brings in the string of whatever key sits in
   * its home slot: in process, an INCR run adding 865k keys took 3-8% less
   * time per command in three pairs and GET did not change; over the
   * network two bench pairs showed no difference beyond the noise. Returns
   * a number made from what was read, so that the compiler cannot drop the
   * reads.
   */
  warm(hash: number): number {
    const tags = this.#tags;
    const capacity = this.#capacity;
    const tag = tagOf(hash);
    let s = homeOf(hash, capacity);
    let t = tags[s * TAG_WIDTH];
    for (let n = 0; n < 4 && t !== tag && t !== 0; n++) {
      if (++s === capacity) s = 0;
      t = tags[s * TAG_WIDTH];
    }
    const k = this.#slots[this.#base + s * WIDTH];
    if (t !== tag) return t;
    const v = this.#slots[this.#base + s * WIDTH + 1];
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
    const tags = this.#tags;
    const capacity = this.#capacity;
    const tag = tagOf(hash);
    let s = homeOf(hash, capacity);
    while (true) {
      const t = tags[s * TAG_WIDTH];
      if (t === 0) break;
      if (t === tag && this.#slots[this.#base + s * WIDTH] === key) {
        this.#slots[this.#base + s * WIDTH + 1] = value;
        if (this.#keepsStamps) tags[s * TAG_WIDTH + 1] = stamp;
        return false;
      }
      if (++s === capacity) s = 0;
    }
    tags[s * TAG_WIDTH] = tag;
    if (this.#keepsStamps) tags[s * TAG_WIDTH + 1] = stamp;
    this.#slots[this.#base + s * WIDTH] = key;
    this.#slots[this.#base + s * WIDTH + 1] = value;
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
    const end = this.#base + this.#capacity * WIDTH;
    for (let i = this.#base; i < end; i += WIDTH) {
      const k = slots[i];
      if (k !== undefined) copy.push(k as string);
    }
    for (const key of copy) if (this.has(key)) yield key;
  }

  /** Iterates over `[key, value]` pairs. The map must not change during the iteration. */
  *entries(): IterableIterator<[string, V]> {
    const slots = this.#slots;
    const end = this.#base + this.#capacity * WIDTH;
    for (let i = this.#base; i < end; i += WIDTH) {
      const k = slots[i];
      if (k !== undefined) yield [k as string, slots[i + 1] as V];
    }
  }

  /**
   * Calls `visit` with each key, its value and its {@link hashKey}. Unlike
   * {@link entries} it allocates nothing per entry, which matters when a
   * snapshot walks millions of keys. The map must not change during the walk.
   */
  forEach(visit: (key: string, value: V, hash: number) => void): void {
    const slots = this.#slots;
    const base = this.#base;
    const tags = this.#tags;
    for (let s = 0; s < this.#capacity; s++) {
      const t = tags[s * TAG_WIDTH];
      if (t !== 0) {
        visit(slots[base + s * WIDTH] as string, slots[base + s * WIDTH + 1] as V, t - 1);
      }
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
    // At least 1/5 of the slots are used, so this takes 5 tries on average at worst.
    while (true) {
      const k = slots[this.#base + Math.floor(random() * this.#capacity) * WIDTH];
      if (k !== undefined) return k as string;
    }
  }

  /**
   * Moves the entries whose hash does not have `(hash & mask) === stay`
   * into a new map and returns it (a key table splitting a shard). This map
   * keeps its slots, so it can grow back to its size before the split
   * without a rebuild; the new map gets room for `growth` times the keys it
   * receives before it is 3/4 full. Measured with redis-benchmark's INCR
   * adding 865k keys to a table of 865k: 16 shards rebuilt instead of 530,
   * and about 200 ms spent splitting and rebuilding instead of 255-270. A mask
   * rather than a predicate: a new closure per split would deoptimize the
   * loops below each time (V8's "wrong call target").
   */
  split(mask: number, stay: number, growth = 2): KeyMap<V> {
    const slots = this.#slots;
    const base = this.#base;
    const tags = this.#tags;
    const capacity = this.#capacity;
    let moving = 0;
    let empty = -1;
    for (let s = 0; s < capacity; s++) {
      const t = tags[s * TAG_WIDTH];
      if (t === 0) empty = s;
      else if (((t - 1) & mask) !== stay) moving++;
    }
    const moved = new KeyMap<V>(0, this.#keepsStamps, this.#pool);
    moved.#reset(Math.max(MIN_CAPACITY, Math.ceil(moving * growth * SPLIT_ROOM)));
    // The keys that stay keep their slots: a cluster (a run of full slots)
    // loses its moving keys, and only the staying keys after the first hole
    // in it are put back from their home slot, which lands them at or before
    // where they were. The pass starts after an empty slot, so it never
    // begins inside a run (runs may still wrap around the end of the slots).
    let hole = false;
    for (let i = 1; i <= capacity; i++) {
      let s = empty + i;
      if (s >= capacity) s -= capacity;
      const t = tags[s * TAG_WIDTH];
      if (t === 0) {
        hole = false;
        continue;
      }
      const key = slots[base + s * WIDTH] as string;
      const value = slots[base + s * WIDTH + 1];
      const stamp = tags[s * TAG_WIDTH + 1];
      const hash = t - 1;
      const moves = (hash & mask) !== stay;
      if (!moves && !hole) continue;
      tags[s * TAG_WIDTH] = 0;
      tags[s * TAG_WIDTH + 1] = 0;
      slots[base + s * WIDTH] = undefined;
      slots[base + s * WIDTH + 1] = undefined;
      this.#size--;
      if (moves) {
        moved.#insertNew(key, value, hash, stamp);
        hole = true;
      } else {
        this.#insertNew(key, value, hash, stamp);
      }
    }
    return moved;
  }

  /**
   * Gives the map empty slots for `capacity` entries. The slots it had are
   * left as they are: the caller copies from them, then frees them with
   * {@link #freeSlots}.
   */
  #reset(capacity: number): void {
    const length = capacity * WIDTH;
    if (this.#pooled(length)) {
      const range = this.#pool!.alloc(length);
      this.#slots = range.elements;
      this.#base = range.base;
    } else {
      this.#slots = new Array(length).fill(undefined);
      this.#base = 0;
    }
    this.#capacity = capacity;
    this.#tags = new Int32Array(capacity * TAG_WIDTH);
    this.#size = 0;
  }

  /** Returns slots replaced by {@link #reset} to the pool they came from, if any. */
  #freeSlots(slots: unknown[], base: number, capacity: number): void {
    const length = capacity * WIDTH;
    if (this.#pooled(length)) this.#pool!.free({ elements: slots, base }, length);
  }

  /** True when slots of `length` elements come from the pool (see {@link POOLED_MIN_ELEMENTS}). */
  #pooled(length: number): boolean {
    return this.#pool !== null && length >= POOLED_MIN_ELEMENTS;
  }

  /** The slot holding `key`, or -1. */
  #find(key: string, hash: number): number {
    const tags = this.#tags;
    const capacity = this.#capacity;
    const tag = tagOf(hash);
    let s = homeOf(hash, capacity);
    while (true) {
      const t = tags[s * TAG_WIDTH];
      if (t === 0) return -1;
      if (t === tag && this.#slots[this.#base + s * WIDTH] === key) return s;
      if (++s === capacity) s = 0;
    }
  }

  /**
   * Stores an entry known to be absent, with its stamp as given, into a map
   * with room for it (a rebuild or a split copying entries over).
   */
  #insertNew(key: string, value: unknown, hash: number, stamp: number): void {
    const tags = this.#tags;
    const capacity = this.#capacity;
    let s = homeOf(hash, capacity);
    while (tags[s * TAG_WIDTH] !== 0) if (++s === capacity) s = 0;
    tags[s * TAG_WIDTH] = tagOf(hash);
    tags[s * TAG_WIDTH + 1] = stamp;
    this.#slots[this.#base + s * WIDTH] = key;
    this.#slots[this.#base + s * WIDTH + 1] = value;
    this.#size++;
  }

  /** Empties slot `at`, then moves back later entries of its probe run that may fill it. */
  #removeAt(at: number): void {
    const slots = this.#slots;
    const base = this.#base;
    const tags = this.#tags;
    const capacity = this.#capacity;
    // Distance from slot b forward to slot a, around the end.
    const ahead = (a: number, b: number) => (a >= b ? a - b : a - b + capacity);
    let hole = at;
    let s = hole;
    while (true) {
      if (++s === capacity) s = 0;
      const t = tags[s * TAG_WIDTH];
      if (t === 0) break;
      const home = homeOf(t - 1, capacity);
      // The entry at s may move to the hole when its home is not in (hole, s].
      if (ahead(s, home) >= ahead(s, hole)) {
        tags[hole * TAG_WIDTH] = t;
        tags[hole * TAG_WIDTH + 1] = tags[s * TAG_WIDTH + 1];
        slots[base + hole * WIDTH] = slots[base + s * WIDTH];
        slots[base + hole * WIDTH + 1] = slots[base + s * WIDTH + 1];
        hole = s;
      }
    }
    tags[hole * TAG_WIDTH] = 0;
    tags[hole * TAG_WIDTH + 1] = 0;
    slots[base + hole * WIDTH] = undefined;
    slots[base + hole * WIDTH + 1] = undefined;
  }

  #rebuild(capacity: number): void {
    const old = this.#slots;
    const oldBase = this.#base;
    const oldTags = this.#tags;
    const oldCapacity = this.#capacity;
    this.#reset(capacity);
    for (let s = 0; s < oldCapacity; s++) {
      const t = oldTags[s * TAG_WIDTH];
      if (t === 0) continue;
      this.#insertNew(
        old[oldBase + s * WIDTH] as string,
        old[oldBase + s * WIDTH + 1],
        t - 1,
        oldTags[s * TAG_WIDTH + 1],
      );
    }
    this.#freeSlots(old, oldBase, oldCapacity);
  }
}

/**
 * Slot arrays of at least this many elements come from the map's pool, if
 * it has one: every shard of a large key table (see key_table.ts), while a
 * small map's array stays its own and costs the young generation little.
 */
const POOLED_MIN_ELEMENTS = 2048;

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
 * without stamps: 253 MB). A key table's shards are seldom rebuilt: a split
 * sizes them for their growth until their next split ({@link KeyMap.split}).
 */
function capacityFor(size: number): number {
  return Math.max(MIN_CAPACITY, Math.ceil(size * 2.5));
}

/**
 * Slots per key the new half of a split gets for each time its keys are
 * expected to multiply before it is split again: 3/4 full by then, with 5%
 * to spare, so that it is not rebuilt on the way (see {@link KeyMap.split}).
 */
const SPLIT_ROOM = 1.05 / 0.75;
