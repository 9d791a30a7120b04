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
 * - `clone(): ListValue`: an independent copy (COPY)
 *
 * Layout, like Redis's quicklist: a deque (ring buffer) of nodes of up to
 * {@link NODE_MAX_ITEMS} consecutive elements. Interior nodes are packed
 * into one string each (core/values/packed.ts), which keeps memory near
 * Redis's listpacks. End nodes stay packed while small (a push or pop
 * rebuilds them, as Redis rewrites a listpack), so small lists are compact
 * too; a larger end node becomes a "loose" array while it is pushed to or
 * popped from, and is packed again once it becomes interior.
 * So pushes and pops at either end are O(1) amortized, an index is reached
 * in O(distance to the nearer end / node size + node size), and a range of
 * S..S+N costs O(S/node size + N).
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { afterLength, flat, lengthPrefix, pack, readLength, unpack } from "./packed.ts";

/** Elements per node. */
const NODE_MAX_ITEMS = 128;
/** Element bytes per node (a longer element gets a node of its own). */
const NODE_MAX_BYTES = 8192;
/** Nodes smaller than this are merged with a neighbour when they are changed. */
const NODE_MERGE_ITEMS = NODE_MAX_ITEMS / 4;
/**
 * End nodes up to this many packed bytes stay packed and are rebuilt on each
 * push or pop (cheap at this size, and small lists stay compact); larger end
 * nodes are loose while they are pushed to or popped from.
 */
const SMALL_NODE_BYTES = 512;

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

/** A node holding just `value`: packed unless the value is large. */
function singleNode(value: string): ListNode {
  if (value.length >= SMALL_NODE_BYTES) return looseNode([value], value.length);
  return {
    packed: flat(lengthPrefix(value.length) + value),
    items: null,
    count: 1,
    bytes: value.length,
  };
}

/** A packed node small enough to be rebuilt on every change. */
function isSmallPacked(node: ListNode): boolean {
  return node.packed !== null && node.packed.length <= SMALL_NODE_BYTES;
}

