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
 * @module
 */

/** A hash value (implementation pending in this file). */
export class HashValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "hash" as const;
}
