/**
 * The rdb-snapshot plugin: Redis-compatible RDB persistence.
 *
 * - SAVE (synchronous, blocks like Redis), BGSAVE [SCHEDULE] without fork
 *   (a point-in-time walk between client turns, see bgsave.ts), LASTSAVE,
 *   DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE];
 * - the `save <seconds> <changes>` rules, checked on every cron tick, with
 *   Redis's 5 s retry delay after a failed background save;
 * - MISCONF: writes are refused after a failed background save while
 *   `stop-writes-on-bgsave-error yes` and save rules exist;
 * - FLUSHALL saves the empty dataset when save rules exist, as Redis does;
 * - the final save at SHUTDOWN (save rules, or SHUTDOWN SAVE);
 * - startup loading of `dir/dbfilename` (recovery priority 10: the AOF
 *   plugins use higher numbers and win when `appendonly yes`), yielding to
 *   clients, who get -LOADING meanwhile;
 * - INFO persistence's `rdb_*`, `current_save_*` and `loading_*` fields.
 *
 * Differences from Redis, on purpose or for lack of a fork:
 *
 * - a running BGSAVE survives FLUSHALL when no save rules exist (its image
 *   is the dataset at BGSAVE time and stays valid; Redis kills the child).
 *   With save rules FLUSHALL aborts it, as its older image must not
 *   replace the file FLUSHALL's save writes. FLUSHALL inside MULTI saves
 *   when the EXEC ends, not at the FLUSHALL;
 * - no copy-on-write: `rdb_last_cow_size` and `current_cow_*` stay 0, and
 *   `total_forks` counts the background jobs started;
 * - `rdb-key-save-delay` slows BGSAVE only (Redis also sleeps in SAVE,
 *   blocking the server); `rdb-save-incremental-fsync` is not applied
 *   (one fsync at the end of the file);
 * - DEBUG RELOAD yields to the event loop while loading (other clients get
 *   -LOADING, as in Redis), so it is refused inside MULTI/EXEC; a file that
 *   fails to load makes it reply an error where Redis would exit.
 *
 * @module
 */

import { errorText } from "../../core/core.ts";
import type { WriteEvent } from "../../core/events.ts";
import { type CairnPlugin, definePlugin } from "../../core/plugin.ts";
import type { Logger } from "../../core/log.ts";
import { RdbError } from "../../persistence/rdb/mod.ts";
import { debugReload, rdbCommands } from "./commands.ts";
import { PLUGIN_NAME, RdbSnapshots } from "./controller.ts";
import { rdbPaths } from "./files.ts";
import { loadingFields, persistenceFields } from "./info.ts";
import { loadRdbFile } from "./loader.ts";

export { type RdbEvents, RdbSnapshots } from "./controller.ts";
export type { BackgroundSaveOutcome } from "./bgsave.ts";

/** Options of {@link rdbSnapshotPlugin}. */
export interface RdbSnapshotOptions {
  /**
   * Unix milliseconds for the save rules and the last save time (default
   * `Date.now`). Tests inject a clock to make save rules fire on demand.
   */
  clock?: () => number;
}

/** Recovery priority: below the AOF plugins, which win when they have data. */
export const RDB_RECOVERY_PRIORITY = 10;

/** Creates the rdb-snapshot plugin. */
export function rdbSnapshotPlugin(options: RdbSnapshotOptions = {}): CairnPlugin {
  return definePlugin({
    name: PLUGIN_NAME,
    setup(ctx) {
      const { core, config, bus } = ctx;
      const rdb = new RdbSnapshots(core, options.clock ?? Date.now);

      const load = async (merge: boolean) => {
        addLoadingInfo();
        rdb.loadingActive = true;
        try {
          await loadRdbFile(core, rdbPaths(config).file, {
            merge,
            progress: rdb.loading,
            counters: rdb.loadCounters,
          });
        } finally {
          rdb.loadingActive = false;
        }
      };
      const reload = async (merge: boolean) => {
        core.loading = true;
        try {
          await load(merge);
        } catch (e) {
          logLoadFailure(core.log, e);
          throw e;
        } finally {
          core.loading = false;
          bus.emit("dataset.replaced", { reason: "DEBUG RELOAD" });
        }
      };

      ctx.registerCommands(rdbCommands(rdb));
      core.addDebugSubcommands([debugReload(rdb, reload)]);
      ctx.addInfo("persistence", () => persistenceFields(rdb));
      ctx.addInfo("stats", () => [["total_forks", core.jobs.startedCount]]);
      ctx.addWriteGuard(() => rdb.writeGuard());

      // Redis prints the loading_* fields after every other persistence
      // field, the AOF plugins' included: register them once every plugin
      // has set up (recovery or ready, whichever comes first).
      let loadingInfoAdded = false;
      function addLoadingInfo() {
        if (loadingInfoAdded) return;
        loadingInfoAdded = true;
        ctx.addInfo("persistence", () => rdb.loadingActive ? loadingFields(rdb) : []);
      }

      // FLUSHALL's save only matters with save rules: listen to writes only then.
      let stopWatchingWrites: (() => void) | null = null;
      const onWrite = (event: WriteEvent) => {
        for (const op of event.ops) {
          const name = op.argv[0];
          if (name.length === 8 && name.toLowerCase() === "flushall") {
            rdb.flushAllSave();
            return;
          }
        }
      };
      const followRules = () => {
        if (rdb.rules.length > 0) stopWatchingWrites ??= bus.on("write", onWrite);
        else if (stopWatchingWrites !== null) {
          stopWatchingWrites();
          stopWatchingWrites = null;
        }
      };
      followRules();
      const stopWatchingConfig = config.onChange((key) => {
        rdb.configChanged(key);
        if (key === "save") followRules();
      });
      const stopCron = bus.on("cron", () => rdb.cron());

      return {
        recover: {
          priority: RDB_RECOVERY_PRIORITY,
          async load() {
            try {
              await load(false);
            } catch (e) {
              if (e instanceof Deno.errors.NotFound) return "absent";
              logLoadFailure(core.log, e);
              throw e;
            }
            return "loaded";
          },
        },
        ready: addLoadingInfo,
        shutdown: (request) => rdb.shutdown(request),
        async close() {
          stopCron();
          stopWatchingConfig();
          stopWatchingWrites?.();
          await rdb.abortBackgroundSave();
        },
      };
    },
  });
}

/** Logs a failed load the way Redis reports a bad RDB file before exiting. */
function logLoadFailure(log: Logger, e: unknown): void {
  if (e instanceof RdbError) {
    if (e.kind === "truncated") {
      log.warning("Short read or OOM loading DB. Unrecoverable error, aborting now.");
    }
    log.warning(`Internal error in RDB reading offset ${e.offset} of ${e.file} -> ${e.detail}`);
  } else {
    log.warning(`Error loading the RDB file: ${errorText(e)}`);
  }
}
