/**
 * The AOF writer: appends encoded records to an open file with Redis's
 * fsync policies, holds replies until their writes are written (and, with
 * `appendfsync always`, fsynced), and survives disk errors.
 *
 * Records are encoded into {@link AofWriter.buffer} while commands run (the
 * plugin calls {@link AofWriter.noteAppended} after each unit). The first
 * unit of a turn schedules a *flush turn* as a microtask: it runs after
 * every connection that had input in the same event-loop turn has executed
 * its commands, and writes the whole buffer with one `write(2)` — Redis's
 * `flushAppendOnlyFile` in `beforeSleep`. The writer is the plugin's
 * {@link DurableSink}, so connections send their replies only after that
 * write (every policy) or after the fsync covering it (`always`).
 *
 * Policies (`flushAppendOnlyFile`, `aof_background_fsync` in Redis):
 *
 * - `always`: group commit. The flush turn writes, then starts an fsync
 *   off the main thread unless one is running. Turns that arrive while an
 *   fsync runs still write at once; their replies wait for the *next*
 *   fsync, which starts when the running one ends and covers all of them.
 *   So one fsync serves every client whose writes arrived during the
 *   previous one, and the main thread never waits for the disk. When an
 *   fsync ends, the next one first waits for the clients it just released
 *   to come back, so that one fsync serves them too instead of the clients
 *   splitting into two halves that take turns (measured at pipeline 1 with
 *   50 clients: 35 instead of 22 clients per fsync, so a third fewer
 *   fsyncs for the same writes). When one does not come back, the fsync
 *   starts when a timer fires (1-2 ms later in Deno; under 1% of fsyncs
 *   measured with 50 clients).
 * - `everysec`: write every turn; fsync in the background when the wall
 *   clock second changed and no fsync is running. If an fsync is still
 *   running when a write is due, the write is postponed (replies are not
 *   held) for up to two seconds, then done anyway, counting a delayed fsync
 *   and logging Redis's warning. Unsynced bytes get an fsync from the cron
 *   once a second passes even when no new write comes.
 * - `no`: write every turn, never fsync.
 *
 * Errors are never ignored. A failed or short write is undone with
 * `ftruncate` (or, when that fails, the written part is kept and dropped
 * from the buffer, as Redis does), logged with Redis's lines (at most once
 * per 30 s), and the writer enters an error state: {@link AofWriter.misconf}
 * returns the `-MISCONF Errors writing to the AOF file: <error>` text the
 * plugin installs as a write guard. The data stays in the buffer and
 * {@link AofWriter.cron} retries; the first successful write logs "AOF write
 * error looks solved, Redis can write again." and lifts the guard. A failed
 * fsync is treated the same way. With `always`, Redis exits on such an
 * error because acknowledged writes cannot be taken back; the writer
 * instead rejects the durability promises of every unit not yet fsynced,
 * so the connections holding those replies close without acknowledging
 * them. While the error lasts the writer holds no reply (reads and the
 * MISCONF refusals go out), which is the documented price of not exiting.
 *
 * @module
 */

import type { DurableSink } from "../../core/durability.ts";
import type { Logger } from "../../core/log.ts";
import { misconfAof } from "../../core/errors.ts";
import { AofBuffer } from "./aof_buffer.ts";
import { type AofFile, systemErrorText } from "./file.ts";

/** `appendfsync`. */
export type FsyncPolicy = "always" | "everysec" | "no";

/** How to create an {@link AofWriter}. */
export interface AofWriterOptions {
  /** The open file, positioned for appending. */
  file: AofFile;
  /** Its current size in bytes. */
  size: number;
  /** The fsync policy. */
  policy: FsyncPolicy;
  /** Where Redis's log lines go. */
  log: Logger;
  /** Sequence number of the last unit already in the file (`core.seq`). */
  seq: number;
  /** True while fsyncs must be skipped (`no-appendfsync-on-rewrite` with a job running). */
  skipFsync?: () => boolean;
  /** Wall-clock milliseconds (tests). */
  now?: () => number;
}

/** Counters of a writer, for INFO and tests. */
export interface AofWriterStats {
  /** Successful `write(2)` calls (one per flush turn that had data). */
  writes: number;
  /** Completed fsyncs. */
  fsyncs: number;
  /** Writes done while a slow fsync was still running (`aof_delayed_fsync`). */
  delayedFsyncs: number;
  /** Units appended. */
  units: number;
}

