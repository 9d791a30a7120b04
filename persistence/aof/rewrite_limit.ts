/**
 * Redis's back-off for automatic AOF rewrites (`aofRewriteLimited`): after
 * three failures in a row, an automatic rewrite waits 1 minute, then 2, 4,
 * ... up to 60 minutes between attempts. BGREWRITEAOF is never limited.
 *
 * @module
 */

import type { Logger } from "../../core/log.ts";

/** Failures in a row after which automatic rewrites are limited (AOF_REWRITE_LIMITE_THRESHOLD). */
const LIMIT_THRESHOLD = 3;
/** Longest delay between limited rewrites, in minutes. */
const LIMIT_MAX_MINUTES = 60;

/** The back-off state of one AOF. */
export class RewriteLimiter {
  #delayMinutes = 0;
  #until = 0;
  readonly #now: () => number;

  /** `now` returns Unix milliseconds (tests may inject a clock). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True when an automatic rewrite must wait, given the failures in a row so far. */
  limited(consecutiveFailures: number, log: Logger): boolean {
    if (consecutiveFailures < LIMIT_THRESHOLD) {
      this.#delayMinutes = 0;
      this.#until = 0;
      return false;
    }
    const now = Math.floor(this.#now() / 1000);
    if (this.#until !== 0) {
      if (now < this.#until) return true;
      this.#until = 0;
      return false;
    }
    this.#delayMinutes = Math.min(
      this.#delayMinutes === 0 ? 1 : this.#delayMinutes * 2,
      LIMIT_MAX_MINUTES,
    );
    this.#until = now + this.#delayMinutes * 60;
    log.warning(
      "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in " +
        `${this.#delayMinutes} minutes`,
    );
    return true;
  }
}
