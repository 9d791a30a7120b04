/**
 * Turning decoded contents into Cairn values, with the static builders of
 * the value contracts (core/values/*.ts) and the current encoding limits.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import { HashValue } from "../../core/values/hash.ts";
import { ListValue } from "../../core/values/list.ts";
import { SetValue } from "../../core/values/set.ts";
import { ZSetValue } from "../../core/values/zset.ts";
import type { DecodedValue } from "./value_decoder.ts";

/** Builds values from decoded contents. */
export interface ValueBuilders {
  /** A list from its elements, head to tail. */
  list(items: string[], limits: EncodingLimits): Value;
  /** A set from its members (no duplicates). */
  set(members: string[], limits: EncodingLimits): Value;
  /** A hash from its field/value pairs (no duplicate fields). */
  hash(entries: [string, string][], limits: EncodingLimits): Value;
  /** A sorted set from member/score pairs, in any order (no duplicate members). */
  zset(entries: [string, number][], limits: EncodingLimits): Value;
}

/** The builders of Cairn's value classes. */
export const CONTRACT_BUILDERS: ValueBuilders = {
  list: (items, limits) => ListValue.fromItems(items, limits),
  set: (members, limits) => SetValue.fromMembers(members, limits),
  hash: (entries, limits) => HashValue.fromEntries(entries, limits),
  zset: (entries, limits) => ZSetValue.fromEntries(entries, limits),
};

/** Builds the value for decoded contents. */
export function buildValue(
  decoded: DecodedValue,
  limits: EncodingLimits,
  builders: ValueBuilders = CONTRACT_BUILDERS,
): Value {
  switch (decoded.kind) {
    case "string":
      return decoded.value;
    case "list":
      return builders.list(decoded.items, limits);
    case "set":
      return builders.set(decoded.members, limits);
    case "hash":
      return builders.hash(decoded.entries, limits);
    case "zset":
      return builders.zset(decoded.entries, limits);
  }
}
