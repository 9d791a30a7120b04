/**
 * The state of RDB persistence and the operations on it: synchronous and
 * background saves, save rules, MISCONF, the final save at shutdown.
 * Commands, INFO and the plugin's event listeners all go through one
 * {@link RdbSnapshots}.
 *
 * Times are Unix seconds taken from the injected clock, as Redis compares
 * `server.unixtime` with `lastsave` in whole seconds.
 *
 * @module
 */

import type { Core, ShutdownRequest } from "../../core/core.ts";
import type { SaveRule } from "../../core/config/special_keys.ts";
import { MISCONF_RDB } from "../../core/errors.ts";
import type { ServerEvents } from "../../core/events.ts";
import { BackgroundSave, type BackgroundSaveOutcome } from "./bgsave.ts";
import { saveSettings } from "./encoding.ts";
import { rdbPaths, removeIfExistsSync } from "./files.ts";
import { saveSync } from "./sync_save.ts";
import type { LoadCounters, LoadingProgress } from "./loader.ts";

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds before retrying a failed background save. */
export const BGSAVE_RETRY_DELAY = 5;

/** Name of the plugin, as the owner of its background jobs. */
export const PLUGIN_NAME = "rdb-snapshot";

/** The running background save and what it started with. */
interface RunningSave {
  readonly save: BackgroundSave;
  /** Unix seconds when it started. */
  readonly startedAt: number;
  /** `core.dirty` when it started: what a successful save may subtract. */
  readonly dirtyBefore: number;
}

/** The server's events and this plugin's (observable by tests and other plugins). */
export interface RdbEvents extends ServerEvents {
  /** A background save ended. */
  "rdb.bgsave.done": { outcome: BackgroundSaveOutcome };
}

/** RDB persistence state and operations of one server. */
export class RdbSnapshots {
  readonly #core: Core;
  readonly #clock: () => number;
  /** Unix seconds of the last successful save (startup time at first). */
  lastSave: number;
  /** Outcome of the last background save (or a successful SAVE): false is Redis's C_ERR. */
  lastBgsaveOk = true;
  /** Unix seconds of the last background save attempt. */
  lastBgsaveTry = 0;
  /** Duration in seconds of the last background save, -1 before any. */
  lastBgsaveSeconds = -1;
  /** SAVE commands and background saves started. */
  saves = 0;
  /** BGSAVE SCHEDULE (or BGSAVE inside MULTI) waits for the job slot. */
  scheduled = false;
  /** The running background save, or null. */
  running: RunningSave | null = null;
  /** True while this plugin's loader runs (INFO's loading_* fields are its own). */
  loadingActive = false;
  /** Counters of the last load. */
  readonly loadCounters: LoadCounters = { keysLoaded: 0, keysExpired: 0 };
  /** Progress of the load in course (read while `core.loading`). */
  readonly loading: LoadingProgress = {
    startTime: 0,
    totalBytes: 0,
    rdbUsedMem: 0,
    loadedBytes: 0,
  };
  #rules: readonly SaveRule[];
  #stopWritesOnError: boolean;

  /** Creates the state of `core`; `clock` returns Unix milliseconds. */
  constructor(core: Core, clock: () => number) {
    this.#core = core;
    this.#clock = clock;
    this.lastSave = this.now();
    this.#rules = core.config.get<SaveRule[]>("save");
    this.#stopWritesOnError = core.config.get<boolean>("stop-writes-on-bgsave-error");
  }

  /** The clock in Unix seconds. */
  now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  /** The save rules in force. */
  get rules(): readonly SaveRule[] {
    return this.#rules;
  }

  /** Follows CONFIG SET of the keys read on hot paths. */
  configChanged(key: string): void {
    const config = this.#core.config;
    if (key === "save") this.#rules = config.get<SaveRule[]>("save");
    if (key === "stop-writes-on-bgsave-error") {
      this.#stopWritesOnError = config.get<boolean>("stop-writes-on-bgsave-error");
    }
  }

  /** The MISCONF refusal of writes, or null (Redis's `writeCommandsDeniedByDiskError`). */
  writeGuard(): string | null {
    return !this.lastBgsaveOk && this.#stopWritesOnError && this.#rules.length > 0
      ? MISCONF_RDB
      : null;
  }

  /** True while this plugin's background save runs. */
  get saving(): boolean {
    return this.running !== null;
  }

  // ------------------------------------------------------------ saving

  /**
   * Saves synchronously (Redis's `rdbSave`). On success the changes counter
   * restarts and the last save time and status are updated.
   */
  saveNow(): boolean {
    const core = this.#core;
    const ok = saveSync(core.dbs, rdbPaths(core.config), saveSettings(core), core.log);
    if (ok) {
      core.dirty = 0;
      this.lastSave = this.now();
      this.lastBgsaveOk = true;
    }
    return ok;
  }

