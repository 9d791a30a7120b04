/**
 * Server commands: COMMAND, INFO, CONFIG, TIME, MONITOR, SHUTDOWN, and the
 * parts of FUNCTION, LATENCY and SLOWLOG that make sense without scripting
 * or latency tracking (Redis's server.c, config.c, functions.c).
 *
 * @module
 */

import type { Client } from "../client.ts";
import type { Command, CommandSpec } from "../command.ts";
import type { ConfigKeySpec } from "../config/spec.ts";
import { ConfigValueError } from "../config/spec.ts";
import { LOADING, SYNTAX_ERR } from "../errors.ts";
import { globMatch } from "../glob.ts";
import { buildInfo, resetInfoStats } from "../info.ts";
import type { BlockedState } from "../blocking.ts";
import type { ShutdownRequest } from "../core.ts";
import { rewriteConfigFile } from "../config/rewrite.ts";
import { COMMAND_SUBCOMMANDS, replyCommandInfo } from "./command_info.ts";
import { replyHelp, subcommandSyntaxError } from "./help_reply.ts";

// ------------------------------------------------------------------ INFO

function info(c: Client, argv: string[]): void {
  c.reply.verbatim(buildInfo(c.core, argv.slice(1), c));
}

// ------------------------------------------------------------------ TIME

function time(c: Client): void {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(micros / 1e6)));
  c.reply.bulk(String(micros % 1e6));
}

// --------------------------------------------------------------- MONITOR

