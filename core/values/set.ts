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

/** A set value (implementation pending in this file). */
export class SetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "set" as const;
}
