/**
 * Cairn: a Redis-compatible server for Deno whose persistence is a set of plugins.
 *
 * Embed a server:
 *
 * ```ts
 * import { startServer } from "./mod.ts";
 * const server = await startServer({ config: { port: 0, save: "" } });
 * console.log(server.port);
 * await server.close();
 * ```
 *
 * Write a plugin: see {@link definePlugin}, {@link CairnPlugin} and docs/plugins.md.
 *
 * @module
 */

export { buildConfig, startServer } from "./server/server.ts";
export type { CairnServer, StartServerOptions } from "./server/server.ts";

export { definePlugin } from "./core/plugin.ts";
export type {
  CairnPlugin,
  PluginContext,
  PluginHandle,
  RecoveryProvider,
  RecoveryResult,
} from "./core/plugin.ts";

export { EventBus } from "./core/bus.ts";
export type { Listener } from "./core/bus.ts";
export type {
  ConfigChangedEvent,
  CronEvent,
  DatasetReplacedEvent,
  PropagatedOp,
  ServerEvents,
  WriteEvent,
} from "./core/events.ts";

export type { Core, InfoProvider, ShutdownRequest } from "./core/core.ts";
export type { Client } from "./core/client.ts";
export type { CommandFlagName, CommandHandler, CommandSpec } from "./core/command.ts";
export type { Db } from "./core/keyspace/db.ts";
export type { Value, ValueType } from "./core/values/value.ts";
export type { DurableSink } from "./core/durability.ts";

export { Config, ConfigError } from "./core/config/config.ts";
export type { ConfigKeySpec, ConfigSource } from "./core/config/spec.ts";
export { boolKey, ConfigValueError, enumKey, intKey, stringKey } from "./core/config/spec.ts";

export { Logger, MemorySink } from "./core/log.ts";
export type { LogLevel, LogSink } from "./core/log.ts";

export { byteStringToUtf8, decodeLatin1, latin1Bytes, utf8ToByteString } from "./core/bytes.ts";
