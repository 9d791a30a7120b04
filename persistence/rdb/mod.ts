/**
 * The RDB codec: Redis-compatible RDB files (read versions 1-11, write
 * version 10 as Redis 7.0.15 does), DUMP payloads and the DUMP/RESTORE
 * commands, `check-rdb`, and the LZF and CRC-64 they rest on. Pure
 * modules: options are passed in, nothing reads the config or the bus.
 *
 * @module
 */

export {
  type AuxFields,
  type DbSection,
  encodeKeyRecord,
  encodeRdb,
  RdbEncoder,
  RdbSnapshotVisitor,
  type RdbWriterOptions,
  writeRdbFile,
} from "./writer.ts";
export {
  type ChecksumStatus,
  type KeyCallback,
  type KeyMeta,
  type RdbReadOptions,
  type RdbReadResult,
  readRdb,
  readRdbFile,
} from "./reader.ts";
export type { RdbInput } from "./source.ts";
export { RdbError, type RdbErrorKind } from "./errors.ts";
export { buildValue, CONTRACT_BUILDERS, type ValueBuilders } from "./builders.ts";
export { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from "./dump.ts";
export { DUMP_COMMANDS } from "./dump_commands.ts";
export { checkRdb, type CheckRdbResult } from "./check.ts";
export { CHECK_RDB_SUBCOMMAND } from "./check_cli.ts";
export { RDB_VERSION } from "./constants.ts";
export { Crc64, crc64 } from "./crc64.ts";
export { lzfCompress, lzfDecompress } from "./lzf.ts";
export { rdbTypeOf, writeValue } from "./value_encoder.ts";
