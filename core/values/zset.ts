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

import type { EncodingLimits } from "./limits.ts";

/** A zset value (implementation pending in this file). */
export class ZSetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "zset" as const;

  /** Number of members. */
  get size(): number {
    throw new Error("ZSetValue is not implemented yet");
  }

  /** Members and scores in ascending score order. */
  entries(): IterableIterator<[string, number]> {
    throw new Error("ZSetValue is not implemented yet");
  }

  /** The score of `member`, or undefined. */
  score(_member: string): number | undefined {
    throw new Error("ZSetValue is not implemented yet");
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    throw new Error("ZSetValue is not implemented yet");
  }

  /** Builds a sorted set as a loader would. */
  static fromEntries(_entries: Iterable<[string, number]>, _limits: EncodingLimits): ZSetValue {
    throw new Error("ZSetValue is not implemented yet");
  }
}
