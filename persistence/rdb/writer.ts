/**
 * The RDB writer: an incremental encoder of RDB version 10 files as Redis
 * 7.0.15 writes them.
 *
 * ```
 * "REDIS0010" | AUX redis-ver, redis-bits, ctime, used-mem, aof-base
 * per non-empty database: SELECTDB n | RESIZEDB keys expires | key records
 * EOF | CRC-64 of everything before, little-endian (zeros with rdbchecksum no)
 * ```
 *
 * The encoder appends to an in-memory sink; the caller drains it with
 * {@link RdbEncoder.take} whenever convenient (after each slice of keys of a
 * snapshot walk) and writes the chunk to its file, so the whole file is never
 * in memory. The running checksum is updated as bytes are drained.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import type { SnapshotVisitor } from "../../core/keyspace/snapshot.ts";
import { ByteSink } from "./byte_sink.ts";
import { Opcode, RDB_VERSION } from "./constants.ts";
import { Crc64 } from "./crc64.ts";
import { rdbTypeOf, writePayload } from "./value_encoder.ts";

/** Options of the writer. */
export interface RdbWriterOptions {
  /** Encoding thresholds deciding compact vs big encodings. */
  limits: EncodingLimits;
  /** `rdbcompression` (default true): LZF for strings longer than 20 bytes. */
  compression?: boolean;
  /** `rdbchecksum` (default true): false writes 8 zero bytes instead of the CRC. */
  checksum?: boolean;
}

/** Values of the AUX fields Redis 7.0 writes. */
export interface AuxFields {
  /** `redis-ver` (default "7.0.15"). */
  redisVer?: string;
  /** `ctime`: Unix seconds (default now). */
  ctime?: number;
  /** `used-mem`: bytes (default 0). */
  usedMem?: number;
  /** `aof-base`: true when the file is an AOF base (default false). */
  aofBase?: boolean;
  /** More fields, written after `used-mem` and before `aof-base`. */
  extra?: readonly (readonly [string, string])[];
}

/** Incremental RDB encoder. */
export class RdbEncoder {
  /** Encoding thresholds in use. */
  readonly limits: EncodingLimits;
  readonly #sink: ByteSink;
  readonly #checksum: boolean;
  readonly #crc = new Crc64();
  #crcFrom = 0; // sink bytes before this position are already in the CRC
  #written = 0;
  #ended = false;

  /** Creates an encoder; nothing is written until {@link header}. */
  constructor(options: RdbWriterOptions) {
    this.limits = options.limits;
    this.#sink = new ByteSink({ compression: options.compression ?? true });
    this.#checksum = options.checksum ?? true;
  }

  /** Bytes waiting to be taken. */
  get pending(): number {
    return this.#sink.pos;
  }

  /** Bytes produced so far, taken or not. */
  get size(): number {
    return this.#written + this.#sink.pos;
  }

  /** Writes the magic, the version and the AUX fields. */
  header(aux: AuxFields = {}): void {
    this.#sink.latin1(`REDIS${String(RDB_VERSION).padStart(4, "0")}`);
    this.aux("redis-ver", aux.redisVer ?? "7.0.15");
    this.aux("redis-bits", "64");
    this.aux("ctime", String(aux.ctime ?? Math.floor(Date.now() / 1000)));
    this.aux("used-mem", String(aux.usedMem ?? 0));
    for (const [k, v] of aux.extra ?? []) this.aux(k, v);
    this.aux("aof-base", aux.aofBase ? "1" : "0");
  }

  /** Writes one AUX field. */
  aux(key: string, value: string): void {
    const sink = this.#sink;
    sink.byte(Opcode.AUX);
    sink.string(key);
    sink.string(value);
  }

  /** Starts the section of database `index` (SELECTDB and RESIZEDB). */
  selectDb(index: number, keys: number, expires: number): void {
    const sink = this.#sink;
    sink.byte(Opcode.SELECTDB);
    sink.len(index);
    sink.byte(Opcode.RESIZEDB);
    sink.len(keys);
    sink.len(expires);
  }

