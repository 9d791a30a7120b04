/**
 * The RDB reader: streams an RDB file of version 1 to 11 (Redis 2.x to 7.2,
 * Valkey 8) and hands every key to a callback.
 *
 * Memory stays bounded: the input is read in chunks into a window that
 * holds the record being parsed (a window grows only to fit one large
 * record). Parsing is synchronous over the window; when a record runs past
 * the window's end the reader loads more and parses that record again, with
 * the window at least doubled so large records cost O(n) overall.
 *
 * Every opcode is understood. What Cairn cannot hold (streams, module
 * values and module AUX data, functions, Redis 7.4's slot info and hashes
 * with field expiry) is refused with an {@link RdbError} naming the key or
 * opcode and the offset, never skipped. Corrupt or truncated input is an
 * {@link RdbError} too, naming the file, offset and what was expected.
 *
 * @module
 */

import { concatBytes } from "../../core/bytes.ts";
import type { EncodingLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import {
  buildValue,
  CONTRACT_BUILDERS,
  DuplicateElementsError,
  type ValueBuilders,
} from "./builders.ts";
import { Opcode, RDB_MAX_READ_VERSION } from "./constants.ts";
import { Crc64 } from "./crc64.ts";
import { Cursor, NEED_MORE } from "./cursor.ts";
export { RdbError } from "./errors.ts";
import { type ChunkSource, chunkSource, type RdbInput } from "./source.ts";
import { decodeValue, EMPTY_VALUE } from "./value_decoder.ts";

/** Per-key eviction data found before a key (IDLE and FREQ opcodes); -1 when absent. */
export interface KeyMeta {
  /** LRU idle time in seconds. */
  readonly idle: number;
  /** LFU counter. */
  readonly freq: number;
}

const NO_META: KeyMeta = Object.freeze({ idle: -1, freq: -1 });

/** Receives a key: its database, name, value and expire time (Unix ms, or -1). */
export type KeyCallback = (
  db: number,
  key: string,
  value: Value,
  expireAtMs: number,
  meta: KeyMeta,
) => void | Promise<void>;

/** Options of {@link readRdb}. */
export interface RdbReadOptions {
  /** Called for every key, in file order. */
  onKey: KeyCallback;
  /** Encoding thresholds handed to the value builders. */
  limits: EncodingLimits;
  /** Name of the input in error messages (default "RDB"). */
  name?: string;
  /** Builds values (default: Cairn's value classes). */
  builders?: ValueBuilders;
  /** Called once the header is read, with the file's RDB version. */
  onHeader?: (version: number) => void;
  /** Called for every AUX field; `offset` is where the next record starts. */
  onAux?: (key: string, value: string, offset: number) => void;
  /** Called for every SELECTDB; `offset` is where the next record starts. */
  onSelectDb?: (db: number, offset: number) => void;
  /** Called for every RESIZEDB hint. */
  onResizeDb?: (db: number, keys: number, expires: number) => void;
  /** Called for every collection stored empty (Redis skips these keys). */
  onEmptyKey?: (db: number, key: string) => void;
  /** Called with the number of bytes read so far, every `progressBytes`. */
  onProgress?: (bytesRead: number) => void | Promise<void>;
  /** Interval of `onProgress` calls in bytes (default 2 MiB, Redis's loading interval). */
  progressBytes?: number;
  /** Check the trailing CRC-64 (default true); a stored 0 means "saved without checksum". */
  verifyChecksum?: boolean;
  /** Databases the server has; a SELECTDB beyond them is an error. */
  databases?: number;
  /** Size of the input when known (files): declared lengths are checked against it. */
  totalBytes?: number;
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number;
}

/** What happened to the checksum. */
export type ChecksumStatus =
  /** Present and correct. */
  | "ok"
  /** Stored as zero: the file was saved with `rdbchecksum no`. */
  | "disabled"
  /** RDB version below 5 has none. */
  | "absent"
  /** Not verified (`verifyChecksum: false`). */
  | "skipped";

/** Summary of a successful read. */
export interface RdbReadResult {
  /** RDB version of the file. */
  version: number;
  /** AUX fields in file order. */
  aux: [string, string][];
  /** Keys delivered to `onKey`. */
  keys: number;
  /** Empty collections skipped. */
  emptyKeysSkipped: number;
  /** Checksum outcome. */
  checksum: ChecksumStatus;
  /** The CRC-64 computed over the file (0n when not verified). */
  computedChecksum: bigint;
  /** The stored CRC-64 (0n when absent). */
  storedChecksum: bigint;
  /** Offset just after the RDB data (after the checksum): where an AOF tail would start. */
  endOffset: number;
  /**
   * Bytes received past {@link endOffset} (an AOF preamble's tail starts
   * with them). A stream's reader is released and a file is left where
   * reading stopped, so the caller continues after these bytes.
   */
  trailing: Uint8Array;
  /** Largest read window used, in bytes: memory stays near this, not the file size. */
  peakWindowBytes: number;
}

const DEFAULT_CHUNK = 1 << 20;
const DEFAULT_PROGRESS = 2 << 20;
const HEADER_SIZE = 9;

/** Reads an RDB file from `path`. */
export async function readRdbFile(
  path: string,
  options: Omit<RdbReadOptions, "totalBytes" | "name"> & { name?: string },
): Promise<RdbReadResult> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    return await readRdb(file, { ...options, name: options.name ?? path, totalBytes: size });
  } finally {
    file.close();
  }
}

