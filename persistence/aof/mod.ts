/**
 * The AOF engine: everything an append-only-file plugin needs, whatever
 * its layout (the classic single file in plugins/aof-classic, Redis 7's
 * multi-part directory, a hybrid RDB preamble). Pure modules: options are
 * passed in; nothing here reads the configuration or subscribes to the bus.
 *
 * Writing (see each module for the details and Redis's rules):
 *
 * - {@link AofRecordEncoder} turns `write` events into records exactly as
 *   Redis 7.0 writes them (SELECT when the database changes, SELECT before
 *   MULTI, MULTI/EXEC around atomic units of several ops, `#TS:` lines).
 *   Call `resetSelectedDb()` whenever a new file starts receiving records.
 * - {@link AofWriter} owns the pending bytes (`writer.buffer`: encode into
 *   it, then `noteAppended(event.seq)`), writes them once per event-loop
 *   turn before replies go out, fsyncs per policy (group commit for
 *   `always`, background once a second for `everysec`), and is the
 *   plugin's {@link DurableSink} (`ctx.addDurableSink(writer)`). Its
 *   `misconf()` is the write guard text while the disk fails
 *   (`ctx.addWriteGuard`); `cron()` retries; `switchFile()` moves to a
 *   rewritten file that already holds everything (the classic rewrite);
 *   `continueOn()` moves to a new file after writing and fsyncing the
 *   buffer into the current one (a multi-part AOF's next INCR file);
 *   `flushAndSync()` is for SHUTDOWN.
 * - {@link AofFile} is the handle the writer appends to (`Deno.FsFile`
 *   fits; tests inject failing ones).
 *
 * Rewriting:
 *
 * - {@link writeAofBase} takes a point-in-time snapshot *at the call* and
 *   writes a base file in the background through an {@link AofBaseWriter}:
 *   {@link RespBaseWriter} (the shortest replay), or an RDB image from the
 *   provider of the capability {@link AOF_RDB_BASE_FORMAT}
 *   ({@link AofRdbBaseFormat}). Start collecting the changes made after the
 *   snapshot in the same synchronous step (a rewrite buffer, a new INCR
 *   file).
 *
 * Loading and checking:
 *
 * - {@link loadAofFile} loads one file (RDB part, RESP records, truncated
 *   tails per `aof-load-truncated`, Redis's log lines and fatal errors as
 *   {@link AofLoadError}) into an {@link AofReplayTarget};
 *   {@link CoreReplayer} replays into a core through the normal command
 *   path (set `core.loading` around it). A multi-part loader calls it per
 *   file (`rdbPart: "base"`, `fixTarget: "<filename.manifest>"`) and
 *   decides what a truncated file that is not the last one means.
 * - {@link checkAof} is `cairn check-aof` (redis-check-aof's behaviour,
 *   manifests included); {@link CHECK_AOF_SUBCOMMAND} registers it.
 *
 * Multi-part layout and plugin helpers:
 *
 * - {@link AofManifest}, {@link parseManifest}, {@link writeManifest}: the
 *   Redis 7.0 manifest (names, grammar and refusals, durable writes).
 * - {@link writeAofBaseSync}: a base written in one synchronous step (the
 *   base a first start creates).
 * - {@link bgrewriteaofCommand}, {@link loadAofDebugSubcommand},
 *   {@link aofPersistenceFields}, {@link RewriteLimiter}, {@link AofEvents}:
 *   what every AOF plugin registers, with Redis's replies, fields and rules.
 *
 * @module
 */

export { AofBuffer } from "./aof_buffer.ts";
export { AofRecordEncoder, encodeAofCommand } from "./record_encoder.ts";
export {
  AofWriter,
  type AofWriterOptions,
  type AofWriterStats,
  type FsyncPolicy,
} from "./writer.ts";
export { type AofFile, fsyncDirSync, openAppend, systemErrorText } from "./file.ts";
export { AOF_RDB_BASE_FORMAT, type AofBaseWriter, type AofRdbBaseFormat } from "./base_format.ts";
export { ITEMS_PER_COMMAND, RespBaseWriter, writeKeyCommands } from "./rewrite_resp.ts";
export {
  type AofBaseJobOptions,
  type AofBaseJobResult,
  INCREMENTAL_FSYNC_BYTES,
  writeAofBase,
} from "./base_job.ts";
export {
  type AofLoadOptions,
  type AofLoadResult,
  type AofLoadStatus,
  loadAofFile,
} from "./loader.ts";
export { type AofReplayTarget, CoreReplayer } from "./replay.ts";
export { AofRecordReader, type ByteSource, ReadStatus } from "./record_reader.ts";
export { AofLoadError, type AofLoadErrorKind } from "./errors.ts";
export { checkAof, type CheckAofArgs, type CheckAofIo, parseCheckAofArgs } from "./check.ts";
export { CHECK_AOF_SUBCOMMAND } from "./check_cli.ts";
export {
  type AofFileInfo,
  type AofFileType,
  AofManifest,
  AofManifestError,
  type ManifestLocation,
  parseManifest,
  persistManifest,
  readManifest,
  writeManifest,
} from "./manifest.ts";
export { writeAofBaseSync } from "./base_sync.ts";
export type { AofEvents, AofRewriteOutcome } from "./events.ts";
export { RewriteLimiter } from "./rewrite_limit.ts";
export {
  type AofCommandHost,
  type AofRewriteRequest,
  bgrewriteaofCommand,
  loadAofDebugSubcommand,
} from "./aof_commands.ts";
export { type AofInfoState, aofPersistenceFields, loadingFields } from "./aof_info.ts";
