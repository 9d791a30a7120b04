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

/** Decoded contents repeat a member or field (Redis: corrupt). `message` is Redis's. */
export class DuplicateElementsError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DuplicateElementsError";
  }
}

/**
 * Builds the value for decoded contents. A set, hash or sorted set that
 * comes out smaller than its decoded element count had duplicates (the
 * builders keep one of each): that throws {@link DuplicateElementsError}.
 */
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
      return checked(
        builders.set(decoded.members, limits),
        decoded.members.length,
        "Duplicate set members detected",
      );
    case "hash":
      return checked(
        builders.hash(decoded.entries, limits),
        decoded.entries.length,
        "Duplicate hash fields detected",
      );
    case "zset":
      return checked(
        builders.zset(decoded.entries, limits),
        decoded.entries.length,
        "Duplicate zset fields detected",
      );
  }
}

function checked(value: Value, count: number, message: string): Value {
  if ((value as { size: number }).size !== count) throw new DuplicateElementsError(message);
  return value;
}
