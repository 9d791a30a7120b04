/**
 * The commented example configuration (cairn.toml at the repository root),
 * generated from the key table so it cannot drift: a test compares the file
 * with {@link renderExampleConfig}, and `cairn example-config > cairn.toml`
 * refreshes it.
 *
 * @module
 */

import type { ConfigKeySpec } from "./spec.ts";
import { tomlAssignment } from "./toml.ts";

/** Sections of the keys Cairn acts on, in order. Keys not listed go to "Other". */
const SECTIONS: readonly [string, readonly string[]][] = [
  ["Network and clients", [
    "port",
    "bind",
    "maxclients",
    "timeout",
    "proto-max-bulk-len",
    "client-query-buffer-limit",
  ]],
  ["General", [
    "dir",
    "databases",
    "hz",
    "loglevel",
    "logfile",
    "pidfile",
    "requirepass",
    "enable-debug-command",
    "enable-protected-configs",
    "plugins",
  ]],
  ["Lazy freeing", [
    "lazyfree-lazy-expire",
    "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush",
    "lazyfree-lazy-server-del",
  ]],
  ["Snapshots (RDB)", [
    "save",
    "dbfilename",
    "rdbcompression",
    "rdbchecksum",
    "stop-writes-on-bgsave-error",
    "rdb-save-incremental-fsync",
    "rdb-del-sync-files",
    "sanitize-dump-payload",
    "rdb-key-save-delay",
    "key-load-delay",
    "loading-process-events-interval-bytes",
  ]],
  ["Append-only file (AOF)", [
    "appendonly",
    "aof-multi-part",
    "appendfilename",
    "appenddirname",
    "appendfsync",
    "no-appendfsync-on-rewrite",
    "auto-aof-rewrite-percentage",
    "auto-aof-rewrite-min-size",
    "aof-load-truncated",
    "aof-use-rdb-preamble",
    "aof-timestamp-enabled",
    "aof-rewrite-incremental-fsync",
    "aof-disable-auto-gc",
  ]],
  ["Shutdown", ["shutdown-timeout", "shutdown-on-sigint", "shutdown-on-sigterm"]],
  ["Data type encodings", [
    "list-max-listpack-size",
    "list-compress-depth",
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "set-max-intset-entries",
    "zset-max-listpack-entries",
    "zset-max-listpack-value",
  ]],
];

/** Lines for keys whose spec has no `doc` (keys owned by other modules). */
const DOCS: Readonly<Record<string, string>> = {
  "list-max-listpack-size":
    "Largest list node: entries when positive, -1..-5 for 4 kb..64 kb per node.",
  "list-compress-depth": "List nodes left uncompressed at each end (0: none compressed).",
  "hash-max-listpack-entries": "Hashes with at most this many fields use the compact encoding.",
  "hash-max-listpack-value": "...and no field or value longer than this.",
  "set-max-intset-entries": "Sets of at most this many integers use the intset encoding.",
  "zset-max-listpack-entries":
    "Sorted sets with at most this many members use the compact encoding.",
  "zset-max-listpack-value": "...and no member longer than this.",
};

const HEADER = `# Cairn configuration.
#
# Keys are redis.conf's directive names and take Redis 7.0's values; TOML
# adds native forms: booleans (appendonly = true, or "yes"), integers,
# memory sizes as numbers or strings with units ("64mb", "1gb"), and arrays
# for multi-word keys (save = ["3600 1", "300 100"]; save = "" disables).
# A redis.conf file works too: Cairn tells the formats apart by content, and
# "cairn convert-conf redis.conf" prints the equivalent TOML.
#
# Precedence: this file, then stdin ("-"), then --directive value options.
# Every key below is shown commented out at its default value.
# See docs/configuration.md.
`;

/** Renders the example file for the given keys (normally CORE_CONFIG_KEYS). */
export function renderExampleConfig(specs: Iterable<ConfigKeySpec>): string {
  const all = [...specs];
  const byName = new Map(all.map((s) => [s.name, s]));
  const listed = new Set(SECTIONS.flatMap(([, names]) => names));
  const others = all.filter((s) => s.ignored === undefined && !listed.has(s.name));
  const out = [HEADER];
  const sections = [...SECTIONS, ["Other", others.map((s) => s.name)] as const];
  for (const [title, names] of sections) {
    const keys = names.map((n) => byName.get(n)).filter((s) => s !== undefined);
    if (keys.length === 0) continue;
    out.push(`\n# ---- ${title} ----\n`);
    for (const spec of keys) out.push(renderKey(spec));
  }
  out.push(renderIgnored(all.filter((s) => s.ignored !== undefined)));
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

function renderKey(spec: ConfigKeySpec): string {
  const notes = [
    spec.mutable ? "" : "Fixed at start (CONFIG SET refuses it).",
    spec.aliases?.length ? `Also read as ${spec.aliases.join(", ")}.` : "",
  ].filter((n) => n !== "");
  const doc = spec.doc ?? DOCS[spec.name] ?? `See Redis's documentation of ${spec.name}.`;
  return [`# ${doc}`, ...(notes.length ? [`# ${notes.join(" ")}`] : []), `# ${example(spec)}\n`]
    .join("\n");
}

function example(spec: ConfigKeySpec): string {
  return tomlAssignment(spec, spec.default);
}

function renderIgnored(specs: readonly ConfigKeySpec[]): string {
  const out = [
    "\n# ---- Redis directives accepted without effect ----\n",
    "# Cairn accepts these so that an existing redis.conf starts as it is. Their",
    "# values are checked like Redis checks them and shown by CONFIG GET; setting",
    "# one to something other than its default logs one warning.",
  ];
  let reason: string | undefined;
  for (const spec of specs) {
    if (spec.ignored !== reason) {
      reason = spec.ignored;
      out.push(`\n# No effect: ${reason}.`);
    }
    out.push(`# ${example(spec)}`);
  }
  return out.join("\n") + "\n";
}