  /** Appends one key record: expire time if any, type, key, value. */
  encodeKey(key: string, value: Value, expireAtMs = -1): void {
    writeKeyRecord(this.#sink, key, value, expireAtMs, this.limits);
  }

  /** Appends bytes produced by {@link encodeKeyRecord} earlier. */
  raw(bytes: Uint8Array): void {
    this.#sink.bytes(bytes);
  }

  /** Writes EOF and the checksum. Take the remaining bytes afterwards. */
  end(): void {
    if (this.#ended) throw new Error("RdbEncoder.end called twice");
    this.#ended = true;
    const sink = this.#sink;
    sink.byte(Opcode.EOF);
    this.#crc.update(sink.buf, this.#crcFrom, sink.pos);
    sink.ensure(8);
    if (this.#checksum) this.#crc.writeLE(sink.buf, sink.pos);
    else sink.buf.fill(0, sink.pos, sink.pos + 8);
    sink.pos += 8;
    this.#crcFrom = sink.pos;
  }

  /** Returns the bytes produced since the last take (a fresh array) and updates the checksum. */
  take(): Uint8Array {
    const sink = this.#sink;
    if (!this.#ended || this.#crcFrom < sink.pos) {
      this.#crc.update(sink.buf, this.#crcFrom, sink.pos);
    }
    this.#crcFrom = 0;
    this.#written += sink.pos;
    return sink.take();
  }

  /** The CRC-64 of everything produced so far (the file's checksum once ended). */
  checksum(): bigint {
    return this.#crc.value();
  }
}

function writeKeyRecord(
  sink: ByteSink,
  key: string,
  value: Value,
  expireAtMs: number,
  limits: EncodingLimits,
): void {
  if (expireAtMs !== -1) {
    sink.byte(Opcode.EXPIRETIME_MS);
    sink.i64LE(expireAtMs);
  }
  const type = rdbTypeOf(value, limits);
  sink.byte(type);
  sink.string(key);
  writePayload(sink, value, type, limits);
}

/**
 * Serializes one key record on its own (for a key captured ahead of a
 * snapshot walk); append it later with {@link RdbEncoder.raw}. Compression
 * follows `options`.
 */
export function encodeKeyRecord(
  key: string,
  value: Value,
  expireAtMs: number,
  options: RdbWriterOptions,
): Uint8Array {
  const sink = new ByteSink({ compression: options.compression ?? true }, 256);
  writeKeyRecord(sink, key, value, expireAtMs, options.limits);
  return sink.take();
}

/**
 * A snapshot visitor (core/keyspace/snapshot.ts) that writes RDB key
 * records into an encoder. Captured keys are standalone key records.
 */
export class RdbSnapshotVisitor implements SnapshotVisitor<Uint8Array> {
  /** The encoder written to. */
  readonly encoder: RdbEncoder;
  readonly #options: RdbWriterOptions;

  /** Wraps `encoder`, whose options are `options`. */
  constructor(encoder: RdbEncoder, options: RdbWriterOptions) {
    this.encoder = encoder;
    this.#options = options;
  }

  /** Writes SELECTDB and RESIZEDB. */
  beginDb(index: number, keys: number, volatile: number): void {
    this.encoder.selectDb(index, keys, volatile);
  }

  /** Writes a key record. */
  writeKey(key: string, value: Value, expireAt: number): void {
    this.encoder.encodeKey(key, value, expireAt);
  }

  /** Serializes a key record now. */
  capture(key: string, value: Value, expireAt: number): Uint8Array {
    return encodeKeyRecord(key, value, expireAt, this.#options);
  }

  /** Appends a captured key record. */
  emitCaptured(captured: Uint8Array): void {
    this.encoder.raw(captured);
  }
}

/** One database's keys for {@link encodeRdb} and {@link writeRdbFile}. */
export interface DbSection {
  /** Database index. */
  index: number;
  /** Key count and expire count for RESIZEDB (computed when omitted). */
  keys?: number;
  /** Keys with an expire time. */
  expires?: number;
  /** The keys: key, value, expire time in Unix ms or -1. */
  entries: Iterable<readonly [string, Value, number]>;
}

/** Encodes a whole dataset in memory (tests and small tools). Empty sections are skipped. */
export function encodeRdb(
  sections: Iterable<DbSection>,
  options: RdbWriterOptions,
  aux: AuxFields = {},
): Uint8Array {
  const enc = new RdbEncoder(options);
  enc.header(aux);
  for (const section of sections) writeSection(enc, section);
  enc.end();
  return enc.take();
}

/**
 * Writes a dataset to `path` (through a temporary file renamed at the end),
 * draining the encoder every `chunkBytes`. Returns the file size.
 */
export async function writeRdbFile(
  path: string,
  sections: Iterable<DbSection>,
  options: RdbWriterOptions,
  aux: AuxFields = {},
  chunkBytes = 1 << 20,
): Promise<number> {
  const tmp = `${path}.tmp-${Deno.pid}-${Date.now()}`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  const enc = new RdbEncoder(options);
  try {
    const flush = async () => {
      const bytes = enc.take();
      for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
    };
    enc.header(aux);
    for (const section of sections) {
      const entries = materialize(section);
      if (entries.list.length === 0) continue;
      enc.selectDb(section.index, entries.keys, entries.expires);
      for (const [k, v, e] of entries.list) {
        enc.encodeKey(k, v, e);
        if (enc.pending >= chunkBytes) await flush();
      }
    }
    enc.end();
    await flush();
    await file.sync();
  } catch (e) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  file.close();
  await Deno.rename(tmp, path);
  return enc.size;
}

function writeSection(enc: RdbEncoder, section: DbSection): void {
  const { list, keys, expires } = materialize(section);
  if (list.length === 0) return;
  enc.selectDb(section.index, keys, expires);
  for (const [k, v, e] of list) enc.encodeKey(k, v, e);
}

function materialize(section: DbSection) {
  const list = Array.isArray(section.entries)
    ? section.entries as (readonly [string, Value, number])[]
    : Array.from(section.entries);
  let expires = 0;
  if (section.expires === undefined) { for (const e of list) if (e[2] !== -1) expires++; }
  return { list, keys: section.keys ?? list.length, expires: section.expires ?? expires };
}
