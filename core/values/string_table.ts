/**
 * A compact hash index over an array of distinct strings: the strings sit
 * in a plain array (so a random one is picked in O(1), and removal moves the
 * last one into the hole), and an open-addressing table of positions finds a
 * string in O(1).
 *
 * Why not a `Map<string, number>`: a V8 `Map` costs about 28 bytes per slot
 * and keeps twice as many slots as entries when it has just grown, about
 * 40 bytes per member with the array. Here a member costs its array slot
 * (8 bytes), its cached hash (4) and about two table slots of 4 bytes. Small
 * tables (up to {@link SMALL_TABLE}) keep no index: a linear search over a
 * few strings is as fast and costs nothing.
 *
 * Scanning by position from the end to the start returns every string that
 * stays in the table for the whole scan, even while others are added and
 * removed: removal only moves the last string, which is either already
 * visited or still ahead of the cursor (see {@link StringTable.scan}).
 *
 * The index grows (and shrinks) incrementally, as Redis's dict rehashes:
 * placing every position into a new index at once took 70 ms at 2M
 * members, during which no client was served. A new index is allocated
 * (zero pages, cheap) and each later add or removal moves
 * {@link MIGRATE_STEP} positions from the old index into it. Meanwhile each
 * position is in exactly one of the two: the old one holds the positions
 * from `#migrated` up to `#migrateEnd`, the new one all others, and a
 * lookup that misses in the new index tries the old one.
 *
 * @module
 */

/** Tables up to this size have no hash index. */
export const SMALL_TABLE = 32;

/** Most used slots per slot of the table, as a fraction. */
const MAX_LOAD = 0.75;

/** Positions moved from the old index to the new one per add or removal while it grows. */
export const MIGRATE_STEP = 128;

/** FNV-1a over the bytes of `s`, with a final avalanche so the low bits mix well. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Distinct strings by position, with O(1) lookup. */
export class StringTable {
  /** The strings, by position (read only outside this class). */
  readonly keys: string[] = [];
  /** Hash of each string by position; null while the table is small. */
  #hashes: Int32Array | null = null;
  /** Open-addressing slots: 0 when empty, else position + 1. */
  #slots: Int32Array | null = null;
  #mask = 0;
  /** The index being replaced while it grows or shrinks, else null. */
  #oldSlots: Int32Array | null = null;
  #oldMask = 0;
  /** Positions below this one (or from `#migrateEnd`) are in `#slots`, the others in `#oldSlots`. */
  #migrated = 0;
  #migrateEnd = 0;

  /** Number of strings. */
  get size(): number {
    return this.keys.length;
  }

