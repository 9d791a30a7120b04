/**
 * Minimal implementations of the value contracts (core/values/*.ts) for the
 * codec's tests, with Redis 7.0's encoding rules, so the codec can be tested
 * independently of the real collection classes. Not for production use.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import type { HashValue, ListValue, SetValue, Value, ZSetValue } from "../../core/values/value.ts";
import { parseInt64 } from "../../core/numbers.ts";
import type { ValueBuilders } from "./builders.ts";
import { intsetWidthOf } from "./intset.ts";

/** A list kept as an array. */
export class TestList {
  /** Type tag. */
  readonly type = "list" as const;
  /** Elements head to tail. */
  readonly items: string[];
  /** Wraps `items`. */
  constructor(items: string[]) {
    this.items = items;
  }
  /** Number of elements. */
  get length(): number {
    return this.items.length;
  }
  /** Elements head to tail. */
  [Symbol.iterator](): Iterator<string> {
    return this.items[Symbol.iterator]();
  }
  /** Always "quicklist" in Redis 7.0. */
  encoding(_limits: EncodingLimits): string {
    return "quicklist";
  }
}

/** A set kept as a JavaScript Set. */
export class TestSet {
  /** Type tag. */
  readonly type = "set" as const;
  /** Members. */
  readonly members: Set<string>;
  /** Width override (an intset that once held a larger member). */
  width: 2 | 4 | 8 | null = null;
  /** Wraps `members`. */
  constructor(members: Iterable<string>) {
    this.members = new Set(members);
  }
  /** Number of members. */
  get size(): number {
    return this.members.size;
  }
  /** Members. */
  [Symbol.iterator](): Iterator<string> {
    return this.members[Symbol.iterator]();
  }
  /** Membership. */
  has(m: string): boolean {
    return this.members.has(m);
  }
  /** "intset" while every member is an integer and the set is small enough. */
  encoding(limits: EncodingLimits): string {
    if (this.members.size > limits.setMaxIntsetEntries) return "hashtable";
    for (const m of this.members) if (parseInt64(m) === null) return "hashtable";
    return "intset";
  }
  /** Width of the widest member (or the override). */
  intsetWidth(): 2 | 4 | 8 {
    let w: 2 | 4 | 8 = this.width ?? 2;
    for (const m of this.members) {
      const mw = intsetWidthOf(parseInt64(m) ?? 0);
      if (mw > w) w = mw;
    }
    return w;
  }
}

/** A hash kept as an insertion-ordered Map. */
export class TestHash {
  /** Type tag. */
  readonly type = "hash" as const;
  /** Fields and values. */
  readonly map: Map<string, string>;
  /** Wraps `entries`. */
  constructor(entries: Iterable<[string, string]>) {
    this.map = new Map(entries);
  }
  /** Number of fields. */
  get size(): number {
    return this.map.size;
  }
  /** Field/value pairs in insertion order. */
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  /** Value of a field. */
  get(f: string): string | undefined {
    return this.map.get(f);
  }
  /** "listpack" while small. */
  encoding(limits: EncodingLimits): string {
    if (this.map.size > limits.hashMaxListpackEntries) return "hashtable";
    for (const [f, v] of this.map) {
      if (f.length > limits.hashMaxListpackValue || v.length > limits.hashMaxListpackValue) {
        return "hashtable";
      }
    }
    return "listpack";
  }
}

/** A sorted set kept as a sorted array. */
export class TestZSet {
  /** Type tag. */
  readonly type = "zset" as const;
  /** Members sorted by score, then member bytes. */
  readonly sorted: [string, number][];
  /** Sorts `entries`. */
  constructor(entries: Iterable<[string, number]>) {
    this.sorted = Array.from(new Map(entries)).sort((a, b) =>
      a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
    );
  }
  /** Number of members. */
  get size(): number {
    return this.sorted.length;
  }
  /** Ascending entries. */
  entries(): IterableIterator<[string, number]> {
    return this.sorted[Symbol.iterator]();
  }
  /** Score of a member. */
  score(m: string): number | undefined {
    return this.sorted.find((e) => e[0] === m)?.[1];
  }
  /** "listpack" while small. */
  encoding(limits: EncodingLimits): string {
    if (this.sorted.length > limits.zsetMaxListpackEntries) return "skiplist";
    for (const [m] of this.sorted) if (m.length > limits.zsetMaxListpackValue) return "skiplist";
    return "listpack";
  }
}

/** Builders producing the test values. */
export const TEST_BUILDERS: ValueBuilders = {
  list: (items) => new TestList(items) as unknown as ListValue,
  set: (members) => new TestSet(members) as unknown as SetValue,
  hash: (entries) => new TestHash(entries) as unknown as HashValue,
  zset: (entries) => new TestZSet(entries) as unknown as ZSetValue,
};

/** Plain contents of a value, for comparisons (sets and hashes sorted). */
export function plainContents(v: Value): unknown {
  if (typeof v === "string") return v;
  switch (v.type) {
    case "list":
      return { list: Array.from(v) };
    case "set":
      return { set: Array.from(v).sort() };
    case "hash":
      return { hash: Array.from(v.entries()).sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
    case "zset":
      return { zset: Array.from(v.entries()) };
  }
}
