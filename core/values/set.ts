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
 * Layout: the members sit in an array, so SPOP and SRANDMEMBER pick one in
 * O(1), and a `Map` from member to array index answers membership in O(1)
 * (removal swaps the last member into the hole). Small sets skip the map and
 * search the array: a few comparisons cost less than a map's memory.
 *
 * The encoding Redis would report depends on history, not only on content
 * (a set that once held a non-integer stays a hash table), so it is tracked
 * as state, updated by every addition with the limits in force at the time.
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { parseInt64 } from "../numbers.ts";

/** Sets up to this size have no index map. */
const SMALL_SET = 32;

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

  #members: string[] = [];
  #index: Map<string, number> | null = null;
  #intset = true;
  #width: 2 | 4 | 8 = 2;

  /** Number of members. */
  get size(): number {
    return this.#members.length;
  }

  /** The members. Do not change the set while iterating. */
  [Symbol.iterator](): Iterator<string> {
    return this.#members[Symbol.iterator]();
  }

  /** True when `member` belongs to the set. */
  has(member: string): boolean {
    return this.#indexOf(member) >= 0;
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

  /** Adds `member`; returns false when it was already there. */
  add(member: string, limits: EncodingLimits): boolean {
    if (this.#indexOf(member) >= 0) return false;
    if (this.#intset) this.#noteIntsetAdd(member, limits);
    const members = this.#members;
    members.push(member);
    if (this.#index !== null) this.#index.set(member, members.length - 1);
    else if (members.length > SMALL_SET) this.#buildIndex();
    return true;
  }

  /** Removes `member`; returns false when it was not there. */
  delete(member: string): boolean {
    const i = this.#indexOf(member);
    if (i < 0) return false;
    this.#removeAt(i);
    return true;
  }

  /** A random member (the set must not be empty). */
  random(): string {
    return this.#members[Math.floor(Math.random() * this.#members.length)];
  }

  /** The member at array position `i` (0 <= i < size), for sampling. */
  at(i: number): string {
    return this.#members[i];
  }

  /** Removes and returns a random member (the set must not be empty). */
  popRandom(): string {
    const i = Math.floor(Math.random() * this.#members.length);
    const member = this.#members[i];
    this.#removeAt(i);
    return member;
  }

  /** The members as a new array. */
  toArray(): string[] {
    return this.#members.slice();
  }

  /**
   * Recomputes the encoding from the content, as Redis does when it rebuilds
   * a set from scratch (SPOP with a count close to the size).
   */
  resetEncoding(limits: EncodingLimits): void {
    let width: 2 | 4 | 8 = 2;
    let intset = this.#members.length <= Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
    for (let i = 0; intset && i < this.#members.length; i++) {
      const w = intsetWidthOf(this.#members[i]);
      if (w === 0) intset = false;
      else if (w > width) width = w;
    }
    this.#intset = intset;
    this.#width = width;
  }

  /**
   * The live key map for SSCAN, or null when the set is small enough to be
   * returned in one step (as Redis does for intsets).
   */
  scanMap(): Map<string, number> | null {
    return this.#index;
  }

  #noteIntsetAdd(member: string, limits: EncodingLimits): void {
    const width = intsetWidthOf(member);
    if (width === 0) {
      this.#intset = false;
      return;
    }
    if (width > this.#width) this.#width = width;
    const max = Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
    if (this.#members.length + 1 > max) this.#intset = false;
  }

  #indexOf(member: string): number {
    if (this.#index !== null) return this.#index.get(member) ?? -1;
    return this.#members.indexOf(member);
  }

  #removeAt(i: number): void {
    const members = this.#members;
    const last = members.pop()!;
    const index = this.#index;
    if (i < members.length) {
      const removed = members[i];
      members[i] = last;
      if (index !== null) {
        index.set(last, i);
        index.delete(removed);
      }
    } else if (index !== null) {
      index.delete(last);
    }
  }

  #buildIndex(): void {
    const index = new Map<string, number>();
    const members = this.#members;
    for (let i = 0; i < members.length; i++) index.set(members[i], i);
    this.#index = index;
  }
}
