/**
 * The text of INFO: sections, fields and their order as Redis 7.0 prints
 * them (`genRedisInfoString` in server.c).
 *
 * Each built-in section is a list of `name:value` fields computed from the
 * core. Plugins and the server contribute fields with `core.addInfo(section,
 * provider)`; a section is assembled by merging them into the built-in list:
 *
 * - a provided field whose name the built-in list already has **replaces
 *   its value in place**, so Redis's order is kept (the RDB plugin provides
 *   `rdb_last_save_time`, `rdb_saves`, ... and they appear where Redis
 *   prints them);
 * - any other provided field is **appended** after the built-in ones, in
 *   provider order (the AOF plugin's `aof_current_size` ... lines, which
 *   Redis prints after `module_fork_last_cow_size` only when the AOF is on);
 * - a section no built-in list knows (a plugin's own) is printed only when
 *   named or with `everything`, like Redis's module sections.
 *
 * So the core part of `persistence` (`loading:0`, `rdb_bgsave_in_progress:0`,
 * `aof_enabled:0`, ...) shows Redis's idle defaults until a plugin provides
 * the real values.
 *
 * Instantaneous metrics are sampled by {@link installInfoSampler} on the
 * cron tick, every 100 ms, averaged over the last 16 samples as Redis does.
 *
 * @module
 */

import process from "node:process";
import type { Client } from "./client.ts";
import { type Command, commandUsec } from "./command.ts";
import type { Core, InfoProvider } from "./core.ts";
import { REDIS_COMPAT_VERSION } from "./version.ts";
import { lruClock } from "./keyspace/lru_clock.ts";

/** One `name:value` line of INFO. */
export type InfoField = readonly [name: string, value: string | number];

/** What a section builder reads. */
interface InfoContext {
  readonly core: Core;
  /** The client asking (INFO prints the port it connected to when the config says 0). */
  readonly client: Client | null;
  readonly state: InfoState;
}

/** A built-in section: its name, its `# Title` and how to compute its fields. */
interface Section {
  readonly name: string;
  readonly title: string;
  readonly build: (ctx: InfoContext) => InfoField[];
}

const SAMPLES = 16;
const SAMPLE_PERIOD_MS = 100;

/** One instantaneous metric: per-second rates of the last 16 samples (Redis's inst_metric). */
class RateMetric {
  #samples = new Array<number>(SAMPLES).fill(0);
  #index = 0;
  #lastTime = Date.now();
  #lastReading = 0;

