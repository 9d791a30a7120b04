/**
 * Configuration keys that set the encoding thresholds of the data types,
 * with their pre-7.0 `*-ziplist-*` names as aliases.
 *
 * @module
 */

import { type ConfigKeySpec, intKey } from "./spec.ts";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** The data-type encoding keys. */
export const DATA_TYPE_CONFIG_KEYS: readonly ConfigKeySpec[] = [
  intKey("list-max-listpack-size", -2, INT_MIN, INT_MAX, true, {
    aliases: ["list-max-ziplist-size"],
  }),
  intKey("list-compress-depth", 0, 0, INT_MAX, true),
  intKey("hash-max-listpack-entries", 512, 0, Number.MAX_SAFE_INTEGER, true, {
    aliases: ["hash-max-ziplist-entries"],
  }),
  intKey("hash-max-listpack-value", 64, 0, Number.MAX_SAFE_INTEGER, true, {
    aliases: ["hash-max-ziplist-value"],
    memory: true,
  }),
  intKey("set-max-intset-entries", 512, 0, Number.MAX_SAFE_INTEGER, true),
  intKey("zset-max-listpack-entries", 128, 0, Number.MAX_SAFE_INTEGER, true, {
    aliases: ["zset-max-ziplist-entries"],
  }),
  intKey("zset-max-listpack-value", 64, 0, Number.MAX_SAFE_INTEGER, true, {
    aliases: ["zset-max-ziplist-value"],
    memory: true,
  }),
];
