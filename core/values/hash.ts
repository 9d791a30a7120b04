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
 *
 * Storage: a small hash is a flat array `[field0, value0, field1, ...]`
 * searched linearly (less memory and faster than a `Map` at that size); a
 * larger one is a `Map`. Both keep insertion order with updates in place,
 * which is exactly the order of Redis's listpack, so while Redis would
 * report "listpack" the iteration order matches Redis's.
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

/** Largest number of fields kept in the flat array. */
const FLAT_MAX_FIELDS = 16;

/** A hash value. */
export class HashValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "hash" as const;

  /** `[field, value, ...]` while small, else null. */
  #flat: string[] | null = [];
  /** The fields once the hash outgrew the flat array, else null. */
  #map: Map<string, string> | null = null;
  /** Redis would report "hashtable" (never goes back). */
  #hashtable = false;

  /** Number of fields. */
  get size(): number {
    return this.#flat !== null ? this.#flat.length >>> 1 : this.#map!.size;
  }

  /** Field/value pairs, in Redis's order while the encoding is listpack. */
  *entries(): IterableIterator<[string, string]> {
    const flat = this.#flat;
    if (flat !== null) {
      for (let i = 0; i < flat.length; i += 2) yield [flat[i], flat[i + 1]];
    } else {
      yield* this.#map!.entries();
    }
  }

  /** Calls `fn` for each field and value, without allocating pairs. */
  forEach(fn: (field: string, value: string) => void): void {
    const flat = this.#flat;
    if (flat !== null) {
      for (let i = 0; i < flat.length; i += 2) fn(flat[i], flat[i + 1]);
    } else {
      for (const [f, v] of this.#map!) fn(f, v);
    }
  }

  /** The value of `field`, or undefined. */
  get(field: string): string | undefined {
    const flat = this.#flat;
    if (flat === null) return this.#map!.get(field);
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === field) return flat[i + 1];
    }
    return undefined;
  }

  /** True when `field` exists. */
  has(field: string): boolean {
    return this.get(field) !== undefined;
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
    const flat = this.#flat;
    if (flat === null) return this.#map!.delete(field);
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === field) {
        flat.splice(i, 2);
        return true;
      }
    }
    return false;
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
   * cursor-based scans; null for the flat storage.
   */
  get mapStorage(): ReadonlyMap<string, string> | null {
    return this.#map;
  }

  /** The `index`-th field and value in iteration order (0 ≤ index < size). */
  entryAt(index: number): [string, string] {
    const flat = this.#flat;
    if (flat !== null) return [flat[2 * index], flat[2 * index + 1]];
    let i = 0;
    for (const entry of this.#map!) {
      if (i++ === index) return entry;
    }
    throw new RangeError(`hash entry ${index} out of range`);
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

  #store(field: string, value: string): boolean {
    const flat = this.#flat;
    if (flat === null) {
      const map = this.#map!;
      const size = map.size;
      map.set(field, value);
      return map.size !== size;
    }
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === field) {
        flat[i + 1] = value;
        return false;
      }
    }
    if (flat.length < 2 * FLAT_MAX_FIELDS) {
      flat.push(field, value);
    } else {
      this.#toMap();
      this.#map!.set(field, value);
    }
    return true;
  }

  #convert(): void {
    this.#hashtable = true;
    if (this.#flat !== null) this.#toMap();
  }

  #toMap(): void {
    const flat = this.#flat!;
    const map = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
    this.#map = map;
    this.#flat = null;
  }
}
