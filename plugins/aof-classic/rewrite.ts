/**
 * BGREWRITEAOF for the single-file layout: the two-buffer method of Redis
 * 6.x (`rewriteAppendOnlyFileBackground`, `backgroundRewriteDoneHandler`),
 * without fork.
 *
 * 1. **Start** (one synchronous step): take the job slot, open
 *    `temp-rewriteaof-bg-<pid>.aof`, start the snapshot walk, create the
 *    rewrite buffer, and make the encoder forget the selected database.
 *    From this instant every unit is written twice: to the old AOF through
 *    the writer as usual (its replies, fsyncs and errors are unchanged), and
 *    into the rewrite buffer (see {@link ClassicRewrite.feed}).
 * 2. **Base**: the walk writes the dataset as it was at the start into the
 *    temporary file, in the background (RESP, or RDB from a provider of
 *    `aof.base-format.rdb`).
 * 3. **Catch up**: while the rewrite buffer is large, it is appended to the
 *    temporary file asynchronously (Redis's child reading the parent's
 *    diffs); then the file is fsynced off the main thread.
 * 4. **Switch** (one synchronous step, nothing interleaves): append what is
 *    left in the buffer, fsync the file, rename it over the AOF, fsync the
 *    directory, and hand it to the writer, which drops its own buffer
 *    (already in the new file), releases every held reply and appends to
 *    the new file from now on.
 *
 * A crash at any step leaves a complete AOF: until the rename the old file
 * is the AOF and it received every write; the new file is renamed only
 * once it holds the base and every write since, on disk. The temporary file
 * of a failed or killed rewrite is removed.
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { Logger } from "../../core/log.ts";
import {
  joinPath,
  removeIfExists,
  replaceFileSync,
  writeAll,
  writeAllSync,
} from "../../persistence/io/files.ts";
import type { AofBaseWriter } from "../../persistence/aof/base_format.ts";
import { openRewriteTempFile, writeAofBase } from "../../persistence/aof/base_job.ts";
import { fsyncDirSync, systemErrorText } from "../../persistence/aof/file.ts";
import type { AofRewriteOutcome } from "../../persistence/aof/events.ts";
import { RewriteBuffer } from "./rewrite_buffer.ts";

/** Below this many buffered bytes the switch appends them synchronously. */
const SYNC_TAIL_BYTES = 256 * 1024;
/** Catch-up rounds before switching anyway (writes may outpace the disk). */
const MAX_CATCH_UP_ROUNDS = 20;

/** What a rewrite needs from the plugin. */
export interface RewriteHost {
  /** The server's core (databases, job slot). */
  readonly core: Core;
  /** The logger. */
  readonly log: Logger;
  /** The data directory. */
  dir(): string;
  /** The AOF path (`dir/appendfilename`). */
  path(): string;
  /** The serializer of the base. */
  createBase(): AofBaseWriter;
  /** `aof-rewrite-incremental-fsync`. */
  incrementalFsync(): boolean;
  /** `rdb-key-save-delay` in microseconds. */
  keyDelayMicros(): number;
  /**
   * Called inside the synchronous switch, after the rename: `file` is the
   * AOF now, `size` bytes long, fsynced, holding every unit so far.
   */
  adopt(file: Deno.FsFile, size: number): Promise<void>;
  /** Called once when the rewrite has ended. */
  ended(rewrite: ClassicRewrite, outcome: AofRewriteOutcome): void;
}

/** One running rewrite. */
export class ClassicRewrite {
  /** Unix ms when it started. */
  readonly startedAt: number = Date.now();
  /** Keys written to the base so far. */
  keysWritten = 0;
  /** Keys in the dataset at the start. */
  keysTotal = 0;
  /** Size of the new AOF, once switched. */
  size = 0;
  /** Resolves when the rewrite has ended, however it ended. */
  readonly done: Promise<void>;

  readonly #host: RewriteHost;
  readonly #buffer = new RewriteBuffer();
  readonly #abort = new AbortController();
  readonly #file: Deno.FsFile;
  readonly #tempPath: string;
  #killed = false;

