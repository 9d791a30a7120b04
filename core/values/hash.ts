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

import type { EncodingLimits } from "./limits.ts";

/** A hash value (implementation pending in this file). */
export class HashValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "hash" as const;

  /** Number of fields. */
  get size(): number {
    throw new Error("HashValue is not implemented yet");
  }

  /** Field/value pairs. */
  entries(): IterableIterator<[string, string]> {
    throw new Error("HashValue is not implemented yet");
  }

  /** The value of `field`, or undefined. */
  get(_field: string): string | undefined {
    throw new Error("HashValue is not implemented yet");
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    throw new Error("HashValue is not implemented yet");
  }

  /** Builds a hash as a loader would. */
  static fromEntries(_entries: Iterable<[string, string]>, _limits: EncodingLimits): HashValue {
    throw new Error("HashValue is not implemented yet");
  }
}
