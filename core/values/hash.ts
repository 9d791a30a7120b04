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
 * five times smaller than a string per field and value; a larger one is a
 * `Map`. Both keep insertion order with updates in place, which is exactly
 * the order of Redis's listpack, so while Redis would report "listpack" the
 * iteration order matches Redis's.
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
  /** The fields once the hash outgrew the packed string, else null. */
  #map: Map<string, string> | null = null;
  /** Redis would report "hashtable" (never goes back). */
  #hashtable = false;

  /** Number of fields. */
  get size(): number {
    return this.#packed !== null ? this.#count : this.#map!.size;
  }

  /** Field/value pairs, in Redis's order while the encoding is listpack. */
  *entries(): IterableIterator<[string, string]> {
    const data = this.#packed;
    if (data === null) {
      yield* this.#map!.entries();
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
      for (const [f, v] of this.#map!) fn(f, v);
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
    if (data === null) return this.#map!.get(field);
    if (!this.#find(data, field)) return undefined;
    return data.slice(foundValue, foundValue + foundValueLength);
  }

  /** True when `field` exists. */
  has(field: string): boolean {
    const data = this.#packed;
    return data === null ? this.#map!.has(field) : this.#find(data, field);
  }

  /** The length of the value of `field`, or 0 when absent (HSTRLEN). */
  valueLength(field: string): number {
    const data = this.#packed;
    if (data === null) return this.#map!.get(field)?.length ?? 0;
    return this.#find(data, field) ? foundValueLength : 0;
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
    if (data === null) return this.#map!.delete(field);
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
   * The fields as a `Map` when the storage is one (large hashes), for
   * cursor-based scans; null for the packed storage.
   */
  get mapStorage(): ReadonlyMap<string, string> | null {
    return this.#map;
  }

  /** The `index`-th field and value in iteration order (0 ≤ index < size). */
  entryAt(index: number): [string, string] {
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
      const map = this.#map!;
      const size = map.size;
      map.set(field, value);
      return map.size !== size;
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
    if (this.#packed !== null) this.#toMap();
  }

  #toMap(): void {
    const map = new Map<string, string>();
    this.forEach((field, value) => map.set(ownedCopy(field), ownedCopy(value)));
    this.#map = map;
    this.#packed = null;
    this.#count = 0;
  }
}
