/**
 * The background save without fork (Redis's `rdbSaveBackground`): a
 * point-in-time snapshot walk (core/keyspace/snapshot.ts) streams RDB
 * records to `temp-<pid>.rdb` between client turns; at the end the file is
 * fsynced, renamed over `dbfilename` and the directory fsynced.
 *
 * The image is the dataset at the instant {@link startBackgroundSave} is
 * called: the walk starts synchronously there, and serialize-before-mutate
 * keeps every later change out of it.
 *
 * The rename is synchronous and happens only if the save was not aborted
 * by then, so an aborted save can never replace a file written after it
 * (FLUSHALL's and SHUTDOWN's synchronous saves abort it first).
 *
 * @module
 */

import type { Db } from "../../core/keyspace/db.ts";
import type { Logger } from "../../core/log.ts";
import { fsyncDir, replaceFileSync, writeAll } from "../../persistence/io/files.ts";
import { runSnapshotJob } from "../../persistence/snapshot_job.ts";
import { RdbEncoder, RdbSnapshotVisitor } from "../../persistence/rdb/mod.ts";
import type { SaveSettings } from "./encoding.ts";
import { createFileSync, type RdbPaths, removeIfExistsSync, systemError } from "./files.ts";

/**
 * Walking time per turn. Clients get the event loop between slices, so a
 * shorter slice serves them more often; measured on 200,000 keys under
 * write load, 1 ms kept about twice the throughput of 2 ms for a save
 * 10-30% longer.
 */
const SLICE_MS = 1;

/** How a background save ended. */
export type BackgroundSaveOutcome = "ok" | "error" | "aborted";

/** A running background save. */
export class BackgroundSave {
  /** Keys present when it started. */
  keysTotal = 0;
  /** Keys written so far. */
  keysWritten = 0;
  /** Resolves when it has ended and its temporary file is gone. */
  readonly done: Promise<BackgroundSaveOutcome>;
  readonly #controller = new AbortController();

  /** Starts the save of `dbs` now; see {@link startBackgroundSave}. */
  constructor(
    dbs: readonly Db[],
    paths: RdbPaths,
    settings: SaveSettings,
    keyDelayMicros: number,
    log: Logger,
    activity?: () => number,
  ) {
    this.done = this.#run(dbs, paths, settings, keyDelayMicros, log, activity);
  }

  /** Stops the save: nothing is renamed, the temporary file is removed. */
  abort(): void {
    this.#controller.abort();
  }

  /** True once {@link abort} was called. */
  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  // Everything up to the first await runs in the constructor: the walk
  // starts at the call, so the image is the dataset at that instant.
  async #run(
    dbs: readonly Db[],
    paths: RdbPaths,
    settings: SaveSettings,
    keyDelayMicros: number,
    log: Logger,
    activity: (() => number) | undefined,
  ): Promise<BackgroundSaveOutcome> {
    let file: Deno.FsFile;
    try {
      file = createFileSync(paths.temp);
    } catch (e) {
      log.warning(
        `Failed opening the temp RDB file ${paths.tempName} (in server root dir ${paths.dir}) for saving: ${
          systemError(e)
        }`,
      );
      return "error";
    }
    const signal = this.#controller.signal;
    const encoder = new RdbEncoder(settings.options);
    encoder.header(settings.aux);
    let step = "rdbSaveRio";
    let open = true;
    try {
      const job = runSnapshotJob({
        dbs,
        visitor: new RdbSnapshotVisitor(encoder, settings.options),
        drain: () => encoder.take(),
        write: (bytes) => writeAll(file, bytes),
        keyDelayMicros: keyDelayMicros > 0 ? keyDelayMicros : 0,
        sliceMs: SLICE_MS,
        signal,
        activity,
        onProgress: (written, total) => {
          this.keysWritten = written;
          this.keysTotal = total;
        },
      });
      await job;
      encoder.end();
      await writeAll(file, encoder.take());
      step = "fsync";
      await file.sync();
      file.close();
      open = false;
      signal.throwIfAborted();
      step = "rename";
      const removeOld = replaceFileSync(paths.temp, paths.file);
      // The rename is done (and safe from other saves); making it durable
      // need not block clients the way a synchronous directory fsync would.
      step = "fsyncFileDir";
      await fsyncDir(paths.dir);
      await removeOld();
      log.notice("DB saved on disk");
      return "ok";
    } catch (e) {
      if (open) file.close();
      try {
        removeIfExistsSync(paths.temp);
      } catch {
        // the next save replaces it
      }
      if (signal.aborted) return "aborted";
      if (step === "rename") {
        log.warning(
          `Error moving temp DB file ${paths.tempName} on the final destination ${paths.name} (in server root dir ${paths.dir}): ${
            systemError(e)
          }`,
        );
      } else {
        log.warning(`Write error saving DB on disk(${step}): ${systemError(e)}`);
      }
      return "error";
    }
  }
}