/** Reads RDB data from `input` (a whole buffer, a stream or a file). */
export async function readRdb(
  input: RdbInput | Uint8Array,
  options: RdbReadOptions,
): Promise<RdbReadResult> {
  const name = options.name ?? "RDB";
  let cur: Cursor;
  let source: ChunkSource | null = null;
  if (input instanceof Uint8Array) {
    cur = new Cursor(name, input, 0, input.length, true);
  } else {
    source = chunkSource(input);
    cur = new Cursor(name, new Uint8Array(options.chunkBytes ?? DEFAULT_CHUNK), 0, 0, false);
    if (options.totalBytes !== undefined) cur.limit = options.totalBytes;
  }
  let result: RdbReadResult;
  try {
    result = await new RdbReader(cur, source, options).run();
  } catch (e) {
    source?.release();
    throw e;
  }
  const rest = source?.release();
  if (rest !== undefined && rest.length > 0) {
    result.trailing = concatBytes([result.trailing, rest]);
  }
  return result;
}

const RECORD_OPCODE = 0;
const RECORD_KEY = 1;
const RECORD_EOF = 2;

class RdbReader {
  readonly #cur: Cursor;
  readonly #source: ChunkSource | null;
  readonly #opts: RdbReadOptions;
  readonly #verify: boolean;
  readonly #crc = new Crc64();
  readonly #builders: ValueBuilders;
  #crcPos = 0; // window bytes before this index are in the CRC
  #version = 0;
  #db = 0;
  #expire = -1;
  #idle = -1;
  #freq = -1;
  #key = "";
  #value: Value = "";
  #keyExpire = -1;
  #keyMeta: KeyMeta = NO_META;
  #keys = 0;
  #empty = 0;
  #aux: [string, string][] = [];
  #checksum: ChecksumStatus = "absent";
  #stored = 0n;

  constructor(cur: Cursor, source: ChunkSource | null, opts: RdbReadOptions) {
    this.#cur = cur;
    this.#source = source;
    this.#opts = opts;
    this.#verify = opts.verifyChecksum ?? true;
    this.#builders = opts.builders ?? CONTRACT_BUILDERS;
  }

