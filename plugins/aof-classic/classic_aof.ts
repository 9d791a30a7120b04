/**
 * The state of the single-file AOF (`<dir>/<appendfilename>`, Redis 6.x's
 * layout) and everything that changes it: startup loading, switching
 * `appendonly` on and off, feeding writes to the writer (and to a running
 * rewrite's buffer), rewrites started by BGREWRITEAOF, by the growth rule
 * or by CONFIG SET appendonly yes, and SHUTDOWN.
 *
 * States, as Redis's `aof_state`:
 * - `off`: nothing is written; the `write` event is not even listened to.
 * - `wait-rewrite`: `appendonly` was switched on at runtime (or the server
 *   started with `appendonly yes`, no AOF and a dataset loaded from
 *   elsewhere): the file is created by a rewrite; until it finishes, writes
 *   go only to the rewrite buffer. Nothing exists on disk yet, so a crash
 *   meanwhile leaves the previous persistence (an RDB) in charge.
 * - `on`: every write unit is encoded and handed to the {@link AofWriter},
 *   which is the durability sink holding replies.
 *
 * @module
 */

import type { Core, ShutdownRequest } from "../../core/core.ts";
import type { PluginContext, RecoveryResult } from "../../core/plugin.ts";
import type { Logger } from "../../core/log.ts";
import type { Config } from "../../core/config/config.ts";
import type { WriteEvent } from "../../core/events.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import { fileSize, joinPath } from "../../persistence/io/files.ts";
import { AofBuffer } from "../../persistence/aof/aof_buffer.ts";
import { AofRecordEncoder } from "../../persistence/aof/record_encoder.ts";
import { AofWriter, type FsyncPolicy } from "../../persistence/aof/writer.ts";
import {
  type AofFile,
  fsyncDirSync,
  openAppend,
  systemErrorText,
} from "../../persistence/aof/file.ts";
import { loadAofFile } from "../../persistence/aof/loader.ts";
import { CoreReplayer } from "../../persistence/aof/replay.ts";
import {
  AOF_RDB_BASE_FORMAT,
  type AofBaseWriter,
  type AofRdbBaseFormat,
} from "../../persistence/aof/base_format.ts";
import { RespBaseWriter } from "../../persistence/aof/rewrite_resp.ts";
import { AofRewriteStatus } from "../../persistence/aof/rewrite_status.ts";
import type { AofEvents, AofRewriteOutcome } from "../../persistence/aof/events.ts";
import type { AofCommandHost, AofRewriteRequest } from "../../persistence/aof/aof_commands.ts";
import type { AofInfoState, AofLoadingProgress } from "../../persistence/aof/aof_info.ts";
import { ClassicRewrite, type RewriteHost } from "./rewrite.ts";
import { shutdownAof } from "../../persistence/aof/shutdown.ts";

/** Redis's `aof_state`. */
export type AofState = "off" | "wait-rewrite" | "on";

/** Options of the plugin (tests). */
export interface ClassicAofOptions {
  /** Opens the AOF for appending; tests wrap the handle to fail on demand. */
  openFile?: (path: string) => AofFile;
}

/** The single-file AOF of one server. */
export class ClassicAof implements RewriteHost, AofCommandHost {
  /** The server's core. */
  readonly core: Core;
  /** The logger. */
  readonly log: Logger;
  /** Where records are written while `on`. */
  writer: AofWriter | null = null;
  /** The running rewrite, the scheduled one, and how the last ones went. */
  readonly rewrites: AofRewriteStatus<ClassicRewrite>;
  /** Set while this plugin loads a file. */
  loading: AofLoadingProgress | null = null;

  readonly #ctx: PluginContext;
  readonly #config: Config;
  readonly #encoder = new AofRecordEncoder();
  readonly #scratch = new AofBuffer(4096);
  readonly #openFile: (path: string) => AofFile;
  #state: AofState = "off";
  #unsubscribeWrite: (() => void) | null = null;
  #unregisterSink: (() => void) | null = null;
  #warnedNoRdbBase = false;

  /** Creates the AOF of the plugin context's server (nothing is opened yet). */
  constructor(ctx: PluginContext, options: ClassicAofOptions = {}) {
    this.#ctx = ctx;
    this.core = ctx.core;
    this.log = ctx.log;
    this.rewrites = new AofRewriteStatus(ctx.log);
    this.#config = ctx.config;
    this.#openFile = options.openFile ?? openAppend;
    this.#encoder.timestamps = this.#config.get<boolean>("aof-timestamp-enabled");
  }

  /** Redis's `aof_state`. */
  get state(): AofState {
    return this.#state;
  }

