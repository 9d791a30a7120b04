/**
 * The state of the multi-part AOF (Redis 7.0's layout, `aof-multi-part
 * yes`) and everything that changes it: startup, switching `appendonly` on
 * and off, the write path, rewrites, DEBUG LOADAOF and SHUTDOWN.
 *
 * States, as Redis's `aof_state`:
 * - `off`: nothing is written.
 * - `wait-rewrite`: `appendonly` was switched on at runtime; the AOF is
 *   created by a rewrite. While it runs, writes go to
 *   `temp-<name>.incr`, which is not in the manifest; when the base is
 *   installed that file becomes the next incr file and the state `on`.
 * - `on`: every write unit is encoded into the current incr file's
 *   {@link AofWriter}, the durability sink holding replies.
 *
 * Each incr file has its own writer. When a rewrite starts, the current
 * writer is flushed and retired (fsynced and closed in the background; with
 * `appendfsync always` replies wait for that fsync too), and a new writer
 * takes the new incr file: that is the whole "second buffer" of this
 * layout.
 *
 * @module
 */

import type { Core, ShutdownRequest } from "../../core/core.ts";
import type { PluginContext, RecoveryResult } from "../../core/plugin.ts";
import type { Logger } from "../../core/log.ts";
import type { Config } from "../../core/config/config.ts";
import type { WriteEvent } from "../../core/events.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import { AofRecordEncoder } from "../../persistence/aof/record_encoder.ts";
import { AofWriter, type FsyncPolicy } from "../../persistence/aof/writer.ts";
import { type AofFile, openAppend, systemErrorText } from "../../persistence/aof/file.ts";
import {
  AOF_RDB_BASE_FORMAT,
  type AofBaseWriter,
  type AofRdbBaseFormat,
} from "../../persistence/aof/base_format.ts";
import { RespBaseWriter } from "../../persistence/aof/rewrite_resp.ts";
import { writeAofBaseSync } from "../../persistence/aof/base_sync.ts";
import {
  AofManifest,
  persistManifest,
  tempIncrName,
  writeManifest,
} from "../../persistence/aof/manifest.ts";
import type { AofEvents, AofRewriteOutcome } from "../../persistence/aof/events.ts";
import type { AofRewriteRequest } from "../../persistence/aof/aof_commands.ts";
import type { AofInfoState, AofLoadingProgress } from "../../persistence/aof/aof_info.ts";
import { AofRewriteStatus } from "../../persistence/aof/rewrite_status.ts";
import { AofLayout } from "./layout.ts";
import { fileSize } from "../../persistence/io/files.ts";
import { loadManifestFromDisk, loadParts, upgradeClassicFile } from "./startup.ts";
import { InstallError, MultipartRewrite, type MultipartRewriteHost } from "./rewrite.ts";
import type { FaultHook, RewriteStep } from "./faults.ts";
import { shutdownAof } from "../../persistence/aof/shutdown.ts";

/** Redis's `aof_state`. */
export type AofState = "off" | "wait-rewrite" | "on";

/** Options of the plugin (tests). */
export interface MultipartAofOptions {
  /** Opens an incr file for appending; tests wrap the handle to fail on demand. */
  openFile?: (path: string) => AofFile;
  /** Called at each step of a rewrite (see faults.ts); tests end the process there. */
  faultAt?: FaultHook;
}

/** The multi-part AOF of one server. */
export class MultipartAof implements MultipartRewriteHost {
  /** The server's core. */
  readonly core: Core;
  /** The logger. */
  readonly log: Logger;
  /** File names and paths. */
  readonly layout: AofLayout;
  /** The parts of the AOF, as last written (or read). */
  manifest: AofManifest = new AofManifest();
  /** The writer of the current incr file (or of the temporary incr file while `wait-rewrite`). */
  writer: AofWriter | null = null;
  /** The running rewrite, the scheduled one, and how the last ones went. */
  readonly rewrites: AofRewriteStatus<MultipartRewrite>;
  /** Set while this plugin loads. */
  loading: AofLoadingProgress | null = null;

