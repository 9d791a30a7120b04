/**
 * DUMP payloads (`createDumpPayload` / `verifyDumpPayload` in cluster.c):
 *
 * ```
 * type byte | value payload (as in an RDB file) | RDB version u16 LE | CRC-64 u64 LE
 * ```
 *
 * The CRC covers everything before it, version included. RESTORE refuses a
 * payload written by a newer RDB version than its own, or with a wrong CRC.
 *
 * @module
 */

import type { EncodingLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import { buildValue, type ValueBuilders } from "./builders.ts";
import { ByteSink } from "./byte_sink.ts";
import { RDB_VERSION } from "./constants.ts";
import { Crc64 } from "./crc64.ts";
import { Cursor } from "./cursor.ts";
import { RdbError } from "./errors.ts";
import { decodeValue, EMPTY_VALUE } from "./value_decoder.ts";
import { writeValue } from "./value_encoder.ts";

const FOOTER_SIZE = 10;

/** Serializes `value` as DUMP does. */
export function createDumpPayload(
  value: Value,
  limits: EncodingLimits,
  options: { compression?: boolean } = {},
): Uint8Array {
  const sink = new ByteSink({ compression: options.compression ?? true }, 256);
  writeValue(sink, value, limits);
  sink.ensure(FOOTER_SIZE);
  sink.buf[sink.pos++] = RDB_VERSION & 0xff;
  sink.buf[sink.pos++] = (RDB_VERSION >> 8) & 0xff;
  const crc = new Crc64();
  crc.update(sink.buf, 0, sink.pos);
  crc.writeLE(sink.buf, sink.pos);
  sink.pos += 8;
  return sink.take();
}

/**
 * True when the payload's footer is acceptable: at least 10 bytes, an RDB
 * version not newer than ours, and a matching CRC (unless `skipChecksum`,
 * DEBUG SET-SKIP-CHECKSUM-VALIDATION).
 */
export function verifyDumpPayload(payload: Uint8Array, skipChecksum = false): boolean {
  const len = payload.length;
  if (len < FOOTER_SIZE) return false;
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = new Crc64();
  crc.update(payload, 0, len - 8);
  return crc.matchesLE(payload, len - 8);
}

/**
 * Decodes the value of a verified payload. Throws an {@link RdbError}
 * when the body is malformed, holds a type Cairn cannot store, or is an
 * empty collection (RESTORE answers "Bad data format" to all of these).
 */
export function decodeDumpPayload(
  payload: Uint8Array,
  key: string,
  limits: EncodingLimits,
  builders?: ValueBuilders,
): Value {
  const cur = new Cursor("DUMP payload", payload, 0, payload.length - FOOTER_SIZE, true);
  const type = cur.u8("the value type");
  if (type >= 0xf4) throw cur.error("corrupt", `byte ${type} is an opcode, not a value type`, 0);
  const decoded = decodeValue(cur, type, key);
  if (decoded === EMPTY_VALUE) {
    throw cur.error("corrupt", "the payload holds an empty collection", 0);
  }
  return buildValue(decoded, limits, builders);
}

export { RdbError };
