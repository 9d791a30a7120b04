/**
 * The background part of a multi-part BGREWRITEAOF (Redis 7.0's
 * `rewriteAppendOnlyFileBackground` child and `backgroundRewriteDoneHandler`),
 * without fork and without a second buffer.
 *
 * The plugin has already, in the same synchronous step that creates this
 * object, opened a new incr file, listed it in the manifest and sent every
 * new write there (see multipart_aof.ts). From then on the old base, the old
 * incr files and the new incr file hold the whole dataset, so the rewrite
 * only has to produce a base equal to the dataset at that instant:
 *
 * 1. the point-in-time walk (`writeAofBase`) writes it to
 *    `temp-rewriteaof-<pid>.aof` in the data directory, in the background;
 * 2. the file is fsynced and renamed `temp-rewriteaof-bg-<pid>.aof`
 *    ("Successfully created the temporary AOF base file ...");
 * 3. the plugin installs it, synchronously: rename into the AOF directory
 *    as the next base, old base and incr files become history, the new
 *    manifest is written durably, history files are deleted.
 *
 * Writes are never copied: their only bytes on disk are in the new incr
 * file. A crash before step 3's manifest rename leaves the old manifest
 * (old base + every incr file, complete); after it, the new one.
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { Logger } from "../../core/log.ts";
import type { AofBaseWriter } from "../../persistence/aof/base_format.ts";
import { openRewriteTempFile, writeAofBase } from "../../persistence/aof/base_job.ts";
import { systemErrorText } from "../../persistence/aof/file.ts";
import { removeIfExists } from "../../persistence/io/files.ts";
import type { AofRewriteOutcome } from "../../persistence/aof/events.ts";
import type { AofLayout } from "./layout.ts";
import type { RewriteStep } from "./faults.ts";

/** A failure of the install step; its message is Redis's log line. */
export class InstallError extends Error {
  /** Creates the error with Redis's log line. */
  constructor(message: string) {
    super(message);
    this.name = "InstallError";
  }
}

/** What a rewrite needs from the plugin. */
export interface MultipartRewriteHost {
  /** The server's core (databases, job slot). */
  readonly core: Core;
  /** The logger. */
  readonly log: Logger;
  /** File names. */
  readonly layout: AofLayout;
  /** `aof-rewrite-incremental-fsync`. */
  incrementalFsync(): boolean;
  /** `rdb-key-save-delay` in microseconds. */
  keyDelayMicros(): number;
  /** The test hook. */
  fault(step: RewriteStep): void;
  /**
   * Step 3, synchronous: moves the finished base (`tempPath`, in `format`)
   * into the AOF directory and writes the manifest. Throws an
   * {@link InstallError} with Redis's log line when it fails.
   */
  install(tempPath: string, format: "rdb" | "resp"): void;
  /** Called once when the rewrite has ended. */
  ended(rewrite: MultipartRewrite, outcome: AofRewriteOutcome): void;
}

/** One running rewrite. */
export class MultipartRewrite {
  /** Unix ms when it started. */
  readonly startedAt: number = Date.now();
  /** Keys written to the base so far. */
  keysWritten = 0;
  /** Keys in the dataset at the start. */
  keysTotal = 0;
  /** Bytes of the new base. */
  baseBytes = 0;
  /** Resolves when the rewrite has ended, however it ended. */
  readonly done: Promise<void>;

  readonly #host: MultipartRewriteHost;
  readonly #abort = new AbortController();
  readonly #file: Deno.FsFile;
  readonly #format: "rdb" | "resp";
  #killed = false;
  #reportedWriting = false;

  private constructor(host: MultipartRewriteHost, file: Deno.FsFile, base: AofBaseWriter) {
    this.#host = host;
    this.#file = file;
    this.#format = base.format;
    // The walk starts inside this call: the image is the dataset now.
    const job = writeAofBase({
      dbs: host.core.dbs,
      base,
      file,
      incrementalFsync: host.incrementalFsync(),
      keyDelayMicros: host.keyDelayMicros(),
      signal: this.#abort.signal,
      // Lets the walk run at full speed while no client is being served.
      activity: () => host.core.stats.commandsProcessed,
      onProgress: (written, total) => {
        this.keysWritten = written;
        this.keysTotal = total;
        if (written > 0 && !this.#reportedWriting) {
          this.#reportedWriting = true;
          host.fault("base-writing");
        }
      },
    });
    this.done = this.#finish(job);
  }

  /**
   * Takes the job slot and starts writing the base of the dataset as it is
   * now, or returns why it cannot. `base` serializes it.
   */
  static start(host: MultipartRewriteHost, base: AofBaseWriter): MultipartRewrite | string {
    if (host.core.jobs.running !== null) return "another background job is running";
    const tempPath = host.layout.tempBasePath();
    const file = openRewriteTempFile(tempPath, host.log);
    if (typeof file === "string") return file;
    let rewrite: MultipartRewrite | null = null;
    host.core.jobs.tryStart("aof-rewrite", "aof-multipart", () => rewrite?.kill());
    rewrite = new MultipartRewrite(host, file, base);
    return rewrite;
  }

  /** Stops the rewrite; the files and manifest stay as they are (Redis's killAppendOnlyChild). */
  kill(): void {
    if (this.#killed) return;
    this.#killed = true;
    this.#host.log.notice("Killing running AOF rewrite");
    this.#abort.abort(new Error("killed"));
  }

  async #finish(job: Promise<{ bytes: number }>): Promise<void> {
    const host = this.#host;
    const layout = host.layout;
    let outcome: AofRewriteOutcome = "err";
    let fileOpen = true;
    try {
      const { bytes } = await job;
      this.baseBytes = bytes;
      await this.#file.syncData();
      this.#file.close();
      fileOpen = false;
      host.fault("base-written");
      if (this.#killed) throw new Error("killed");
      Deno.renameSync(layout.tempBasePath(), layout.finishedBasePath());
      host.log.notice(
        `Successfully created the temporary AOF base file ${layout.finishedBaseName()}`,
      );
      host.log.notice("Background AOF rewrite terminated with success");
      host.install(layout.finishedBasePath(), this.#format);
      outcome = "ok";
    } catch (e) {
      if (this.#killed) {
        outcome = "killed";
      } else {
        host.log.warning(
          e instanceof InstallError
            ? e.message
            : `Write error writing append only file on disk: ${systemErrorText(e)}`,
        );
        host.log.warning("Background AOF rewrite terminated with error");
      }
      if (fileOpen) {
        try {
          this.#file.close();
        } catch {
          // already closed
        }
      }
      await removeIfExists(layout.tempBasePath()).catch(() => {});
      await removeIfExists(layout.finishedBasePath()).catch(() => {});
    } finally {
      host.core.jobs.finish("aof-rewrite");
      host.ended(this, outcome);
    }
  }
}
