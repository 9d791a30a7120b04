/**
 * The active expire cycle: finds keys whose TTL passed and nobody reads.
 *
 * Lazy expiry only reclaims keys that are accessed. Like Redis's
 * `activeExpireCycle`, this runs on every cron tick with a time budget (a
 * quarter of the tick) and walks the volatile keys incrementally, resuming
 * where it stopped, so expired keys do not pile up and no tick runs long.
 * Each deletion goes through `Db.expireIfNeeded`, which propagates it as its
 * own DEL.
 *
 * @module
 */

import type { Db } from "./db.ts";

/** How many keys to check between two looks at the clock. */
const KEYS_PER_CLOCK_CHECK = 64;

/** Resumable walk over the volatile keys of all databases. */
export class ActiveExpirer {
  #dbIndex = 0;
  #shardIndex = 0;
  #keys: Iterator<string> | null = null;

  /**
   * Checks volatile keys, one database after the other, until `budgetMs` has
   * passed or each database was visited once; returns the number of keys
   * deleted. The next run resumes where this one stopped.
   */
  run(dbs: readonly Db[], budgetMs: number): number {
    const deadline = performance.now() + budgetMs;
    let deleted = 0;
    for (let visited = 0; visited < dbs.length; visited++) {
      const db = dbs[this.#dbIndex % dbs.length];
      if (db.table.volatileCount > 0) {
        const result = this.#walkDb(db, deadline);
        deleted += result.deleted;
        if (!result.finished) return deleted;
      }
      this.#dbIndex = (this.#dbIndex + 1) % dbs.length;
      this.#shardIndex = 0;
      this.#keys = null;
    }
    return deleted;
  }

  /** Walks `db` from the saved position to its end, or until the deadline. */
  #walkDb(db: Db, deadline: number): { deleted: number; finished: boolean } {
    const table = db.table;
    let deleted = 0;
    let checked = 0;
    while (this.#shardIndex < table.shardCount) {
      if (this.#keys === null) {
        const expires = table.shard(this.#shardIndex).expires;
        if (expires === null || expires.size === 0) {
          this.#shardIndex++;
          continue;
        }
        this.#keys = expires.keys();
      }
      const step = this.#keys.next();
      if (step.done) {
        this.#keys = null;
        this.#shardIndex++;
        continue;
      }
      if (db.expireIfNeeded(step.value)) deleted++;
      if (++checked % KEYS_PER_CLOCK_CHECK === 0 && performance.now() >= deadline) {
        return { deleted, finished: false };
      }
    }
    return { deleted, finished: true };
  }
}