  async run(): Promise<RdbReadResult> {
    const cur = this.#cur;
    const opts = this.#opts;
    while (cur.end - cur.pos < HEADER_SIZE && !cur.final) await this.#more(cur.pos);
    this.#header();
    const progressEvery = opts.progressBytes ?? DEFAULT_PROGRESS;
    let nextProgress = progressEvery;
    for (;;) {
      const start = cur.pos;
      let record: number;
      try {
        record = this.#record();
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        cur.pos = start;
        await this.#more(start);
        continue;
      }
      if (record === RECORD_KEY) {
        const r = opts.onKey(this.#db, this.#key, this.#value, this.#keyExpire, this.#keyMeta);
        if (r !== undefined) await r;
        this.#value = "";
      } else if (record === RECORD_EOF) {
        break;
      }
      if (opts.onProgress !== undefined && cur.offset >= nextProgress) {
        nextProgress = cur.offset + progressEvery;
        const r = opts.onProgress(cur.offset);
        if (r !== undefined) await r;
      }
    }
    return {
      version: this.#version,
      aux: this.#aux,
      keys: this.#keys,
      emptyKeysSkipped: this.#empty,
      checksum: this.#checksum,
      computedChecksum: this.#verify ? this.#crc.value() : 0n,
      storedChecksum: this.#stored,
      endOffset: cur.offset,
      trailing: cur.buf.slice(cur.pos, cur.end),
      peakWindowBytes: cur.buf.length,
    };
  }

  /** Loads more input, keeping the window from `recordStart` on. */
  async #more(recordStart: number): Promise<void> {
    const cur = this.#cur;
    if (cur.final || this.#source === null) {
      cur.final = true;
      return;
    }
    if (this.#verify) this.#crc.update(cur.buf, this.#crcPos, recordStart);
    const keep = cur.end - recordStart;
    const chunk = this.#opts.chunkBytes ?? DEFAULT_CHUNK;
    const target = Math.max(keep * 2, keep + chunk);
    let buf = cur.buf;
    if (buf.length < target) {
      buf = new Uint8Array(target);
      buf.set(cur.buf.subarray(recordStart, cur.end));
    } else {
      buf.copyWithin(0, recordStart, cur.end);
    }
    cur.buf = buf;
    cur.base += recordStart;
    cur.pos = 0;
    cur.end = keep;
    this.#crcPos = 0;
    while (cur.end < target) {
      const n = await this.#source.read(buf.subarray(cur.end));
      if (n === null) {
        cur.final = true;
        cur.limit = cur.base + cur.end;
        break;
      }
      cur.end += n;
    }
  }

  #header(): void {
    const cur = this.#cur;
    cur.need(HEADER_SIZE, "the RDB header");
    const b = cur.buf;
    const p = cur.pos;
    const magic = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4]);
    if (magic !== "REDIS") {
      throw cur.error("corrupt", "Wrong signature trying to load DB from file");
    }
    // atoi of the 4 version digits: leading digits only.
    let version = 0;
    for (let i = 5; i < HEADER_SIZE && b[p + i] >= 48 && b[p + i] <= 57; i++) {
      version = version * 10 + b[p + i] - 48;
    }
    if (version < 1 || version > RDB_MAX_READ_VERSION) {
      throw cur.error("unsupported", `Can't handle RDB format version ${version}`);
    }
    this.#version = version;
    cur.pos += HEADER_SIZE;
    this.#opts.onHeader?.(version);
  }

  /** Parses one opcode or key record. State changes only once the whole record is read. */
  #record(): number {
    const cur = this.#cur;
    const at = cur.offset;
    const type = cur.u8("a record type");
    switch (type) {
      case Opcode.EXPIRETIME_MS:
        this.#expire = cur.i64LE("an expire time in ms");
        return RECORD_OPCODE;
      case Opcode.EXPIRETIME:
        this.#expire = (cur.u32LE("an expire time in seconds") | 0) * 1000;
        return RECORD_OPCODE;
      case Opcode.IDLE:
        this.#idle = cur.len("an LRU idle time");
        return RECORD_OPCODE;
      case Opcode.FREQ:
        this.#freq = cur.u8("an LFU frequency");
        return RECORD_OPCODE;
      case Opcode.SELECTDB: {
        const db = cur.len("a database number");
        const max = this.#opts.databases;
        if (max !== undefined && db >= max) {
          throw cur.error(
            "unsupported",
            `Data file was created with a Redis server configured to handle more than ${max} databases (SELECTDB ${db})`,
            at,
          );
        }
        this.#db = db;
        this.#opts.onSelectDb?.(db, cur.offset);
        return RECORD_OPCODE;
      }
      case Opcode.RESIZEDB: {
        const keys = cur.len("a RESIZEDB key count");
        const expires = cur.len("a RESIZEDB expire count");
        this.#opts.onResizeDb?.(this.#db, keys, expires);
        return RECORD_OPCODE;
      }
      case Opcode.AUX: {
        const key = cur.string("an AUX field name");
        const value = cur.string("an AUX field value");
        this.#aux.push([key, value]);
        this.#opts.onAux?.(key, value, cur.offset);
        return RECORD_OPCODE;
      }
      case Opcode.EOF:
        return this.#eof();
      case Opcode.MODULE_AUX: {
        const id = cur.len("a module id");
        throw cur.error(
          "unsupported",
          `RDB opcode MODULE_AUX (0xf7): the file holds data of module '${
            moduleName(id)
          }'; Cairn has no modules`,
          at,
        );
      }
      case Opcode.FUNCTION2:
      case Opcode.FUNCTION_PRE_GA:
        throw cur.error(
          "unsupported",
          `RDB opcode ${type === Opcode.FUNCTION2 ? "FUNCTION2 (0xf5)" : "FUNCTION (0xf6)"}: ` +
            "the file holds a function library; Cairn does not support Redis Functions",
          at,
        );
      case Opcode.SLOT_INFO:
        throw cur.error(
          "unsupported",
          "RDB opcode SLOT_INFO (0xf4) of Redis 7.4 is not supported",
          at,
        );
      default:
        return this.#keyRecord(type, at);
    }
  }

  #keyRecord(type: number, at: number): number {
    const cur = this.#cur;
    const key = cur.string("a key");
    if (type === 7 || type === 6) cur.len("a module id"); // so the error can point past it
    const decoded = decodeValue(cur, type, key, at);
    const expire = this.#expire;
    const meta = this.#idle === -1 && this.#freq === -1
      ? NO_META
      : { idle: this.#idle, freq: this.#freq };
    this.#expire = this.#idle = this.#freq = -1;
    if (decoded === EMPTY_VALUE) {
      this.#empty++;
      this.#opts.onEmptyKey?.(this.#db, key);
      return RECORD_OPCODE;
    }
    try {
      this.#value = buildValue(decoded, this.#opts.limits, this.#builders);
    } catch (e) {
      if (e instanceof DuplicateElementsError) throw cur.error("corrupt", e.message, at);
      throw cur.error("corrupt", `cannot build the value of key ${JSON.stringify(key)}: ${e}`, at);
    }
    this.#key = key;
    this.#keyExpire = expire;
    this.#keyMeta = meta;
    this.#keys++;
    return RECORD_KEY;
  }

  #eof(): number {
    const cur = this.#cur;
    if (this.#version < 5) {
      this.#checksum = "absent";
      return RECORD_EOF;
    }
    cur.need(8, "the CRC-64 checksum after EOF");
    const sumPos = cur.pos;
    if (this.#verify) this.#crc.update(cur.buf, this.#crcPos, sumPos);
    this.#crcPos = sumPos;
    const b = cur.buf;
    let stored = 0n;
    for (let i = 7; i >= 0; i--) stored = (stored << 8n) | BigInt(b[sumPos + i]);
    this.#stored = stored;
    cur.pos += 8;
    if (!this.#verify) {
      this.#checksum = "skipped";
    } else if (stored === 0n) {
      this.#checksum = "disabled";
    } else if (!this.#crc.matchesLE(b, sumPos)) {
      throw cur.error(
        "checksum",
        `Wrong RDB checksum expected: (${this.#crc.value().toString(16)}) but got (${
          stored.toString(16)
        }). Aborting now.`,
        cur.base + sumPos,
      );
    } else {
      this.#checksum = "ok";
    }
    return RECORD_EOF;
  }
}

const MODULE_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The 9-character module type name encoded in the top 54 bits of a module id. */
export function moduleName(id: number): string {
  const big = BigInt(id);
  let name = "";
  for (let i = 0; i < 9; i++) {
    name += MODULE_CHARSET[Number((big >> BigInt(10 + (8 - i) * 6)) & 63n)];
  }
  return name;
}
