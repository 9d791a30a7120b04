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
 * Layout, like Redis's quicklist: a deque (ring buffer) of nodes of up to
 * {@link NODE_MAX_ITEMS} consecutive elements. Interior nodes are packed
 * into one string each (core/values/packed.ts), which keeps memory near
 * Redis's listpacks; the nodes at both ends are "loose" arrays while they
 * are pushed to or popped from, and are packed once they become interior.
 * So pushes and pops at either end are O(1) amortized, an index is reached
 * in O(distance to the nearer end / node size + node size), and a range of
 * S..S+N costs O(S/node size + N).
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { afterLength, pack, readLength, unpack } from "./packed.ts";

/** Elements per node. */
const NODE_MAX_ITEMS = 128;
/** Element bytes per node (a longer element gets a node of its own). */
const NODE_MAX_BYTES = 8192;
/** Nodes smaller than this are merged with a neighbour when they are changed. */
const NODE_MERGE_ITEMS = NODE_MAX_ITEMS / 4;

/** Consecutive elements: packed (`packed` set) or loose (`items` set). */
interface ListNode {
  packed: string | null;
  items: string[] | null;
  count: number;
  bytes: number;
}

function looseNode(items: string[], bytes: number): ListNode {
  return { packed: null, items, count: items.length, bytes };
}

function totalBytes(items: readonly string[]): number {
  let n = 0;
  for (const s of items) n += s.length;
  return n;
}

/** Makes `node` loose (an array of its elements) and returns the array. */
function loosen(node: ListNode): string[] {
  if (node.items === null) {
    node.items = unpack(node.packed!);
    node.packed = null;
  }
  return node.items;
}

/** Makes `node` packed. */
function tighten(node: ListNode): void {
  if (node.packed === null) {
    node.packed = pack(node.items!);
    node.items = null;
  }
}

/** The element at `offset` of a packed string. */
function packedAt(data: string, offset: number): string {
  let p = 0;
  for (let i = 0; i < offset; i++) {
    const skip = readLength(data, p);
    p = afterLength + skip;
  }
  const len = readLength(data, p);
  return data.slice(afterLength, afterLength + len);
}

/** Position in `data` of the first element equal to `value` at or after element `from`, or -1. */
function packedIndexOf(data: string, value: string, from: number): number {
  let p = 0;
  let i = 0;
  while (p < data.length) {
    const len = readLength(data, p);
    if (i >= from && len === value.length && data.startsWith(value, afterLength)) return i;
    p = afterLength + len;
    i++;
  }
  return -1;
}

/** Offset of the element that the last `#locate` found, inside its node. */
let locatedOffset = 0;

