/**
 * What a key holds.
 *
 * Strings are plain byte strings (see core/bytes.ts): no wrapper object, so
 * a string key costs only its key and value. Collections are objects with a
 * `type` tag.
 *
 * @module
 */

import type { HashValue } from "./hash.ts";
import type { ListValue } from "./list.ts";
import type { SetValue } from "./set.ts";
import type { ZSetValue } from "./zset.ts";

export type { HashValue, ListValue, SetValue, ZSetValue };

/** A value stored under a key. */
export type Value = string | ListValue | HashValue | SetValue | ZSetValue;

/** The type names TYPE replies with. */
export type ValueType = "string" | "list" | "hash" | "set" | "zset";

/** The type of `v`, as TYPE names it. */
export function typeOf(v: Value): ValueType {
  return typeof v === "string" ? "string" : v.type;
}
