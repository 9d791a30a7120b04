/**
 * The list value type.
 *
 * Contract used outside the list commands (RDB codec, AOF rewrite, DEBUG
 * DIGEST, SORT, blocking pops) — keep these names and meanings:
 * - `readonly type = "list"`, `get length(): number`
 * - `[Symbol.iterator](): Iterator<string>`: elements head to tail
 * - `encoding(limits: EncodingLimits): string`: what Redis 7.0's OBJECT ENCODING says
 * - `static fromItems(items: Iterable<string>, limits: EncodingLimits): ListValue`:
 *   builds a list as a loader would (RDB, RESTORE)
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";

/** A list value (implementation pending in this file). */
export class ListValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "list" as const;

  /** Number of elements. */
  get length(): number {
    throw new Error("ListValue is not implemented yet");
  }

  /** Elements head to tail. */
  [Symbol.iterator](): Iterator<string> {
    throw new Error("ListValue is not implemented yet");
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    throw new Error("ListValue is not implemented yet");
  }

  /** Builds a list as a loader would. */
  static fromItems(_items: Iterable<string>, _limits: EncodingLimits): ListValue {
    throw new Error("ListValue is not implemented yet");
  }
}
