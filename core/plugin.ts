/**
 * The plugin contract: what a persistence plugin (or any other) declares and
 * what it receives.
 *
 * A plugin is a plain object with a name and a `setup` function. The server
 * calls every plugin's `setup` in order, before loading data and before
 * listening. `setup` subscribes to events, registers commands, INFO fields
 * and durability sinks through the {@link PluginContext}, and returns a
 * {@link PluginHandle} with the lifecycle steps it takes part in:
 *
 * 1. `recover`: startup loading. Plugins that can load data are asked in
 *    decreasing `priority`; the first that answers `"loaded"` wins and the
 *    others are not asked (Redis's rule: the AOF wins over the RDB when
 *    `appendonly yes`). A plugin answering `"empty"` owns the dataset but
 *    found nothing: the server starts empty and the others are not asked
 *    either (Redis 7.0 with `appendonly yes` and no AOF ignores dump.rdb).
 *    No events fire while loading.
 * 2. `ready`: the dataset is loaded; the server is about to listen.
 * 3. `shutdown`: awaited, in reverse order of setup. Throwing refuses the
 *    shutdown (SHUTDOWN replies with an error) unless it was forced.
 * 4. `close`: last call, after shutdown or when the embedder stops the
 *    server; release files and timers.
 *
 * @module
 */

import type { Core, InfoProvider, ShutdownRequest } from "./core.ts";
import type { CommandSpec } from "./command.ts";
import type { ConfigKeySpec } from "./config/spec.ts";
import type { EventBus } from "./bus.ts";
import type { ServerEvents } from "./events.ts";
import type { Config } from "./config/config.ts";
import type { Logger } from "./log.ts";
import type { DurableSink } from "./durability.ts";

/** A plugin. */
export interface CairnPlugin {
  /** Unique name, e.g. `rdb-snapshot`. */
  readonly name: string;
  /** Configuration keys the plugin adds (keys Redis itself has are already registered). */
  readonly config?: readonly ConfigKeySpec[];
  /** Called once at start; see the module documentation. */
  setup(ctx: PluginContext): PluginHandle | void | Promise<PluginHandle | void>;
}

/** What a plugin receives at setup. */
export interface PluginContext {
  /** The core: databases, counters, command table. */
  readonly core: Core;
  /** The event bus (`write`, `cron`, `config.changed`, ...). */
  readonly bus: EventBus<ServerEvents>;
  /** The configuration. */
  readonly config: Config;
  /** The server's logger. */
  readonly log: Logger;
  /** Adds commands; a name may have only one owner. */
  registerCommands(specs: readonly CommandSpec[]): void;
  /** Adds fields to an INFO section (`persistence`, ...). */
  addInfo(section: string, provider: InfoProvider): void;
  /** Holds replies until this sink reports their writes durable. Returns an unregister function. */
  addDurableSink(sink: DurableSink): () => void;
  /** Refuses write commands (and PING) while `guard` returns an error text (MISCONF). */
  addWriteGuard(guard: () => string | null): void;
  /**
   * Offers a named capability to other plugins (e.g. `aof.base-format.rdb`).
   * Plugins meet through capabilities and events, never through each other's
   * modules. A name may be provided once.
   */
  provide<T>(capability: string, implementation: T): void;
  /** The implementation of a capability, or undefined when no plugin provides it. */
  use<T>(capability: string): T | undefined;
}

/**
 * Outcome of a recovery attempt: `loaded` (data loaded, stop asking),
 * `empty` (this plugin owns the dataset and there was nothing to load: start
 * empty, stop asking), `absent` (not this plugin's business: ask the next).
 */
export type RecoveryResult = "loaded" | "empty" | "absent";

/** Startup loading offered by a plugin. */
export interface RecoveryProvider {
  /** Higher is asked first. */
  readonly priority: number;
  /** Loads the dataset into `core` if this plugin's files apply; says whether it did. */
  load(): Promise<RecoveryResult>;
}

/** The lifecycle steps a plugin takes part in. All are optional. */
export interface PluginHandle {
  /** Startup loading. */
  recover?: RecoveryProvider;
  /** The dataset is loaded; called in setup order before the server listens. */
  ready?(): void | Promise<void>;
  /** The server is shutting down; throw to refuse (unless `request.force`). */
  shutdown?(request: ShutdownRequest): void | Promise<void>;
  /** Release resources; called in reverse setup order when the server stops. */
  close?(): void | Promise<void>;
}

/** Declares a plugin with its type checked; returns it unchanged. */
export function definePlugin(plugin: CairnPlugin): CairnPlugin {
  return plugin;
}
