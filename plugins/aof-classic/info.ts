/**
 * The INFO fields of the single-file AOF, with Redis 7.0's names and order
 * (`genRedisInfoString`): the `aof_*` lines of the persistence section
 * replace the core's idle defaults in place; `aof_current_size` ...
 * `aof_delayed_fsync` follow when `appendonly` is yes, then the `loading_*`
 * lines while this plugin loads; `mem_aof_buffer` in the memory section.
 *
 * @module
 */

import type { InfoProvider } from "../../core/core.ts";
import type { ClassicAof } from "./classic_aof.ts";

type Field = readonly [string, string | number];

/** The persistence section's fields. */
export function persistenceInfo(aof: ClassicAof): InfoProvider {
  return () => {
    const now = Date.now();
    const writer = aof.writer;
    const rewrite = aof.rewrite;
    const fields: Field[] = [];
    if (rewrite !== null) {
      const total = rewrite.keysTotal;
      fields.push(
        ["current_fork_perc", (total > 0 ? (rewrite.keysWritten / total) * 100 : 0).toFixed(2)],
        ["current_save_keys_processed", rewrite.keysWritten],
        ["current_save_keys_total", total],
      );
    }
    fields.push(
      ["aof_enabled", aof.state !== "off" ? 1 : 0],
      ["aof_rewrite_in_progress", rewrite !== null ? 1 : 0],
      ["aof_rewrite_scheduled", aof.rewriteScheduled ? 1 : 0],
      ["aof_last_rewrite_time_sec", aof.lastRewriteSeconds],
      [
        "aof_current_rewrite_time_sec",
        rewrite !== null ? Math.floor((now - rewrite.startedAt) / 1000) : -1,
      ],
      ["aof_last_bgrewrite_status", aof.lastRewriteOk ? "ok" : "err"],
      ["aof_rewrites", aof.rewrites],
      ["aof_rewrites_consecutive_failures", aof.consecutiveFailures],
      ["aof_last_write_status", writer?.failed ? "err" : "ok"],
    );
    if (aof.core.config.get<boolean>("appendonly")) {
      fields.push(
        ["aof_current_size", writer?.size ?? 0],
        ["aof_base_size", aof.baseSize],
        ["aof_pending_rewrite", aof.rewriteScheduled ? 1 : 0],
        ["aof_buffer_length", writer?.buffer.length ?? 0],
        ["aof_pending_bio_fsync", writer?.fsyncInProgress ? 1 : 0],
        ["aof_delayed_fsync", writer?.stats.delayedFsyncs ?? 0],
      );
    }
    const loading = aof.loading;
    if (loading !== null) fields.push(...loadingFields(loading, now));
    return fields;
  };
}

function loadingFields(
  loading: { startTime: number; totalBytes: number; loadedBytes: number },
  now: number,
): Field[] {
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

/** The memory section's `mem_aof_buffer`. */
export function memoryInfo(aof: ClassicAof): InfoProvider {
  return () => [[
    "mem_aof_buffer",
    (aof.writer?.buffer.length ?? 0) + (aof.rewrite?.bufferedBytes ?? 0),
  ]];
}