  /**
   * Starts a background save of the dataset as it is now (Redis's
   * `rdbSaveBackground`). Returns false when the job slot is taken.
   */
  startBackgroundSave(): boolean {
    const core = this.#core;
    let save: BackgroundSave | null = null;
    if (!core.jobs.tryStart("rdb", PLUGIN_NAME, () => save?.abort())) return false;
    this.saves++;
    const now = this.now();
    this.lastBgsaveTry = now;
    const delay = core.config.get<number>("rdb-key-save-delay");
    save = new BackgroundSave(
      core.dbs,
      rdbPaths(core.config),
      saveSettings(core),
      delay,
      core.log,
      () => core.stats.commandsProcessed,
    );
    const running: RunningSave = { save, startedAt: now, dirtyBefore: core.dirty };
    this.running = running;
    core.log.notice(`Background saving started by pid ${Deno.pid}`);
    void save.done.then((outcome) => this.#finished(running, outcome));
    return true;
  }

  #finished(running: RunningSave, outcome: BackgroundSaveOutcome): void {
    const core = this.#core;
    if (outcome === "ok") {
      core.log.notice("Background saving terminated with success");
      core.dirty = Math.max(0, core.dirty - running.dirtyBefore);
      this.lastSave = this.now();
      this.lastBgsaveOk = true;
    } else if (outcome === "error") {
      core.log.warning("Background saving error");
      this.lastBgsaveOk = false;
    } else {
      // Like Redis's SIGUSR1 kill: not an error, the status stays.
      core.log.warning("Background saving aborted, temporary file removed");
    }
    this.lastBgsaveSeconds = this.now() - running.startedAt;
    if (this.running === running) this.running = null;
    core.jobs.finish("rdb");
    core.bus.typed<RdbEvents>().emit("rdb.bgsave.done", { outcome });
  }

  /** Aborts the running background save, if any; resolves once its file is gone. */
  async abortBackgroundSave(): Promise<void> {
    const running = this.running;
    if (running === null) return;
    running.save.abort();
    await running.save.done;
  }

  /**
   * Aborts the running background save before a synchronous save replaces
   * the file. The abort completes asynchronously; the temporary file name
   * is reused safely (see files.ts).
   */
  #abortForSyncSave(why: string): void {
    if (this.running === null || this.running.save.aborted) return;
    this.#core.log.warning(`Aborting the background save: ${why}`);
    this.running.save.abort();
  }

  // ------------------------------------------------------------ triggers

  /** The periodic check (Redis's `serverCron`): save rules, then a scheduled BGSAVE. */
  cron(): void {
    if (this.#core.jobs.running !== null) return;
    const now = this.now();
    const retryAllowed = this.lastBgsaveOk || now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY;
    if (!retryAllowed) return;
    const dirty = this.#core.dirty;
    for (const rule of this.#rules) {
      if (dirty >= rule.changes && now - this.lastSave > rule.seconds) {
        this.#core.log.notice(`${rule.changes} changes in ${rule.seconds} seconds. Saving...`);
        this.startBackgroundSave();
        return;
      }
    }
    if (this.scheduled && this.startBackgroundSave()) this.scheduled = false;
  }

  /**
   * FLUSHALL ran while save rules exist: save the empty dataset now, as
   * Redis does, keeping the changes counter so that FLUSHALL still counts
   * as a change. A running background save is aborted first, or its older
   * image would replace this file when it ends.
   */
  flushAllSave(): void {
    this.#abortForSyncSave("FLUSHALL replaces the RDB file");
    const dirty = this.#core.dirty;
    this.saveNow();
    this.#core.dirty = dirty;
  }

  /** DEBUG RELOAD's save (aborts a running background save like FLUSHALL's). */
  reloadSave(): boolean {
    this.#abortForSyncSave("DEBUG RELOAD replaces the RDB file");
    return this.saveNow();
  }

  /**
   * The final save of SHUTDOWN (Redis's `finishShutdown`): a running
   * background save is aborted; the dataset is saved when save rules exist
   * (unless NOSAVE) or SAVE was given. Throws to refuse when the save fails
   * and the shutdown is not forced.
   */
  shutdown(request: ShutdownRequest): void {
    const core = this.#core;
    if (this.running !== null) {
      core.log.warning("There is a child saving an .rdb. Killing it!");
      this.running.save.abort();
      try {
        removeIfExistsSync(rdbPaths(core.config).temp);
      } catch {
        // the aborted save removes it too
      }
    }
    // Nothing complete to save while loading: Redis forces NOSAVE then.
    const save = !core.loading &&
      (request.save === "save" || (request.save === undefined && this.#rules.length > 0));
    if (!save) return;
    core.log.notice("Saving the final RDB snapshot before exiting.");
    if (this.saveNow()) return;
    if (request.force) {
      core.log.warning("Error trying to save the DB. Exit anyway.");
      return;
    }
    throw new Error("Error trying to save the DB, can't exit.");
  }
}