  // ------------------------------------------------------------- settings

  /** The data directory. */
  dir(): string {
    return byteStringToUtf8(this.#config.get<string>("dir"));
  }

  /** `appendfilename`, for log lines. */
  fileName(): string {
    return byteStringToUtf8(this.#config.get<string>("appendfilename"));
  }

  /** The AOF's path. */
  path(): string {
    return joinPath(this.dir(), this.fileName());
  }

  /** `appendfsync`. */
  policy(): FsyncPolicy {
    return this.#config.get<FsyncPolicy>("appendfsync");
  }

  /** `aof-rewrite-incremental-fsync`. */
  incrementalFsync(): boolean {
    return this.#config.get<boolean>("aof-rewrite-incremental-fsync");
  }

  /** `rdb-key-save-delay`. */
  keyDelayMicros(): number {
    return this.#config.get<number>("rdb-key-save-delay");
  }

  /** A configuration key changed (any source). */
  onConfigChange(key: string, value: unknown): void {
    if (key === "appendfsync" && this.writer !== null) this.writer.policy = value as FsyncPolicy;
    if (key === "aof-timestamp-enabled") this.#encoder.timestamps = value as boolean;
  }

  /** CONFIG SET appendonly: switches the AOF on or off. */
  onAppendonlyChanged(on: boolean): void {
    if (on && this.#state === "off") {
      const error = this.startAppendOnly();
      if (error !== null) {
        // Redis refuses the CONFIG SET; the change is already made here, so undo it.
        this.#config.setValue("appendonly", false, "config-set");
      }
    } else if (!on && this.#state !== "off") {
      void this.stopAppendOnly();
    }
  }

  // ------------------------------------------------------------- startup

  /**
   * Startup loading: with `appendonly yes` the AOF owns the dataset. As in
   * Redis (6.2 creates the empty file before loading; 7.0.15 checked here),
   * a missing file means an empty dataset: dump.rdb is not consulted.
   */
  async recover(): Promise<RecoveryResult> {
    if (!this.#config.get<boolean>("appendonly")) return "absent";
    const path = this.path();
    const size = fileSize(path);
    if (size === null) return "empty";
    const started = performance.now();
    const result = await this.load(path, size);
    if (result !== "not-exist") {
      this.log.notice(
        `DB loaded from append only file: ${
          ((performance.now() - started) / 1000).toFixed(3)
        } seconds`,
      );
    }
    return "loaded";
  }

  /**
   * Loads the AOF at `path` (of `size` bytes) into the (empty) dataset;
   * throws on a fatal error. The loading fields are set before the first
   * yield: clients served meanwhile see the file's size in INFO, as in Redis,
   * which serves nobody before its load starts.
   */
  async load(path: string, size: number = fileSize(path) ?? 0): Promise<string> {
    this.loading = {
      startTime: Math.floor(Date.now() / 1000),
      totalBytes: size,
      loadedBytes: 0,
    };
    try {
      const result = await loadAofFile({
        path,
        name: this.fileName(),
        target: new CoreReplayer(this.core),
        log: this.log,
        loadTruncated: this.#config.get<boolean>("aof-load-truncated"),
        fixTarget: "<filename>",
        rdbPart: "preamble",
        yieldBytes: this.#config.get<number>("loading-process-events-interval-bytes"),
        keyLoadDelayMicros: this.#config.get<number>("key-load-delay"),
        onProgress: (loaded) => {
          if (this.loading !== null) this.loading.loadedBytes = loaded;
        },
      });
      this.rewrites.baseSize = result.size;
      return result.status;
    } finally {
      this.loading = null;
    }
  }

  /** The dataset is loaded: with `appendonly yes`, start appending. */
  ready(): void {
    if (!this.#config.get<boolean>("appendonly")) return;
    const path = this.path();
    let present = true;
    try {
      Deno.statSync(path);
    } catch {
      present = false;
    }
    if (present || this.#datasetEmpty()) {
      // A missing file is created empty, as Redis does at startup.
      let file: AofFile;
      try {
        file = this.#openFile(path);
        if (!present) fsyncDirSync(this.dir());
      } catch (e) {
        this.log.warning(
          `Can't open the append-only file ${this.fileName()}: ${systemErrorText(e)}`,
        );
        throw e;
      }
      this.#switchOn(file);
      return;
    }
    // Data came from elsewhere (an RDB): the AOF must start from a rewrite.
    this.log.notice("Creating the AOF from the loaded dataset with a rewrite");
    this.startAppendOnly();
  }

  #datasetEmpty(): boolean {
    return this.core.dbs.every((db) => db.size === 0);
  }

  // ------------------------------------------------------------- on / off

  /** Redis's `startAppendOnly`: enters `wait-rewrite` and starts (or schedules) the rewrite. */
  startAppendOnly(): string | null {
    const jobs = this.core.jobs;
    if (jobs.running !== null && jobs.running.kind !== "aof-rewrite") {
      this.rewrites.scheduled = true;
      this.log.warning(
        "AOF was enabled but there is already another background operation. An AOF background " +
          "was scheduled to start when possible.",
      );
    } else {
      const running = this.rewrites.running;
      if (running !== null) {
        this.log.warning(
          "AOF was enabled but there is already an AOF rewriting in background. Stopping " +
            "background AOF and starting a rewrite now.",
        );
        running.kill();
        // The killed rewrite frees the slot asynchronously: start from the cron.
        this.rewrites.scheduled = true;
      } else if (this.#startRewrite() !== null) {
        this.log.warning(
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. " +
            "Check the above logs for more info about the error.",
        );
        return "Unable to turn on AOF";
      }
    }
    this.#state = "wait-rewrite";
    this.#subscribe();
    return null;
  }

  /** Redis's `stopAppendOnly`: writes and fsyncs what is buffered, closes the file. */
  async stopAppendOnly(): Promise<void> {
    const writer = this.writer;
    this.#unsubscribe();
    this.#state = "off";
    this.writer = null;
    this.rewrites.scheduled = false;
    this.#encoder.resetSelectedDb();
    this.rewrites.running?.kill();
    if (writer === null) return;
    try {
      await writer.flushAndSync();
    } catch (e) {
      this.log.warning(`Fail to fsync the AOF file: ${systemErrorText(e)}`);
    }
    writer.close();
  }

  #switchOn(file: AofFile, size?: number): void {
    const currentSize = size ?? this.#sizeOf();
    const writer = new AofWriter({
      file,
      size: currentSize,
      policy: this.policy(),
      log: this.log,
      seq: this.core.seq,
      skipFsync: () =>
        this.#config.get<boolean>("no-appendfsync-on-rewrite") && this.core.jobs.running !== null,
    });
    this.writer = writer;
    this.#state = "on";
    this.#encoder.resetSelectedDb();
    this.#unregisterSink?.();
    this.#unregisterSink = this.#ctx.addDurableSink(writer);
    this.#subscribe();
  }

  #sizeOf(): number {
    return fileSize(this.path()) ?? 0;
  }

  #subscribe(): void {
    if (this.#unsubscribeWrite === null) {
      this.#unsubscribeWrite = this.#ctx.bus.on("write", this.#onWrite);
    }
  }

