/**
 * Loading an RDB file into the databases (Redis's `rdbLoad`), at startup
 * and for DEBUG RELOAD.
 *
 * The file is read in chunks (the reader awaits each read), and every
 * `loading-process-events-interval-bytes` the loader gives the event loop a
 * turn, so clients that connect meanwhile are answered `-LOADING` and INFO
 * shows the progress. Keys whose expire time has passed are dropped and
 * counted, as Redis does on a master. `key-load-delay` (microseconds per
 * key, read live so a test can lift it) slows loading down.
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import { readRdb } from "../../persistence/rdb/mod.ts";
import { yieldToEventLoop } from "../../persistence/snapshot_job.ts";
import { stampForIdle } from "../../core/keyspace/lru_clock.ts";

/** Progress of the load in course, for INFO's `loading_*` fields. */
export interface LoadingProgress {
  /** Unix seconds when loading started. */
  startTime: number;
  /** Size of the file. */
  totalBytes: number;
  /** The file's `used-mem` AUX field (0 when absent). */
  rdbUsedMem: number;
  /** Bytes read so far (updated every `loading-process-events-interval-bytes`). */
  loadedBytes: number;
}

/** Counters of a load (INFO's `rdb_last_load_keys_*`), updated while it runs. */
export interface LoadCounters {
  /** Keys added to the dataset. */
  keysLoaded: number;
  /** Keys dropped because their expire time had passed. */
  keysExpired: number;
}

/** How to load. */
export interface LoadOptions {
  /** DEBUG RELOAD MERGE: a key already present is replaced instead of being fatal. */
  merge: boolean;
  /** Filled in as loading goes. */
  progress: LoadingProgress;
  /** Filled in as loading goes. */
  counters: LoadCounters;
}

/** How often a long load logs its progress. */
const PROGRESS_LOG_MS = 5000;

/**
 * Loads the RDB file at `path` into `core`'s databases. Throws when the
 * file is missing (Deno.errors.NotFound), unreadable or corrupt (RdbError,
 * naming the file and the offset), or holds a key twice without `merge`.
 */
export async function loadRdbFile(core: Core, path: string, options: LoadOptions): Promise<void> {
  // Opened and measured without yielding, so the loading fields are set
  // before any client is served: Redis serves nobody before its load starts.
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    await loadFrom(core, file, path, size, options);
  } finally {
    file.close();
  }
}

async function loadFrom(
  core: Core,
  file: Deno.FsFile,
  path: string,
  size: number,
  { merge, progress, counters }: LoadOptions,
): Promise<void> {
  const { config, log, dbs } = core;
  progress.startTime = Math.floor(Date.now() / 1000);
  progress.totalBytes = size;
  progress.rdbUsedMem = 0;
  progress.loadedBytes = 0;
  counters.keysLoaded = 0;
  counters.keysExpired = 0;
  let delayMicros = config.get<number>("key-load-delay");
  const stopWatching = config.onChange((key, value) => {
    if (key === "key-load-delay") delayMicros = value as number;
  });
  const now = Date.now();
  let owedMicros = 0;
  let lastLog = performance.now();
  try {
    const result = await readRdb(file, {
      name: path,
      totalBytes: size,
      limits: core.limits,
      databases: dbs.length,
      verifyChecksum: config.get<boolean>("rdbchecksum") && !core.skipChecksumValidation,
      progressBytes: config.get<number>("loading-process-events-interval-bytes"),
      onAux: (key, value) => logAux(core, progress, key, value),
      onKey(index, key, value, expireAt, meta) {
        if (expireAt !== -1 && expireAt < now) {
          counters.keysExpired++;
        } else {
          const db = dbs[index];
          const before = db.table.size;
          db.add(key, value);
          if (db.table.size === before) {
            // The key was there already: fatal, unless merging (the file's version wins).
            if (!merge) throw new Error(`RDB has duplicated key '${key}' in DB ${index}`);
            if (expireAt === -1) db.persist(key);
          }
          if (expireAt !== -1) db.setExpire(key, expireAt);
          // Written by a Redis whose maxmemory-policy is an LRU one.
          if (meta.idle >= 0) db.table.setAccessStamp(key, stampForIdle(meta.idle));
          counters.keysLoaded++;
        }
        if (delayMicros > 0) {
          // Timers count in milliseconds: sleep once a millisecond is owed.
          owedMicros += delayMicros;
          if (owedMicros >= 1000) {
            const ms = Math.floor(owedMicros / 1000);
            owedMicros -= ms * 1000;
            return new Promise<void>((resolve) => setTimeout(resolve, ms));
          }
        }
      },
      onProgress(bytes) {
        progress.loadedBytes = bytes;
        if (performance.now() - lastLog >= PROGRESS_LOG_MS) {
          lastLog = performance.now();
          log.notice(
            `Loading RDB: ${
              (bytes / Math.max(size, 1) * 100).toFixed(2)
            }% (${bytes} of ${size} bytes, ${counters.keysLoaded} keys)`,
          );
        }
        return yieldToEventLoop();
      },
    });
    progress.loadedBytes = size;
    if (result.checksum === "disabled") {
      log.warning("RDB file was saved with checksum disabled: no check performed.");
    }
    const done =
      `Done loading RDB, keys loaded: ${counters.keysLoaded}, keys expired: ${counters.keysExpired}`;
    if (result.emptyKeysSkipped > 0) {
      log.warning(`${done}, empty keys skipped: ${result.emptyKeysSkipped}.`);
    } else {
      log.notice(`${done}.`);
    }
  } finally {
    stopWatching();
  }
}

/** Logs the AUX fields Redis logs while loading. */
function logAux(core: Core, progress: LoadingProgress, key: string, value: string): void {
  const log = core.log;
  switch (key.toLowerCase()) {
    case "redis-ver":
      log.notice(`Loading RDB produced by version ${value}`);
      break;
    case "ctime": {
      const age = Math.floor(Date.now() / 1000) - (Number.parseInt(value, 10) || 0);
      log.notice(`RDB age ${Math.max(age, 0)} seconds`);
      break;
    }
    case "used-mem": {
      const used = Number.parseInt(value, 10) || 0;
      log.notice(`RDB memory usage when created ${(used / (1024 * 1024)).toFixed(2)} Mb`);
      progress.rdbUsedMem = used;
      break;
    }
    case "aof-preamble":
      if ((Number.parseInt(value, 10) || 0) !== 0) log.notice("RDB has an AOF tail");
      break;
    case "aof-base":
      if ((Number.parseInt(value, 10) || 0) !== 0) log.notice("RDB is base AOF");
      break;
    default:
      if (key.startsWith("%")) log.notice(`RDB '${key}': ${value}`);
      else log.debug(`Unrecognized RDB AUX field: '${key}'`);
  }
}
