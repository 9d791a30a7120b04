/**
 * Comparable contents of a key, read from a live server through commands
 * or taken from a value in memory, for the codec's tests: strings as they
 * are, lists in order, sets and hashes sorted, sorted sets in order with
 * scores printed as Redis replies them (`%.17g`).
 *
 * @module
 */

import { formatDouble17g } from "../../core/numbers.ts";
import type { Value } from "../../core/values/value.ts";
import type { RespClient } from "../../tests/_helpers/resp_client.ts";

/** What a key holds, comparably. */
export interface KeyContents {
  /** TYPE. */
  type: string;
  /** The contents. */
  value: string | string[] | [string, string][];
  /** PEXPIRETIME: Unix ms, or -1. */
  expireAt: number;
}

function byFirst(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Contents of `value` with expire time `expireAt` (-1 for none). */
export function contentsOf(value: Value, expireAt: number): KeyContents {
  if (typeof value === "string") return { type: "string", value, expireAt };
  switch (value.type) {
    case "list":
      return { type: "list", value: Array.from(value), expireAt };
    case "set":
      return { type: "set", value: Array.from(value).sort(), expireAt };
    case "hash":
      return { type: "hash", value: Array.from(value.entries()).sort(byFirst), expireAt };
    case "zset":
      return {
        type: "zset",
        value: Array.from(value.entries(), ([m, s]): [string, string] => [m, formatDouble17g(s)]),
        expireAt,
      };
  }
}

function pairsOf(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** Reads the contents of `key` from the database the client has selected. */
export async function fetchContents(client: RespClient, key: string): Promise<KeyContents> {
  const type = await client.call("TYPE", key) as string;
  const expireAt = await client.call("PEXPIRETIME", key) as number;
  let value: KeyContents["value"];
  switch (type) {
    case "string":
      value = await client.call("GET", key) as string;
      break;
    case "list":
      value = await client.call("LRANGE", key, 0, -1) as string[];
      break;
    case "set":
      value = (await client.call("SMEMBERS", key) as string[]).sort();
      break;
    case "hash":
      value = pairsOf(await client.call("HGETALL", key) as string[]).sort(byFirst);
      break;
    case "zset":
      value = pairsOf(await client.call("ZRANGE", key, 0, -1, "WITHSCORES") as string[]);
      break;
    default:
      throw new Error(`key ${key} has type ${type}`);
  }
  return { type, value, expireAt };
}

/** Reads every key of every database: `{db: {key: contents}}`. */
export async function fetchAll(
  client: RespClient,
  databases = 16,
): Promise<Record<number, Record<string, KeyContents>>> {
  const out: Record<number, Record<string, KeyContents>> = {};
  for (let db = 0; db < databases; db++) {
    await client.call("SELECT", db);
    const keys = await client.call("KEYS", "*") as string[];
    if (keys.length === 0) continue;
    const section: Record<string, KeyContents> = {};
    for (const key of keys.sort()) section[key] = await fetchContents(client, key);
    out[db] = section;
  }
  await client.call("SELECT", 0);
  return out;
}
