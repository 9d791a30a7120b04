/**
 * The set value type.
 *
 * Contract used outside the set commands (RDB codec, AOF rewrite, DEBUG
 * DIGEST, SORT) — keep these names and meanings:
 * - `readonly type = "set"`, `get size(): number`
 * - `[Symbol.iterator](): Iterator<string>`: the members
 * - `has(member: string): boolean`
 * - `encoding(limits: EncodingLimits): string`: "intset" or "hashtable", as Redis 7.0 says
 * - `intsetWidth(): 2 | 4 | 8`: byte width Redis's intset would have (it never shrinks)
 * - `static fromMembers(members: Iterable<string>, limits: EncodingLimits): SetValue`
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";

/** A set value (implementation pending in this file). */
export class SetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "set" as const;

  /** Number of members. */
  get size(): number {
    throw new Error("SetValue is not implemented yet");
  }

  /** The members. */
  [Symbol.iterator](): Iterator<string> {
    throw new Error("SetValue is not implemented yet");
  }

  /** True when `member` belongs to the set. */
  has(_member: string): boolean {
    throw new Error("SetValue is not implemented yet");
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    throw new Error("SetValue is not implemented yet");
  }

  /** Byte width Redis's intset would use for these members. */
  intsetWidth(): 2 | 4 | 8 {
    throw new Error("SetValue is not implemented yet");
  }

  /** Builds a set as a loader would. */
  static fromMembers(_members: Iterable<string>, _limits: EncodingLimits): SetValue {
    throw new Error("SetValue is not implemented yet");
  }
}
