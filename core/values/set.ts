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
 * Layout: a {@link StringTable}: the members in an array, so SPOP and
 * SRANDMEMBER pick one in O(1), with a compact hash index for membership.
 *
 * The encoding Redis would report depends on history, not only on content
 * (a set that once held a non-integer stays a hash table), so it is tracked
 * as state, updated by every addition with the limits in force at the time.
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { parseInt64 } from "../numbers.ts";
import { StringTable } from "./string_table.ts";

/** Redis caps set-max-intset-entries at 2^30 (intset internals). */
const INTSET_HARD_LIMIT = 1 << 30;

/**
 * Byte width an intset needs for `member`, or 0 when the member is not a
 * canonical 64-bit integer (and so cannot live in an intset).
 */
export function intsetWidthOf(member: string): 0 | 2 | 4 | 8 {
  if (member.length > 20) return 0;
  const v = parseInt64(member);
  if (v === null) return 0;
  if (typeof v === "bigint") return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** A set value. */
export class SetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "set" as const;

  #table = new StringTable();
  #intset = true;
  #width: 2 | 4 | 8 = 2;

  /** Number of members. */
  get size(): number {
    return this.#table.size;
  }

  /** The members. Do not change the set while iterating. */
  [Symbol.iterator](): Iterator<string> {
    return this.#table.keys[Symbol.iterator]();
  }

  /** True when `member` belongs to the set. */
  has(member: string): boolean {
    return this.#table.indexOf(member) >= 0;
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    return this.#intset ? "intset" : "hashtable";
  }

  /** Byte width Redis's intset would use for these members. */
  intsetWidth(): 2 | 4 | 8 {
    return this.#width;
  }

  /**
   * Builds a set as a loader would (and as SINTERSTORE and friends build
   * their results): an intset while every member is an integer and the count
   * is within `set-max-intset-entries`.
   */
  static fromMembers(members: Iterable<string>, limits: EncodingLimits): SetValue {
    const set = new SetValue();
    for (const m of members) set.add(m, limits);
    return set;
  }

  /**
   * A copy with the same members and the same encoding history (COPY: Redis
   * duplicates the intset or hash table as it is).
   */
  clone(): SetValue {
    const copy = new SetValue();
    for (const m of this.#table.keys) copy.#table.add(m);
    copy.#intset = this.#intset;
    copy.#width = this.#width;
    return copy;
  }

  /** Adds `member`; returns false when it was already there. */
  add(member: string, limits: EncodingLimits): boolean {
    const table = this.#table;
    if (table.indexOf(member) >= 0) return false;
    if (this.#intset) this.#noteIntsetAdd(member, limits);
    table.add(member);
    return true;
  }

  /** Removes `member`; returns false when it was not there. */
  delete(member: string): boolean {
    const i = this.#table.indexOf(member);
    if (i < 0) return false;
    this.#table.removeAt(i);
    return true;
  }

  /** A random member (the set must not be empty). */
  random(): string {
    const keys = this.#table.keys;
    return keys[Math.floor(Math.random() * keys.length)];
  }

  /** The member at array position `i` (0 <= i < size), for sampling and scanning. */
  at(i: number): string {
    return this.#table.keys[i];
  }

  /** Removes and returns a random member (the set must not be empty). */
  popRandom(): string {
    const keys = this.#table.keys;
    const i = Math.floor(Math.random() * keys.length);
    const member = keys[i];
    this.#table.removeAt(i);
    return member;
  }

  /** The members as a new array. */
  toArray(): string[] {
    return this.#table.keys.slice();
  }

  /**
   * Recomputes the encoding from the content, as Redis does when it rebuilds
   * a set from scratch (SPOP with a count close to the size).
   */
  resetEncoding(limits: EncodingLimits): void {
    const keys = this.#table.keys;
    let width: 2 | 4 | 8 = 2;
    let intset = keys.length <= Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
    for (let i = 0; intset && i < keys.length; i++) {
      const w = intsetWidthOf(keys[i]);
      if (w === 0) intset = false;
      else if (w > width) width = w;
    }
    this.#intset = intset;
    this.#width = width;
  }

  /**
   * One SSCAN step: visits up to `count` members from `cursor` and returns
   * the next cursor (0 when done). Small sets have no cursor: they are
   * returned whole (as Redis returns intsets), and `cursor` is ignored.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    const table = this.#table;
    if (!table.indexed) {
      for (const m of table.keys) visit(m);
      return 0;
    }
    return table.scan(cursor, count, (pos) => visit(table.keys[pos]));
  }

  /** True when SSCAN returns the whole set in one step. */
  get scansWhole(): boolean {
    return !this.#table.indexed;
  }

  #noteIntsetAdd(member: string, limits: EncodingLimits): void {
    const width = intsetWidthOf(member);
    if (width === 0) {
      this.#intset = false;
      return;
    }
    if (width > this.#width) this.#width = width;
    const max = Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
    if (this.#table.size + 1 > max) this.#intset = false;
  }
}
