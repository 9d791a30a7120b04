/**
 * Starting and stopping a server: the embedding API behind `mod.ts` and
 * `main.ts`.
 *
 * Startup, in order (logged like Redis's):
 * 1. Build the configuration and the core; register commands.
 * 2. Set up the plugins (in order).
 * 3. Listen on every `bind` address (a port that is taken fails here).
 * 4. Load the dataset through the plugins' recovery, while clients that
 *    connect get `-LOADING`.
 * 5. Start the cron, call the plugins' `ready`, log "Ready to accept connections".
 *
 * Shutdown (SHUTDOWN, SIGTERM/SIGINT, or {@link CairnServer.shutdown}): the
 * plugins' `shutdown` steps run in reverse order and may refuse unless
 * forced; then listeners and connections close and the plugins' `close`
 * steps run.
 *
 * @module
 */

import { Core, errorText, type ShutdownRequest } from "../core/core.ts";
import { Config } from "../core/config/config.ts";
import { CORE_CONFIG_KEYS } from "../core/config/keys.ts";
import { fileSink, Logger, type LogLevel, type LogSink, stdoutSink } from "../core/log.ts";
import type { CairnPlugin } from "../core/plugin.ts";
import { BUILTIN_COMMANDS, BUILTIN_DEBUG_SUBCOMMANDS } from "../core/commands/mod.ts";
import { PluginHost } from "./plugin_host.ts";
import { registerBuiltinExtensions } from "./builtin_extensions.ts";
import { defaultPlugins } from "../plugins/mod.ts";
import { Connection } from "./connection.ts";
import { Cron } from "./cron.ts";
import { VERSION } from "../core/version.ts";
import { installInfoSampler } from "../core/info.ts";
import { installShutdownSignals } from "./shutdown_signals.ts";

/** How to start a server. */
export interface StartServerOptions {
  /**
   * The configuration: a {@link Config}, or values by redis.conf name in TOML
   * form (`{ port: 0, save: "", appendonly: true }`).
   */
  config?: Config | Record<string, unknown>;
  /** Overrides `port`; 0 lets the system pick a free port (read it from `port`). */
  port?: number;
  /** Plugins to run. Default: the persistence plugins the configuration asks for. */
  plugins?: readonly CairnPlugin[];
  /** Plugins to run after those of `plugins` (the ones the `plugins` config key names). */
  extraPlugins?: readonly CairnPlugin[];
  /** Where log lines go. Default: `logfile` when set, else stdout. */
  logSink?: LogSink;
  /** Treat SIGTERM and SIGINT as SHUTDOWN, as redis-server does. Default false. */
  handleSignals?: boolean;
  /**
   * Called with the actual port once the server listens, before it loads its
   * data: clients may connect from then on (they get -LOADING until the load
   * ends, when `startServer` resolves).
   */
  onListening?: (port: number) => void;
}