/** Seconds between two logs of the same write error (Redis's AOF_WRITE_LOG_ERROR_RATE). */
const WRITE_ERROR_LOG_RATE = 30;
/** How long `everysec` postpones a write behind a running fsync (seconds). */
const MAX_POSTPONE_SECONDS = 2;

/** Replies waiting for the same fsync. */
interface SyncGroup {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  /** Highest unit sequence number a waiter asked for. */
  seq: number;
  /** Number of waits answered with this group (about one per connection). */
  waiters: number;
}

/** A running fsync. */
interface FsyncJob {
  readonly file: AofFile;
  /** Units covered. */
  readonly seq: number;
  /** File size covered. */
  readonly size: number;
  /** Replies released when it succeeds. */
  readonly group: SyncGroup | null;
  /** Resolves when it has ended, successfully or not. */
  settled: Promise<void>;
}

/** The next fsync waiting for the clients the last one released. */
interface Gathering {
  /** Waiters the next group must hold before the fsync starts. */
  target: number;
  /** Starts the fsync anyway when some clients never come back. */
  timer?: ReturnType<typeof setTimeout>;
}

function newGroup(seq: number): SyncGroup {
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  // A group is always handed to a waiting connection; this only keeps a
  // rejection nobody awaits any more (a closed connection) from being fatal.
  promise.catch(() => {});
  return { promise, resolve, reject, seq, waiters: 0 };
}

/** Appends AOF records to a file under an fsync policy. See the module documentation. */
export class AofWriter implements DurableSink {
  /** Records waiting to be written. Encode into it, then call {@link noteAppended}. */
  readonly buffer: AofBuffer = new AofBuffer();
  /** Counters. */
  readonly stats: AofWriterStats = { writes: 0, fsyncs: 0, delayedFsyncs: 0, units: 0 };

  #file: AofFile;
  #policy: FsyncPolicy;
  readonly #log: Logger;
  readonly #skipFsync: () => boolean;
  readonly #now: () => number;

  /** Bytes in the file (Redis's aof_current_size / aof_last_incr_size). */
  #size: number;
  /** File size covered by the last fsync started (Redis's aof_last_incr_fsync_offset). */
  #syncSubmittedSize: number;
  #appendedSeq: number;
  #writtenSeq: number;
  #syncedSeq: number;

  #turnScheduled = false;
  #writeWaiters: SyncGroup | null = null;
  #nextGroup: SyncGroup | null = null;
  #fsync: FsyncJob | null = null;
  /** Set while the next fsync waits for the clients the last one released (see #fsyncDone). */
  #gather: Gathering | null = null;
  #lastFsyncSecond: number;
  #postponedSince = 0;

  #writeError: string | null = null;
  #fsyncError: string | null = null;
  #lastErrorLog = 0;
  #closed = false;

  /** Creates a writer appending to `options.file`. */
  constructor(options: AofWriterOptions) {
    this.#file = options.file;
    this.#size = options.size;
    this.#syncSubmittedSize = options.size;
    this.#policy = options.policy;
    this.#log = options.log;
    this.#skipFsync = options.skipFsync ?? (() => false);
    this.#now = options.now ?? Date.now;
    this.#appendedSeq = this.#writtenSeq = this.#syncedSeq = options.seq;
    this.#lastFsyncSecond = this.#second();
  }

  /** The fsync policy; may change at any time (CONFIG SET appendfsync). */
  get policy(): FsyncPolicy {
    return this.#policy;
  }

