/**
 * The periodic tick (Redis's `serverCron`), `hz` times a second: active
 * expiry, idle client timeouts, and the `cron` event plugins use for save
 * points, everysec fsync and automatic rewrites.
 *
 * @module
 */

import type { Core } from "../core/core.ts";
import { ActiveExpirer } from "../core/keyspace/active_expire.ts";
import { refreshLruClock } from "../core/keyspace/lru_clock.ts";

/** Runs the tick while started. */
export class Cron {
  readonly #core: Core;
  readonly #expirer = new ActiveExpirer();
  #timer: ReturnType<typeof setInterval> | null = null;
  #hz = 0;
  #unsubscribe: (() => void) | null = null;

  /** Creates the tick for `core`; call {@link start}. */
  constructor(core: Core) {
    this.#core = core;
  }

  /** Starts ticking at the configured `hz`, following later CONFIG SET changes. */
  start(): void {
    this.#schedule();
    this.#unsubscribe = this.#core.config.onChange((key) => {
      if (key === "hz" && this.#timer !== null) this.#schedule();
    });
  }

  /** Stops ticking. */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #schedule(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#hz = this.#core.config.get<number>("hz");
    this.#timer = setInterval(() => this.tick(), Math.max(1, Math.floor(1000 / this.#hz)));
  }

  /** One tick; public so tests can drive it without waiting. */
  tick(): void {
    const core = this.#core;
    if (core.cronPaused || core.loading) return;
    const now = Date.now();
    // CLIENT PAUSE keeps the dataset still: no active expiry (Redis does the same).
    if (core.activeExpireEnabled && !core.clientPause.active) {
      // A quarter of the tick, as Redis's slow cycle (ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC 25).
      this.#expirer.run(core.dbs, 250 / this.#hz);
    }
    refreshLruClock(now);
    this.#closeIdleClients(now);
    core.bus.emit("cron", { now });
  }

  #closeIdleClients(now: number): void {
    const timeout = this.#core.config.get<number>("timeout");
    if (timeout === 0) return;
    for (const client of this.#core.clients.values()) {
      if (client.blocked !== null || client.monitor) continue;
      if (now - client.lastInteraction > timeout * 1000) {
        this.#core.log.verbose("Closing idle client");
        client.connection?.close();
      }
    }
  }
}