  readonly #ctx: PluginContext;
  readonly #config: Config;
  readonly #encoder = new AofRecordEncoder();
  readonly #openFile: (path: string) => AofFile;
  readonly #faultAt: FaultHook | undefined;
  #state: AofState = "off";
  #manifestLoaded = false;
  /** `aof_current_size` minus the current writer's size. */
  #sizeBeforeWriter = 0;
  /** Delayed fsyncs of retired writers (INFO aof_delayed_fsync is cumulative). */
  #retiredDelayedFsyncs = 0;
  #unsubscribeWrite: (() => void) | null = null;
  #unregisterSink: (() => void) | null = null;
  #warnedNoRdbBase = false;
  /** Resolves when the last history deletion is done. */
  #historyDeleted: Promise<void> = Promise.resolve();

  /** Creates the AOF of the plugin context's server (nothing is opened yet). */
  constructor(ctx: PluginContext, options: MultipartAofOptions = {}) {
    this.#ctx = ctx;
    this.core = ctx.core;
    this.log = ctx.log;
    this.rewrites = new AofRewriteStatus(ctx.log);
    this.#config = ctx.config;
    this.layout = new AofLayout(ctx.config);
    this.#openFile = options.openFile ?? openAppend;
    this.#faultAt = options.faultAt;
    this.#encoder.timestamps = this.#config.get<boolean>("aof-timestamp-enabled");
  }

  /** Redis's `aof_state`. */
  get state(): AofState {
    return this.#state;
  }

  /** `aof_current_size`: the base and incr files, counting what has been written. */
  get currentSize(): number {
    return this.#sizeBeforeWriter + (this.writer?.size ?? 0);
  }

  /** The test hook. */
  fault(step: RewriteStep): void {
    this.#faultAt?.(step);
  }