  /** Position of `key`, or -1. */
  indexOf(key: string): number {
    const slots = this.#slots;
    if (slots === null) return this.keys.indexOf(key);
    const h = hashString(key);
    // The probe of the current index stays inline: this is every command's path.
    const hashes = this.#hashes!;
    const keys = this.keys;
    const mask = this.#mask;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === 0) break;
      const pos = v - 1;
      if (hashes[pos] === h && keys[pos] === key) return pos;
    }
    const old = this.#oldSlots;
    return old === null ? -1 : this.#probe(old, this.#oldMask, h, key);
  }

  /** Appends `key`, which must be absent; returns its position. */
  add(key: string): number {
    const keys = this.keys;
    const pos = keys.length;
    if (this.#slots !== null) {
      if (this.#oldSlots === null && pos + 1 > (this.#mask + 1) * MAX_LOAD) {
        this.#beginMigration((this.#mask + 1) * 2);
      }
      keys.push(key);
      if (pos >= this.#hashes!.length) this.#growHashes();
      const h = hashString(key);
      this.#hashes![pos] = h;
      place(this.#slots, this.#mask, pos, h);
      if (this.#oldSlots !== null) this.#migrateSome();
    } else {
      keys.push(key);
      if (keys.length > SMALL_TABLE) this.#buildIndex();
    }
    return pos;
  }

  /**
   * Removes the string at `pos`. The last string moves into the hole:
   * returns its old position (so callers can move parallel data), or -1
   * when `pos` was the last one.
   */
  removeAt(pos: number): number {
    const keys = this.keys;
    const last = keys.length - 1;
    const hashes = this.#hashes;
    if (hashes !== null) {
      this.#unplaceFromItsIndex(pos);
      if (pos !== last) {
        this.#unplaceFromItsIndex(last);
        hashes[pos] = hashes[last];
      }
    }
    if (pos !== last) keys[pos] = keys[last];
    keys.pop();
    if (hashes !== null) {
      // Positions past the end are gone from both indexes.
      if (this.#migrateEnd > keys.length) this.#migrateEnd = keys.length;
      if (pos !== last) this.#placeInItsIndex(pos);
      if (this.#oldSlots !== null) this.#migrateSome();
      const capacity = this.#mask + 1;
      if (this.#oldSlots === null && keys.length * 8 < capacity && capacity > 128) {
        this.#beginMigration(capacity / 2);
      }
    }
    return pos === last ? -1 : last;
  }

  /** Removes everything. */
  clear(): void {
    this.keys.length = 0;
    this.#hashes = null;
    this.#slots = null;
    this.#mask = 0;
    this.#oldSlots = null;
  }

  /**
   * Visits up to `count` positions, from `cursor` down (cursor 0 starts at
   * the end), and returns the cursor to continue from, 0 when done. A string
   * present for the whole scan is visited at least once.
   */
  scan(cursor: number, count: number, visit: (pos: number) => void): number {
    let pos = cursor === 0 || cursor > this.keys.length ? this.keys.length - 1 : cursor - 1;
    for (let n = 0; n < count && pos >= 0; n++, pos--) visit(pos);
    return pos < 0 ? 0 : pos + 1;
  }

  /** True while the table has a hash index (it is past {@link SMALL_TABLE}). */
  get indexed(): boolean {
    return this.#slots !== null;
  }

  /** True while the index is being replaced (tests). */
  get migrating(): boolean {
    return this.#oldSlots !== null;
  }

  #probe(slots: Int32Array, mask: number, h: number, key: string): number {
    const hashes = this.#hashes!;
    const keys = this.keys;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === 0) return -1;
      const pos = v - 1;
      if (hashes[pos] === h && keys[pos] === key) return pos;
    }
  }

  #inOldIndex(pos: number): boolean {
    return this.#oldSlots !== null && pos >= this.#migrated && pos < this.#migrateEnd;
  }

  #placeInItsIndex(pos: number): void {
    const h = this.#hashes![pos];
    if (this.#inOldIndex(pos)) place(this.#oldSlots!, this.#oldMask, pos, h);
    else place(this.#slots!, this.#mask, pos, h);
  }

  #unplaceFromItsIndex(pos: number): void {
    const hashes = this.#hashes!;
    if (this.#inOldIndex(pos)) unplace(this.#oldSlots!, this.#oldMask, hashes, pos);
    else unplace(this.#slots!, this.#mask, hashes, pos);
  }

  /** Starts moving every position into a new index of `capacity` slots. */
  #beginMigration(capacity: number): void {
    this.#oldSlots = this.#slots;
    this.#oldMask = this.#mask;
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    this.#migrated = 0;
    this.#migrateEnd = this.keys.length;
  }

  /** Moves up to {@link MIGRATE_STEP} positions into the new index; drops the old one when done. */
  #migrateSome(): void {
    const old = this.#oldSlots;
    if (old === null) return;
    const hashes = this.#hashes!;
    const end = Math.min(this.#migrated + MIGRATE_STEP, this.#migrateEnd);
    for (let pos = this.#migrated; pos < end; pos++) {
      unplace(old, this.#oldMask, hashes, pos);
      place(this.#slots!, this.#mask, pos, hashes[pos]);
    }
    this.#migrated = end;
    if (end >= this.#migrateEnd) this.#oldSlots = null;
  }

  #growHashes(): void {
    const old = this.#hashes!;
    const next = new Int32Array(Math.max(16, Math.ceil(old.length * 1.5)));
    next.set(old);
    this.#hashes = next;
  }

  #buildIndex(): void {
    const keys = this.keys;
    const hashes = new Int32Array(Math.max(16, Math.ceil(keys.length * 1.5)));
    for (let i = 0; i < keys.length; i++) hashes[i] = hashString(keys[i]);
    this.#hashes = hashes;
    let capacity = 64;
    while (keys.length > capacity * MAX_LOAD) capacity *= 2;
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let pos = 0; pos < keys.length; pos++) place(this.#slots, this.#mask, pos, hashes[pos]);
  }
}

/** Puts position `pos` (hash `h`) into the first free slot of its probe run. */
function place(slots: Int32Array, mask: number, pos: number, h: number): void {
  let i = h & mask;
  while (slots[i] !== 0) i = (i + 1) & mask;
  slots[i] = pos + 1;
}

/** Empties the slot of `pos`, shifting later entries of its probe run back. */
function unplace(slots: Int32Array, mask: number, hashes: Int32Array, pos: number): void {
  let hole = hashes[pos] & mask;
  while (slots[hole] !== pos + 1) hole = (hole + 1) & mask;
  for (let j = (hole + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
    const home = hashes[slots[j] - 1] & mask;
    // The entry at j may move back to the hole unless its home slot lies
    // cyclically in (hole, j]: then it would become unreachable.
    const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
    if (stays) continue;
    slots[hole] = slots[j];
    hole = j;
  }
  slots[hole] = 0;
}
