/**
 * The INFO fields of RDB persistence. Fields the core's `persistence`
 * section already lists (with Redis's idle defaults) are replaced in place,
 * so Redis's order is kept; the `loading_*` fields, which Redis prints last
 * and only while loading, come from a second provider registered after the
 * other plugins' (see mod.ts).
 *
 * Without fork there is no copy-on-write: `rdb_last_cow_size` and the
 * `current_cow_*` fields stay 0.
 *
 * @module
 */

import type { InfoField } from "../../core/info.ts";
import type { RdbSnapshots } from "./controller.ts";

/** The `rdb_*` and `current_save_*` fields. */
export function persistenceFields(rdb: RdbSnapshots): InfoField[] {
  const running = rdb.running;
  const fields: InfoField[] = [];
  if (running !== null) {
    const { keysWritten, keysTotal } = running.save;
    const perc = keysTotal > 0 ? (keysWritten / keysTotal) * 100 : 0;
    fields.push(
      ["current_fork_perc", perc.toFixed(2)],
      ["current_save_keys_processed", keysWritten],
      ["current_save_keys_total", keysTotal],
    );
  }
  fields.push(
    ["rdb_bgsave_in_progress", running !== null ? 1 : 0],
    ["rdb_last_save_time", rdb.lastSave],
    ["rdb_last_bgsave_status", rdb.lastBgsaveOk ? "ok" : "err"],
    ["rdb_last_bgsave_time_sec", rdb.lastBgsaveSeconds],
    ["rdb_current_bgsave_time_sec", running !== null ? rdb.now() - running.startedAt : -1],
    ["rdb_saves", rdb.saves],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", rdb.loadCounters.keysExpired],
    ["rdb_last_load_keys_loaded", rdb.loadCounters.keysLoaded],
  );
  return fields;
}

/** The `loading_*` fields, while a load runs (Redis's ETA arithmetic included). */
export function loadingFields(rdb: RdbSnapshots): InfoField[] {
  const p = rdb.loading;
  let perc = 0;
  let remaining = 1;
  if (p.totalBytes > 0) {
    perc = (p.loadedBytes / p.totalBytes) * 100;
    remaining = p.totalBytes - p.loadedBytes;
  } else if (p.rdbUsedMem > 0) {
    perc = Math.min((p.loadedBytes / p.rdbUsedMem) * 100, 99.99);
    remaining = Math.max(p.rdbUsedMem - p.loadedBytes, 1);
  }
  const elapsed = Math.floor(Date.now() / 1000) - p.startTime;
  const eta = elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (p.loadedBytes + 1));
  return [
    ["loading_start_time", p.startTime],
    ["loading_total_bytes", p.totalBytes],
    ["loading_rdb_used_mem", p.rdbUsedMem],
    ["loading_loaded_bytes", p.loadedBytes],
    ["loading_loaded_perc", perc.toFixed(2)],
    ["loading_eta_seconds", eta],
  ];
}
