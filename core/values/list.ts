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
 * The elements live in a ring buffer (a deque): a power-of-two array with a
 * head index, so pushes and pops at either end are O(1) and any index is
 * O(1) to read. Inserting or removing in the middle moves the shorter side.
 * There is no object per element, only the element strings themselves.
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";

const MIN_CAPACITY = 4;

/** A list value: a deque of byte strings. */
export class ListValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "list" as const;

  #ring: (string | undefined)[];
  #mask: number;
  #head = 0;
  #length = 0;

  /** Creates an empty list with room for `capacity` elements before it grows. */
  constructor(capacity = MIN_CAPACITY) {
    const cap = capacityFor(capacity);
    this.#ring = new Array(cap);
    this.#mask = cap - 1;
  }

  /** Number of elements. */
  get length(): number {
    return this.#length;
  }

  /** Elements head to tail. */
  *[Symbol.iterator](): Iterator<string> {
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    const n = this.#length;
    for (let i = 0; i < n; i++) yield ring[(head + i) & mask]!;
  }

  /**
   * OBJECT ENCODING as Redis 7.0 reports it: every 7.0 list is a quicklist
   * (listpack-encoded lists arrived in 7.2), whatever its size.
   */
  encoding(_limits: EncodingLimits): string {
    return "quicklist";
  }

  /** Builds a list as a loader would. */
  static fromItems(items: Iterable<string>, _limits: EncodingLimits): ListValue {
    const array = Array.isArray(items) ? items as string[] : [...items];
    const list = new ListValue(array.length);
    const ring = list.#ring;
    for (let i = 0; i < array.length; i++) ring[i] = array[i];
    list.#length = array.length;
    return list;
  }

  /** Adds `value` at the head. */
  pushHead(value: string): void {
    if (this.#length === this.#ring.length) this.#resize(this.#ring.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#ring[this.#head] = value;
    this.#length++;
  }

  /** Adds `value` at the tail. */
  pushTail(value: string): void {
    if (this.#length === this.#ring.length) this.#resize(this.#ring.length * 2);
    this.#ring[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  /** Removes and returns the head element, or undefined when empty. */
  popHead(): string | undefined {
    if (this.#length === 0) return undefined;
    const ring = this.#ring;
    const value = ring[this.#head];
    ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    this.#maybeShrink();
    return value;
  }

  /** Removes and returns the tail element, or undefined when empty. */
  popTail(): string | undefined {
    if (this.#length === 0) return undefined;
    const ring = this.#ring;
    const slot = (this.#head + this.#length - 1) & this.#mask;
    const value = ring[slot];
    ring[slot] = undefined;
    this.#length--;
    this.#maybeShrink();
    return value;
  }

  /** The element at `index` (0 is the head); `index` must be in range. */
  at(index: number): string {
    return this.#ring[(this.#head + index) & this.#mask]!;
  }

  /** Replaces the element at `index`; `index` must be in range. */
  set(index: number, value: string): void {
    this.#ring[(this.#head + index) & this.#mask] = value;
  }

  /**
   * Converts a Redis index (negative counts from the tail) to a position,
   * or -1 when it is out of range.
   */
  resolveIndex(index: number): number {
    const i = index < 0 ? this.#length + index : index;
    return i >= 0 && i < this.#length ? i : -1;
  }

  /** Inserts `value` so that it ends up at position `index` (0..length). */
  insertAt(index: number, value: string): void {
    if (index === 0) return this.pushHead(value);
    if (index === this.#length) return this.pushTail(value);
    if (this.#length === this.#ring.length) this.#resize(this.#ring.length * 2);
    const ring = this.#ring;
    const mask = this.#mask;
    if (index < this.#length - index) {
      // Move the first `index` elements one slot towards the head.
      const head = (this.#head - 1) & mask;
      for (let i = 0; i < index; i++) {
        ring[(head + i) & mask] = ring[(head + i + 1) & mask];
      }
      this.#head = head;
    } else {
      // Move the elements from `index` on one slot towards the tail.
      for (let i = this.#length; i > index; i--) {
        ring[(this.#head + i) & mask] = ring[(this.#head + i - 1) & mask];
      }
    }
    ring[(this.#head + index) & mask] = value;
    this.#length++;
  }

  /** Removes the element at position `index`; `index` must be in range. */
  removeAt(index: number): void {
    this.#closeGap(index, 1);
  }

  /** Removes `count` elements starting at position `start`; the range must be in bounds. */
  removeRange(start: number, count: number): void {
    if (count <= 0) return;
    this.#closeGap(start, count);
  }

  /**
   * Position of the first element equal to `value` at or after `from`
   * (searching towards the tail), or -1.
   */
  indexOf(value: string, from = 0): number {
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    for (let i = from; i < this.#length; i++) {
      if (ring[(head + i) & mask] === value) return i;
    }
    return -1;
  }

  /**
   * Removes up to `limit` elements equal to `value` (0: all of them),
   * scanning from the head, or from the tail when `fromTail`. Returns how
   * many were removed. One pass: survivors are compacted as they are met.
   */
  removeMatching(value: string, limit: number, fromTail: boolean): number {
    const n = this.#length;
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    let removed = 0;
    if (!fromTail) {
      let write = 0;
      for (let read = 0; read < n; read++) {
        const item = ring[(head + read) & mask];
        if (item === value && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (write !== read) ring[(head + write) & mask] = item;
        write++;
      }
      for (let i = write; i < n; i++) ring[(head + i) & mask] = undefined;
    } else {
      let write = n - 1;
      for (let read = n - 1; read >= 0; read--) {
        const item = ring[(head + read) & mask];
        if (item === value && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (write !== read) ring[(head + write) & mask] = item;
        write--;
      }
      for (let i = 0; i < removed; i++) ring[(head + i) & mask] = undefined;
      this.#head = (head + removed) & mask;
    }
    this.#length = n - removed;
    this.#maybeShrink();
    return removed;
  }

  /** Calls `fn` for positions `start..end` (inclusive, in range), or `end..start` when reversed. */
  forRange(start: number, end: number, reverse: boolean, fn: (item: string) => void): void {
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    if (reverse) {
      for (let i = end; i >= start; i--) fn(ring[(head + i) & mask]!);
    } else {
      for (let i = start; i <= end; i++) fn(ring[(head + i) & mask]!);
    }
  }

  /** The elements from `start` to `end` inclusive (in range), head to tail. */
  slice(start: number, end: number): string[] {
    const out = new Array<string>(end - start + 1);
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    for (let i = start; i <= end; i++) out[i - start] = ring[(head + i) & mask]!;
    return out;
  }

  /** Removes `count` elements at `start` by moving the shorter side over the gap. */
  #closeGap(start: number, count: number): void {
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    const n = this.#length;
    const after = n - start - count;
    if (start < after) {
      // Shift the elements before the gap towards the tail.
      for (let i = start - 1; i >= 0; i--) {
        ring[(head + i + count) & mask] = ring[(head + i) & mask];
      }
      for (let i = 0; i < count; i++) ring[(head + i) & mask] = undefined;
      this.#head = (head + count) & mask;
    } else {
      for (let i = start; i < start + after; i++) {
        ring[(head + i) & mask] = ring[(head + i + count) & mask];
      }
      for (let i = start + after; i < n; i++) ring[(head + i) & mask] = undefined;
    }
    this.#length = n - count;
    this.#maybeShrink();
  }

  /** Gives memory back after large removals (a quarter full halves the ring). */
  #maybeShrink(): void {
    const cap = this.#ring.length;
    if (cap > MIN_CAPACITY && this.#length < cap >>> 2) {
      this.#resize(capacityFor(this.#length * 2));
    }
  }

  #resize(capacity: number): void {
    const next = new Array<string | undefined>(capacity);
    const ring = this.#ring;
    const mask = this.#mask;
    const head = this.#head;
    for (let i = 0; i < this.#length; i++) next[i] = ring[(head + i) & mask];
    this.#ring = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}

/** The smallest power of two ≥ `n` and ≥ the minimum capacity. */
function capacityFor(n: number): number {
  let cap = MIN_CAPACITY;
  while (cap < n) cap *= 2;
  return cap;
}
