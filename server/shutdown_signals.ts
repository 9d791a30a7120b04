/**
 * SIGTERM and SIGINT, as Redis 7.0 handles them. A signal asks for the
 * SHUTDOWN flags configured in `shutdown-on-sigterm` and
 * `shutdown-on-sigint` (Redis's serverCron passes them to
 * `prepareForShutdown`); `default` (no flag) behaves as a plain SHUTDOWN:
 * save when save points exist. A second SIGINT while that shutdown runs
 * exits at once with status 1. One limit: the final SAVE blocks the thread,
 * so a signal that arrives during it is handled when it ends (Redis's
 * handler interrupts the save).
 *
 * @module
 */

import type { Config } from "../core/config/config.ts";
import type { ShutdownRequest } from "../core/core.ts";
import type { Logger } from "../core/log.ts";
import { rdbPaths } from "../plugins/rdb-snapshot/files.ts";

/** The signals the server shuts down on. */
export type ShutdownSignal = "SIGTERM" | "SIGINT";

/** The SHUTDOWN request `signal` makes, read from the configuration when it arrives. */
export function signalShutdownRequest(config: Config, signal: ShutdownSignal): ShutdownRequest {
  const key = signal === "SIGTERM" ? "shutdown-on-sigterm" : "shutdown-on-sigint";
  const flags = config.get<readonly string[]>(key);
  return {
    // The key refuses "save" together with "nosave", as SHUTDOWN does.
    save: flags.includes("save") ? "save" : flags.includes("nosave") ? "nosave" : undefined,
    now: flags.includes("now"),
    force: flags.includes("force"),
    reason: signal,
  };
}

/**
 * Installs the SIGTERM and SIGINT handlers of a server whose `shutdown` runs
 * a SHUTDOWN; returns a function that removes them.
 */
export function installShutdownSignals(
  shutdown: (r: Partial<ShutdownRequest>) => Promise<string | null>,
  config: Config,
  log: Logger,
  isLoading: () => boolean,
): () => void {
  let pending = false; // a signal's shutdown is under way
  const handlers: [Deno.Signal, () => void][] = (["SIGTERM", "SIGINT"] as const).map((sig) => [
    sig,
    () => {
      // Redis 7.0's signal handler: a second SIGINT (Ctrl+C again) while the
      // shutdown runs means quit now, without persisting anything.
      if (pending && sig === "SIGINT") {
        log.warning("You insist... exiting now.");
        removeTempRdb(config);
        Deno.exit(1);
      }
      // Redis 7.0's signal handler and serverCron: the shutdown's own lines
      // follow; only a failure while loading gets the extra line below.
      const loading = isLoading();
      log.warning(
        loading
          ? "Received shutdown signal during loading, scheduling shutdown."
          : `Received ${sig} scheduling shutdown...`,
      );
      if (pending) return; // a SIGTERM during the shutdown changes nothing
      pending = true;
      // shutdown-on-sigterm / shutdown-on-sigint, as they are when the signal comes.
      void shutdown(signalShutdownRequest(config, sig)).then((err) => {
        pending = false; // failed (and cancelled), or done
        if (err !== null && loading) {
          log.warning(
            "SIGTERM received but errors trying to shut down the server, check the logs for more information",
          );
        }
      });
    },
  ]);
  for (const [sig, fn] of handlers) Deno.addSignalListener(sig, fn);
  return () => {
    for (const [sig, fn] of handlers) Deno.removeSignalListener(sig, fn);
  };
}

/** Removes the RDB file a save may have left half written (`rdbRemoveTempFile`). */
function removeTempRdb(config: Config): void {
  try {
    Deno.removeSync(rdbPaths(config).temp);
  } catch {
    // none
  }
}
