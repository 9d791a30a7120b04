/**
 * Redis 7.0 directives Cairn accepts but does not act on, so that an
 * existing redis.conf starts as it is. Each keeps Redis's type, default,
 * bounds and mutability: a bad value is refused as Redis would refuse it,
 * CONFIG GET prints what was set, and setting one to a value other than its
 * default logs one warning saying why it has no effect.
 *
 * Implementing one of these features means moving its keys out of the
 * `ignored(...)` call that marks them.
 *
 * @module
 */

import {
  clientOutputBufferLimitKey,
  latencyTrackingPercentilesKey,
  notifyKeyspaceEventsKey,
  oomScoreAdjValuesKey,
  replicaofKey,
} from "./special_keys.ts";
import {
  boolKey,
  type ConfigKeySpec,
  enumKey,
  INT_MAX,
  intKey,
  LLONG_MAX,
  stringKey,
  UINT_MAX,
  ULLONG_MAX,
} from "./spec.ts";

/** Marks `specs` as accepted without effect, for `reason`. */
function ignored(reason: string, specs: readonly ConfigKeySpec[]): ConfigKeySpec[] {
  return specs.map((spec) => ({ ...spec, ignored: reason }));
}

/** A string whose empty value means "unset" (Redis's EMPTY_STRING_IS_NULL). */
function optionalString(
  name: string,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<string>> = {},
) {
  return stringKey(name, "", mutable, { emptyIsNull: true, ...extra });
}

const PROCESS = [
  ...ignored("Cairn never daemonizes; run it under a process supervisor", [
    boolKey("daemonize", false, false),
  ]),
  ...ignored("Cairn prints no ASCII logo", [boolKey("always-show-logo", false, false)]),
  ...ignored("Cairn does not talk to upstart or systemd", [
    enumKey("supervised", "no", ["upstart", "systemd", "auto", "no"], false),
  ]),
  ...ignored("Cairn does not change its process title", [
    boolKey("set-proc-title", true, false),
    stringKey("proc-title-template", "{title} {listen-addr} {server-mode}", true),
  ]),
  ...ignored("Cairn logs to stdout or logfile only", [
    boolKey("syslog-enabled", false, false),
    stringKey("syslog-ident", "redis", false),
    enumKey("syslog-facility", "local0", [
      "user",
      "local0",
      "local1",
      "local2",
      "local3",
      "local4",
      "local5",
      "local6",
      "local7",
    ], false),
  ]),
  ...ignored("Cairn has no crash report or memory test", [
    boolKey("crash-log-enabled", true, true),
    boolKey("crash-memcheck-enabled", true, true),
    boolKey("use-exit-on-panic", false, true, { hidden: true }),
    intKey("watchdog-period", 0, 0, INT_MAX, true, { hidden: true }),
  ]),
  ...ignored("memory and CPU placement are left to the Deno runtime", [
    boolKey("disable-thp", true, false),
    boolKey("jemalloc-bg-thread", true, true),
    enumKey("oom-score-adj", "no", ["no", "yes", "relative", "absolute"], true, {
      synonyms: { relative: "yes" },
    }),
    oomScoreAdjValuesKey,
    optionalString("server_cpulist", false),
    optionalString("bio_cpulist", false),
    optionalString("aof_rewrite_cpulist", false),
    optionalString("bgsave_cpulist", false),
  ]),
  ...ignored("Cairn serves clients on one thread", [
    intKey("io-threads", 1, 1, 128, false),
    boolKey("io-threads-do-reads", false, false),
  ]),
  ...ignored("Cairn does not print Redis's startup warnings", [
    stringKey("ignore-warnings", "", true),
  ]),
  ...ignored("the background task frequency is fixed by hz", [boolKey("dynamic-hz", true, true)]),
  ...ignored("Cairn has no MODULE command", [
    enumKey("enable-module-command", "no", ["no", "yes", "local"], false),
  ]),
];

const NETWORK = [
  ...ignored("protected mode is not implemented (Cairn binds 127.0.0.1 by default)", [
    boolKey("protected-mode", true, true),
  ]),
  ...ignored("socket options are left to the Deno runtime", [
    intKey("tcp-backlog", 511, 0, INT_MAX, false),
    intKey("tcp-keepalive", 300, 0, INT_MAX, true),
    intKey("socket-mark-id", 0, 0, UINT_MAX, false, { unsigned: true }),
    optionalString("bind-source-addr", true),
  ]),
  ...ignored("Unix sockets are not implemented", [
    optionalString("unixsocket", false),
    intKey("unixsocketperm", 0, 0, 0o777, false, { octal: true, unsigned: true }),
  ]),
  ...ignored("client output buffers are not limited", [
    clientOutputBufferLimitKey,
    intKey("maxmemory-clients", 0, -100, LLONG_MAX, true, { memory: true, percent: true }),
  ]),
  ...ignored("client-side caching (CLIENT TRACKING) is not implemented", [
    intKey("tracking-table-max-keys", 1000000, 0, LLONG_MAX, true, { unsigned: true }),
  ]),
];