function monitor(c: Client): void {
  if (c.core.inExec) {
    c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  // A client already monitoring gets no reply at all, as in Redis.
  if (c.monitor) return;
  c.monitor = true;
  c.core.monitors.add(c);
  c.reply.ok();
}

// -------------------------------------------------------------- SHUTDOWN

function parseShutdown(argv: string[]): { request: ShutdownRequest; abort: boolean } | null {
  const request: ShutdownRequest = { save: undefined, now: false, force: false, reason: "user" };
  let abort = false;
  let save = false;
  let nosave = false;
  for (let i = 1; i < argv.length; i++) {
    switch (argv[i].toLowerCase()) {
      case "nosave":
        nosave = true;
        break;
      case "save":
        save = true;
        break;
      case "now":
        request.now = true;
        break;
      case "force":
        request.force = true;
        break;
      case "abort":
        abort = true;
        break;
      default:
        return null;
    }
  }
  const anyFlag = save || nosave || request.now || request.force;
  if ((abort && anyFlag) || (save && nosave)) return null;
  request.save = save ? "save" : nosave ? "nosave" : undefined;
  return { request, abort };
}

/** A wait on something asynchronous: no keys, no deadline, never served by a push. */
function asyncWait(c: Client): BlockedState {
  return { db: c.db, keys: [], deadline: 0, tryServe: () => false, onTimeout: () => {} };
}

/**
 * Blocks `c` until `work` settles, then lets `done` write the reply (with the
 * rejection reason, or null) and sends it. Nothing is written when the client
 * was unblocked or closed meanwhile.
 */
function waitFor<T>(c: Client, work: Promise<T>, done: (error: unknown, value?: T) => void): void {
  c.core.blocking.block(c, asyncWait(c));
  const finish = (error: unknown, value?: T) => {
    if (c.blocked === null) return;
    c.core.blocking.unblock(c);
    done(error, value);
    c.connection?.flushAsync();
  };
  work.then((value) => finish(null, value), (error) => finish(error ?? "failed"));
}

function shutdown(c: Client, argv: string[]): void {
  const parsed = parseShutdown(argv);
  if (parsed === null) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  // Without replicas there is never a shutdown waiting to be aborted.
  if (parsed.abort) {
    c.reply.error("ERR No shutdown in progress.");
    return;
  }
  const handler = c.core.shutdownHandler;
  if (handler === null) {
    c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
    return;
  }
  // On success the server is gone and so is the connection: nothing to reply.
  waitFor(c, handler(parsed.request), (error, refusal) => {
    if (error !== null) c.reply.error(`ERR Errors trying to SHUTDOWN. Check logs.`);
    else if (refusal) c.reply.error(refusal);
  });
}

// ---------------------------------------------------------------- CONFIG

/**
 * CONFIG GET: exact names reply under the name as typed, patterns match
 * canonical names and aliases alike (Redis 7.0 keeps aliases as entries of
 * their own). A name already in the reply, in any case, is not repeated.
 */
function configGet(c: Client, argv: string[]): void {
  const config = c.core.config;
  const found = new Map<string, [shown: string, spec: ConfigKeySpec]>();
  const add = (shown: string, spec: ConfigKeySpec) => {
    const key = shown.toLowerCase();
    if (!found.has(key)) found.set(key, [shown, spec]);
  };
  for (let i = 2; i < argv.length; i++) {
    const name = argv[i];
    if (!/[[*?]/.test(name)) {
      const spec = config.spec(name);
      if (spec !== undefined) add(name, spec);
      continue;
    }
    for (const spec of config.specs()) {
      if (!spec.hidden && globMatch(name, spec.name, true)) add(spec.name, spec);
    }
    for (const [alias, canonical] of config.aliases()) {
      const spec = config.spec(canonical)!;
      if (!spec.hidden && globMatch(name, alias, true)) add(alias, spec);
    }
  }
  c.reply.map(found.size);
  for (const [shown, spec] of found.values()) {
    c.reply.bulk(shown);
    c.reply.bulk(config.getText(spec.name));
  }
}

/** One `name value` pair of CONFIG SET, resolved. */
interface ConfigChange {
  /** The name as Redis reports it in errors: the canonical name or the alias used. */
  readonly shownName: string;
  readonly spec: ConfigKeySpec;
  readonly text: string;
}

function configSetError(name: string, why: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
}

/**
 * Resolves the names of CONFIG SET: unknown, immutable, protected, loading
 * and duplicate keys are refused before any value is looked at. Returns the
 * changes or the error reply (the first problem found, as Redis reports it).
 */
function resolveConfigSet(c: Client, argv: string[]): ConfigChange[] | string {
  const config = c.core.config;
  const changes: ConfigChange[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const spec = config.spec(argv[i]);
    if (spec === undefined) {
      return `ERR Unknown option or number of arguments for CONFIG SET - '${argv[i]}'`;
    }
    if (!spec.mutable) return configSetError(argv[i], "can't set immutable config");
    if (spec.protected && !protectedConfigAllowed(c)) {
      return configSetError(argv[i], "can't set protected config");
    }
    if (spec.denyLoading && c.core.loading) return LOADING;
    // An alias counts as a key of its own, as in Redis 7.0.
    const shownName = argv[i].toLowerCase();
    if (changes.some((ch) => ch.shownName === shownName)) {
      return configSetError(argv[i], "duplicate parameter");
    }
    changes.push({ shownName, spec, text: argv[i + 1] });
  }
  return changes;
}

function protectedConfigAllowed(c: Client): boolean {
  const config = c.core.config;
  if (config.spec("enable-protected-configs") === undefined) return false;
  const setting = config.getText("enable-protected-configs");
  return setting === "yes" || (setting === "local" && isLocalClient(c));
}

function isLocalClient(c: Client): boolean {
  return c.addr === "" || c.addr.startsWith("127.") || c.addr.startsWith("[::1]");
}

/**
 * CONFIG SET name value [name value ...]: every value is parsed before any is
 * applied, so a bad value leaves the configuration untouched. Each key whose
 * text form changed is announced with a `config.changed` event.
 */
function configSet(c: Client, argv: string[]): void {
  if (argv.length % 2 !== 0) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  const resolved = resolveConfigSet(c, argv);
  if (typeof resolved === "string") {
    c.reply.error(resolved);
    return;
  }
  const config = c.core.config;
  const parsed: unknown[] = [];
  for (const { shownName, spec, text } of resolved) {
    try {
      parsed.push(spec.parse(text, config.get(spec.name)));
    } catch (e) {
      const why = e instanceof ConfigValueError ? e.message : String(e);
      c.reply.error(configSetError(shownName, why));
      return;
    }
  }
  resolved.forEach(({ spec }, i) => {
    const previous = config.getText(spec.name);
    config.setValue(spec.name, parsed[i], "config-set");
    const value = config.getText(spec.name);
    if (value !== previous) c.core.bus.emit("config.changed", { key: spec.name, value, previous });
  });
  c.reply.ok();
}

function resetCommandStats(cmd: Command): void {
  const s = cmd.stats;
  s.calls =
    s.sampledUsec =
    s.sampledCalls =
    s.rejectedCalls =
    s.failedCalls =
      0;
  for (const sub of cmd.subcommands?.values() ?? []) resetCommandStats(sub);
}

function configResetStat(c: Client): void {
  const core = c.core;
  core.stats.reset();
  for (const cmd of core.commands.all()) resetCommandStats(cmd);
  resetInfoStats(core);
  c.reply.ok();
}

/**
 * CONFIG REWRITE writes the file asynchronously: the client waits blocked
 * (no keys, no deadline) and gets OK or Redis's error when the file is done.
 */
function configRewrite(c: Client): void {
  const config = c.core.config;
  const path = config.file;
  if (path === undefined) {
    c.reply.error("ERR The server is running without a config file");
    return;
  }
  if (c.core.inExec) {
    // A transaction's replies are written at once; this one would come later.
    c.reply.error("ERR CONFIG REWRITE cannot run inside a transaction in Cairn");
    return;
  }
  const log = c.core.log;
  waitFor(c, rewriteConfigFile(config, path), (error) => {
    if (error === null) {
      log.warning("CONFIG REWRITE executed with success.");
      c.reply.ok();
    } else {
      const why = systemErrorText(error);
      log.warning(`CONFIG REWRITE failed: ${why}`);
      c.reply.error(`ERR Rewriting config file: ${why}`);
    }
  });
}

/** The C library's wording for a file system error, as Redis prints `strerror`. */
function systemErrorText(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "No such file or directory";
  if (error instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "Is a directory";
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/ \(os error \d+\).*$/, "");
}

const CONFIG_HELP = [
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
];

const CONFIG_ADMIN = ["admin", "noscript", "loading", "stale"] as const;

const CONFIG_SUBCOMMANDS: readonly CommandSpec[] = [
  {
    name: "get",
    arity: -3,
    flags: CONFIG_ADMIN,
    group: "server",
    summary: "Returns the values of configuration parameters matching patterns",
    since: "2.0.0",
    handler: configGet,
  },
  {
    name: "set",
    arity: -4,
    flags: CONFIG_ADMIN,
    group: "server",
    summary: "Changes configuration parameters, all or none",
    since: "2.0.0",
    handler: configSet,
  },
  {
    name: "resetstat",
    arity: 2,
    flags: CONFIG_ADMIN,
    group: "server",
    summary: "Resets the statistics INFO reports",
    since: "2.0.0",
    handler: configResetStat,
  },
  {
    name: "rewrite",
    arity: 2,
    flags: CONFIG_ADMIN,
    group: "server",
    summary: "Writes the running configuration back to the config file",
    since: "2.8.0",
    handler: configRewrite,
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    summary: "Lists the CONFIG subcommands",
    since: "5.0.0",
    handler: (c, argv) => replyHelp(c, argv[0], CONFIG_HELP),
  },
];

// -------------------------------------------------------------- FUNCTION

// Cairn has no scripting engine: there are never any libraries.
function functionFlush(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(subcommandSyntaxError(argv));
    return;
  }
  if (argv.length === 3 && !["sync", "async"].includes(argv[2].toLowerCase())) {
    c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    return;
  }
  c.core.dirty++; // Redis counts it as a change, so it is propagated
  c.reply.ok();
}

function functionList(c: Client, argv: string[]): void {
  let withCode = false;
  let libraryName = false;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i].toLowerCase();
    if (!withCode && arg === "withcode") {
      withCode = true;
    } else if (!libraryName && arg === "libraryname") {
      if (i >= argv.length - 1) {
        c.reply.error("ERR library name argument was not given");
        return;
      }
      libraryName = true;
      i++;
    } else {
      c.reply.error(`ERR Unknown argument ${argv[i]}`);
      return;
    }
  }
  c.reply.array(0);
}

