/**
 * The INFO fields of an AOF plugin, with Redis 7.0's names and order
 * (`genRedisInfoString`), from a plain {@link AofInfoState} each layout
 * fills in: the `aof_*` lines of the persistence section (they replace the
 * core's idle defaults in place), `aof_current_size` ... `aof_delayed_fsync`
 * when `appendonly` is yes, the `loading_*` lines while the plugin loads,
 * and `mem_aof_buffer` for the memory section.
 *
 * @module
 */

/** One INFO field. */
export type InfoField = readonly [string, string | number];

/** Progress of a running rewrite. */
export interface AofRewriteProgress {
  /** Unix ms when it started. */
  readonly startedAt: number;
  /** Keys written to the base so far. */
  readonly keysWritten: number;
  /** Keys in the dataset at the start. */
  readonly keysTotal: number;
}

/** Progress of a load, for the `loading_*` fields. */
export interface AofLoadingProgress {
  /** Unix seconds when loading started. */
  startTime: number;
  /** Bytes to load (every file). */
  totalBytes: number;
  /** Bytes loaded so far. */
  loadedBytes: number;
}

/** What the fields show. */
export interface AofInfoState {
  /** `aof_state` is not off (on, or waiting for its first rewrite). */
  enabled: boolean;
  /** `appendonly` is yes (the size fields are shown). */
  appendonly: boolean;
  /** The running rewrite, or null. */
  rewrite: AofRewriteProgress | null;
  /** A rewrite waits for the job slot. */
  rewriteScheduled: boolean;
  /** Duration of the last rewrite in seconds, or -1. */
  lastRewriteSeconds: number;
  /** The last rewrite succeeded (or none ran). */
  lastRewriteOk: boolean;
  /** Rewrites started. */
  rewrites: number;
  /** Failed rewrites in a row. */
  consecutiveFailures: number;
  /** The last write or fsync failed. */
  lastWriteFailed: boolean;
  /** `aof_current_size`. */
  currentSize: number;
  /** `aof_base_size`. */
  baseSize: number;
  /** Bytes waiting to be written. */
  bufferLength: number;
  /** An fsync runs in the background. */
  fsyncInProgress: boolean;
  /** Writes done while a slow fsync was still running. */
  delayedFsyncs: number;
  /** The load in progress, or null. */
  loading: AofLoadingProgress | null;
}

/** The persistence section's AOF fields. */
export function aofPersistenceFields(s: AofInfoState, now = Date.now()): InfoField[] {
  const fields: InfoField[] = [];
  const rewrite = s.rewrite;
  if (rewrite !== null) {
    const total = rewrite.keysTotal;
    fields.push(
      ["current_fork_perc", (total > 0 ? (rewrite.keysWritten / total) * 100 : 0).toFixed(2)],
      ["current_save_keys_processed", rewrite.keysWritten],
      ["current_save_keys_total", total],
    );
  }
  fields.push(
    ["aof_enabled", s.enabled ? 1 : 0],
    ["aof_rewrite_in_progress", rewrite !== null ? 1 : 0],
    ["aof_rewrite_scheduled", s.rewriteScheduled ? 1 : 0],
    ["aof_last_rewrite_time_sec", s.lastRewriteSeconds],
    [
      "aof_current_rewrite_time_sec",
      rewrite !== null ? Math.floor((now - rewrite.startedAt) / 1000) : -1,
    ],
    ["aof_last_bgrewrite_status", s.lastRewriteOk ? "ok" : "err"],
    ["aof_rewrites", s.rewrites],
    ["aof_rewrites_consecutive_failures", s.consecutiveFailures],
    ["aof_last_write_status", s.lastWriteFailed ? "err" : "ok"],
  );
  if (s.appendonly) {
    fields.push(
      ["aof_current_size", s.currentSize],
      ["aof_base_size", s.baseSize],
      ["aof_pending_rewrite", s.rewriteScheduled ? 1 : 0],
      ["aof_buffer_length", s.bufferLength],
      ["aof_pending_bio_fsync", s.fsyncInProgress ? 1 : 0],
      ["aof_delayed_fsync", s.delayedFsyncs],
    );
  }
  if (s.loading !== null) fields.push(...loadingFields(s.loading, now));
  return fields;
}

/** The `loading_*` fields (Redis computes the ETA from the average speed so far). */
export function loadingFields(loading: AofLoadingProgress, now = Date.now()): InfoField[] {
  const { startTime, totalBytes, loadedBytes } = loading;
  const perc = totalBytes > 0 ? (loadedBytes / totalBytes) * 100 : 0;
  const elapsed = Math.floor(now / 1000) - startTime;
  const remaining = totalBytes > 0 ? totalBytes - loadedBytes : 1;
  const eta = elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (loadedBytes + 1));
  return [
    ["loading_start_time", startTime],
    ["loading_total_bytes", totalBytes],
    ["loading_rdb_used_mem", 0],
    ["loading_loaded_bytes", loadedBytes],
    ["loading_loaded_perc", perc.toFixed(2)],
    ["loading_eta_seconds", eta],
  ];
}
