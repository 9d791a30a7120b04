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
    const step = Math.floor((n - 48) / 8) + 1;
    for (let i = 24; i < n - 24; i += step) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x3fffffff;
}

const MIN_BITS = 3;
// Fibonacci hashing picks a slot from the high bits of hash * 2^32/phi: the
// key table chooses shards by the low bits, so within one map those are equal.
const GOLDEN = 0x9e3779b1;

/** Keys to values with open addressing; see the module doc. */
export class KeyMap<V> {
  #slots: unknown[];
  #bits: number;
  #size = 0;

  /** An empty map, with room for `expectedSize` keys before it first grows. */
  constructor(expectedSize = 0) {
    this.#bits = bitsFor(expectedSize);
    this.#slots = emptySlots(this.#bits);
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (whose {@link hashKey} is `hash`), or undefined. */
  get(key: string, hash: number = hashKey(key)): V | undefined {
    const i = this.#find(key, hash);
    return i < 0 ? undefined : this.#slots[i + 2] as V;
  }

  /** True when `key` is present. */
  has(key: string, hash: number = hashKey(key)): boolean {
    return this.#find(key, hash) >= 0;
  }

  /** Adds `key` or replaces its value; returns true when the key was added. */
  set(key: string, value: V, hash: number = hashKey(key)): boolean {
    const slots = this.#slots;
    const mask = (1 << this.#bits) - 1;
    let s = slotOf(hash, this.#bits);
    let i = s * 3;
    while (true) {
      const k = slots[i + 1];
      if (k === undefined) break;
      if (slots[i] === hash && k === key) {
        slots[i + 2] = value;
        return false;
      }
      s = (s + 1) & mask;
      i = s * 3;
    }
    slots[i] = hash;
    slots[i + 1] = key;
    slots[i + 2] = value;
    // Grow past 3/4 full: linear probing slows down quickly above that.
    if (++this.#size * 4 > (mask + 1) * 3) this.#rebuild(this.#bits + 1);
    return true;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string, hash: number = hashKey(key)): boolean {
    const i = this.#find(key, hash);
    if (i < 0) return false;
    this.#removeAt(i);
    this.#size--;
    // Shrink below 1/8 full, so a map that emptied gives its memory back.
    if (this.#bits > MIN_BITS && this.#size * 8 < 1 << this.#bits) {
      this.#rebuild(this.#bits - 1);
    }
    return true;
  }

  /** Iterates over the keys present now that are still present when reached. */
  *keys(): IterableIterator<string> {
    const copy: string[] = [];
    const slots = this.#slots;
    for (let i = 1; i < slots.length; i += 3) {
      const k = slots[i];
      if (k !== undefined) copy.push(k as string);
    }
    for (const key of copy) if (this.has(key)) yield key;
  }

  /** Iterates over `[key, value]` pairs. The map must not change during the iteration. */
  *entries(): IterableIterator<[string, V]> {
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i += 3) {
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
    for (let i = 0; i < slots.length; i += 3) {
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
    const count = slots.length / 3;
    // At least 1/8 of the slots are used, so this takes 8 tries on average at worst.
    while (true) {
      const k = slots[Math.floor(random() * count) * 3 + 1];
      if (k !== undefined) return k as string;
    }
  }

  /**
   * Moves the entries whose hash is rejected by `keep` into a new map and
   * returns it (a key table splitting a shard).
   */
  split(keep: (hash: number) => boolean): KeyMap<V> {
    const old = this.#slots;
    let kept = 0;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 1] !== undefined && keep(old[i] as number)) kept++;
    }
    // Both halves are sized for what they hold: keeping the old size would
    // leave the source map half empty, a cost in memory paid per key.
    const moved = new KeyMap<V>();
    moved.#reset(bitsFor(this.#size - kept));
    this.#reset(bitsFor(kept));
    for (let i = 0; i < old.length; i += 3) {
      const k = old[i + 1];
      if (k === undefined) continue;
      const hash = old[i] as number;
      if (keep(hash)) this.set(k as string, old[i + 2] as V, hash);
      else moved.set(k as string, old[i + 2] as V, hash);
    }
    return moved;
  }

  #reset(bits: number): void {
    this.#bits = bits;
    this.#slots = emptySlots(bits);
    this.#size = 0;
  }

  /** Index of the slot holding `key`, or -1. */
  #find(key: string, hash: number): number {
    const slots = this.#slots;
    const mask = (1 << this.#bits) - 1;
    let s = slotOf(hash, this.#bits);
    while (true) {
      const i = s * 3;
      const k = slots[i + 1];
      if (k === undefined) return -1;
      if (slots[i] === hash && k === key) return i;
      s = (s + 1) & mask;
    }
  }

  /** Empties the slot at array index `at`, then moves back later entries of its probe run that may fill it. */
  #removeAt(at: number): void {
    const slots = this.#slots;
    const bits = this.#bits;
    const mask = (1 << bits) - 1;
    let hole = at / 3;
    let s = hole;
    while (true) {
      s = (s + 1) & mask;
      const i = s * 3;
      const k = slots[i + 1];
      if (k === undefined) break;
      const home = slotOf(slots[i] as number, bits);
      // The entry at s may move to the hole when its home is not in (hole, s].
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        const h = hole * 3;
        slots[h] = slots[i];
        slots[h + 1] = k;
        slots[h + 2] = slots[i + 2];
        hole = s;
      }
    }
    const h = hole * 3;
    slots[h] = undefined;
    slots[h + 1] = undefined;
    slots[h + 2] = undefined;
  }

  #rebuild(bits: number): void {
    const old = this.#slots;
    this.#reset(bits);
    for (let i = 0; i < old.length; i += 3) {
      const k = old[i + 1];
      if (k !== undefined) this.set(k as string, old[i + 2] as V, old[i] as number);
    }
  }
}

function emptySlots(bits: number): unknown[] {
  return new Array((1 << bits) * 3).fill(undefined);
}

/** The home slot of `hash` in a table of 2^bits slots (its entry starts at array index slot * 3). */
function slotOf(hash: number, bits: number): number {
  return Math.imul(hash, GOLDEN) >>> (32 - bits);
}

/** The smallest table size (as a power of two) that holds `size` keys under 3/4 full. */
function bitsFor(size: number): number {
  let bits = MIN_BITS;
  while (size * 4 > (1 << bits) * 3) bits++;
  return bits;
}
