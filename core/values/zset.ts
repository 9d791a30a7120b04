/**
 * The sorted set value type.
 *
 * Contract used outside the sorted set commands (RDB codec, AOF rewrite,
 * DEBUG DIGEST, SORT, blocking pops) — keep these names and meanings:
 * - `readonly type = "zset"`, `get size(): number`
 * - `entries(): IterableIterator<[member: string, score: number]>`: ascending score order
 * - `score(member: string): number | undefined`
 * - `encoding(limits: EncodingLimits): string`: "listpack" or "skiplist", as Redis 7.0 says
 * - `static fromEntries(entries: Iterable<[string, number]>, limits: EncodingLimits): ZSetValue`
 *
 * @module
 */

/** A zset value (implementation pending in this file). */
export class ZSetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "zset" as const;
}