const FUNCTION_HELP = [
  "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
  "    Return general information on all the libraries (Cairn has none).",
  "FLUSH [ASYNC|SYNC]",
  "    Delete all the libraries.",
];

const FUNCTION_SUBCOMMANDS: readonly CommandSpec[] = [
  {
    name: "flush",
    arity: -2,
    flags: ["noscript", "write"],
    group: "scripting",
    summary: "Deletes every function library",
    since: "7.0.0",
    handler: functionFlush,
  },
  {
    name: "list",
    arity: -2,
    flags: ["noscript"],
    group: "scripting",
    summary: "Lists the function libraries",
    since: "7.0.0",
    handler: functionList,
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "scripting",
    summary: "Lists the FUNCTION subcommands",
    since: "7.0.0",
    handler: (c, argv) => replyHelp(c, argv[0], FUNCTION_HELP),
  },
];

// ------------------------------------------------------ LATENCY, SLOWLOG

// Neither latency events nor slow commands are recorded: both logs are
// always empty.
const LATENCY_HELP = [
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
];

const SLOWLOG_HELP = [
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
];

const LOG_FLAGS = ["admin", "noscript", "loading", "stale"] as const;

function logSub(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: (c: Client, argv: string[]) => void,
): CommandSpec {
  return { name, arity, flags: LOG_FLAGS, group: "server", summary, since, handler };
}

