/**
 * How Redis 7.0 splits a list into quicklist nodes, so that the writer
 * emits the same node boundaries Redis would for a list built by pushing
 * its elements at the tail (`quicklistPushTail`, `_quicklistNodeAllowInsert`).
 *
 * - An element of at least `listPackedThreshold` bytes gets a PLAIN node of its own.
 * - Otherwise it joins the tail node when that node is PACKED and, with
 *   `sz` the element length and `node` the listpack size,
 *   `node + sz + 8` stays within the `list-max-listpack-size` byte limit
 *   (negative fill: 4/8/16/32/64 KiB), or stays within 8 KiB while the node
 *   holds fewer than `fill` elements (positive fill).
 * - With `list-compress-depth` d > 0, every node but the first d and last d
 *   is LZF-compressed in memory when at least 48 bytes long and compression
 *   saves more than 8 bytes; Redis writes such nodes in their compressed form.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import { ListpackBuilder } from "./listpack.ts";
import { lzfCompress } from "./lzf.ts";

const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const FILL_MAX = 32767;
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/** One node as written to the RDB. */
export interface QuicklistNode {
  /** PLAIN (one raw element) or PACKED (a listpack). */
  plain: boolean;
  /** The node's bytes: the element, or the listpack. */
  data: Uint8Array;
  /** The LZF form when the node is compressed in memory, else null. */
  compressed: Uint8Array | null;
}

function clampFill(fill: number): number {
  if (fill > FILL_MAX) return FILL_MAX;
  if (fill < -5) return -5;
  return fill;
}

function allowInsert(nodeBytes: number, nodeCount: number, fill: number, sz: number): boolean {
  const newSize = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0 && newSize <= OPTIMIZATION_LEVEL[-fill - 1]) return true;
  if (newSize > SIZE_SAFETY_LIMIT) return false;
  return nodeCount < fill;
}

/** Splits `items` into nodes as Redis would after pushing them one by one at the tail. */
export function packQuicklist(items: Iterable<string>, limits: EncodingLimits): QuicklistNode[] {
  const fill = clampFill(limits.listMaxListpackSize);
  const threshold = limits.listPackedThreshold;
  const nodes: QuicklistNode[] = [];
  let tail: ListpackBuilder | null = null;
  const closeTail = () => {
    if (tail !== null) nodes.push({ plain: false, data: tail.finish().slice(), compressed: null });
    tail = null;
  };
  for (const s of items) {
    const sz = s.length;
    if (sz >= threshold) {
      closeTail();
      const data = new Uint8Array(sz);
      for (let i = 0; i < sz; i++) data[i] = s.charCodeAt(i);
      nodes.push({ plain: true, data, compressed: null });
      continue;
    }
    if (tail === null || !allowInsert(tail.byteLength, tail.count, fill, sz)) {
      closeTail();
      tail = new ListpackBuilder(Math.min(8192, 64 + sz * 2));
    }
    tail.append(s);
  }
  closeTail();
  compressInterior(nodes, limits.listCompressDepth);
  return nodes;
}

function compressInterior(nodes: QuicklistNode[], depth: number): void {
  if (depth <= 0 || nodes.length <= depth * 2) return;
  for (let i = depth; i < nodes.length - depth; i++) {
    const node = nodes[i];
    const sz = node.data.length;
    if (sz < MIN_COMPRESS_BYTES) continue;
    const out = new Uint8Array(sz);
    const clen = lzfCompress(node.data, out, sz);
    if (clen === 0 || clen + MIN_COMPRESS_IMPROVE >= sz) continue;
    node.compressed = out.slice(0, clen);
  }
}
