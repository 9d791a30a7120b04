/**
 * SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets.
 *
 * Elements sort as numbers by default (parsed like C's `strtod`; equal
 * numbers fall back to byte order, so the result is deterministic), or as
 * byte strings with ALPHA. `BY pattern` sorts by the values of other keys
 * (`*` is replaced by the element; `key->field` reads a hash field), and a
 * pattern without `*` skips sorting: lists and sorted sets keep their order,
 * sets too unless the result is stored (then Redis sorts them
 * alphabetically, so that replicas agree). `GET pattern` replaces each
 * element by looked-up values (`#` is the element itself). STORE writes the
 * result as a list.
 *
 * Redis converts a listpack sorted set to a skip list before sorting it;
 * Cairn records the same change, since OBJECT ENCODING shows it.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import { SYNTAX_ERR, WRONGTYPE } from "../errors.ts";
import { parseDouble } from "../numbers.ts";
import { ListValue } from "../values/list.ts";
import type { Value } from "../values/value.ts";
import type { Db } from "../keyspace/db.ts";
import { longArg } from "./sets.ts";

/** The parsed options of one SORT call. */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  /** BY pattern, or null. */
  by: string | null;
  /** True when BY named a pattern without `*`: no sorting. */
  dontSort: boolean;
  /** STORE destination, or null. */
  store: string | null;
  /** GET patterns, in order. */
  gets: string[];
}

/** One element being sorted, with its sort key. */
interface SortItem {
  element: string;
  score: number;
  /** The BY value for ALPHA sorting by pattern; null when the lookup found nothing. */
  by: string | null;
}

function parseSortOptions(c: Client, argv: string[], readonly: boolean): SortOptions | null {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    by: null,
    dontSort: false,
    store: null,
    gets: [],
  };
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const left = argv.length - j - 1;
    if (opt === "asc") o.desc = false;
    else if (opt === "desc") o.desc = true;
    else if (opt === "alpha") o.alpha = true;
    else if (opt === "limit" && left >= 2) {
      const start = longArg(c, argv[j + 1]);
      if (start === null) return null;
      const count = longArg(c, argv[j + 2]);
      if (count === null) return null;
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && opt === "store" && left >= 1) {
      o.store = argv[++j];
    } else if (opt === "by" && left >= 1) {
      o.by = argv[++j];
      if (!o.by.includes("*")) o.dontSort = true;
    } else if (opt === "get" && left >= 1) {
      o.gets.push(argv[++j]);
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return o;
}

/**
 * The value `pattern` names for `element` (Redis's lookupKeyByPattern): `#`
 * is the element; otherwise the first `*` is replaced by it and the key read
 * as a string, or as a hash field after `->`. Null when there is none.
 */
