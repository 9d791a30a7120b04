/**
 * Decodes one value payload of any RDB type Redis 2.x to 7.2 writes into
 * plain contents (strings, arrays of elements and pairs), validating it as
 * Redis's loader does: blob integrity, NaN scores. (Duplicate members are
 * found when the value is built, see builders.ts.)
 *
 * What Cairn cannot hold (streams, module values, 7.4 hashes with field
 * TTLs) is refused with an error naming the key.
 *
 * @module
 */

import { parseDouble } from "../../core/numbers.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import { BlobFormatError } from "./blob_error.ts";
import { Container, RDB_TYPE_NAMES, RdbType } from "./constants.ts";
import type { BlobView, Cursor } from "./cursor.ts";
import { decodeIntset } from "./intset.ts";
import { decodeListpack } from "./listpack.ts";
import { decodeZiplist } from "./ziplist.ts";
import { decodeZipmap } from "./zipmap.ts";

/** The contents of a decoded value. */
export type DecodedValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "list"; readonly items: string[] }
  | { readonly kind: "set"; readonly members: string[]; readonly intsetWidth?: 2 | 4 | 8 }
  | { readonly kind: "hash"; readonly entries: [string, string][] }
  | { readonly kind: "zset"; readonly entries: [string, number][] };

/** Returned for a collection with no elements (Redis skips such keys). */
export const EMPTY_VALUE: unique symbol = Symbol("empty value");

/**
 * Reads the payload of a value of RDB type `type` for `key`; `recordOffset`
 * (where the key record starts) is named when the type is refused.
 */
export function decodeValue(
  cur: Cursor,
  type: number,
  key: string,
  recordOffset = cur.offset,
): DecodedValue | typeof EMPTY_VALUE {
  switch (type) {
    case RdbType.STRING:
      return { kind: "string", value: cur.string("a string value") };
    case RdbType.LIST:
      return nonEmpty({ kind: "list", items: readStrings(cur, "list") });
    case RdbType.SET:
      return nonEmpty({ kind: "set", members: readStrings(cur, "set") });
    case RdbType.ZSET:
    case RdbType.ZSET_2:
      return nonEmpty({ kind: "zset", entries: readZSet(cur, type === RdbType.ZSET_2) });
    case RdbType.HASH:
      return nonEmpty({ kind: "hash", entries: readHash(cur) });
    case RdbType.HASH_ZIPMAP:
      return blobHash(cur, "Zipmap", (b) => decodeZipmap(b.bytes, b.start, b.end));
    case RdbType.LIST_ZIPLIST:
      return nonEmpty({ kind: "list", items: blobItems(cur, "List ziplist", decodeZiplist) });
    case RdbType.SET_INTSET:
      return readIntset(cur);
    case RdbType.SET_LISTPACK: {
      const members = blobItems(cur, "Set listpack", decodeListpack);
      return nonEmpty({ kind: "set", members });
    }
    case RdbType.ZSET_ZIPLIST:
      return blobZSet(cur, "Zset ziplist", decodeZiplist);
    case RdbType.ZSET_LISTPACK:
      return blobZSet(cur, "Zset listpack", decodeListpack);
    case RdbType.HASH_ZIPLIST:
      return blobHash(cur, "Hash ziplist", (b) => pairs(decodeZiplist(b.bytes, b.start, b.end)));
    case RdbType.HASH_LISTPACK:
      return blobHash(cur, "Hash listpack", (b) => pairs(decodeListpack(b.bytes, b.start, b.end)));
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
      return nonEmpty({ kind: "list", items: readQuicklist(cur, type) });
    default:
      throw unsupported(cur, type, key, recordOffset);
  }
}

function unsupported(cur: Cursor, type: number, key: string, at: number): Error {
  const name = RDB_TYPE_NAMES[type];
  const shown = JSON.stringify(byteStringToUtf8(key));
  if (name === undefined) {
    return cur.error("corrupt", `Unknown RDB encoding type ${type} (key ${shown})`, at);
  }
  if (type === RdbType.MODULE_2 || type === RdbType.MODULE_PRE_GA) {
    return cur.error(
      "unsupported",
      `key ${shown} holds module data (RDB type ${type}); Cairn has no modules`,
      at,
    );
  }
  const what = type >= 22 ? "a hash with field expiry (Redis 7.4)" : "a stream";
  return cur.error(
    "unsupported",
    `key ${shown} holds ${what} (RDB type ${type} ${name}), which Cairn cannot store`,
    at,
  );
}

function nonEmpty(v: DecodedValue): DecodedValue | typeof EMPTY_VALUE {
  switch (v.kind) {
    case "list":
      return v.items.length === 0 ? EMPTY_VALUE : v;
    case "set":
      return v.members.length === 0 ? EMPTY_VALUE : v;
    case "hash":
    case "zset":
      return v.entries.length === 0 ? EMPTY_VALUE : v;
    default:
      return v;
  }
}

