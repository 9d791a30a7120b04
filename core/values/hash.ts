/**
 * The hash value type.
 *
 * Contract used outside the hash commands (RDB codec, AOF rewrite, DEBUG
 * DIGEST, SORT) — keep these names and meanings:
 * - `readonly type = "hash"`, `get size(): number`
 * - `entries(): IterableIterator<[field: string, value: string]>`
 * - `get(field: string): string | undefined`
 * - `encoding(limits: EncodingLimits): string`: "listpack" or "hashtable", as Redis 7.0 says
 * - `static fromEntries(entries: Iterable<[string, string]>, limits: EncodingLimits): HashValue`
 * - `clone(): HashValue`: an independent copy with the same encoding (COPY)
 *
 * Storage: a small hash is one packed string of `field, value, field, ...`
 * (core/values/packed.ts), searched linearly like Redis's listpack and about
 * five times smaller than a string per field and value; a larger one that
 * Redis would still keep in a listpack is a `Map`. Both keep insertion order
 * with updates in place, which is exactly the order of Redis's listpack, so
 * while Redis would report "listpack" the iteration order matches Redis's.
 *
 * Once Redis would report "hashtable" (its order is then its dict's, which
 * nobody can rely on), the fields move to a {@link StringTable} with the
 * values in a parallel array. Not a `Map`: V8 internalizes every string used
 * as a `Map` key into its one process-wide string table, and a `Map` grows by
 * rehashing all its entries at once; HSET into one hash of 2M fields stalled
 * clients for 237 ms and took 2.1x Redis's memory that way.
 *
 * The reported encoding is tracked separately from the storage, with
 * Redis's rules: a hash starts as "listpack" and becomes "hashtable" for
 * good when a set makes it exceed `hash-max-listpack-entries` or stores a
 * field or value longer than `hash-max-listpack-value`. A loader applies the
 * same thresholds to the loaded contents.
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { afterLength, flat, lengthPrefix, ownedCopy, readLength } from "./packed.ts";
import { StringTable } from "./string_table.ts";

/** Most fields kept packed: each change rewrites the packed string. */
const PACKED_MAX_FIELDS = 32;
/** Most bytes kept packed. */
const PACKED_MAX_BYTES = 4096;

// Where the last `#find` located its entry (module scratch: no allocation).
let foundStart = 0;
let foundValue = 0;
let foundValueLength = 0;
let foundEnd = 0;