  /** Records the counter's current value. */
  track(reading: number, now: number): void {
    const elapsed = now - this.#lastTime;
    this.#samples[this.#index] = elapsed > 0
      ? Math.trunc(((reading - this.#lastReading) * 1000) / elapsed)
      : 0;
    this.#index = (this.#index + 1) % SAMPLES;
    this.#lastTime = now;
    this.#lastReading = reading;
  }

  /** Mean of the samples (integer division, as Redis). */
  get value(): number {
    let sum = 0;
    for (const s of this.#samples) sum += s;
    return Math.trunc(sum / SAMPLES);
  }

  /** Forgets the samples (CONFIG RESETSTAT). */
  reset(reading: number): void {
    this.#samples.fill(0);
    this.#index = 0;
    this.#lastTime = Date.now();
    this.#lastReading = reading;
  }
}

/** What INFO remembers between calls for one core. */
class InfoState {
  /** Random id of this run (`run_id`), 40 hex characters. */
  readonly runId = randomHex(20);
  /** Replication id (`master_replid`). */
  readonly replId = randomHex(20);
  /** Memory in use when INFO state was created (about the server's start). */
  readonly startupMemory = usedMemory();
  /** Highest memory use seen. */
  peakMemory = this.startupMemory;
  readonly ops = new RateMetric();
  readonly netInput = new RateMetric();
  readonly netOutput = new RateMetric();
  #lastSample = 0;

  /** Takes a sample when at least 100 ms passed since the last one. */
  sample(core: Core, now: number): void {
    if (now - this.#lastSample < SAMPLE_PERIOD_MS) return;
    this.#lastSample = now;
    const s = core.stats;
    this.ops.track(s.commandsProcessed, now);
    this.netInput.track(s.netInputBytes, now);
    this.netOutput.track(s.netOutputBytes, now);
    this.notePeak(usedMemory());
  }

  /** Raises the peak to `used` when higher. */
  notePeak(used: number): number {
    if (used > this.peakMemory) this.peakMemory = used;
    return used;
  }
}

const states = new WeakMap<Core, InfoState>();

function stateOf(core: Core): InfoState {
  let state = states.get(core);
  if (state === undefined) states.set(core, state = new InfoState());
  return state;
}

/**
 * Starts sampling the instantaneous metrics and the memory peak on each cron
 * tick. Called once by the server at start; returns a function that stops it.
 */
export function installInfoSampler(core: Core): () => void {
  const state = stateOf(core);
  return core.bus.on("cron", ({ now }) => state.sample(core, now));
}

/** Resets what CONFIG RESETSTAT resets on the INFO side (samples). */
export function resetInfoStats(core: Core): void {
  const state = stateOf(core);
  const s = core.stats;
  state.ops.reset(s.commandsProcessed);
  state.netInput.reset(s.netInputBytes);
  state.netOutput.reset(s.netOutputBytes);
}

/**
 * The text INFO replies with for `args` (section names, `all`, `everything`,
 * `default`; none means `default`). `client` is the one asking, if any.
 */
export function buildInfo(core: Core, args: readonly string[], client: Client | null): string {
  const { names, all, everything } = selectSections(args);
  const ctx: InfoContext = { core, client, state: stateOf(core) };
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !names.has(section.name) && !isAlias(section, names)) continue;
    parts.push(renderSection(section.title, merge(section.build(ctx), core, section.name)));
  }
  for (const [name, providers] of core.infoProviders) {
    if (BUILTIN_NAMES.has(name) || (!everything && !names.has(name))) continue;
    parts.push(renderSection(titleOf(name), merge([], core, name, providers)));
  }
  return parts.join("\r\n");
}

/** The sections INFO prints without arguments, in Redis 7.0's list. */
const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "module_list",
  "errorstats",
  "cluster",
  "keyspace",
];

function selectSections(args: readonly string[]) {
  const names = new Set<string>();
  let all = false;
  let everything = false;
  if (args.length === 0) { for (const n of DEFAULT_SECTIONS) names.add(n); }
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === "default") { for (const n of DEFAULT_SECTIONS) names.add(n); }
    else if (name === "all") all = true;
    else if (name === "everything") all = everything = true;
    else names.add(name);
  }
  return { names, all, everything };
}

// "# Modules" answers to both `modules` and `module_list`.
function isAlias(section: Section, names: Set<string>): boolean {
  return section.name === "module_list" && names.has("modules");
}

function merge(
  base: InfoField[],
  core: Core,
  section: string,
  providers = core.infoProviders.get(section),
): InfoField[] {
  if (providers === undefined || providers.length === 0) return base;
  const fields = base.slice();
  const position = new Map<string, number>();
  fields.forEach(([name], i) => position.set(name, i));
  for (const provider of providers) {
    for (const [name, value] of fieldsOf(provider, core, section)) {
      const at = position.get(name);
      if (at !== undefined) {
        fields[at] = [name, value];
      } else {
        position.set(name, fields.length);
        fields.push([name, value]);
      }
    }
  }
  return fields;
}

// A failing provider costs its own fields, not the whole INFO reply.
function fieldsOf(provider: InfoProvider, core: Core, section: string): Iterable<InfoField> {
  try {
    return [...provider()];
  } catch (e) {
    core.log.warning(`An INFO ${section} provider failed: ${e instanceof Error ? e.message : e}`);
    return [];
  }
}

function renderSection(title: string, fields: readonly InfoField[]): string {
  let out = `# ${title}\r\n`;
  for (const [name, value] of fields) out += `${name}:${value}\r\n`;
  return out;
}