export function lookupByPattern(db: Db, pattern: string, element: string): string | null {
  if (pattern === "#") return element;
  const star = pattern.indexOf("*");
  if (star < 0) return null;
  const arrow = pattern.indexOf("->", star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const v = db.lookupRead(key);
  if (v === undefined) return null;
  if (hasField) {
    if (typeof v === "string" || v.type !== "hash") return null;
    return v.get(pattern.slice(arrow + 2)) ?? null;
  }
  return typeof v === "string" ? v : null;
}

/** C's isspace in the C locale. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * A sort weight as Redis reads it with `strtod`: leading blanks allowed, the
 * empty string is 0, anything left over, NaN, overflow or underflow is an
 * error (null).
 */
export function sortWeight(text: string): number | null {
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return text.length === 0 ? 0 : null;
  return parseDouble(i === 0 ? text : text.slice(i));
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Redis's sortCompare, without the DESC negation. */
function comparator(o: SortOptions): (a: SortItem, b: SortItem) => number {
  if (!o.alpha) {
    return (a, b) =>
      a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
  }
  if (o.by !== null) {
    return (a, b) => {
      if (a.by === null || b.by === null) return a.by === b.by ? 0 : a.by === null ? -1 : 1;
      return compareBytes(a.by, b.by);
    };
  }
  return (a, b) => compareBytes(a.element, b.element);
}

/** The elements of `value` to sort, honoring the no-sort shortcuts for lists and sorted sets. */
function loadElements(
  value: Exclude<Value, string> | undefined,
  o: SortOptions,
  start: number,
  end: number,
): string[] {
  if (value === undefined) return [];
  switch (value.type) {
    case "list": {
      const items = [...value];
      if (!o.dontSort) return items;
      if (end < start) return [];
      if (o.desc) items.reverse();
      return items.slice(start, end + 1);
    }
    case "set":
      return [...value];
    case "zset": {
      if (!o.dontSort) {
        const members: string[] = [];
        value.forEach((m) => members.push(m));
        return members;
      }
      const out: string[] = [];
      if (end < start) return out;
      const size = value.size;
      const cursor = value.cursorAt(o.desc ? size - 1 - start : start);
      for (let i = start; i <= end && cursor.valid; i++) {
        out.push(cursor.member);
        if (o.desc) cursor.prev();
        else cursor.next();
      }
      return out;
    }
    default:
      return [];
  }
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseSortOptions(c, argv, readonly);
  if (o === null) return;
  const db = c.db;
  const found = db.lookupRead(argv[1]);
  if (
    found !== undefined &&
    (typeof found === "string" || (found.type !== "list" && found.type !== "set" &&
      found.type !== "zset"))
  ) {
    c.reply.error(WRONGTYPE);
    return;
  }
  const value = found as Exclude<Value, string> | undefined;
  if (o.dontSort && value?.type === "set" && o.store !== null) {
    // An unsorted set would store in an order replicas could not reproduce.
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  if (value?.type === "zset") value.convertToSkiplist();
  const length = value === undefined ? 0 : value.type === "list" ? value.length : value.size;

  // Redis's LIMIT arithmetic, including its handling of out-of-range values.
  let start = Math.min(Math.max(o.limitStart, 0), length);
  const count = Math.min(Math.max(o.limitCount, -1), length);
  let end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  const direct = o.dontSort && (value?.type === "list" || value?.type === "zset");
  const elements = loadElements(value, o, start, end);
  if (direct) {
    end -= start;
    start = 0;
  }
  const items: SortItem[] = elements.map((element) => ({ element, score: 0, by: null }));
  let badWeight = false;
  if (!o.dontSort) {
    for (const item of items) {
      const by = o.by === null ? item.element : lookupByPattern(db, o.by, item.element);
      if (by === null) continue;
      if (o.alpha) {
        if (o.by !== null) item.by = by;
        continue;
      }
      const score = sortWeight(by);
      if (score === null) badWeight = true;
      else item.score = score;
    }
    const cmp = comparator(o);
    items.sort(o.desc ? (a, b) => -cmp(a, b) : cmp);
  }
  if (badWeight) {
    c.reply.error("ERR One or more scores can't be converted into double");
    return;
  }
  const selected = end >= start ? items.slice(start, end + 1) : [];
  if (o.store === null) replySorted(c, selected, o.gets);
  else storeSorted(c, o.store, selected, o.gets);
}

function replySorted(c: Client, items: SortItem[], gets: string[]): void {
  c.reply.array(gets.length > 0 ? gets.length * items.length : items.length);
  for (const { element } of items) {
    if (gets.length === 0) {
      c.reply.bulk(element);
      continue;
    }
    for (const pattern of gets) c.reply.bulkOrNull(lookupByPattern(c.db, pattern, element));
  }
}

function storeSorted(c: Client, dst: string, items: SortItem[], gets: string[]): void {
  const out: string[] = [];
  for (const { element } of items) {
    if (gets.length === 0) out.push(element);
    else for (const pattern of gets) out.push(lookupByPattern(c.db, pattern, element) ?? "");
  }
  const db = c.db;
  if (out.length > 0) {
    db.setKey(dst, ListValue.fromItems(out, c.core.limits));
    c.core.dirty += out.length;
    c.core.blocking.signalKeyAsReady(db, dst);
  } else if (db.delete(dst)) {
    c.core.dirty++;
  }
  c.reply.integer(out.length);
}

/** Key positions of SORT: the sorted key and the last STORE destination (Redis's sortGetKeys). */
function sortKeys(argv: readonly string[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === "limit") i += 2;
    else if (opt === "get" || opt === "by") i += 1;
    else if (opt === "store" && i + 1 < argv.length) store = i + 1;
  }
  if (store > 0) keys.push(store);
  return keys;
}

/** The sort commands. */
export const SORT_COMMANDS: readonly CommandSpec[] = [
  {
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: sortKeys,
    group: "generic",
    summary: "Sorts a list, set or sorted set, optionally storing the result",
    since: "1.0.0",
    handler: (c, argv) => sortGeneric(c, argv, false),
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    // BY and GET patterns name keys too, so Redis flags it movablekeys; the
    // only key it reports is the sorted one.
    getKeys: () => [1],
    group: "generic",
    summary: "Sorts a list, set or sorted set without storing",
    since: "7.0.0",
    handler: (c, argv) => sortGeneric(c, argv, true),
  },
];
