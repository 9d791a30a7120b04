/**
 * The rewrite bookkeeping both AOF layouts share, with Redis's rules:
 * BGREWRITEAOF's answers (already running, scheduled behind another
 * background job or a transaction, started), the cron starting a scheduled
 * rewrite, the growth rule (`auto-aof-rewrite-percentage` of growth over the
 * size after the last rewrite, above `auto-aof-rewrite-min-size`) with its
 * back-off after failures, and the INFO fields reporting all of it.
 *
 * The layouts differ only in how a rewrite starts and ends (a temporary file
 * renamed over the single AOF, or a new base and incr file under a
 * manifest), so they pass their own `start` in.
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { Config } from "../../core/config/config.ts";
import type { Logger } from "../../core/log.ts";
import type { AofRewriteRequest } from "./aof_commands.ts";
import type { AofInfoState, AofRewriteProgress } from "./aof_info.ts";
import type { AofRewriteOutcome } from "./events.ts";
import { RewriteLimiter } from "./rewrite_limit.ts";

/** Starts a rewrite; returns null, or why it could not start. */
export type StartRewrite = () => string | null;

/** The rewrites of one AOF: the running one, the scheduled one, and how the last ones went. */
export class AofRewriteStatus<R extends AofRewriteProgress> {
  /** The running rewrite, or null. */
  running: R | null = null;
  /** A rewrite waits for the job slot (INFO aof_rewrite_scheduled). */
  scheduled = false;
  /** Rewrites started (INFO aof_rewrites). */
  started = 0;
  /** Failed rewrites in a row (INFO aof_rewrites_consecutive_failures). */
  consecutiveFailures = 0;
  /** The last rewrite succeeded, or none ran (INFO aof_last_bgrewrite_status). */
  lastOk = true;
  /** Duration of the last rewrite in seconds, or -1 (INFO aof_last_rewrite_time_sec). */
  lastSeconds = -1;
  /** Size after the last rewrite or load: the growth rule's base (INFO aof_base_size). */
  baseSize = 0;
  readonly #log: Logger;
  readonly #limiter: RewriteLimiter;

  /** `limiter` is the back-off after failures (tests inject one with a clock). */
  constructor(log: Logger, limiter = new RewriteLimiter()) {
    this.#log = log;
    this.#limiter = limiter;
  }

  /** BGREWRITEAOF (Redis's `bgrewriteaofCommand`). */
  request(core: Core, start: StartRewrite): AofRewriteRequest {
    if (this.running !== null) return "in-progress";
    if (core.jobs.running !== null || core.inExec) {
      this.scheduled = true;
      // A manual request lifts the rate limit.
      this.consecutiveFailures = 0;
      return "scheduled";
    }
    return start() === null ? "started" : "failed";
  }

  /** Records that `rewrite` started. */
  begin(rewrite: R): void {
    this.running = rewrite;
    this.scheduled = false;
    this.started++;
    this.#log.notice("Background append only file rewriting started");
  }

  /** Records a rewrite that could not start; returns `reason`. */
  failedToStart(reason: string): string {
    this.lastOk = false;
    return reason;
  }

  /** Records the end of `rewrite` ("killed" counts neither as success nor as failure). */
  end(rewrite: R, outcome: AofRewriteOutcome): void {
    if (this.running === rewrite) this.running = null;
    this.lastSeconds = Math.floor((Date.now() - rewrite.startedAt) / 1000);
    if (outcome === "ok") {
      this.lastOk = true;
      this.consecutiveFailures = 0;
    } else if (outcome === "err") {
      this.lastOk = false;
      this.consecutiveFailures++;
    }
  }

  /**
   * The cron's part (`serverCron`): with no background job running, a
   * scheduled rewrite starts unless the back-off holds it; then the growth
   * rule is checked against `size`, the AOF's current size while it is on
   * (null while it is not).
   */
  cron(core: Core, config: Config, size: number | null, start: StartRewrite): void {
    if (this.running !== null || core.jobs.running !== null) return;
    if (this.scheduled && !this.#limited()) {
      start();
      return;
    }
    if (size === null) return;
    const percentage = config.get<number>("auto-aof-rewrite-percentage");
    const minSize = config.get<number>("auto-aof-rewrite-min-size");
    if (percentage === 0 || size <= minSize) return;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    const growth = Math.floor(size * 100 / base) - 100;
    if (growth >= percentage && !this.#limited()) {
      this.#log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
      start();
    }
  }

  /** The INFO fields about rewrites. */
  info(): RewriteInfo {
    return {
      rewrite: this.running,
      rewriteScheduled: this.scheduled,
      lastRewriteSeconds: this.lastSeconds,
      lastRewriteOk: this.lastOk,
      rewrites: this.started,
      consecutiveFailures: this.consecutiveFailures,
      baseSize: this.baseSize,
    };
  }

  /** Redis's `aofRewriteLimited`: after repeated failures, automatic rewrites back off. */
  #limited(): boolean {
    return this.#limiter.limited(this.consecutiveFailures, this.#log);
  }
}

/** The part of {@link AofInfoState} that {@link AofRewriteStatus.info} fills. */
export type RewriteInfo = Pick<
  AofInfoState,
  | "rewrite"
  | "rewriteScheduled"
  | "lastRewriteSeconds"
  | "lastRewriteOk"
  | "rewrites"
  | "consecutiveFailures"
  | "baseSize"
>;