  set policy(policy: FsyncPolicy) {
    this.#policy = policy;
    // Replies held for an fsync that will no longer come are released by the next turn.
    if (!this.#mustSync() && this.#nextGroup !== null) this.#scheduleTurn();
  }

  /** Bytes in the file, counting what has been written (INFO aof_current_size). */
  get size(): number {
    return this.#size;
  }

  /** True while an fsync runs (INFO aof_pending_bio_fsync). */
  get fsyncInProgress(): boolean {
    return this.#fsync !== null;
  }

  /** True when the last write or fsync failed and has not succeeded since. */
  get failed(): boolean {
    return this.#writeError !== null || this.#fsyncError !== null;
  }

  /** The write guard text while in the error state, else null. */
  misconf(): string | null {
    const error = this.#writeError ?? this.#fsyncError;
    return error === null ? null : misconfAof(error);
  }

  /** Unit `seq` was encoded into {@link buffer}: schedules the flush turn. */
  noteAppended(seq: number): void {
    this.#appendedSeq = seq;
    this.stats.units++;
    this.#scheduleTurn();
  }

  /**
   * The durability sink: undefined when replies covering units up to `seq`
   * may go out now, else a promise resolving when they may (after the
   * write, or with `always` after the fsync), rejecting if they never may.
   */
  whenDurable(seq: number): Promise<void> | undefined {
    if (this.#writeError !== null || this.#fsyncError !== null) return undefined;
    if (this.#mustSync()) {
      if (seq <= this.#syncedSeq) return undefined;
      const job = this.#fsync;
      if (job !== null && job.group !== null && seq <= job.seq) {
        job.group.waiters++;
        return job.group.promise;
      }
      const group = this.#nextGroup ??= newGroup(seq);
      if (seq > group.seq) group.seq = seq;
      group.waiters++;
      if (this.#gather !== null) this.#gatherArrival();
      else if (job === null) this.#scheduleTurn();
      return group.promise;
    }
    if (seq <= this.#writtenSeq || this.buffer.length === 0) return undefined;
    this.#scheduleTurn();
    return (this.#writeWaiters ??= newGroup(seq)).promise;
  }

  /**
   * Redis's `flushAppendOnlyFile`: writes the buffer (unless `everysec`
   * postpones it behind a running fsync; `force` never postpones) and starts
   * the fsync the policy asks for.
   */
  flush(force = false): void {
    if (this.#closed) return;
    if (this.buffer.length === 0) {
      this.#writtenSeq = this.#appendedSeq;
      this.#maybeFsync();
      return;
    }
    if (this.#policy === "everysec" && !force && this.#fsync !== null && this.#postpone()) return;
    this.#postponedSince = 0;
    if (!this.#writeBuffer()) return;
    this.#maybeFsync();
  }

  /**
   * The periodic tick: retries a postponed or failed write, retries a failed
   * fsync, and gives unsynced bytes their once-a-second fsync (`everysec`).
   */
  cron(): void {
    if (this.#closed) return;
    if (this.#fsyncError !== null && this.#fsync === null) {
      this.#syncSubmittedSize = -1; // forces the retry below
    }
    this.flush(false);
  }

  /**
   * Writes everything buffered and fsyncs it, waiting for the disk
   * (SHUTDOWN, DEBUG LOADAOF, `appendonly no`). Throws when that fails.
   */
  async flushAndSync(): Promise<void> {
    this.flush(true);
    if (this.#writeError !== null) throw new Error(this.#writeError);
    while (this.#fsync !== null) await this.#fsync.settled;
    // What is written now is covered; units written while the fsync runs are not.
    const file = this.#file;
    const size = this.#size;
    const seq = this.#writtenSeq;
    await file.syncData();
    if (file === this.#file && size > this.#syncSubmittedSize) this.#syncSubmittedSize = size;
    this.#markSynced(seq);
  }

  /**
   * Continues on `file` (a rewritten AOF of `size` bytes that already holds
   * every buffered unit, fsynced): the buffer is dropped, every waiting reply
   * is released, the error state is cleared, and the old file is closed once
   * its running fsync, if any, has ended: the promise resolves then.
   */
  switchFile(file: AofFile, size: number): Promise<void> {
    const old = this.#file;
    this.#file = file;
    this.buffer.clear();
    this.#size = this.#syncSubmittedSize = size;
    this.#writtenSeq = this.#appendedSeq;
    this.#lastFsyncSecond = this.#second();
    this.#postponedSince = 0;
    const running = this.#fsync;
    this.#fsync = null;
    running?.group?.resolve();
    this.#markSynced(this.#appendedSeq);
    this.#releaseWriteWaiters();
    this.#clearErrors();
    if (running === null) {
      closeQuietly(old);
      return Promise.resolve();
    }
    // The running fsync's completion closes it (it sees a stale file).
    return running.settled;
  }

  /**
   * Continues appending on `file` (a new file of `size` bytes, such as a
   * multi-part AOF's next INCR file), with every guarantee kept for the
   * current one: the buffer is written to the current file first and
   * fsynced there (once, on this thread), which releases the replies
   * waiting for it; then the current file is closed. If that write fails,
   * the buffered units go to the new file instead.
   */
  continueOn(file: AofFile, size: number): void {
    this.flush(true);
    const old = this.#file;
    if (this.#writeError === null) {
      try {
        old.syncDataSync();
        this.#syncSubmittedSize = this.#size;
        this.#markSynced(this.#writtenSeq);
      } catch (e) {
        this.#log.warning(`Fail to fsync the AOF file: ${systemErrorText(e)}`);
      }
    }
    const running = this.#fsync;
    this.#fsync = null;
    if (running !== null && running.seq <= this.#syncedSeq) running.group?.resolve();
    else running?.group?.reject(new Error("Can't persist the AOF: the last fsync failed"));
    this.#file = file;
    this.#size = this.#syncSubmittedSize = size;
    if (running === null) closeQuietly(old);
    // Otherwise the running fsync's completion closes it (it sees a stale file).
  }

  /** Stops writing and closes the file; held replies are rejected. Does not flush. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endGather();
    const error = new Error("The AOF was closed");
    this.#nextGroup?.reject(error);
    this.#nextGroup = null;
    this.#releaseWriteWaiters();
    if (this.#fsync === null) closeQuietly(this.#file);
  }

  // ------------------------------------------------------------- writing

  #scheduleTurn(): void {
    if (this.#turnScheduled || this.#closed) return;
    this.#turnScheduled = true;
    queueMicrotask(this.#turn);
  }

  readonly #turn = (): void => {
    this.#turnScheduled = false;
    this.flush(false);
    this.#releaseWriteWaiters();
    if (!this.#mustSync() && this.#nextGroup !== null) {
      const group = this.#nextGroup;
      this.#nextGroup = null;
      group.resolve();
    }
  };

  /** Everysec with an fsync running: true when the write waits (Redis's postponing rule). */
  #postpone(): boolean {
    const now = this.#second();
    if (this.#postponedSince === 0) {
      this.#postponedSince = now;
      return true;
    }
    if (now - this.#postponedSince < MAX_POSTPONE_SECONDS) return true;
    this.stats.delayedFsyncs++;
    this.#log.notice(
      "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer " +
        "without waiting for fsync to complete, this may slow down Redis.",
    );
    return false;
  }

  /** One write of the whole buffer; false when it failed (error state entered). */
  #writeBuffer(): boolean {
    const bytes = this.buffer.view();
    const expected = bytes.length;
    let written = 0;
    let failure: unknown = null;
    try {
      while (written < expected) {
        const n = this.#file.writeSync(written === 0 ? bytes : bytes.subarray(written));
        if (n <= 0) break;
        written += n;
      }
    } catch (e) {
      failure = e;
    }
    if (written === expected) {
      this.#size += written;
      this.buffer.clear();
      this.#writtenSeq = this.#appendedSeq;
      this.stats.writes++;
      if (this.#writeError !== null) this.#clearErrors();
      return true;
    }
    this.#writeFailed(written, expected, failure);
    return false;
  }

  #writeFailed(written: number, expected: number, failure: unknown): void {
    const canLog = this.#second() - this.#lastErrorLog > WRITE_ERROR_LOG_RATE;
    if (canLog) this.#lastErrorLog = this.#second();
    let reason: string;
    if (written === 0 && failure !== null) {
      reason = systemErrorText(failure);
      if (canLog) this.#log.warning(`Error writing to the AOF file: ${reason}`);
    } else {
      reason = failure === null ? "No space left on device" : systemErrorText(failure);
      if (canLog) {
        this.#log.warning(
          `Short write while writing to the AOF file: (nwritten=${written}, expected=${expected})`,
        );
      }
      try {
        this.#file.truncateSync(this.#size);
        written = 0; // the partial record is gone from the file
      } catch (e) {
        if (canLog) {
          this.#log.warning(
            "Could not remove short write from the append-only file.  Redis may refuse to load " +
              `the AOF the next time it starts.  ftruncate: ${systemErrorText(e)}`,
          );
        }
      }
    }
    if (written > 0) {
      // The partial write stays in the file: keep only the rest buffered.
      this.#size += written;
      this.buffer.consume(written);
    }
    this.#enterError("write", reason);
  }

  // ------------------------------------------------------------- fsync

  #mustSync(): boolean {
    return this.#policy === "always" && !this.#skipFsync();
  }

  /** The fsync part of `flushAppendOnlyFile`. */
  #maybeFsync(): void {
    if (this.#writeError !== null || this.#skipFsync()) return;
    const unsynced = this.#size !== this.#syncSubmittedSize;
    if (this.#policy === "always") {
      if (this.#gather !== null) return;
      if (this.#fsync === null && (unsynced || this.#nextGroup !== null)) this.#startFsync();
      return;
    }
    if (this.#policy !== "everysec") return;
    const now = this.#second();
    if (now <= this.#lastFsyncSecond || !unsynced) return;
    if (this.#fsync === null) this.#startFsync();
    this.#lastFsyncSecond = now;
  }

  #startFsync(): void {
    const group = this.#policy === "always" ? this.#nextGroup : null;
    this.#nextGroup = this.#policy === "always" ? null : this.#nextGroup;
    if (this.#size === this.#syncSubmittedSize && this.#fsyncError === null) {
      // Nothing new to sync: the data of these waiters is already covered.
      this.#markSynced(this.#writtenSeq);
      group?.resolve();
      return;
    }
    const job: FsyncJob = {
      file: this.#file,
      seq: this.#writtenSeq,
      size: this.#size,
      group,
      settled: Promise.resolve(),
    };
    this.#fsync = job;
    this.#syncSubmittedSize = this.#size;
    job.settled = job.file.syncData().then(
      () => this.#fsyncDone(job, null),
      (e) => this.#fsyncDone(job, e),
    );
  }

  #fsyncDone(job: FsyncJob, error: unknown): void {
    if (job.file !== this.#file) {
      // The file was replaced (rewrite) or the writer closed meanwhile.
      closeQuietly(job.file);
      return;
    }
    this.#fsync = null;
    if (this.#closed) {
      closeQuietly(job.file);
      return;
    }
    if (error !== null) {
      const reason = systemErrorText(error);
      this.#log.warning(`Fail to fsync the AOF file: ${reason}`);
      job.group?.reject(new Error(`Can't persist the AOF: ${reason}`));
      this.#enterError("fsync", reason);
      return;
    }
    this.stats.fsyncs++;
    this.#markSynced(job.seq);
    job.group?.resolve();
    if (this.#fsyncError !== null) this.#clearErrors();
    if (!this.#mustSync()) return;
    // Group commit: replies that arrived during this fsync share the next one.
    // The clients just released usually send their next write within tens of
    // microseconds; starting the next fsync at once would leave them for the
    // one after, and the clients would split into two halves that take turns.
    // So the next fsync waits until they are back, or, if some never come,
    // until a timer fires: a 0 ms timer fires 1-2 ms later in Deno (median
    // 2.2 ms measured), so this is the rare path.
    const released = job.group?.waiters ?? 0;
    const next = this.#nextGroup;
    if (next !== null && released > 0) {
      const gather: Gathering = { target: next.waiters + released };
      gather.timer = setTimeout(() => {
        if (this.#gather !== gather) return;
        this.#gather = null;
        this.flush(false);
      }, 0);
      this.#gather = gather;
      return;
    }
    this.flush(false);
  }

  /**
   * A batch joined the next group while it gathers (a read joins too: the
   * gate passes the newest unit, which the gathering group covers). The
   * fsync starts once every client the last one released is back.
   */
  #gatherArrival(): void {
    if (this.#nextGroup!.waiters < this.#gather!.target) return;
    this.#endGather();
    this.#scheduleTurn();
  }

  #endGather(): void {
    if (this.#gather === null) return;
    clearTimeout(this.#gather.timer);
    this.#gather = null;
  }

  #markSynced(seq: number): void {
    if (seq > this.#syncedSeq) this.#syncedSeq = seq;
    const group = this.#nextGroup;
    if (group !== null && group.seq <= this.#syncedSeq) {
      this.#nextGroup = null;
      group.resolve();
    }
  }

  // ------------------------------------------------------------- errors

  #enterError(kind: "write" | "fsync", reason: string): void {
    if (kind === "write") this.#writeError = reason;
    else this.#fsyncError = reason;
    if (this.#policy === "always") {
      this.#log.warning(
        "Can't persist the AOF with appendfsync 'always': the clients waiting for these writes " +
          "are disconnected without a reply, and writes are refused until the AOF works again.",
      );
      const group = this.#nextGroup;
      this.#nextGroup = null;
      group?.reject(new Error(`Can't persist the AOF: ${reason}`));
    }
  }

  #clearErrors(): void {
    if (this.#writeError === null && this.#fsyncError === null) return;
    this.#writeError = null;
    this.#fsyncError = null;
    this.#log.warning("AOF write error looks solved, Redis can write again.");
  }

  #releaseWriteWaiters(): void {
    const waiters = this.#writeWaiters;
    this.#writeWaiters = null;
    waiters?.resolve();
  }

  #second(): number {
    return Math.floor(this.#now() / 1000);
  }
}

function closeQuietly(file: AofFile): void {
  try {
    file.close();
  } catch {
    // already closed
  }
}