/** A list value: a deque of byte strings. */
export class ListValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "list" as const;

  #nodes = new Ring<ListNode>();
  #length = 0;

  /** Number of elements. */
  get length(): number {
    return this.#length;
  }

  /** Elements head to tail. */
  *[Symbol.iterator](): Iterator<string> {
    const nodes = this.#nodes;
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes.get(n);
      if (node.items !== null) {
        yield* node.items;
        continue;
      }
      const data = node.packed!;
      let p = 0;
      while (p < data.length) {
        const len = readLength(data, p);
        p = afterLength + len;
        yield data.slice(afterLength, p);
      }
    }
  }

  /**
   * OBJECT ENCODING as Redis 7.0 reports it: every 7.0 list is a quicklist
   * (listpack-encoded lists arrived in 7.2), whatever its size.
   */
  encoding(_limits: EncodingLimits): string {
    return "quicklist";
  }

  /** Builds a list as a loader would: full packed nodes. */
  static fromItems(items: Iterable<string>, _limits: EncodingLimits): ListValue {
    const list = new ListValue();
    let batch: string[] = [];
    let bytes = 0;
    const flush = () => {
      const node = looseNode(batch, bytes);
      tighten(node);
      list.#nodes.pushTail(node);
      list.#length += batch.length;
      batch = [];
      bytes = 0;
    };
    for (const item of items) {
      if (
        batch.length > 0 && (batch.length >= NODE_MAX_ITEMS || bytes + item.length > NODE_MAX_BYTES)
      ) {
        flush();
      }
      batch.push(item);
      bytes += item.length;
    }
    if (batch.length > 0) flush();
    return list;
  }

  /** Adds `value` at the head. */
  pushHead(value: string): void {
    const nodes = this.#nodes;
    const node = nodes.length > 0 ? nodes.get(0) : undefined;
    if (node === undefined || isFull(node, value)) {
      nodes.pushHead(looseNode([value], value.length));
      this.#settle(1);
    } else {
      loosen(node).unshift(value);
      node.count++;
      node.bytes += value.length;
    }
    this.#length++;
  }

  /** Adds `value` at the tail. */
  pushTail(value: string): void {
    const nodes = this.#nodes;
    const node = nodes.length > 0 ? nodes.get(nodes.length - 1) : undefined;
    if (node === undefined || isFull(node, value)) {
      nodes.pushTail(looseNode([value], value.length));
      this.#settle(nodes.length - 2);
    } else {
      loosen(node).push(value);
      node.count++;
      node.bytes += value.length;
    }
    this.#length++;
  }

  /** Removes and returns the head element, or undefined when empty. */
  popHead(): string | undefined {
    if (this.#length === 0) return undefined;
    const nodes = this.#nodes;
    const node = nodes.get(0);
    const value = loosen(node).shift()!;
    node.count--;
    node.bytes -= value.length;
    if (node.count === 0) nodes.popHead();
    this.#length--;
    return value;
  }

  /** Removes and returns the tail element, or undefined when empty. */
  popTail(): string | undefined {
    if (this.#length === 0) return undefined;
    const nodes = this.#nodes;
    const node = nodes.get(nodes.length - 1);
    const value = loosen(node).pop()!;
    node.count--;
    node.bytes -= value.length;
    if (node.count === 0) nodes.popTail();
    this.#length--;
    return value;
  }

  /** The element at `index` (0 is the head); `index` must be in range. */
  at(index: number): string {
    const node = this.#nodes.get(this.#locate(index));
    return node.items !== null ? node.items[locatedOffset] : packedAt(node.packed!, locatedOffset);
  }

  /** Replaces the element at `index`; `index` must be in range. */
  set(index: number, value: string): void {
    const n = this.#locate(index);
    const node = this.#nodes.get(n);
    const items = loosen(node);
    node.bytes += value.length - items[locatedOffset].length;
    items[locatedOffset] = value;
    this.#settle(n);
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
    const n = this.#locate(index);
    const node = this.#nodes.get(n);
    const items = loosen(node);
    items.splice(locatedOffset, 0, value);
    node.count++;
    node.bytes += value.length;
    this.#length++;
    if (node.count > 2 * NODE_MAX_ITEMS || (node.bytes > 2 * NODE_MAX_BYTES && node.count > 1)) {
      const tail = items.splice(node.count >>> 1);
      const moved = totalBytes(tail);
      node.count = items.length;
      node.bytes -= moved;
      this.#nodes.insertAt(n + 1, looseNode(tail, moved));
      this.#settle(n + 1);
    }
    this.#settle(n);
  }

  /** Removes the element at position `index`; `index` must be in range. */
  removeAt(index: number): void {
    this.removeRange(index, 1);
  }

  /** Removes `count` elements starting at position `start`; the range must be in bounds. */
  removeRange(start: number, count: number): void {
    if (count <= 0) return;
    const nodes = this.#nodes;
    let n = this.#locate(start);
    let offset = locatedOffset;
    let left = count;
    this.#length -= count;
    // A partial first node.
    if (offset > 0) {
      const node = nodes.get(n);
      const take = Math.min(node.count - offset, left);
      this.#cut(node, offset, take);
      left -= take;
      n++;
      offset = 0;
    }
    // Whole nodes, removed together.
    let whole = 0;
    while (left > 0 && n + whole < nodes.length && nodes.get(n + whole).count <= left) {
      left -= nodes.get(n + whole).count;
      whole++;
    }
    nodes.removeRange(n, whole);
    // A partial last node.
    if (left > 0) this.#cut(nodes.get(n), 0, left);
    this.#settle(n);
    this.#settle(n - 1);
  }

  /**
   * Position of the first element equal to `value` at or after `from`
   * (searching towards the tail), or -1.
   */
  indexOf(value: string, from = 0): number {
    const nodes = this.#nodes;
    let base = 0;
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes.get(n);
      if (base + node.count > from) {
        const start = Math.max(0, from - base);
        const i = node.items !== null
          ? node.items.indexOf(value, start)
          : packedIndexOf(node.packed!, value, start);
        if (i >= 0) return base + i;
      }
      base += node.count;
    }
    return -1;
  }

  /**
   * Removes up to `limit` elements equal to `value` (0: all of them),
   * scanning from the head, or from the tail when `fromTail`. Returns how
   * many were removed.
   */
  removeMatching(value: string, limit: number, fromTail: boolean): number {
    const nodes = this.#nodes;
    let removed = 0;
    for (let k = 0; k < nodes.length && (limit === 0 || removed < limit); k++) {
      const node = nodes.get(fromTail ? nodes.length - 1 - k : k);
      if (node.items === null && packedIndexOf(node.packed!, value, 0) < 0) continue;
      const items = loosen(node);
      const kept: string[] = [];
      if (!fromTail) {
        for (const item of items) {
          if (item === value && (limit === 0 || removed < limit)) removed++;
          else kept.push(item);
        }
      } else {
        for (let i = items.length - 1; i >= 0; i--) {
          if (items[i] === value && (limit === 0 || removed < limit)) removed++;
          else kept.push(items[i]);
        }
        kept.reverse();
      }
      node.items = kept;
      node.count = kept.length;
      node.bytes = totalBytes(kept);
    }
    if (removed > 0) {
      this.#length -= removed;
      this.#compact();
    }
    return removed;
  }

  /** Calls `fn` for positions `start..end` (inclusive, in range), or `end..start` when reversed. */
  forRange(start: number, end: number, reverse: boolean, fn: (item: string) => void): void {
    if (start > end) return;
    const nodes = this.#nodes;
    if (!reverse) {
      let n = this.#locate(start);
      let offset = locatedOffset;
      let left = end - start + 1;
      while (left > 0) {
        const node = nodes.get(n++);
        const take = Math.min(node.count - offset, left);
        if (node.items !== null) {
          const items = node.items;
          for (let i = offset; i < offset + take; i++) fn(items[i]);
        } else {
          forPacked(node.packed!, offset, take, fn);
        }
        left -= take;
        offset = 0;
      }
      return;
    }
    let n = this.#locate(end);
    let offset = locatedOffset;
    let left = end - start + 1;
    while (left > 0) {
      const node = nodes.get(n--);
      const items = node.items ?? unpack(node.packed!);
      const take = Math.min(offset + 1, left);
      for (let i = offset; i > offset - take; i--) fn(items[i]);
      left -= take;
      if (n >= 0) offset = nodes.get(n).count - 1;
    }
  }

  /**
   * Visits elements with their positions from the head (or from the tail
   * when `fromTail`) until `fn` returns false.
   */
  scan(fromTail: boolean, fn: (item: string, index: number) => boolean): void {
    const nodes = this.#nodes;
    if (!fromTail) {
      let index = 0;
      for (let n = 0; n < nodes.length; n++) {
        const node = nodes.get(n);
        if (node.items !== null) {
          for (const item of node.items) if (!fn(item, index++)) return;
          continue;
        }
        const data = node.packed!;
        let p = 0;
        while (p < data.length) {
          const len = readLength(data, p);
          p = afterLength + len;
          if (!fn(data.slice(afterLength, p), index++)) return;
        }
      }
      return;
    }
    let index = this.#length - 1;
    for (let n = nodes.length - 1; n >= 0; n--) {
      const node = nodes.get(n);
      const items = node.items ?? unpack(node.packed!);
      for (let i = items.length - 1; i >= 0; i--) if (!fn(items[i], index--)) return;
    }
  }

  /** The elements from `start` to `end` inclusive (in range), head to tail. */
  slice(start: number, end: number): string[] {
    const out: string[] = [];
    this.forRange(start, end, false, (item) => out.push(item));
    return out;
  }

  /** Index of the node holding position `index`; sets `locatedOffset`. */
  #locate(index: number): number {
    const nodes = this.#nodes;
    if (index < this.#length / 2) {
      let n = 0;
      while (index >= nodes.get(n).count) index -= nodes.get(n++).count;
      locatedOffset = index;
      return n;
    }
    let n = nodes.length - 1;
    let fromEnd = this.#length - 1 - index;
    while (fromEnd >= nodes.get(n).count) fromEnd -= nodes.get(n--).count;
    locatedOffset = nodes.get(n).count - 1 - fromEnd;
    return n;
  }

  /** Removes `count` elements at `offset` inside `node`, which keeps at least one. */
  #cut(node: ListNode, offset: number, count: number): void {
    const removed = loosen(node).splice(offset, count);
    node.count -= count;
    node.bytes -= totalBytes(removed);
  }

  /**
   * After node `n` changed: drops it when empty, merges it with a neighbour
   * when both are small, and packs it when it is interior.
   */
  #settle(n: number): void {
    const nodes = this.#nodes;
    if (n < 0 || n >= nodes.length) return;
    const node = nodes.get(n);
    if (node.count === 0) {
      nodes.removeRange(n, 1);
      return;
    }
    if (n + 1 < nodes.length && this.#mergeable(node, nodes.get(n + 1))) {
      const next = nodes.get(n + 1);
      node.items = loosen(node).concat(loosen(next));
      node.count += next.count;
      node.bytes += next.bytes;
      nodes.removeRange(n + 1, 1);
    }
    if (n > 0 && n < nodes.length - 1) tighten(node);
  }

  #mergeable(a: ListNode, b: ListNode): boolean {
    return (a.count < NODE_MERGE_ITEMS || b.count < NODE_MERGE_ITEMS) &&
      a.count + b.count <= NODE_MAX_ITEMS && a.bytes + b.bytes <= NODE_MAX_BYTES;
  }

  /** Rebuilds the node ring after changes anywhere: no empty nodes, small ones merged. */
  #compact(): void {
    const old = this.#nodes;
    const nodes = new Ring<ListNode>();
    for (let n = 0; n < old.length; n++) {
      const node = old.get(n);
      if (node.count === 0) continue;
      const last = nodes.length > 0 ? nodes.get(nodes.length - 1) : undefined;
      if (last !== undefined && this.#mergeable(last, node)) {
        last.items = loosen(last).concat(loosen(node));
        last.count += node.count;
        last.bytes += node.bytes;
      } else {
        nodes.pushTail(node);
      }
    }
    for (let n = 1; n < nodes.length - 1; n++) tighten(nodes.get(n));
    this.#nodes = nodes;
  }
}