  private constructor(host: RewriteHost, file: Deno.FsFile, tempPath: string) {
    this.#host = host;
    this.#file = file;
    this.#tempPath = tempPath;
    const base = host.createBase();
    // The walk starts inside this call: the image is the dataset now, and
    // the caller starts feeding the buffer before anything else can run.
    const job = writeAofBase({
      dbs: host.core.dbs,
      base,
      file,
      incrementalFsync: host.incrementalFsync(),
      keyDelayMicros: host.keyDelayMicros(),
      signal: this.#abort.signal,
      onProgress: (written, total) => {
        this.keysWritten = written;
        this.keysTotal = total;
      },
      activity: () => host.core.stats.commandsProcessed,
    });
    this.done = this.#finish(job);
  }

  /**
   * Starts a rewrite now, or returns why it cannot start. The caller must
   * feed every unit from this instant (it is synchronous with the snapshot).
   */
  static start(host: RewriteHost): ClassicRewrite | string {
    if (host.core.jobs.running !== null) return "another background job is running";
    const tempPath = joinPath(host.dir(), `temp-rewriteaof-bg-${Deno.pid}.aof`);
    const file = openRewriteTempFile(tempPath, host.log);
    if (typeof file === "string") return file;
    let rewrite: ClassicRewrite | null = null;
    host.core.jobs.tryStart("aof-rewrite", "aof-classic", () => rewrite?.kill());
    rewrite = new ClassicRewrite(host, file, tempPath);
    return rewrite;
  }

  /** Bytes waiting in the rewrite buffer (INFO mem_aof_buffer). */
  get bufferedBytes(): number {
    return this.#buffer.length;
  }

  /** The second buffer: records written to the old AOF since the start. */
  feed(bytes: Uint8Array): void {
    this.#buffer.append(bytes);
  }

  /** Stops the rewrite; the old AOF stays (Redis's killAppendOnlyChild). */
  kill(): void {
    if (this.#killed) return;
    this.#killed = true;
    this.#host.log.notice("Killing running AOF rewrite");
    this.#abort.abort(new Error("killed"));
  }

  async #finish(job: Promise<{ bytes: number }>): Promise<void> {
    const host = this.#host;
    let outcome: AofRewriteOutcome = "err";
    try {
      const { bytes } = await job;
      host.log.notice("Background AOF rewrite terminated with success");
      const written = await this.#catchUp(bytes);
      if (this.#killed) throw new Error("killed");
      const oldRemoved = this.#switchOver(written);
      outcome = "ok";
      await oldRemoved; // the rewrite leaves no file behind when it reports its end
    } catch (e) {
      if (this.#killed) {
        outcome = "killed";
      } else {
        host.log.warning(`Write error writing append only file on disk: ${systemErrorText(e)}`);
        host.log.warning("Background AOF rewrite terminated with error");
      }
      try {
        this.#file.close();
      } catch {
        // already closed
      }
      await removeIfExists(this.#tempPath).catch(() => {});
    } finally {
      host.core.jobs.finish("aof-rewrite");
      host.ended(this, outcome);
    }
  }

  /** Step 3: appends the buffer while it is large, then fsyncs off the main thread. */
  async #catchUp(bytes: number): Promise<number> {
    for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
      if (this.#buffer.length <= SYNC_TAIL_BYTES || this.#killed) break;
      for (const block of this.#buffer.takeAll()) {
        await writeAll(this.#file, block);
        bytes += block.length;
      }
    }
    await this.#file.syncData();
    return bytes;
  }

  /**
   * Step 4, synchronous from start to end. Returns the removal of the old
   * AOF, which waits for the writer to close it.
   */
  #switchOver(bytes: number): Promise<void> {
    const host = this.#host;
    const tail = this.#buffer.takeAll();
    let tailBytes = 0;
    for (const block of tail) {
      writeAllSync(this.#file, block);
      tailBytes += block.length;
    }
    this.#file.syncDataSync();
    const path = host.path();
    const removeOld = replaceFileSync(this.#tempPath, path);
    try {
      fsyncDirSync(host.dir());
    } catch (e) {
      // The rename happened: the new file is the AOF now, durable or not yet.
      host.log.warning(`Can't fsync the AOF directory after the rewrite: ${systemErrorText(e)}`);
    }
    this.size = bytes + tailBytes;
    host.log.notice(
      `Residual parent diff successfully flushed to the rewritten AOF (${
        (tailBytes / (1024 * 1024)).toFixed(2)
      } MB)`,
    );
    // The old AOF is removed once the writer has closed it: the last close
    // of a file without a name would free its blocks on this thread.
    const oldRemoved = host.adopt(this.#file, this.size).then(removeOld);
    host.log.notice("Background AOF rewrite finished successfully");
    return oldRemoved;
  }
}