  // ------------------------------------------------------------- settings

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
    if (key === "aof-disable-auto-gc" && value === false) this.#deleteHistory();
  }

  /** CONFIG SET appendonly: switches the AOF on or off. */
  onAppendonlyChanged(on: boolean): void {
    if (on && this.#state === "off") {
      if (this.startAppendOnly() !== null) {
        // Redis refuses the CONFIG SET; the change is already made here, so undo it.
        this.#config.setValue("appendonly", false, "config-set");
      }
    } else if (!on && this.#state !== "off") {
      void this.stopAppendOnly();
    }
  }

  // ------------------------------------------------------------- startup

  /**
   * Startup loading: the manifest is read in any case (a broken one is
   * fatal, as in Redis); with `appendonly yes` the AOF owns the dataset —
   * loaded from its files, or empty when there are none (dump.rdb is not
   * consulted: Redis 7.0.15 does not either).
   */
  async recover(): Promise<RecoveryResult> {
    this.#ensureManifest();
    if (!this.#config.get<boolean>("appendonly")) return "absent";
    upgradeClassicFile(this.layout, this.manifest, this.log);
    const started = performance.now();
    const result = await this.#load();
    if (result === "not-exist") return "empty";
    this.log.notice(
      `DB loaded from append only file: ${
        ((performance.now() - started) / 1000).toFixed(3)
      } seconds`,
    );
    return result === "empty" ? "empty" : "loaded";
  }

  /** Loads the files the manifest lists into the (empty) dataset. */
  async #load(): Promise<"ok" | "truncated" | "empty" | "not-exist"> {
    this.loading = { startTime: Math.floor(Date.now() / 1000), totalBytes: 0, loadedBytes: 0 };
    try {
      const result = await loadParts({
        core: this.core,
        layout: this.layout,
        manifest: this.manifest,
        log: this.log,
        loadTruncated: this.#config.get<boolean>("aof-load-truncated"),
        yieldBytes: this.#config.get<number>("loading-process-events-interval-bytes"),
        keyLoadDelayMicros: this.#config.get<number>("key-load-delay"),
        progress: this.loading,
      });
      if (result.status === "ok" || result.status === "truncated") {
        this.#sizeBeforeWriter = result.currentSize - (this.writer?.size ?? 0);
        this.rewrites.baseSize = result.baseSize;
      }
      return result.status;
    } finally {
      this.loading = null;
    }
  }

  #ensureManifest(): void {
    if (this.#manifestLoaded) return;
    this.manifest = loadManifestFromDisk(this.layout, this.log);
    this.#manifestLoaded = true;
  }

  /**
   * The dataset is loaded (Redis's `aofOpenIfNeededOnServerStart`, then
   * `aofDelHistoryFiles`): with `appendonly yes`, make sure a base exists
   * (written from the dataset when the manifest lists nothing), open the
   * last incr file or create the first, write the manifest, and start
   * appending. Synchronous, so no write can come before the AOF is open.
   */
  ready(): void {
    this.#ensureManifest();
    if (this.#config.get<boolean>("appendonly")) this.#openOnStart();
    this.#deleteHistory();
  }

  #openOnStart(): void {
    const layout = this.layout;
    this.#createAofDir();
    const manifest = this.manifest;
    if (manifest.hasNoData) {
      const base = this.#createBase();
      const info = manifest.newBase(layout.stem, base.format);
      this.#writeBaseNow(base, layout.part(info.name));
      this.log.notice(`Creating AOF base file ${byteStringToUtf8(info.name)} on server start`);
    }
    const listed = manifest.incrs.length > 0;
    const incr = manifest.lastIncr ?? manifest.newIncr(layout.stem);
    const name = byteStringToUtf8(incr.name);
    const path = layout.part(incr.name);
    let file: AofFile;
    try {
      file = this.#openFile(path);
    } catch (e) {
      this.log.warning(`Can't open the append-only file ${name}: ${systemErrorText(e)}`);
      throw e;
    }
    try {
      persistManifest(layout.location(), manifest);
    } catch (e) {
      file.close();
      this.log.warning(errorMessage(e));
      throw e;
    }
    const size = fileSize(path) ?? 0;
    // aof_current_size was set by the load (0 on a first start, as in Redis).
    this.#sizeBeforeWriter -= size;
    if (this.#sizeBeforeWriter < 0) this.#sizeBeforeWriter = 0;
    this.#startWriter(file, size);
    this.#state = "on";
    this.log.notice(
      `${listed ? "Opening" : "Creating"} AOF incr file ${name} on server start`,
    );
  }

  /** Redis's synchronous `rewriteAppendOnlyFile` into `path`, through a temporary file. */
  #writeBaseNow(base: AofBaseWriter, path: string): void {
    const temp = this.layout.tempBasePath();
    try {
      const file = Deno.openSync(temp, { write: true, create: true, truncate: true });
      try {
        writeAofBaseSync(this.core.dbs, base, file);
        file.syncDataSync();
      } finally {
        file.close();
      }
      Deno.renameSync(temp, path);
    } catch (e) {
      this.log.warning(`Write error writing append only file on disk: ${systemErrorText(e)}`);
      try {
        Deno.removeSync(temp);
      } catch {
        // not created
      }
      throw e;
    }
  }

  #createAofDir(): void {
    try {
      Deno.mkdirSync(this.layout.aofDir(), { recursive: true });
    } catch (e) {
      this.log.warning(
        `Can't open or create append-only dir ${byteStringToUtf8(this.layout.dirName)}: ${
          systemErrorText(e)
        }`,
      );
      throw e;
    }
  }

  /** Redis's `aofDelHistoryFiles` (unless `aof-disable-auto-gc yes`). */
  #deleteHistory(): void {
    if (this.#config.get<boolean>("aof-disable-auto-gc")) return;
    const history = this.manifest.takeHistory();
    if (history.length === 0) return;
    const removals = history.map((info) => {
      this.log.notice(
        `Removing the history file ${byteStringToUtf8(info.name)} in the background`,
      );
      return Deno.remove(this.layout.part(info.name)).catch(() => {});
    });
    this.#historyDeleted = Promise.all(removals).then(() => {});
    try {
      persistManifest(this.layout.location(), this.manifest);
    } catch (e) {
      // The history files stay listed on disk; the next start deletes them again.
      this.log.warning(errorMessage(e));
    }
  }

  // ------------------------------------------------------------- writers

  #startWriter(file: AofFile, size: number): void {
    const writer = new AofWriter({
      file,
      size,
      policy: this.policy(),
      log: this.log,
      seq: this.core.seq,
      skipFsync: () =>
        this.#config.get<boolean>("no-appendfsync-on-rewrite") && this.core.jobs.running !== null,
    });
    this.writer = writer;
    this.#encoder.resetSelectedDb();
    this.#unregisterSink = this.#ctx.addDurableSink(writer);
    this.#unsubscribeWrite ??= this.#ctx.bus.on("write", this.#onWrite);
  }

  /**
   * Stops using the current writer: what it holds was written by the
   * caller's flush; its fsync and close happen in the background. With
   * `always`, replies still wait for that fsync (a batch may hold units of
   * both files).
   */
  #retireWriter(): void {
    const old = this.writer;
    if (old === null) return;
    this.writer = null;
    this.#unregisterSink?.();
    this.#unregisterSink = null;
    this.#retiredDelayedFsyncs += old.stats.delayedFsyncs;
    const synced = old.flushAndSync();
    let settled = false;
    const release = old.policy === "always"
      ? this.#ctx.addDurableSink({ whenDurable: () => settled ? undefined : synced })
      : null;
    synced
      .catch((e) => this.log.warning(`Fail to fsync the AOF file: ${systemErrorText(e)}`))
      .finally(() => {
        settled = true;
        release?.();
        old.close();
      });
  }

  /** Every write unit goes to the current writer. */
  readonly #onWrite = (unit: WriteEvent): void => {
    const writer = this.writer;
    if (writer === null) return;
    this.#encoder.appendUnit(writer.buffer, unit);
    writer.noteAppended(unit.seq);
  };

  /** The write guard: MISCONF while the AOF cannot be written. */
  misconf(): string | null {
    return this.#state === "off" ? null : this.writer?.misconf() ?? null;
  }

  // ------------------------------------------------------------- on / off

  /** Redis's `startAppendOnly`: enters `wait-rewrite` and starts (or schedules) the rewrite. */
  startAppendOnly(): string | null {
    const jobs = this.core.jobs;
    const previous = this.#state;
    this.#state = "wait-rewrite";
    if (jobs.running !== null && jobs.running.kind !== "aof-rewrite") {
      this.rewrites.scheduled = true;
      this.log.warning(
        "AOF was enabled but there is already another background operation. An AOF background " +
          "was scheduled to start when possible.",
      );
    } else if (this.core.inExec) {
      this.rewrites.scheduled = true;
      this.log.warning(
        "AOF was enabled during a transaction. An AOF background was scheduled to start when " +
          "possible.",
      );
    } else if (this.rewrites.running !== null) {
      this.log.warning(
        "AOF was enabled but there is already an AOF rewriting in background. Stopping " +
          "background AOF and starting a rewrite now.",
      );
      this.rewrites.running.kill();
      // The killed rewrite frees the slot asynchronously: start from the cron.
      this.rewrites.scheduled = true;
    } else if (this.#startRewrite() !== null) {
      this.#dropTempIncr();
      this.#state = previous;
      this.log.warning(
        "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. " +
          "Check the above logs for more info about the error.",
      );
      return "Unable to turn on AOF";
    }
    return null;
  }

  /** Redis's `stopAppendOnly`: writes and fsyncs what is buffered, closes the file. */
  async stopAppendOnly(): Promise<void> {
    const writer = this.writer;
    const wasWaiting = this.#state === "wait-rewrite";
    this.#unsubscribeWrite?.();
    this.#unsubscribeWrite = null;
    this.#unregisterSink?.();
    this.#unregisterSink = null;
    this.#state = "off";
    this.writer = null;
    this.rewrites.scheduled = false;
    this.rewrites.running?.kill();
    if (writer !== null) {
      this.#sizeBeforeWriter += writer.size;
      this.#retiredDelayedFsyncs += writer.stats.delayedFsyncs;
      try {
        await writer.flushAndSync();
      } catch (e) {
        this.log.warning(`Fail to fsync the AOF file: ${systemErrorText(e)}`);
      }
      writer.close();
    }
    if (wasWaiting) this.#removeTempIncr();
  }

  /** `wait-rewrite` without a rewrite: the temporary incr file and its writer go away. */
  #dropTempIncr(): void {
    const writer = this.writer;
    if (writer === null) return;
    this.#unsubscribeWrite?.();
    this.#unsubscribeWrite = null;
    this.#unregisterSink?.();
    this.#unregisterSink = null;
    this.writer = null;
    writer.close();
    this.#removeTempIncr();
  }

  #removeTempIncr(): void {
    const name = tempIncrName(this.layout.stem);
    this.log.notice(`Removing the temp incr aof file ${byteStringToUtf8(name)} in the background`);
    void Deno.remove(this.layout.part(name)).catch(() => {});
  }

  // ------------------------------------------------------------- rewrites

  /** BGREWRITEAOF. */
  requestRewrite(): AofRewriteRequest {
    return this.rewrites.request(this.core, this.#startRewrite);
  }

  /**
   * Redis's `rewriteAppendOnlyFileBackground`, in one synchronous step:
   * flush the current writer, open the next incr file (listed in a new
   * manifest), send writes there, and start the walk of the new base.
   * Returns null, or why it could not start.
   */
  readonly #startRewrite = (): string | null => {
    if (this.core.jobs.running !== null) return "another background job is running";
    const failed = (reason: string) => this.rewrites.failedToStart(reason);
    try {
      this.#createAofDir();
    } catch (e) {
      return failed(systemErrorText(e));
    }
    this.#encoder.resetSelectedDb();
    const writer = this.writer;
    if (writer !== null) {
      writer.flush(true);
      if (writer.buffer.length > 0) {
        this.log.warning("Can't rewrite the AOF: the current incr file cannot be written");
        return failed("the AOF cannot be written");
      }
    }
    const opened = this.#openNewIncr();
    if (opened !== null) return failed(opened);
    try {
      this.fault("incr-opened");
    } catch (e) {
      return failed(errorMessage(e));
    }
    const started = MultipartRewrite.start(this, this.#createBase());
    if (typeof started === "string") return failed(started);
    this.rewrites.begin(started);
    return null;
  };

  /**
   * Redis's `openNewIncrAofForAppend`: `on` → the next incr file, listed in
   * a manifest written before any write goes there; `wait-rewrite` → the
   * temporary incr file; `off` → nothing.
   */
  #openNewIncr(): string | null {
    if (this.#state === "off") return null;
    const layout = this.layout;
    const next = this.#state === "on" ? this.manifest.clone() : null;
    const name = next !== null ? next.newIncr(layout.stem).name : tempIncrName(layout.stem);
    const shown = byteStringToUtf8(name);
    const path = layout.part(name);
    let file: AofFile;
    try {
      Deno.writeFileSync(path, new Uint8Array(0)); // O_TRUNC|O_CREAT
      file = this.#openFile(path);
    } catch (e) {
      this.log.warning(`Can't open the append-only file ${shown}: ${systemErrorText(e)}`);
      return systemErrorText(e);
    }
    if (next !== null) {
      try {
        persistManifest(layout.location(), next);
      } catch (e) {
        file.close();
        this.log.warning(errorMessage(e));
        return errorMessage(e);
      }
    }
    this.log.notice(`Creating AOF incr file ${shown} on background rewrite`);
    this.#sizeBeforeWriter += this.writer?.size ?? 0;
    this.#retireWriter();
    if (next !== null) this.manifest = next;
    this.#startWriter(file, 0);
    return null;
  }

  /** The serializer of a new base: RDB from a provider when the preamble is on, else RESP. */
  #createBase(): AofBaseWriter {
    if (this.#config.get<boolean>("aof-use-rdb-preamble")) {
      const rdb = this.#ctx.use<AofRdbBaseFormat>(AOF_RDB_BASE_FORMAT);
      if (rdb !== undefined) return rdb.createWriter({ kind: "base" });
      if (!this.#warnedNoRdbBase) {
        this.#warnedNoRdbBase = true;
        this.log.notice(
          "aof-use-rdb-preamble is yes but no plugin provides the RDB base format: " +
            "writing the AOF base in RESP",
        );
      }
    }
    const timestamp = this.#encoder.timestamps ? Math.floor(Date.now() / 1000) : undefined;
    return new RespBaseWriter({ timestampSeconds: timestamp });
  }

  /**
   * The rewrite's last step (Redis's `backgroundRewriteDoneHandler`),
   * synchronous: the finished base moves in as the next base, the old base
   * and the incr files before the current one become history, the manifest
   * is written, history files are deleted.
   */
  install(tempPath: string, format: "rdb" | "resp"): void {
    const layout = this.layout;
    const next = this.manifest.clone();
    const base = next.newBase(layout.stem, format);
    const baseName = byteStringToUtf8(base.name);
    const basePath = layout.part(base.name);
    const tempName = layout.finishedBaseName();
    try {
      Deno.renameSync(tempPath, basePath);
    } catch (e) {
      throw new InstallError(
        `Error trying to rename the temporary AOF base file ${tempName} into ${basePath}: ${
          systemErrorText(e)
        }`,
      );
    }
    this.log.notice(
      `Successfully renamed the temporary AOF base file ${tempName} into ${baseName}`,
    );
    this.fault("base-renamed");
    let incrPath: string | null = null;
    if (this.#state === "wait-rewrite") incrPath = this.#adoptTempIncr(next, basePath);
    next.retireIncrs(this.writer !== null);
    let renamed = false;
    try {
      writeManifest(layout.location(), next, {
        beforeRename: () => this.fault("manifest-written"),
        afterRename: () => {
          renamed = true;
          this.fault("manifest-renamed");
        },
      });
    } catch (e) {
      if (!renamed) {
        tryRemove(basePath);
        if (incrPath !== null) tryRemove(incrPath);
        throw new InstallError(errorMessage(e));
      }
      // The new manifest is in place: it is the AOF now, durable or not yet.
      this.log.warning(errorMessage(e));
    }
    this.manifest = next;
    if (this.#state !== "off") {
      this.#sizeBeforeWriter = fileSize(basePath) ?? 0;
      this.rewrites.baseSize = this.currentSize;
    }
    this.#deleteHistory();
    this.log.notice("Background AOF rewrite finished successfully");
    if (this.#state === "wait-rewrite") this.#state = "on";
  }

  /** `wait-rewrite`: the temporary incr file becomes the next incr file of `next`. */
  #adoptTempIncr(next: AofManifest, basePath: string): string {
    const layout = this.layout;
    const tempName = tempIncrName(layout.stem);
    const incr = next.newIncr(layout.stem);
    const incrPath = layout.part(incr.name);
    try {
      Deno.renameSync(layout.part(tempName), incrPath);
    } catch (e) {
      tryRemove(basePath);
      throw new InstallError(
        `Error trying to rename the temporary AOF incr file ${
          layout.part(tempName)
        } into ${incrPath}: ${systemErrorText(e)}`,
      );
    }
    this.log.notice(
      `Successfully renamed the temporary AOF incr file ${byteStringToUtf8(tempName)} into ${
        byteStringToUtf8(incr.name)
      }`,
    );
    return incrPath;
  }

  /** A rewrite ended. */
  ended(rewrite: MultipartRewrite, outcome: AofRewriteOutcome): void {
    this.rewrites.end(rewrite, outcome);
    if (this.#state === "wait-rewrite") {
      // Still waiting to be switched on: drop what the temporary incr got, and try again.
      this.#dropTempIncr();
      this.rewrites.scheduled = true;
    }
    const bus = this.#ctx.bus.typed<AofEvents>();
    void this.#historyDeleted.then(() => bus.emit("aof.rewrite.done", { outcome }));
  }

  /** The periodic tick: writer retries, scheduled and automatic rewrites. */
  cron(): void {
    const writer = this.writer;
    writer?.cron();
    const size = this.#state === "on" && writer !== null ? this.currentSize : null;
    this.rewrites.cron(this.core, this.#config, size, this.#startRewrite);
  }

  // ------------------------------------------------------------- DEBUG LOADAOF

  /**
   * DEBUG LOADAOF: writes the buffer, empties the dataset, reads the
   * manifest again and loads the files. Throws when loading is not clean
   * (the caller stops the server, as Redis exits).
   */
  async reload(): Promise<void> {
    if (this.#state !== "off" && this.writer !== null) await this.writer.flushAndSync();
    const core = this.core;
    core.flushAll();
    core.loading = true;
    try {
      this.#manifestLoaded = false;
      this.#ensureManifest();
      this.#deleteHistory();
      const status = await this.#load();
      if (status !== "ok" && status !== "empty") {
        throw new Error(`loading the append only file ended with status ${status}`);
      }
    } finally {
      core.loading = false;
    }
    core.dirty = 0;
    core.bus.emit("dataset.replaced", { reason: "DEBUG LOADAOF" });
    this.log.warning("Append Only File loaded by DEBUG LOADAOF");
  }

  // ------------------------------------------------------------- INFO

  /** What INFO shows. */
  infoState(): AofInfoState {
    const writer = this.writer;
    return {
      enabled: this.#state !== "off",
      appendonly: this.#config.get<boolean>("appendonly"),
      ...this.rewrites.info(),
      lastWriteFailed: writer?.failed ?? false,
      currentSize: this.currentSize,
      bufferLength: writer?.buffer.length ?? 0,
      fsyncInProgress: writer?.fsyncInProgress ?? false,
      delayedFsyncs: this.#retiredDelayedFsyncs + (writer?.stats.delayedFsyncs ?? 0),
      loading: this.loading,
    };
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
    this.#unsubscribeWrite?.();
    this.#unsubscribeWrite = null;
    this.#unregisterSink?.();
    this.#unregisterSink = null;
    const rewrite = this.rewrites.running;
    if (rewrite !== null) {
      rewrite.kill();
      await rewrite.done;
    }
    this.writer?.close();
    this.writer = null;
    this.#state = "off";
    await this.#historyDeleted;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function tryRemove(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}
