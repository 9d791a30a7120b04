/**
 * The thresholds that decide which encoding Redis would use for a value
 * (`OBJECT ENCODING`, and the RDB type the writer picks). They mirror the
 * config keys of the same names and are kept current by the core when
 * CONFIG SET changes them.
 *
 * @module
 */

/** Encoding thresholds, as in redis.conf. */
export interface EncodingLimits {
  /** `list-max-listpack-size` (alias `list-max-ziplist-size`), default -2. */
  listMaxListpackSize: number;
  /** `list-compress-depth`, default 0. */
  listCompressDepth: number;
  /** `hash-max-listpack-entries` (alias `hash-max-ziplist-entries`), default 512. */
  hashMaxListpackEntries: number;
  /** `hash-max-listpack-value` (alias `hash-max-ziplist-value`), default 64. */
  hashMaxListpackValue: number;
  /** `set-max-intset-entries`, default 512. */
  setMaxIntsetEntries: number;
  /** `zset-max-listpack-entries` (alias `zset-max-ziplist-entries`), default 128. */
  zsetMaxListpackEntries: number;
  /** `zset-max-listpack-value` (alias `zset-max-ziplist-value`), default 64. */
  zsetMaxListpackValue: number;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: elements at least this long get a plain node (1 GiB). */
  listPackedThreshold: number;
}

/** Redis 7.0's defaults. */
export function defaultLimits(): EncodingLimits {
  return {
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    listPackedThreshold: 1 << 30,
  };
}

/** Config key names feeding each limit. */
export const LIMIT_KEYS: Readonly<Record<string, keyof EncodingLimits>> = {
  "list-max-listpack-size": "listMaxListpackSize",
  "list-compress-depth": "listCompressDepth",
  "hash-max-listpack-entries": "hashMaxListpackEntries",
  "hash-max-listpack-value": "hashMaxListpackValue",
  "set-max-intset-entries": "setMaxIntsetEntries",
  "zset-max-listpack-entries": "zsetMaxListpackEntries",
  "zset-max-listpack-value": "zsetMaxListpackValue",
};