const TLS = ignored("TLS is not implemented", [
  intKey("tls-port", 0, 0, 65535, true),
  intKey("tls-session-cache-size", 20 * 1024, 0, INT_MAX, true),
  intKey("tls-session-cache-timeout", 300, 0, INT_MAX, true),
  boolKey("tls-cluster", false, true),
  boolKey("tls-replication", false, true),
  enumKey("tls-auth-clients", "yes", ["no", "yes", "optional"], true),
  boolKey("tls-prefer-server-ciphers", false, true),
  boolKey("tls-session-caching", true, true),
  optionalString("tls-cert-file", true),
  optionalString("tls-key-file", true),
  optionalString("tls-key-file-pass", true, { sensitive: true }),
  optionalString("tls-client-cert-file", true),
  optionalString("tls-client-key-file", true),
  optionalString("tls-client-key-file-pass", true, { sensitive: true }),
  optionalString("tls-dh-params-file", true),
  optionalString("tls-ca-cert-file", true),
  optionalString("tls-ca-cert-dir", true),
  optionalString("tls-protocols", true),
  optionalString("tls-ciphers", true),
  optionalString("tls-ciphersuites", true),
]);

const REPLICATION = ignored("replication is not implemented", [
  replicaofKey,
  optionalString("masterauth", true, { sensitive: true }),
  optionalString("masteruser", true, { sensitive: true }),
  boolKey("replica-serve-stale-data", true, true, { aliases: ["slave-serve-stale-data"] }),
  boolKey("replica-read-only", true, true, { aliases: ["slave-read-only"] }),
  boolKey("repl-diskless-sync", true, true),
  intKey("repl-diskless-sync-delay", 5, 0, INT_MAX, true),
  intKey("repl-diskless-sync-max-replicas", 0, 0, INT_MAX, true),
  enumKey("repl-diskless-load", "disabled", ["disabled", "on-empty-db", "swapdb"], true, {
    denyLoading: true,
  }),
  intKey("repl-ping-replica-period", 10, 1, INT_MAX, true, {
    aliases: ["repl-ping-slave-period"],
  }),
  intKey("repl-timeout", 60, 1, INT_MAX, true),
  boolKey("repl-disable-tcp-nodelay", false, true),
  intKey("repl-backlog-size", 1024 * 1024, 1, LLONG_MAX, true, { memory: true }),
  intKey("repl-backlog-ttl", 3600, 0, LLONG_MAX, true),
  intKey("replica-priority", 100, 0, INT_MAX, true, { aliases: ["slave-priority"] }),
  boolKey("replica-announced", true, true),
  intKey("min-replicas-to-write", 0, 0, INT_MAX, true, { aliases: ["min-slaves-to-write"] }),
  intKey("min-replicas-max-lag", 10, 0, INT_MAX, true, { aliases: ["min-slaves-max-lag"] }),
  optionalString("replica-announce-ip", true, { aliases: ["slave-announce-ip"] }),
  intKey("replica-announce-port", 0, 0, 65535, true, { aliases: ["slave-announce-port"] }),
  boolKey("replica-lazy-flush", false, true, { aliases: ["slave-lazy-flush"] }),
  boolKey("replica-ignore-maxmemory", true, true, { aliases: ["slave-ignore-maxmemory"] }),
  boolKey("replica-ignore-disk-write-errors", false, true),
  enumKey("propagation-error-behavior", "ignore", ["ignore", "panic", "panic-on-replicas"], true),
]);