  #unsubscribe(): void {
    this.#unsubscribeWrite?.();
    this.#unsubscribeWrite = null;
    this.#unregisterSink?.();
    this.#unregisterSink = null;
  }

  // ------------------------------------------------------------- the write path

  /** Every write unit: to the writer, and to the rewrite buffer while a rewrite runs. */
  readonly #onWrite = (unit: WriteEvent): void => {
    const writer = this.writer;
    const rewrite = this.rewrites.running;
    if (writer !== null) {
      const buffer = writer.buffer;
      const before = buffer.length;
      this.#encoder.appendUnit(buffer, unit);
      if (rewrite !== null) rewrite.feed(buffer.view(before));
      writer.noteAppended(unit.seq);
    } else if (rewrite !== null) {
      this.#encoder.appendUnit(this.#scratch, unit);
      rewrite.feed(this.#scratch.view());
      this.#scratch.clear();
    }
  };

  /** The write guard: MISCONF while the AOF cannot be written. */
  misconf(): string | null {
    return this.#state === "off" ? null : this.writer?.misconf() ?? null;
  }

  // ------------------------------------------------------------- rewrites

  /** BGREWRITEAOF. */
  requestRewrite(): AofRewriteRequest {
    return this.rewrites.request(this.core, this.#startRewrite);
  }

  /** Starts a rewrite; returns null, or why it could not start. */
  readonly #startRewrite = (): string | null => {
    const started = ClassicRewrite.start(this);
    if (typeof started === "string") return this.rewrites.failedToStart(started);
    // Same synchronous step as the snapshot: no unit can slip between them.
    this.rewrites.begin(started);
    this.#encoder.resetSelectedDb();
    return null;
  };

  /** The serializer of a rewrite's base. */
  createBase(): AofBaseWriter {
    const timestamp = this.#encoder.timestamps ? Math.floor(Date.now() / 1000) : undefined;
    if (this.#config.get<boolean>("aof-use-rdb-preamble")) {
      const rdb = this.#ctx.use<AofRdbBaseFormat>(AOF_RDB_BASE_FORMAT);
      if (rdb !== undefined) return rdb.createWriter({ kind: "preamble" });
      if (!this.#warnedNoRdbBase) {
        this.#warnedNoRdbBase = true;
        this.log.notice(
          "aof-use-rdb-preamble is yes but no plugin provides the RDB base format: " +
            "rewriting the AOF in RESP",
        );
      }
    }
    return new RespBaseWriter({ timestampSeconds: timestamp });
  }

  /** The rewrite's new file is the AOF now; resolves once the old one is closed. */
  adopt(file: Deno.FsFile, size: number): Promise<void> {
    this.rewrites.baseSize = size;
    this.#encoder.resetSelectedDb();
    if (this.#state === "on" && this.writer !== null) {
      return this.writer.switchFile(file, size);
    } else if (this.#state === "wait-rewrite") {
      this.#switchOn(file, size);
    } else {
      file.close(); // a one-off rewrite with the AOF off
    }
    return Promise.resolve();
  }

  /** A rewrite ended. */
  ended(rewrite: ClassicRewrite, outcome: AofRewriteOutcome): void {
    this.rewrites.end(rewrite, outcome);
    // Still waiting to be switched on: try again.
    if (this.#state === "wait-rewrite") this.rewrites.scheduled = true;
    this.#ctx.bus.typed<AofEvents>().emit("aof.rewrite.done", { outcome });
  }

  /** What INFO shows (persistence/aof/aof_info.ts prints it). */
  infoState(): AofInfoState {
    const writer = this.writer;
    return {
      enabled: this.#state !== "off",
      appendonly: this.#config.get<boolean>("appendonly"),
      ...this.rewrites.info(),
      lastWriteFailed: writer?.failed ?? false,
      currentSize: writer?.size ?? 0,
      bufferLength: writer?.buffer.length ?? 0,
      fsyncInProgress: writer?.fsyncInProgress ?? false,
      delayedFsyncs: writer?.stats.delayedFsyncs ?? 0,
      loading: this.loading,
    };
  }

  /** Bytes held in memory for the AOF: the writer's buffer and a rewrite's buffer. */
  bufferedBytes(): number {
    return (this.writer?.buffer.length ?? 0) + (this.rewrites.running?.bufferedBytes ?? 0);
  }

  /** The periodic tick: writer retries, scheduled and automatic rewrites. */
  cron(): void {
    const writer = this.writer;
    writer?.cron();
    const size = this.#state === "on" && writer !== null ? writer.size : null;
    this.rewrites.cron(this.core, this.#config, size, this.#startRewrite);
  }

  // ------------------------------------------------------------- DEBUG LOADAOF

  /**
   * DEBUG LOADAOF: writes and fsyncs the buffer, empties the dataset and
   * loads the file back. Throws when loading fails (the caller stops the
   * server, as Redis exits).
   */
  async reload(): Promise<void> {
    if (this.#state === "on" && this.writer !== null) await this.writer.flushAndSync();
    const core = this.core;
    core.flushAll();
    core.loading = true;
    try {
      // Redis exits unless the load is clean (a truncated tail counts as a failure here).
      const status = await this.load(this.path());
      if (status === "not-exist" || status === "truncated") {
        throw new Error(`loading the append only file ended with status ${status}`);
      }
    } finally {
      core.loading = false;
    }
    core.dirty = 0;
    core.bus.emit("dataset.replaced", { reason: "DEBUG LOADAOF" });
    this.log.warning("Append Only File loaded by DEBUG LOADAOF");
  }

  // ------------------------------------------------------------- shutdown

  /** SHUTDOWN: kills a rewrite, then flushes and fsyncs the AOF (Redis's `finishShutdown`). */
  shutdown(request: ShutdownRequest): Promise<void> {
    return shutdownAof(
      {
        rewrite: this.rewrites.running,
        creating: this.#state === "wait-rewrite",
        writer: this.#state !== "off" ? this.writer : null,
      },
      request,
      this.log,
    );
  }

  /** Releases the file and listeners (after a killed rewrite has cleaned up). */
  async close(): Promise<void> {
    this.#unsubscribe();
    const rewrite = this.rewrites.running;
    if (rewrite !== null) {
      rewrite.kill();
      await rewrite.done;
    }
    const writer = this.writer;
    if (writer !== null) {
      // Units that came after SHUTDOWN's fsync (another plugin's step) still reach the file.
      await writer.flushAndSync().catch(() => {});
      writer.close();
    }
    this.writer = null;
    this.#state = "off";
  }
}