function readStrings(cur: Cursor, what: string): string[] {
  const n = cur.count(`${what} length`);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = cur.string(`${what} element`);
  return out;
}

function readHash(cur: Cursor): [string, string][] {
  const n = cur.count("hash length", 2);
  const out: [string, string][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const field = cur.string("hash field");
    out[i] = [field, cur.string("hash value")];
  }
  return out;
}

function readZSet(cur: Cursor, binary: boolean): [string, number][] {
  const n = cur.count("zset length", 2);
  const out: [string, number][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const member = cur.string("zset member");
    const score = binary ? cur.doubleLE("zset score") : readStringDouble(cur);
    if (Number.isNaN(score)) throw cur.error("corrupt", "Zset with NAN score detected");
    out[i] = [member, score];
  }
  return out;
}

/** An old-style double: a length byte (253 NaN, 254 +inf, 255 -inf) then ASCII. */
function readStringDouble(cur: Cursor): number {
  const start = cur.offset;
  const n = cur.u8("zset score length");
  if (n === 253) return NaN;
  if (n === 254) return Infinity;
  if (n === 255) return -Infinity;
  cur.need(n, "zset score text");
  let text = "";
  for (let i = 0; i < n; i++) text += String.fromCharCode(cur.buf[cur.pos + i]);
  cur.pos += n;
  const v = parseDouble(text) ?? parseFloat(text);
  if (Number.isNaN(v)) throw cur.error("corrupt", `Invalid zset score text "${text}"`, start);
  return v;
}

/** Reads a blob and decodes it, turning format errors into RDB errors named like Redis's. */
function withBlob<T>(cur: Cursor, check: string, decode: (b: BlobView) => T): T {
  const blob = cur.blob(`${check} blob`);
  try {
    return decode(blob);
  } catch (e) {
    if (e instanceof BlobFormatError) {
      throw cur.error("corrupt", `${check} integrity check failed: ${e.message}`, blob.offset);
    }
    throw e;
  }
}

function blobItems(
  cur: Cursor,
  check: string,
  decode: (bytes: Uint8Array, start: number, end: number) => string[],
): string[] {
  return withBlob(cur, check, (b) => decode(b.bytes, b.start, b.end));
}

function readIntset(cur: Cursor): DecodedValue {
  const { members, width } = withBlob(cur, "Intset", (b) => decodeIntset(b.bytes, b.start, b.end));
  return { kind: "set", members, intsetWidth: width };
}

function pairs(items: string[]): [string, string][] {
  if (items.length % 2 !== 0) throw new BlobFormatError(`odd number of elements (${items.length})`);
  const out: [string, string][] = new Array(items.length / 2);
  for (let i = 0; i < items.length; i += 2) out[i / 2] = [items[i], items[i + 1]];
  return out;
}

function blobHash(
  cur: Cursor,
  check: string,
  decode: (b: BlobView) => [string, string][],
): DecodedValue | typeof EMPTY_VALUE {
  const entries = withBlob(cur, check, decode);
  return nonEmpty({ kind: "hash", entries });
}

function blobZSet(
  cur: Cursor,
  check: string,
  decode: (bytes: Uint8Array, start: number, end: number) => string[],
): DecodedValue | typeof EMPTY_VALUE {
  const entries = withBlob(cur, check, (b) => {
    const raw = pairs(decode(b.bytes, b.start, b.end));
    const out: [string, number][] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const [member, text] = raw[i];
      const score = parseDouble(text);
      if (score === null) throw new BlobFormatError(`invalid score "${text}"`);
      out[i] = [member, score];
    }
    return out;
  });
  return nonEmpty({ kind: "zset", entries });
}

function readQuicklist(cur: Cursor, type: number): string[] {
  const nodes = cur.count("quicklist node count", 2);
  const items: string[] = [];
  for (let i = 0; i < nodes; i++) {
    let container: number = Container.PACKED;
    if (type === RdbType.LIST_QUICKLIST_2) {
      const at = cur.offset;
      container = cur.len("quicklist node container");
      if (container !== Container.PACKED && container !== Container.PLAIN) {
        throw cur.error("corrupt", `Quicklist integrity check failed: container ${container}`, at);
      }
    }
    const at = cur.offset;
    if (container === Container.PLAIN) {
      const element = cur.string("quicklist plain node");
      if (element.length === 0) throw cur.error("corrupt", "Quicklist node is empty", at);
      items.push(element);
      continue;
    }
    const check = type === RdbType.LIST_QUICKLIST_2 ? "Listpack" : "Ziplist";
    const decode = type === RdbType.LIST_QUICKLIST_2 ? decodeListpack : decodeZiplist;
    const node = withBlob(cur, check, (b) => {
      if (b.end === b.start) throw new BlobFormatError("empty node");
      return decode(b.bytes, b.start, b.end);
    });
    for (const item of node) items.push(item);
  }
  return items;
}
