/**
 * Writing a rewrite's base into a file: the point-in-time image of the
 * dataset, taken with `runSnapshotJob` (no fork, no pause), serialized by an
 * {@link AofBaseWriter} and streamed to the file in the background.
 *
 * The snapshot is taken when {@link writeAofBase} is *called* (the walk
 * starts synchronously), so a caller that starts collecting the changes
 * made after the snapshot in the same synchronous step — the classic
 * rewrite buffer, or a new multi-part INCR file — misses none and
 * duplicates none.
 *
 * With `incrementalFsync` (`aof-rewrite-incremental-fsync`), the file is
 * fsynced every 4 MB written, so the final fsync has little left to do.
 * That fsync runs while the walk goes on (Redis's child does it inline, but
 * runs beside the server; here it would stall the walk).
 *
 * @module
 */

import type { Db } from "../../core/keyspace/db.ts";
import type { Logger } from "../../core/log.ts";
import { writeAll } from "../io/files.ts";
import { runSnapshotJob } from "../snapshot_job.ts";
import type { AofBaseWriter } from "./base_format.ts";
import { systemErrorText } from "./file.ts";

/**
 * Creates (or empties) the temp file a rewrite writes its base to. On
 * failure, logs Redis's line and returns the reason.
 */
export function openRewriteTempFile(path: string, log: Logger): Deno.FsFile | string {
  try {
    return Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    const reason = systemErrorText(e);
    log.warning(`Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${reason}`);
    return reason;
  }
}

/** Redis's REDIS_AUTOSYNC_BYTES: the incremental fsync interval. */
export const INCREMENTAL_FSYNC_BYTES = 4 * 1024 * 1024;

/** How to write a base. */
export interface AofBaseJobOptions {
  /** The databases, as they are at the call. */
  dbs: readonly Db[];
  /** The serializer (RESP, or RDB from a provider). */
  base: AofBaseWriter;
  /** The open destination. */
  file: Deno.FsFile;
  /** fsync every 4 MB. */
  incrementalFsync: boolean;
  /** `rdb-key-save-delay` in microseconds (Redis applies it to rewrites too). */
  keyDelayMicros?: number;
  /** Stops the job; the promise then rejects. */
  signal?: AbortSignal;
  /** Progress of the walk. */
  onProgress?(keysWritten: number, keysTotal: number): void;
  /**
   * A counter that grows while clients are served (`core.stats.commandsProcessed`):
   * the walk yields with a timer only while it moves, and runs at nearly
   * full speed on an idle server (see persistence/snapshot_job.ts).
   */
  activity?(): number;
}

/** What a base job wrote. */
export interface AofBaseJobResult {
  /** Bytes written to the file. */
  bytes: number;
  /** Keys written. */
  keys: number;
}

/**
 * Takes the snapshot now and writes the base to `options.file` in the
 * background; resolves when every byte is written (not fsynced).
 */
export function writeAofBase(options: AofBaseJobOptions): Promise<AofBaseJobResult> {
  const { base, file } = options;
  let header: Uint8Array | null = base.begin();
  let sinceSync = 0;
  // The incremental fsync runs while the walk goes on; at most one at a time.
  // It settles to its error (or null) so that a failure surfaces when awaited.
  let syncing: Promise<unknown> | null = null;
  const settleSync = async () => {
    const error = await syncing;
    syncing = null;
    if (error !== null) throw error;
  };
  const job = runSnapshotJob({
    dbs: options.dbs,
    visitor: base.visitor,
    drain() {
      const body = base.drain();
      if (header === null) return body;
      const first = concat(header, body);
      header = null;
      return first;
    },
    async write(bytes) {
      await writeAll(file, bytes);
      sinceSync += bytes.length;
      if (options.incrementalFsync && sinceSync >= INCREMENTAL_FSYNC_BYTES) {
        sinceSync = 0;
        if (syncing !== null) await settleSync();
        syncing = file.syncData().then(() => null, (e) => e);
      }
    },
    keyDelayMicros: options.keyDelayMicros,
    signal: options.signal,
    onProgress: options.onProgress,
    activity: options.activity,
  });
  return job.then(
    async (result) => {
      if (syncing !== null) await settleSync();
      // An empty dataset gives the walk nothing to drain: the header still goes out.
      const tail = concat(header ?? new Uint8Array(0), base.end());
      if (tail.length > 0) await writeAll(file, tail);
      return { bytes: result.bytes + tail.length, keys: result.keys };
    },
    async (error) => {
      await syncing; // never leave an fsync running on a file the caller closes
      throw error;
    },
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
