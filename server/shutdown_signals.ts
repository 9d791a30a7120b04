/**
 * What SIGTERM and SIGINT ask for: the SHUTDOWN flags configured in
 * `shutdown-on-sigterm` and `shutdown-on-sigint` (Redis 7.0's serverCron
 * passes them to `prepareForShutdown`). `default` (no flag) behaves as a
 * plain SHUTDOWN: save when save points exist.
 *
 * @module
 */

import type { Config } from "../core/config/config.ts";
import type { ShutdownRequest } from "../core/core.ts";

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
