/**
 * The events AOF plugins emit, shared so that a listener (a test, a
 * monitoring plugin) need not know which layout runs. View the bus with
 * `ctx.bus.typed<AofEvents>()`.
 *
 * @module
 */

import type { ServerEvents } from "../../core/events.ts";

/** How a rewrite ended: switched to the new files, failed, or was killed. */
export type AofRewriteOutcome = "ok" | "err" | "killed";

/** Events of the AOF plugins. */
export interface AofEvents extends ServerEvents {
  /** A rewrite ended (after the switch to the new files, when it succeeded). */
  "aof.rewrite.done": { outcome: AofRewriteOutcome };
}