/** A loose node small enough to be packed again (half the threshold: no flapping). */
function isSmallLoose(node: ListNode): boolean {
  return node.items !== null && node.bytes + node.count <= SMALL_NODE_BYTES / 2;
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

/**
 * The nodes of a list in a power-of-two ring buffer. ListValue extends it
 * rather than holding one, which saves an object per list.
 */
class NodeRing {
  // Most lists are small: one node, so one slot to start with.
  #slots: (ListNode | undefined)[] = new Array(1);
  #mask = 0;
  #head = 0;
  #length = 0;

  protected get nodeCount(): number {
    return this.#length;
  }

  protected nodeAt(i: number): ListNode {
    return this.#slots[(this.#head + i) & this.#mask]!;
  }

  protected nodePushHead(value: ListNode): void {
    if (this.#length === this.#slots.length) this.#resize(this.#slots.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#slots[this.#head] = value;
    this.#length++;
  }

  protected nodePushTail(value: ListNode): void {
    if (this.#length === this.#slots.length) this.#resize(this.#slots.length * 2);
    this.#slots[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  protected nodePopHead(): void {
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    this.#maybeShrink();
  }

  protected nodePopTail(): void {
    this.#slots[(this.#head + this.#length - 1) & this.#mask] = undefined;
    this.#length--;
    this.#maybeShrink();
  }

  /** Inserts `value` at position `index` (0..length), moving the shorter side. */
  protected nodeInsertAt(index: number, value: ListNode): void {
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
  protected nodeRemoveRange(start: number, count: number): void {
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

  /** Replaces every node with `nodes`. */
  protected nodeReplaceAll(nodes: readonly ListNode[]): void {
    let cap = 1;
    while (cap < nodes.length) cap *= 2;
    this.#slots = new Array<ListNode | undefined>(cap);
    for (let i = 0; i < nodes.length; i++) this.#slots[i] = nodes[i];
    this.#mask = cap - 1;
    this.#head = 0;
    this.#length = nodes.length;
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
    const next = new Array<ListNode | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) next[i] = this.nodeAt(i);
    this.#slots = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}

/** A list value: a deque of byte strings. */
export class ListValue extends NodeRing {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "list" as const;

  #length = 0;

  /** Number of elements. */
  get length(): number {
    return this.#length;
  }

  /** Elements head to tail. */
  *[Symbol.iterator](): Iterator<string> {
    for (let n = 0; n < this.nodeCount; n++) {
      const node = this.nodeAt(n);
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

  /** A copy with the same elements (COPY). Packed nodes are shared: strings are immutable. */
  clone(): ListValue {
    const copy = new ListValue();
    const nodes: ListNode[] = [];
    for (let n = 0; n < this.nodeCount; n++) {
      const node = this.nodeAt(n);
      nodes.push({
        packed: node.packed,
        items: node.items === null ? null : [...node.items],
        count: node.count,
        bytes: node.bytes,
      });
    }
    copy.nodeReplaceAll(nodes);
    copy.#length = this.#length;
    return copy;
  }

  /** Builds a list as a loader would: full packed nodes. */
  static fromItems(items: Iterable<string>, _limits: EncodingLimits): ListValue {
    const list = new ListValue();
    let batch: string[] = [];
    let bytes = 0;
    const flush = () => {
      const node = looseNode(batch, bytes);
      tighten(node);
      list.nodePushTail(node);
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
    const node = this.nodeCount > 0 ? this.nodeAt(0) : undefined;
    if (node === undefined || isFull(node, value)) {
      this.nodePushHead(singleNode(value));
      this.#settle(1);
    } else {
      if (node.packed !== null && node.packed.length + value.length < SMALL_NODE_BYTES) {
        node.packed = flat(lengthPrefix(value.length) + value + node.packed);
      } else {
        loosen(node).unshift(value);
      }
      node.count++;
      node.bytes += value.length;
    }
    this.#length++;
  }

  /** Adds `value` at the tail. */
  pushTail(value: string): void {
    const node = this.nodeCount > 0 ? this.nodeAt(this.nodeCount - 1) : undefined;
    if (node === undefined || isFull(node, value)) {
      this.nodePushTail(singleNode(value));
      this.#settle(this.nodeCount - 2);
    } else {
      if (node.packed !== null && node.packed.length + value.length < SMALL_NODE_BYTES) {
        node.packed = flat(node.packed + lengthPrefix(value.length) + value);
      } else {
        loosen(node).push(value);
      }
      node.count++;
      node.bytes += value.length;
    }
    this.#length++;
  }

  /** Removes and returns the head element, or undefined when empty. */
  popHead(): string | undefined {
    if (this.#length === 0) return undefined;
    const node = this.nodeAt(0);
    let value: string;
    if (isSmallPacked(node)) {
      const data = node.packed!;
      const len = readLength(data, 0);
      const end = afterLength + len;
      value = data.slice(afterLength, end);
      node.packed = data.slice(end);
    } else {
      value = loosen(node).shift()!;
    }
    node.count--;
    node.bytes -= value.length;
    if (node.count === 0) this.nodePopHead();
    else if (isSmallLoose(node)) tighten(node);
    this.#length--;
    return value;
  }

  /** Removes and returns the tail element, or undefined when empty. */
  popTail(): string | undefined {
    if (this.#length === 0) return undefined;
    const node = this.nodeAt(this.nodeCount - 1);
    let value: string;
    if (isSmallPacked(node)) {
      const data = node.packed!;
      let p = 0;
      let start = 0;
      let at = 0;
      while (p < data.length) {
        start = p;
        const len = readLength(data, p);
        at = afterLength;
        p = at + len;
      }
      value = data.slice(at, p);
      node.packed = data.slice(0, start);
    } else {
      value = loosen(node).pop()!;
    }
    node.count--;
    node.bytes -= value.length;
    if (node.count === 0) this.nodePopTail();
    else if (isSmallLoose(node)) tighten(node);
    this.#length--;
    return value;
  }

  /** The element at `index` (0 is the head); `index` must be in range. */
  at(index: number): string {
    const node = this.nodeAt(this.#locate(index));
    return node.items !== null ? node.items[locatedOffset] : packedAt(node.packed!, locatedOffset);
  }

  /** Replaces the element at `index`; `index` must be in range. */
  set(index: number, value: string): void {
    const n = this.#locate(index);
    const node = this.nodeAt(n);
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
    const node = this.nodeAt(n);
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
      this.nodeInsertAt(n + 1, looseNode(tail, moved));
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
    let n = this.#locate(start);
    let offset = locatedOffset;
    let left = count;
    this.#length -= count;
    // A partial first node.
    if (offset > 0) {
      const node = this.nodeAt(n);
      const take = Math.min(node.count - offset, left);
      this.#cut(node, offset, take);
      left -= take;
      n++;
      offset = 0;
    }
    // Whole nodes, removed together.
    let whole = 0;
    while (left > 0 && n + whole < this.nodeCount && this.nodeAt(n + whole).count <= left) {
      left -= this.nodeAt(n + whole).count;
      whole++;
    }
    this.nodeRemoveRange(n, whole);
    // A partial last node.
    if (left > 0) this.#cut(this.nodeAt(n), 0, left);
    this.#settle(n);
    this.#settle(n - 1);
  }

  /**
   * Position of the first element equal to `value` at or after `from`
   * (searching towards the tail), or -1.
   */
  indexOf(value: string, from = 0): number {
    let base = 0;
    for (let n = 0; n < this.nodeCount; n++) {
      const node = this.nodeAt(n);
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
    let removed = 0;
    for (let k = 0; k < this.nodeCount && (limit === 0 || removed < limit); k++) {
      const node = this.nodeAt(fromTail ? this.nodeCount - 1 - k : k);
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
    if (!reverse) {
      let n = this.#locate(start);
      let offset = locatedOffset;
      let left = end - start + 1;
      while (left > 0) {
        const node = this.nodeAt(n++);
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
      const node = this.nodeAt(n--);
      const items = node.items ?? unpack(node.packed!);
      const take = Math.min(offset + 1, left);
      for (let i = offset; i > offset - take; i--) fn(items[i]);
      left -= take;
      if (n >= 0) offset = this.nodeAt(n).count - 1;
    }
  }

  /**
   * Visits elements with their positions from the head (or from the tail
   * when `fromTail`) until `fn` returns false.
   */
  scan(fromTail: boolean, fn: (item: string, index: number) => boolean): void {
    if (!fromTail) {
      let index = 0;
      for (let n = 0; n < this.nodeCount; n++) {
        const node = this.nodeAt(n);
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
    for (let n = this.nodeCount - 1; n >= 0; n--) {
      const node = this.nodeAt(n);
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
    if (index < this.#length / 2) {
      let n = 0;
      while (index >= this.nodeAt(n).count) index -= this.nodeAt(n++).count;
      locatedOffset = index;
      return n;
    }
    let n = this.nodeCount - 1;
    let fromEnd = this.#length - 1 - index;
    while (fromEnd >= this.nodeAt(n).count) fromEnd -= this.nodeAt(n--).count;
    locatedOffset = this.nodeAt(n).count - 1 - fromEnd;
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
    if (n < 0 || n >= this.nodeCount) return;
    const node = this.nodeAt(n);
    if (node.count === 0) {
      this.nodeRemoveRange(n, 1);
      return;
    }
    if (n + 1 < this.nodeCount && this.#mergeable(node, this.nodeAt(n + 1))) {
      const next = this.nodeAt(n + 1);
      node.items = loosen(node).concat(loosen(next));
      node.count += next.count;
      node.bytes += next.bytes;
      this.nodeRemoveRange(n + 1, 1);
    }
    if ((n > 0 && n < this.nodeCount - 1) || isSmallLoose(node)) tighten(node);
  }

  #mergeable(a: ListNode, b: ListNode): boolean {
    return (a.count < NODE_MERGE_ITEMS || b.count < NODE_MERGE_ITEMS) &&
      a.count + b.count <= NODE_MAX_ITEMS && a.bytes + b.bytes <= NODE_MAX_BYTES;
  }

  /** Rebuilds the node ring after changes anywhere: no empty nodes, small ones merged. */
  #compact(): void {
    const kept: ListNode[] = [];
    for (let n = 0; n < this.nodeCount; n++) {
      const node = this.nodeAt(n);
      if (node.count === 0) continue;
      const last = kept.length > 0 ? kept[kept.length - 1] : undefined;
      if (last !== undefined && this.#mergeable(last, node)) {
        last.items = loosen(last).concat(loosen(node));
        last.count += node.count;
        last.bytes += node.bytes;
      } else {
        kept.push(node);
      }
    }
    for (let n = 0; n < kept.length; n++) {
      const node = kept[n];
      if ((n > 0 && n < kept.length - 1) || isSmallLoose(node)) tighten(node);
    }
    this.nodeReplaceAll(kept);
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