function titleOf(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// ---------------------------------------------------------------- sections

function serverSection({ core, client, state }: InfoContext): InfoField[] {
  const now = Date.now();
  const uptime = Math.floor((now - core.startTime) / 1000);
  const hz = core.config.get<number>("hz");
  return [
    ["redis_version", REDIS_COMPAT_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", osDescription()],
    ["arch_bits", 64],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", Deno.build.os === "linux" ? "epoll" : "kqueue"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", Deno.pid],
    ["process_supervised", "no"],
    ["run_id", state.runId],
    ["tcp_port", tcpPort(core, client)],
    ["server_time_usec", Math.floor((performance.timeOrigin + performance.now()) * 1000)],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", hz],
    ["configured_hz", hz],
    ["lru_clock", lruClock()],
    ["executable", executablePath()],
    ["config_file", core.config.file ?? ""],
    ["io_threads_active", 0],
  ];
}

function clientsSection({ core }: InfoContext): InfoField[] {
  let inTimeoutTable = 0;
  for (const c of core.clients.values()) {
    if (c.blocked !== null && c.blocked.deadline > 0) inTimeoutTable++;
  }
  return [
    ["connected_clients", core.clients.size],
    ["cluster_connections", 0],
    ["maxclients", core.config.get<number>("maxclients")],
    ["client_recent_max_input_buffer", 0],
    ["client_recent_max_output_buffer", 0],
    ["blocked_clients", core.blocking.count],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", inTimeoutTable],
  ];
}

function memorySection({ core, state }: InfoContext): InfoField[] {
  const mem = Deno.memoryUsage();
  const used = state.notePeak(mem.heapUsed + mem.external);
  const peak = state.peakMemory;
  const startup = Math.min(state.startupMemory, used);
  const dataset = used - startup;
  const active = mem.heapTotal + mem.external;
  const maxmemory = optionalConfig(core, "maxmemory", 0);
  return [
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", mem.rss],
    ["used_memory_rss_human", bytesToHuman(mem.rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", percent(used, peak)],
    ["used_memory_overhead", startup],
    ["used_memory_startup", startup],
    ["used_memory_dataset", dataset],
    ["used_memory_dataset_perc", percent(dataset, used)],
    ["allocator_allocated", used],
    ["allocator_active", active],
    ["allocator_resident", mem.rss],
    ["total_system_memory", totalSystemMemory()],
    ["total_system_memory_human", bytesToHuman(totalSystemMemory())],
    ["used_memory_lua", 0],
    ["used_memory_vm_eval", 0],
    ["used_memory_lua_human", "0B"],
    ["used_memory_scripts_eval", 0],
    ["number_of_cached_scripts", 0],
    ["number_of_functions", 0],
    ["number_of_libraries", 0],
    ["used_memory_vm_functions", 0],
    ["used_memory_vm_total", 0],
    ["used_memory_vm_total_human", "0B"],
    ["used_memory_functions", 0],
    ["used_memory_scripts", 0],
    ["used_memory_scripts_human", "0B"],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", optionalConfig(core, "maxmemory-policy", "noeviction")],
    ["allocator_frag_ratio", ratio(active, used)],
    ["allocator_frag_bytes", active - used],
    ["allocator_rss_ratio", ratio(mem.rss, active)],
    ["allocator_rss_bytes", mem.rss - active],
    ["rss_overhead_ratio", "1.00"],
    ["rss_overhead_bytes", 0],
    ["mem_fragmentation_ratio", ratio(mem.rss, used)],
    ["mem_fragmentation_bytes", mem.rss - used],
    ["mem_not_counted_for_evict", 0],
    ["mem_replication_backlog", 0],
    ["mem_total_replication_buffers", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", 0],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", "v8"],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", 0],
  ];
}

function persistenceSection({ core }: InfoContext): InfoField[] {
  return [
    ["loading", core.loading ? 1 : 0],
    ["async_loading", 0],
    ["current_cow_peak", 0],
    ["current_cow_size", 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", "0.00"],
    ["current_save_keys_processed", 0],
    ["current_save_keys_total", 0],
    ["rdb_changes_since_last_save", core.dirty],
    ["rdb_bgsave_in_progress", 0],
    ["rdb_last_save_time", Math.floor(core.startTime / 1000)],
    ["rdb_last_bgsave_status", "ok"],
    ["rdb_last_bgsave_time_sec", -1],
    ["rdb_current_bgsave_time_sec", -1],
    ["rdb_saves", 0],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", 0],
    ["rdb_last_load_keys_loaded", 0],
    ["aof_enabled", 0],
    ["aof_rewrite_in_progress", 0],
    ["aof_rewrite_scheduled", 0],
    ["aof_last_rewrite_time_sec", -1],
    ["aof_current_rewrite_time_sec", -1],
    ["aof_last_bgrewrite_status", "ok"],
    ["aof_rewrites", 0],
    ["aof_rewrites_consecutive_failures", 0],
    ["aof_last_write_status", "ok"],
    ["aof_last_cow_size", 0],
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
  ];
}

function statsSection({ core, state }: InfoContext): InfoField[] {
  const s = core.stats;
  return [
    ["total_connections_received", s.connectionsReceived],
    ["total_commands_processed", s.commandsProcessed],
    ["instantaneous_ops_per_sec", state.ops.value],
    ["total_net_input_bytes", s.netInputBytes],
    ["total_net_output_bytes", s.netOutputBytes],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", (state.netInput.value / 1024).toFixed(2)],
    ["instantaneous_output_kbps", (state.netOutput.value / 1024).toFixed(2)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", s.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", s.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["expire_cycle_cpu_milliseconds", 0],
    ["evicted_keys", 0],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", 0],
    ["current_eviction_exceeded_time", 0],
    ["keyspace_hits", s.keyspaceHits],
    ["keyspace_misses", s.keyspaceMisses],
    ["pubsub_channels", 0],
    ["pubsub_patterns", 0],
    ["pubsubshard_channels", 0],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", 0],
    ["total_error_replies", s.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", 0],
    ["total_writes_processed", 0],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ];
}

function replicationSection({ state }: InfoContext): InfoField[] {
  return [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", state.replId],
    ["master_replid2", "0".repeat(40)],
    ["master_repl_offset", 0],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", 1048576],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ];
}

function cpuSection(): InfoField[] {
  // One process, one JavaScript thread: the main thread's time is the process's.
  const { user, system } = process.cpuUsage();
  return [
    ["used_cpu_sys", seconds(system)],
    ["used_cpu_user", seconds(user)],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", seconds(system)],
    ["used_cpu_user_main_thread", seconds(user)],
  ];
}

function commandStatsSection({ core }: InfoContext): InfoField[] {
  const fields: InfoField[] = [];
  const visit = (cmd: Command) => {
    const st = cmd.stats;
    if (st.calls > 0 || st.failedCalls > 0 || st.rejectedCalls > 0) {
      const usec = commandUsec(st);
      const perCall = st.calls === 0 ? 0 : usec / st.calls;
      fields.push([
        `cmdstat_${safeInfoName(cmd.fullname)}`,
        `calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)}` +
        `,rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`,
      ]);
    }
    for (const sub of cmd.subcommands?.values() ?? []) visit(sub);
  };
  for (const cmd of core.commands.all()) visit(cmd);
  return fields;
}

function errorStatsSection({ core }: InfoContext): InfoField[] {
  // Redis keeps error codes in a radix tree: they print in byte order.
  const codes = [...core.stats.errorReplies.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.map((code) => [
    `errorstat_${safeInfoName(code)}`,
    `count=${core.stats.errorReplies.get(code)}`,
  ]);
}

function keyspaceSection({ core }: InfoContext): InfoField[] {
  const fields: InfoField[] = [];
  const now = Date.now();
  for (const db of core.dbs) {
    const keys = db.table.size;
    const expires = db.table.volatileCount;
    if (keys === 0 && expires === 0) continue;
    fields.push([
      `db${db.index}`,
      `keys=${keys},expires=${expires},avg_ttl=${averageTtl(db.table, now)}`,
    ]);
  }
  return fields;
}

/** Keys sampled to estimate `avg_ttl` (Redis estimates it too, in its expire cycle). */
const TTL_SAMPLE = 1024;

function averageTtl(table: Core["dbs"][number]["table"], now: number): number {
  if (table.volatileCount === 0) return 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < table.shardCount && n < TTL_SAMPLE; i++) {
    const expires = table.shard(i).expires;
    if (expires === null) continue;
    for (const [, when] of expires) {
      if (when > now) {
        sum += when - now;
        n++;
      }
      if (n >= TTL_SAMPLE) break;
    }
  }
  return n === 0 ? 0 : Math.floor(sum / n);
}

const SECTIONS: readonly Section[] = [
  { name: "server", title: "Server", build: serverSection },
  { name: "clients", title: "Clients", build: clientsSection },
  { name: "memory", title: "Memory", build: memorySection },
  { name: "persistence", title: "Persistence", build: persistenceSection },
  { name: "stats", title: "Stats", build: statsSection },
  { name: "replication", title: "Replication", build: replicationSection },
  { name: "cpu", title: "CPU", build: cpuSection },
  { name: "module_list", title: "Modules", build: () => [] },
  { name: "commandstats", title: "Commandstats", build: commandStatsSection },
  { name: "errorstats", title: "Errorstats", build: errorStatsSection },
  // Per-command latency percentiles are not tracked; Redis prints the bare
  // title too when latency-tracking is off.
  { name: "latencystats", title: "Latencystats", build: () => [] },
  { name: "cluster", title: "Cluster", build: () => [["cluster_enabled", 0]] },
  { name: "keyspace", title: "Keyspace", build: keyspaceSection },
];

const BUILTIN_NAMES = new Set([...SECTIONS.map((s) => s.name), "modules"]);

// ----------------------------------------------------------------- helpers

/** Formats bytes as Redis's `bytesToHuman` does: `919.07K`, `6.42M`, `100B`. */
export function bytesToHuman(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let scale = 1024;
  for (const unit of units) {
    if (n < scale * 1024) return `${(n / scale).toFixed(2)}${unit}`;
    scale *= 1024;
  }
  return `${n}B`;
}

/** INFO field names must not break `name:value` lines (Redis's getSafeInfoString). */
function safeInfoName(name: string): string {
  return name.replace(/[:\r\n]/g, "_");
}

function percent(part: number, whole: number): string {
  return `${(whole > 0 ? (part / whole) * 100 : 0).toFixed(2)}%`;
}

function ratio(a: number, b: number): string {
  return (b > 0 ? a / b : 0).toFixed(2);
}

function seconds(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(Math.floor(micros % 1e6)).padStart(6, "0")}`;
}

function usedMemory(): number {
  const mem = Deno.memoryUsage();
  return mem.heapUsed + mem.external;
}

function optionalConfig<T>(core: Core, name: string, fallback: T): T {
  return core.config.spec(name) === undefined ? fallback : core.config.get<T>(name);
}

// The server's port is 0 in the config when the system picked it; the port
// the asking client connected to is then the true one.
function tcpPort(core: Core, client: Client | null): number {
  const port = core.config.get<number>("port");
  if (port !== 0 || client === null) return port;
  const colon = client.laddr.lastIndexOf(":");
  return colon < 0 ? 0 : Number(client.laddr.slice(colon + 1));
}

let osText: string | null = null;

function osDescription(): string {
  if (osText !== null) return osText;
  let release = "";
  try {
    release = Deno.osRelease();
  } catch {
    // no --allow-sys: leave the release out
  }
  const os = Deno.build.os === "darwin" ? "Darwin" : titleOf(Deno.build.os);
  return osText = `${os} ${release} ${Deno.build.arch}`;
}

function executablePath(): string {
  try {
    return Deno.execPath();
  } catch {
    return "";
  }
}

function totalSystemMemory(): number {
  try {
    return Deno.systemMemoryInfo().total;
  } catch {
    return 0;
  }
}

function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  for (const x of b) out += x.toString(16).padStart(2, "0");
  return out;
}