const LATENCY_SUBCOMMANDS: readonly CommandSpec[] = [
  logSub("latest", 2, "Returns the latest latency samples", "2.8.13", (c) => c.reply.array(0)),
  logSub("history", 3, "Returns an event's latency samples", "2.8.13", (c) => c.reply.array(0)),
  logSub("reset", -2, "Clears latency samples", "2.8.13", (c) => c.reply.integer(0)),
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    summary: "Lists the LATENCY subcommands",
    since: "2.8.13",
    handler: (c, argv) => replyHelp(c, argv[0], LATENCY_HELP),
  },
];

function slowlogGet(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    const n = Number(argv[2]);
    if (!/^-?\d+$/.test(argv[2]) || n < -1) {
      c.reply.error("ERR count should be greater than or equal to -1");
      return;
    }
  }
  c.reply.array(0);
}

// Unlike LATENCY's, SLOWLOG's subcommands may run from scripts (no noscript).
function slowlogSub(
  name: string,
  arity: number,
  summary: string,
  handler: (c: Client, argv: string[]) => void,
): CommandSpec {
  const flags = ["admin", "loading", "stale"] as const;
  return { name, arity, flags, group: "server", summary, since: "2.2.12", handler };
}

const SLOWLOG_SUBCOMMANDS: readonly CommandSpec[] = [
  slowlogSub("get", -2, "Returns the slow log's entries", slowlogGet),
  slowlogSub("len", 2, "Returns the number of slow log entries", (c) => c.reply.integer(0)),
  slowlogSub("reset", 2, "Clears the slow log", (c) => c.reply.ok()),
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    summary: "Lists the SLOWLOG subcommands",
    since: "6.2.0",
    handler: (c, argv) => replyHelp(c, argv[0], SLOWLOG_HELP),
  },
];

// ------------------------------------------------------------- the table

/** The server commands. */
export const SERVER_COMMANDS: readonly CommandSpec[] = [
  {
    name: "command",
    arity: -1,
    flags: ["loading", "stale"],
    group: "server",
    summary: "Describes the commands of the server",
    since: "2.8.13",
    subcommands: COMMAND_SUBCOMMANDS,
    // Without a subcommand, COMMAND describes every command.
    handler: (c) => {
      const commands = [...c.core.commands.all()];
      c.reply.array(commands.length);
      for (const cmd of commands) replyCommandInfo(c, cmd);
    },
  },
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    group: "server",
    summary: "Reports information and statistics about the server",
    since: "1.0.0",
    handler: info,
  },
  {
    name: "config",
    arity: -2,
    flags: [],
    group: "server",
    summary: "Reads and changes the configuration",
    since: "2.0.0",
    subcommands: CONFIG_SUBCOMMANDS,
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    group: "server",
    summary: "Returns the server time in seconds and microseconds",
    since: "2.6.0",
    handler: time,
  },
  {
    name: "monitor",
    arity: 1,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    summary: "Streams every command the server runs",
    since: "1.0.0",
    handler: monitor,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    group: "server",
    summary: "Saves (depending on options) and stops the server",
    since: "1.0.0",
    handler: shutdown,
  },
  {
    name: "function",
    arity: -2,
    flags: [],
    group: "scripting",
    summary: "Manages function libraries",
    since: "7.0.0",
    subcommands: FUNCTION_SUBCOMMANDS,
  },
  {
    name: "latency",
    arity: -2,
    flags: [],
    group: "server",
    summary: "Reports latency events (none are recorded)",
    since: "2.8.13",
    subcommands: LATENCY_SUBCOMMANDS,
  },
  {
    name: "slowlog",
    arity: -2,
    flags: [],
    group: "server",
    summary: "Reports slow commands (none are recorded)",
    since: "2.2.12",
    subcommands: SLOWLOG_SUBCOMMANDS,
  },
];
