/**
 * Serializes one value as Redis 7.0's `rdbSaveObjectType` + `rdbSaveObject`
 * would: the type byte, then the payload, with the encoding Redis would have
 * in memory for the same contents and thresholds.
 *
 * | value | compact (type) | otherwise (type) |
 * |---|---|---|
 * | string | 0 | |
 * | list | always QUICKLIST_2 (18), nodes as {@link packQuicklist} | |
 * | set | INTSET (11) | SET (2) |
 * | hash | LISTPACK (16) | HASH (4) |
 * | zset | LISTPACK (17), ascending | ZSET_2 (5), highest score first |
 *
 * Used by the RDB writer and by DUMP.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import type { HashValue, ListValue, SetValue, Value, ZSetValue } from "../../core/values/value.ts";
import type { ByteSink } from "./byte_sink.ts";
import { Container, RdbType } from "./constants.ts";
import { encodeIntset } from "./intset.ts";
import { ListpackBuilder } from "./listpack.ts";
import { packQuicklist } from "./quicklist.ts";

/** Appends the type byte and payload of `value` to `sink` (a DUMP payload's body). */
export function writeValue(sink: ByteSink, value: Value, limits: EncodingLimits): void {
  const type = rdbTypeOf(value, limits);
  sink.byte(type);
  writePayload(sink, value, type, limits);
}

/** The RDB type byte Redis 7.0 would write for `value`. */
export function rdbTypeOf(value: Value, limits: EncodingLimits): number {
  if (typeof value === "string") return RdbType.STRING;
  switch (value.type) {
    case "list":
      return RdbType.LIST_QUICKLIST_2;
    case "set":
      return value.encoding(limits) === "intset" ? RdbType.SET_INTSET : RdbType.SET;
    case "hash":
      return value.encoding(limits) === "listpack" ? RdbType.HASH_LISTPACK : RdbType.HASH;
    case "zset":
      return value.encoding(limits) === "listpack" ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
  }
}

/** Appends the payload of `value` in the form of RDB type `type` (from {@link rdbTypeOf}). */
export function writePayload(
  sink: ByteSink,
  value: Value,
  type: number,
  limits: EncodingLimits,
): void {
  if (typeof value === "string") return sink.string(value);
  switch (value.type) {
    case "list":
      return writeList(sink, value, limits);
    case "set":
      return type === RdbType.SET_INTSET ? writeIntset(sink, value) : writeSet(sink, value);
    case "hash":
      return type === RdbType.HASH_LISTPACK
        ? writeHashListpack(sink, value)
        : writeHash(sink, value);
    case "zset":
      return type === RdbType.ZSET_LISTPACK
        ? writeZSetListpack(sink, value)
        : writeZSet(sink, value);
  }
}

function writeList(sink: ByteSink, list: ListValue, limits: EncodingLimits): void {
  const nodes = packQuicklist(list, limits);
  sink.len(nodes.length);
  for (const node of nodes) {
    sink.len(node.plain ? Container.PLAIN : Container.PACKED);
    if (node.compressed !== null) sink.lzfBlob(node.compressed, node.data.length);
    else sink.blob(node.data);
  }
}

function writeIntset(sink: ByteSink, set: SetValue): void {
  sink.blob(encodeIntset(set, set.intsetWidth()));
}

function writeSet(sink: ByteSink, set: SetValue): void {
  sink.len(set.size);
  for (const member of set) sink.string(member);
}

function writeHashListpack(sink: ByteSink, hash: HashValue): void {
  const lp = new ListpackBuilder(64 + hash.size * 16);
  for (const [field, value] of hash.entries()) {
    lp.append(field);
    lp.append(value);
  }
  sink.blob(lp.finish());
}

function writeHash(sink: ByteSink, hash: HashValue): void {
  sink.len(hash.size);
  for (const [field, value] of hash.entries()) {
    sink.string(field);
    sink.string(value);
  }
}

function writeZSetListpack(sink: ByteSink, zset: ZSetValue): void {
  const lp = new ListpackBuilder(64 + zset.size * 16);
  for (const [member, score] of zset.entries()) {
    lp.append(member);
    lp.appendScore(score);
  }
  sink.blob(lp.finish());
}

function writeZSet(sink: ByteSink, zset: ZSetValue): void {
  // Redis walks the skiplist from the tail so that loading inserts at the head.
  const entries = Array.from(zset.entries());
  sink.len(entries.length);
  for (let i = entries.length - 1; i >= 0; i--) {
    sink.string(entries[i][0]);
    sink.doubleLE(entries[i][1]);
  }
}