/** A running server. */
export interface CairnServer {
  /** The dataset and bookkeeping. */
  readonly core: Core;
  /** Port of the first listener (the actual one when 0 was asked). */
  readonly port: number;
  /** Address of the first listener. */
  readonly hostname: string;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  /**
   * Shuts down like SHUTDOWN: returns null once stopped, or the error text
   * when a plugin refused (the server then keeps running).
   */
  shutdown(request?: Partial<ShutdownRequest>): Promise<string | null>;
  /** Stops at once without saving (SHUTDOWN NOSAVE FORCE). */
  close(): Promise<void>;
  /** Runs one cron tick now (active expiry, the `cron` event): lets tests avoid waiting. */
  tick(): void;
  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds a {@link Config} holding the server's keys, set from TOML-style values. */
export function buildConfig(values: Record<string, unknown> = {}): Config {
  const config = new Config(CORE_CONFIG_KEYS);
  for (const [name, value] of Object.entries(values)) config.setToml(name, value, "embedder");
  return config;
}

const STOPPED: unique symbol = Symbol("stopped during loading");

/** Starts a server and resolves once it accepts connections (or has stopped, on a signal during loading). */
export async function startServer(options: StartServerOptions = {}): Promise<CairnServer> {
  const config = options.config instanceof Config ? options.config : buildConfig(options.config);
  if (options.port !== undefined) config.setValue("port", options.port, "embedder");
  const logfile = config.get<string>("logfile");
  const log = new Logger(
    config.get<LogLevel>("loglevel"),
    options.logSink ?? (logfile === "" ? stdoutSink : fileSink(logfile)),
  );
  config.onChange((key, value) => {
    if (key === "loglevel") log.level = value as LogLevel;
  });
  log.warning("oO0OoO0OoO0Oo Cairn is starting oO0OoO0OoO0Oo");
  log.warning(
    `Cairn version=${VERSION}, redis_version=7.0.15, bits=64, pid=${Deno.pid}, just started`,
  );
  log.warning("Configuration loaded");
  config.setWarningSink((message) => log.warning(message));

  const core = new Core(config, log);
  core.commands.register(BUILTIN_COMMANDS);
  core.addDebugSubcommands(BUILTIN_DEBUG_SUBCOMMANDS);
  registerBuiltinExtensions(core);
  installInfoSampler(core);
  const host = new PluginHost(core);
  const plugins = [...(options.plugins ?? defaultPlugins(config)), ...(options.extraPlugins ?? [])];
  host.registerConfig(plugins);
  await host.setup(plugins);

  const listeners = listen(core, log);
  const port = (listeners[0].addr as Deno.NetAddr).port;
  log.notice(`Cairn ${VERSION} running in standalone mode, Port: ${port}, PID: ${Deno.pid}`);
  log.warning("Server initialized");
  options.onListening?.(port);

  const connections = new Set<Connection>();
  const accepting = listeners.map((l) => acceptLoop(core, l, connections));
  const cron = new Cron(core);
  let stopped = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => (resolveFinished = r));

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    cron.stop();
    core.clientPause.dispose();
    for (const l of listeners) {
      try {
        l.close();
      } catch {
        // already closed
      }
    }
    for (const c of [...connections]) c.close();
    await Promise.allSettled(accepting);
    await host.close();
    removeSignals();
    log.warning("Cairn is now ready to exit, bye bye...");
    resolveFinished();
  }

  async function shutdown(partial: Partial<ShutdownRequest> = {}): Promise<string | null> {
    const request: ShutdownRequest = {
      save: partial.save,
      now: partial.now ?? false,
      force: partial.force ?? false,
      reason: partial.reason ?? "user",
    };
    if (stopped) return null;
    // Redis's prepareForShutdown logs this for signals too, after the handler's own line.
    log.warning("User requested shutdown...");
    const failure = await host.shutdown(request);
    if (failure !== null && !request.force) {
      log.warning(failure.message);
      log.warning("Errors trying to shut down the server. Check the logs for more information.");
      return "ERR Errors trying to SHUTDOWN. Check logs.";
    }
    await stop();
    return null;
  }
  core.shutdownHandler = shutdown;

  const removeSignals = options.handleSignals
    ? installShutdownSignals(shutdown, config, log, () => core.loading)
    : () => {};

  const handle: CairnServer = {
    core,
    port,
    hostname: (listeners[0].addr as Deno.NetAddr).hostname,
    finished,
    shutdown,
    close,
    tick: () => cron.tick(),
    [Symbol.asyncDispose]: close,
  };

  const started = performance.now();
  core.loading = true;
  let loadedBy: string | null | typeof STOPPED;
  try {
    // A signal during loading stops the server at once, as in Redis; the
    // interrupted load is left to finish unobserved (nothing is served),
    // and so is its failure.
    const recovering = host.recover();
    recovering.catch(() => {});
    loadedBy = await Promise.race([recovering, finished.then((): typeof STOPPED => STOPPED)]);
  } catch (e) {
    log.warning(`Fatal error loading the DB: ${errorText(e)}. Exiting.`);
    await stop();
    throw e;
  } finally {
    core.loading = false;
  }
  if (loadedBy === STOPPED) return handle;
  if (loadedBy !== null) {
    log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  }
  cron.start();
  await host.ready();
  log.notice("Ready to accept connections tcp");
  return handle;

  async function close(): Promise<void> {
    if (stopped) return;
    await host.shutdown({ save: "nosave", now: true, force: true, reason: "user" });
    await stop();
  }
}

/** Opens a listener per `bind` address. A leading `-` marks an address that may be unavailable. */
function listen(core: Core, log: Logger): Deno.TcpListener[] {
  const port = core.config.get<number>("port");
  const listeners: Deno.TcpListener[] = [];
  for (const entry of core.config.get<string[]>("bind")) {
    const optional = entry.startsWith("-");
    const hostname = optional ? entry.slice(1) : entry;
    try {
      listeners.push(
        Deno.listen({
          hostname: hostname === "*" ? "0.0.0.0" : hostname,
          port: port === 0 && listeners.length > 0
            ? (listeners[0].addr as Deno.NetAddr).port
            : port,
        }),
      );
    } catch (e) {
      if (optional && e instanceof Deno.errors.AddrNotAvailable) continue;
      for (const l of listeners) l.close();
      log.warning(
        `Warning: Could not create server TCP listening socket ${hostname}:${port}: ${
          errorText(e)
        }`,
      );
      log.warning(`Failed listening on port ${port} (TCP), aborting.`);
      throw new Error(`Failed listening on port ${port} (TCP): ${errorText(e)}`);
    }
  }
  if (listeners.length === 0) {
    log.warning(`Failed listening on port ${port} (TCP), aborting.`);
    throw new Error(`Failed listening on port ${port} (TCP): no bind address is available`);
  }
  return listeners;
}

async function acceptLoop(core: Core, listener: Deno.TcpListener, connections: Set<Connection>) {
  while (true) {
    let conn: Deno.TcpConn;
    try {
      conn = await listener.accept();
    } catch {
      return; // listener closed
    }
    core.stats.connectionsReceived++;
    if (core.clients.size >= core.config.get<number>("maxclients")) {
      core.stats.rejectedConnections++;
      void rejectConnection(conn);
      continue;
    }
    conn.setNoDelay(true);
    const connection = new Connection(core, conn, (c) => connections.delete(c));
    connections.add(connection);
    void connection.run().catch((e) => {
      core.log.warning(`Client ${connection.client.addr} failed: ${errorText(e)}`);
    });
  }
}

async function rejectConnection(conn: Deno.TcpConn): Promise<void> {
  try {
    await conn.write(new TextEncoder().encode("-ERR max number of clients reached\r\n"));
  } catch {
    // the client is gone
  } finally {
    conn.close();
  }
}
