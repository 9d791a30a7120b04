/**
 * RDB constants: format version, opcodes, value type bytes, and the
 * encodings of lengths and strings (`rdb.h`).
 *
 * @module
 */

/** The RDB version Redis 7.0 writes (and the highest it reads). */
export const RDB_VERSION = 10;
/** The highest version this reader accepts (Redis 7.2, Valkey 8). */
export const RDB_MAX_READ_VERSION = 11;

/** Opcodes: bytes that stand where a value type would and carry file-level data. */
export const Opcode = {
  /** Redis 7.4 cluster slot sizes (refused). */
  SLOT_INFO: 0xf4,
  /** A function library (7.0). */
  FUNCTION2: 0xf5,
  /** A function, 7.0 release-candidate format. */
  FUNCTION_PRE_GA: 0xf6,
  /** Module data not attached to a key. */
  MODULE_AUX: 0xf7,
  /** LRU idle time of the next key. */
  IDLE: 0xf8,
  /** LFU counter of the next key. */
  FREQ: 0xf9,
  /** An auxiliary field: two strings. */
  AUX: 0xfa,
  /** Key count hints for the current database. */
  RESIZEDB: 0xfb,
  /** Expire time of the next key in ms. */
  EXPIRETIME_MS: 0xfc,
  /** Expire time of the next key in seconds. */
  EXPIRETIME: 0xfd,
  /** Switches the current database. */
  SELECTDB: 0xfe,
  /** End of the dataset; the checksum follows. */
  EOF: 0xff,
} as const;

/** Value type bytes. */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
} as const;

/** Names of the type bytes, for messages. */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "string",
  1: "list",
  2: "set",
  3: "zset",
  4: "hash",
  5: "zset-2",
  6: "module-pre-ga",
  7: "module-2",
  9: "hash-zipmap",
  10: "list-ziplist",
  11: "set-intset",
  12: "zset-ziplist",
  13: "hash-ziplist",
  14: "list-quicklist",
  15: "stream-listpacks",
  16: "hash-listpack",
  17: "zset-listpack",
  18: "list-quicklist-2",
  19: "stream-listpacks-2",
  20: "set-listpack",
  21: "stream-listpacks-3",
  22: "hash-metadata-pre-ga",
  23: "hash-listpack-ex-pre-ga",
  24: "hash-metadata",
  25: "hash-listpack-ex",
};

/** First-byte markers of the length encoding. */
export const Len = {
  /** 00xxxxxx: 6-bit length. */
  BITS6: 0,
  /** 01xxxxxx xxxxxxxx: 14-bit length. */
  BITS14: 1,
  /** 0x80 + 4 bytes big-endian. */
  BITS32: 0x80,
  /** 0x81 + 8 bytes big-endian. */
  BITS64: 0x81,
  /** 11xxxxxx: a special string encoding follows in the low 6 bits. */
  ENCVAL: 3,
} as const;

/** Special string encodings (low 6 bits after the 11 marker). */
export const StrEnc = {
  INT8: 0,
  INT16: 1,
  INT32: 2,
  LZF: 3,
} as const;

/** Quicklist node containers in LIST_QUICKLIST_2. */
export const Container = {
  PLAIN: 1,
  PACKED: 2,
} as const;

/** Module value opcodes. */
export const MODULE_OPCODE_UINT = 2;