const CLUSTER = ignored("cluster mode is not implemented", [
  boolKey("cluster-enabled", false, false),
  stringKey("cluster-config-file", "nodes.conf", false),
  intKey("cluster-node-timeout", 15000, 0, LLONG_MAX, true),
  intKey("cluster-port", 0, 0, 65535, false),
  intKey("cluster-replica-validity-factor", 10, 0, INT_MAX, true, {
    aliases: ["cluster-slave-validity-factor"],
  }),
  intKey("cluster-migration-barrier", 1, 0, INT_MAX, true),
  boolKey("cluster-allow-replica-migration", true, true),
  boolKey("cluster-require-full-coverage", true, true),
  boolKey("cluster-replica-no-failover", false, true, {
    aliases: ["cluster-slave-no-failover"],
  }),
  boolKey("cluster-allow-reads-when-down", false, true),
  boolKey("cluster-allow-pubsubshard-when-down", true, true),
  intKey("cluster-link-sendbuf-limit", 0, 0, ULLONG_MAX, true, { memory: true, unsigned: true }),
  optionalString("cluster-announce-hostname", true),
  enumKey("cluster-preferred-endpoint-type", "ip", ["ip", "hostname", "unknown-endpoint"], true),
  optionalString("cluster-announce-ip", true),
  intKey("cluster-announce-port", 0, 0, 65535, true),
  intKey("cluster-announce-tls-port", 0, 0, 65535, true),
  intKey("cluster-announce-bus-port", 0, 0, 65535, true),
]);

const MEMORY = [
  ...ignored("Cairn does not enforce maxmemory nor evict keys", [
    intKey("maxmemory", 0, 0, ULLONG_MAX, true, { memory: true, unsigned: true }),
    enumKey("maxmemory-policy", "noeviction", [
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ], true),
    intKey("maxmemory-samples", 5, 1, INT_MAX, true),
    intKey("maxmemory-eviction-tenacity", 10, 0, 100, true),
    intKey("lfu-log-factor", 10, 0, INT_MAX, true),
    intKey("lfu-decay-time", 1, 0, INT_MAX, true),
    boolKey("lazyfree-lazy-eviction", false, true),
  ]),
  ...ignored("memory is managed by the JavaScript engine (no defragmentation)", [
    boolKey("activedefrag", false, true),
    intKey("active-defrag-ignore-bytes", 100 * 1024 * 1024, 1, LLONG_MAX, true, {
      memory: true,
      unsigned: true,
    }),
    intKey("active-defrag-threshold-lower", 10, 0, 1000, true),
    intKey("active-defrag-threshold-upper", 100, 0, 1000, true),
    intKey("active-defrag-cycle-min", 1, 1, 99, true),
    intKey("active-defrag-cycle-max", 25, 1, 99, true),
    intKey("active-defrag-max-scan-fields", 1000, 1, LLONG_MAX, true, { unsigned: true }),
    boolKey("activerehashing", true, true),
  ]),
  ...ignored("active expiry runs at a fixed effort", [
    intKey("active-expire-effort", 1, 1, 10, true),
  ]),
];

const FEATURES = [
  ...ignored("ACL users are not implemented (use requirepass)", [
    stringKey("aclfile", "", false),
    intKey("acllog-max-len", 128, 0, LLONG_MAX, true, { unsigned: true }),
    enumKey("acl-pubsub-default", "resetchannels", ["allchannels", "resetchannels"], true),
  ]),
  ...ignored("the slow log is not implemented", [
    intKey("slowlog-log-slower-than", 10000, -1, LLONG_MAX, true),
    intKey("slowlog-max-len", 128, 0, LLONG_MAX, true, { unsigned: true }),
  ]),
  ...ignored("latency monitoring is not implemented", [
    intKey("latency-monitor-threshold", 0, 0, LLONG_MAX, true),
    boolKey("latency-tracking", true, true),
    latencyTrackingPercentilesKey,
  ]),
  ...ignored("scripting is not implemented", [
    intKey("busy-reply-threshold", 5000, 0, LLONG_MAX, true, { aliases: ["lua-time-limit"] }),
  ]),
  ...ignored("keyspace notifications are not implemented", [notifyKeyspaceEventsKey]),
  ...ignored("streams are not implemented", [
    intKey("stream-node-max-bytes", 4096, 0, LLONG_MAX, true, { memory: true, unsigned: true }),
    intKey("stream-node-max-entries", 100, 0, LLONG_MAX, true),
  ]),
  ...ignored("HyperLogLog is not implemented", [
    intKey("hll-sparse-max-bytes", 3000, 0, LLONG_MAX, true, { memory: true, unsigned: true }),
  ]),
];

/** Every Redis 7.0 directive Cairn accepts without acting on it. */
export const IGNORED_CONFIG_KEYS: readonly ConfigKeySpec[] = [
  ...PROCESS,
  ...NETWORK,
  ...TLS,
  ...REPLICATION,
  ...CLUSTER,
  ...MEMORY,
  ...FEATURES,
];
