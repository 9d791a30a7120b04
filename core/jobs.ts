/**
 * The background job slot: at most one snapshot-based job (BGSAVE, an AOF
 * rewrite) runs at a time, as Redis allows one fork child at a time.
 *
 * Redis's rules built on that, which the persistence plugins follow:
 * BGREWRITEAOF during a BGSAVE is *scheduled* and starts when the slot frees;
 * BGSAVE during a rewrite is refused unless SCHEDULE is given; SAVE refuses
 * while a BGSAVE runs. A plugin that must wait remembers the scheduled work
 * and starts it from the `cron` event once the slot is free.
 *
 * @module
 */

/** Kinds of background jobs. */
export type JobKind = "rdb" | "aof-rewrite" | "other";

/** A running job. */
export interface RunningJob {
  /** What it is. */
  readonly kind: JobKind;
  /** Which plugin runs it. */
  readonly owner: string;
  /** Unix ms when it started. */
  readonly startedAt: number;
  /** Asks the job to stop early (FLUSHALL kills a BGSAVE, SHUTDOWN kills both). */
  readonly abort: () => void;
}

/** The single background job slot of a server. */
export class JobSlot {
  #running: RunningJob | null = null;
  #started = 0;

  /** The running job, or null. */
  get running(): RunningJob | null {
    return this.#running;
  }

  /** Number of jobs started since the server started (INFO's `total_forks` counterpart). */
  get startedCount(): number {
    return this.#started;
  }

  /** Takes the slot; returns false when a job already runs. */
  tryStart(kind: JobKind, owner: string, abort: () => void): boolean {
    if (this.#running !== null) return false;
    this.#running = { kind, owner, startedAt: Date.now(), abort };
    this.#started++;
    return true;
  }

  /** Frees the slot (the job ended, successfully or not). */
  finish(kind: JobKind): void {
    if (this.#running?.kind === kind) this.#running = null;
  }

  /** Aborts the running job, if any. */
  abortRunning(): void {
    this.#running?.abort();
  }
}