/** A node cannot take `value` without exceeding its limits. */
function isFull(node: ListNode, value: string): boolean {
  return node.count >= NODE_MAX_ITEMS || node.bytes + value.length > NODE_MAX_BYTES;
}

/** Calls `fn` for `count` elements of a packed string from element `offset`. */
function forPacked(data: string, offset: number, count: number, fn: (item: string) => void): void {
  let p = 0;
  for (let i = 0; i < offset; i++) {
    const len = readLength(data, p);
    p = afterLength + len;
  }
  for (let i = 0; i < count; i++) {
    const len = readLength(data, p);
    p = afterLength + len;
    fn(data.slice(afterLength, p));
  }
}

/** A deque of values in a power-of-two ring buffer. */
class Ring<T> {
  #slots: (T | undefined)[] = new Array(4);
  #mask = 3;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  get(i: number): T {
    return this.#slots[(this.#head + i) & this.#mask]!;
  }

  pushHead(value: T): void {
    if (this.#length === this.#slots.length) this.#resize(this.#slots.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#slots[this.#head] = value;
    this.#length++;
  }

  pushTail(value: T): void {
    if (this.#length === this.#slots.length) this.#resize(this.#slots.length * 2);
    this.#slots[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  popHead(): void {
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    this.#maybeShrink();
  }

  popTail(): void {
    this.#slots[(this.#head + this.#length - 1) & this.#mask] = undefined;
    this.#length--;
    this.#maybeShrink();
  }

  /** Inserts `value` at position `index` (0..length), moving the shorter side. */
  insertAt(index: number, value: T): void {
    if (this.#length === this.#slots.length) this.#resize(this.#slots.length * 2);
    const slots = this.#slots;
    const mask = this.#mask;
    if (index < this.#length - index) {
      const head = (this.#head - 1) & mask;
      for (let i = 0; i < index; i++) slots[(head + i) & mask] = slots[(head + i + 1) & mask];
      this.#head = head;
    } else {
      for (let i = this.#length; i > index; i--) {
        slots[(this.#head + i) & mask] = slots[(this.#head + i - 1) & mask];
      }
    }
    slots[(this.#head + index) & mask] = value;
    this.#length++;
  }

  /** Removes `count` values at `start`, moving the shorter side over the gap. */
  removeRange(start: number, count: number): void {
    if (count <= 0) return;
    const slots = this.#slots;
    const mask = this.#mask;
    const head = this.#head;
    const n = this.#length;
    const after = n - start - count;
    if (start < after) {
      for (let i = start - 1; i >= 0; i--) {
        slots[(head + i + count) & mask] = slots[(head + i) & mask];
      }
      for (let i = 0; i < count; i++) slots[(head + i) & mask] = undefined;
      this.#head = (head + count) & mask;
    } else {
      for (let i = start; i < start + after; i++) {
        slots[(head + i) & mask] = slots[(head + i + count) & mask];
      }
      for (let i = start + after; i < n; i++) slots[(head + i) & mask] = undefined;
    }
    this.#length = n - count;
    this.#maybeShrink();
  }

  #maybeShrink(): void {
    const cap = this.#slots.length;
    if (cap > 4 && this.#length < cap >>> 2) {
      let next = 4;
      while (next < this.#length * 2) next *= 2;
      this.#resize(next);
    }
  }

  #resize(capacity: number): void {
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) next[i] = this.get(i);
    this.#slots = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
