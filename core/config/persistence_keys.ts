/**
 * The keys persistence plugins read (RDB snapshots, the AOF, shutdown),
 * with Redis 7.0's names, defaults, bounds and mutability, plus Cairn's
 * `aof-multi-part`.
 *
 * @module
 */

import {
  boolKey,
  type ConfigKeySpec,
  enumKey,
  flagsKey,
  INT_MAX,
  INT_MIN,
  intKey,
  LLONG_MAX,
  stringKey,
} from "./spec.ts";

function baseName(what: string, kind: string): (v: string) => string | null {
  return (
    v,
  ) => (v.includes("/") || v.includes("\\") ? `${what} can't be a path, just a ${kind}` : null);
}

function notEmptyBaseName(what: string, kind: string): (v: string) => string | null {
  return (v) => (v === "" ? `${what} can't be empty` : baseName(what, kind)(v));
}

const noSaveAndNosave = (set: readonly string[]) =>
  set.includes("save") && set.includes("nosave")
    ? "shutdown options SAVE and NOSAVE can't be used simultaneously"
    : null;

/** RDB snapshot keys (`save` itself is in special_keys.ts). */
const RDB_KEYS: readonly ConfigKeySpec[] = [
  stringKey("dbfilename", "dump.rdb", true, {
    protected: true,
    validate: baseName("dbfilename", "filename"),
    doc: "File name of the RDB snapshot, inside dir.",
  }),
  boolKey("rdbcompression", true, true, { doc: "Compress strings with LZF in RDB files." }),
  boolKey("rdbchecksum", true, false, { doc: "Write and check a CRC64 at the end of RDB files." }),
  boolKey("stop-writes-on-bgsave-error", true, true, {
    doc: "Refuse writes (MISCONF) while the last background save failed.",
  }),
  boolKey("rdb-save-incremental-fsync", true, true, {
    doc: "fsync every 4 MB while writing a snapshot, not all at the end.",
  }),
  boolKey("rdb-del-sync-files", false, true, {
    doc: "Delete RDB files used only for replication sync (no effect without replication).",
  }),
  intKey("rdb-key-save-delay", 0, INT_MIN, INT_MAX, true, {
    hidden: true,
    doc: "Testing aid: microseconds to sleep per key while saving.",
  }),
  intKey("key-load-delay", 0, INT_MIN, INT_MAX, true, {
    hidden: true,
    doc: "Testing aid: microseconds to sleep per key while loading.",
  }),
  intKey("loading-process-events-interval-bytes", 2 * 1024 * 1024, 1024, INT_MAX, true, {
    hidden: true,
    doc: "Bytes read between two turns of serving clients while loading.",
  }),
  enumKey("sanitize-dump-payload", "no", ["no", "yes", "clients"], true, {
    doc: "Deep-check RESTORE payloads and RDB contents: no, yes, or clients (RESTORE only).",
  }),
];

/** Append-only file keys. */
const AOF_KEYS: readonly ConfigKeySpec[] = [
  boolKey("appendonly", false, true, {
    denyLoading: true,
    doc: "Log every write to the append-only file; on start the AOF wins over the RDB.",
  }),
  stringKey("appendfilename", "appendonly.aof", false, {
    validate: notEmptyBaseName("appendfilename", "filename"),
    doc: "Base name of the AOF files.",
  }),
  stringKey("appenddirname", "appendonlydir", false, {
    validate: notEmptyBaseName("appenddirname", "dirname"),
    doc: "Directory (inside dir) of the multi-part AOF and its manifest.",
  }),
  boolKey("aof-multi-part", true, false, {
    doc: "Cairn: yes = Redis 7 multi-part AOF directory; no = one pre-7.0 appendonly.aof file.",
  }),
  enumKey("appendfsync", "everysec", ["everysec", "always", "no"], true, {
    doc: "When to fsync the AOF: always (before replying), everysec, or no (leave it to the OS).",
  }),
  boolKey("no-appendfsync-on-rewrite", false, true, {
    doc: "Skip AOF fsyncs while a rewrite or a snapshot is running.",
  }),
  intKey("auto-aof-rewrite-percentage", 100, 0, INT_MAX, true, {
    doc: "Rewrite the AOF when it grew by this percentage since the last rewrite (0: never).",
  }),
  intKey("auto-aof-rewrite-min-size", 64 * 1024 * 1024, 0, LLONG_MAX, true, {
    memory: true,
    doc: "Do not rewrite automatically below this AOF size.",
  }),
  boolKey("aof-load-truncated", true, true, {
    doc: "Load an AOF whose last command is cut short (and log it) instead of refusing to start.",
  }),
  boolKey("aof-use-rdb-preamble", true, true, {
    doc: "Write the rewritten base file in RDB format.",
  }),
  boolKey("aof-timestamp-enabled", false, true, {
    doc: "Write #TS:<unix time> annotations in the AOF.",
  }),
  boolKey("aof-rewrite-incremental-fsync", true, true, {
    doc: "fsync every 4 MB while rewriting the AOF.",
  }),
  boolKey("aof-disable-auto-gc", false, true, {
    doc: "Keep history AOF files after a rewrite instead of deleting them.",
  }),
];

/** Shutdown keys. */
const SHUTDOWN_KEYS: readonly ConfigKeySpec[] = [
  intKey("shutdown-timeout", 10, 0, INT_MAX, true, {
    doc: "Seconds SHUTDOWN waits for lagging replicas (no replicas in Cairn).",
  }),
  flagsKey(
    "shutdown-on-sigint",
    "default",
    ["save", "nosave", "now", "force"],
    true,
    noSaveAndNosave,
    {
      doc: "SHUTDOWN flags applied on SIGINT: default, or some of save, nosave, now, force.",
    },
  ),
  flagsKey(
    "shutdown-on-sigterm",
    "default",
    ["save", "nosave", "now", "force"],
    true,
    noSaveAndNosave,
    { doc: "SHUTDOWN flags applied on SIGTERM: default, or some of save, nosave, now, force." },
  ),
];

/** The keys persistence plugins read. */
export const PERSISTENCE_CONFIG_KEYS: readonly ConfigKeySpec[] = [
  ...RDB_KEYS,
  ...AOF_KEYS,
  ...SHUTDOWN_KEYS,
];