/** A hash value. */
export class HashValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "hash" as const;

  /** Packed `field, value, ...` while small, else null. */
  #packed: string | null = "";
  /** Fields in `#packed`. */
  #count = 0;
  /** The fields once the hash outgrew the packed string, while still a listpack for Redis. */
  #map: Map<string, string> | null = null;
  /** The fields once Redis would report "hashtable"; their values are in `#values`. */
  #table: StringTable | null = null;
  /** Values by position in `#table`. */
  #values: string[] | null = null;
  /** Redis would report "hashtable" (never goes back). */
  #hashtable = false;

  /** Number of fields. */
  get size(): number {
    if (this.#packed !== null) return this.#count;
    return this.#map !== null ? this.#map.size : this.#table!.size;
  }

  /** Field/value pairs, in Redis's order while the encoding is listpack. */
  *entries(): IterableIterator<[string, string]> {
    const data = this.#packed;
    if (data === null) {
      if (this.#map !== null) {
        yield* this.#map.entries();
        return;
      }
      const fields = this.#table!.keys;
      const values = this.#values!;
      for (let i = 0; i < fields.length; i++) yield [fields[i], values[i]];
      return;
    }
    let p = 0;
    while (p < data.length) {
      const flen = readLength(data, p);
      const field = data.slice(afterLength, afterLength + flen);
      const vlen = readLength(data, afterLength + flen);
      p = afterLength + vlen;
      yield [field, data.slice(afterLength, p)];
    }
  }

  /** Calls `fn` for each field and value, without allocating pairs. */
  forEach(fn: (field: string, value: string) => void): void {
    const data = this.#packed;
    if (data === null) {
      if (this.#map !== null) {
        for (const [f, v] of this.#map) fn(f, v);
        return;
      }
      const fields = this.#table!.keys;
      const values = this.#values!;
      for (let i = 0; i < fields.length; i++) fn(fields[i], values[i]);
      return;
    }
    let p = 0;
    while (p < data.length) {
      const flen = readLength(data, p);
      const field = data.slice(afterLength, afterLength + flen);
      const vlen = readLength(data, afterLength + flen);
      p = afterLength + vlen;
      fn(field, data.slice(afterLength, p));
    }
  }

  /** The value of `field`, or undefined. */
  get(field: string): string | undefined {
    const data = this.#packed;
    if (data === null) {
      if (this.#map !== null) return this.#map.get(field);
      const i = this.#table!.indexOf(field);
      return i < 0 ? undefined : this.#values![i];
    }
    if (!this.#find(data, field)) return undefined;
    return data.slice(foundValue, foundValue + foundValueLength);
  }

  /** True when `field` exists. */
  has(field: string): boolean {
    const data = this.#packed;
    if (data !== null) return this.#find(data, field);
    return this.#map !== null ? this.#map.has(field) : this.#table!.indexOf(field) >= 0;
  }

  /** The length of the value of `field`, or 0 when absent (HSTRLEN). */
  valueLength(field: string): number {
    const data = this.#packed;
    if (data !== null) return this.#find(data, field) ? foundValueLength : 0;
    return this.get(field)?.length ?? 0;
  }

  /**
   * Sets `field` to `value` and returns true when the field is new. Applies
   * Redis's conversion rules (`hashTypeSet`) with `limits`.
   */
  set(field: string, value: string, limits: EncodingLimits): boolean {
    if (!this.#hashtable) {
      const max = limits.hashMaxListpackValue;
      if (field.length > max || value.length > max) this.#convert();
    }
    const created = this.#store(field, value);
    if (!this.#hashtable && this.size > limits.hashMaxListpackEntries) this.#convert();
    return created;
  }

  /** Removes `field`; returns whether it existed. */
  delete(field: string): boolean {
    const data = this.#packed;
    if (data === null) {
      if (this.#map !== null) return this.#map.delete(field);
      const i = this.#table!.indexOf(field);
      if (i < 0) return false;
      const values = this.#values!;
      // The last field moved into the hole: its value follows.
      const moved = this.#table!.removeAt(i);
      if (moved >= 0) values[i] = values[moved];
      values.pop();
      return true;
    }
    if (!this.#find(data, field)) return false;
    this.#packed = flat(data.slice(0, foundStart) + data.slice(foundEnd));
    this.#count--;
    return true;
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    return this.#hashtable ? "hashtable" : "listpack";
  }

  /** True when Redis would report "hashtable" (its HSCAN then pages with a cursor). */
  get isHashtable(): boolean {
    return this.#hashtable;
  }

  /**
   * HSCAN of a hash Redis reports as "hashtable": visits up to `count`
   * fields from `cursor` and returns the cursor to go on from, 0 at the end.
   * A field present for the whole scan is visited at least once.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const table = this.#table!;
    const values = this.#values!;
    return table.scan(cursor, count, (pos) => visit(table.keys[pos], values[pos]));
  }

  /** The `index`-th field and value in iteration order (0 ≤ index < size). */
  entryAt(index: number): [string, string] {
    if (this.#table !== null) return [this.#table.keys[index], this.#values![index]];
    let i = 0;
    for (const entry of this.entries()) {
      if (i++ === index) return entry;
    }
    throw new RangeError(`hash entry ${index} out of range`);
  }

  /** A copy with the same fields, order and encoding (COPY, like Redis's hashTypeDup). */
  clone(): HashValue {
    const copy = new HashValue();
    copy.#packed = this.#packed;
    copy.#count = this.#count;
    copy.#map = this.#map === null ? null : new Map(this.#map);
    copy.#hashtable = this.#hashtable;
    if (this.#table !== null) copy.#fillTable(this);
    return copy;
  }

  /** Builds a hash as a loader would: listpack when the contents fit the limits. */
  static fromEntries(entries: Iterable<[string, string]>, limits: EncodingLimits): HashValue {
    const hash = new HashValue();
    const max = limits.hashMaxListpackValue;
    for (const [field, value] of entries) {
      if (!hash.#hashtable && (field.length > max || value.length > max)) hash.#convert();
      hash.#store(field, value);
    }
    if (!hash.#hashtable && hash.size > limits.hashMaxListpackEntries) hash.#convert();
    return hash;
  }

  /** Locates `field` in `data`, filling the `found*` positions; false when absent. */
  #find(data: string, field: string): boolean {
    const want = field.length;
    let p = 0;
    while (p < data.length) {
      const flen = readLength(data, p);
      const at = afterLength;
      const vlen = readLength(data, at + flen);
      if (flen === want && data.startsWith(field, at)) {
        foundStart = p;
        foundValue = afterLength;
        foundValueLength = vlen;
        foundEnd = afterLength + vlen;
        return true;
      }
      p = afterLength + vlen;
    }
    return false;
  }

  #store(field: string, value: string): boolean {
    const data = this.#packed;
    if (data === null) {
      const map = this.#map;
      if (map !== null) {
        const size = map.size;
        map.set(field, value);
        return map.size !== size;
      }
      const i = this.#table!.indexOf(field);
      if (i >= 0) {
        this.#values![i] = value;
        return false;
      }
      this.#table!.add(field);
      this.#values!.push(value);
      return true;
    }
    if (this.#find(data, field)) {
      // The value's length prefix starts right after the field.
      const prefixAt = foundValue - lengthPrefix(foundValueLength).length;
      this.#packed = flat(
        data.slice(0, prefixAt) + lengthPrefix(value.length) + value + data.slice(foundEnd),
      );
      if (this.#packed.length > PACKED_MAX_BYTES) this.#toMap();
      return false;
    }
    if (this.#count >= PACKED_MAX_FIELDS) {
      this.#toMap();
      this.#map!.set(field, value);
      return true;
    }
    this.#packed = flat(
      data + lengthPrefix(field.length) + field + lengthPrefix(value.length) + value,
    );
    this.#count++;
    if (this.#packed.length > PACKED_MAX_BYTES) this.#toMap();
    return true;
  }

  #convert(): void {
    this.#hashtable = true;
    if (this.#table === null) this.#fillTable(this);
  }

  /**
   * Moves to the table storage with the contents of `from` (this hash when
   * it converts, the original for a clone). Packed fields and values are
   * slices of one string: they are copied so that it can be freed.
   */
  #fillTable(from: HashValue): void {
    const table = new StringTable();
    const values: string[] = [];
    const sliced = from.#packed !== null;
    from.forEach((field, value) => {
      table.add(sliced ? ownedCopy(field) : field);
      values.push(sliced ? ownedCopy(value) : value);
    });
    this.#table = table;
    this.#values = values;
    this.#packed = null;
    this.#count = 0;
    this.#map = null;
  }

  #toMap(): void {
    const map = new Map<string, string>();
    this.forEach((field, value) => map.set(ownedCopy(field), ownedCopy(value)));
    this.#map = map;
    this.#packed = null;
    this.#count = 0;
  }
}
