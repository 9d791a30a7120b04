/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...).
 *
 * A blocking command that finds nothing to pop registers a
 * {@link BlockedState} and returns without replying; its connection stops
 * processing further input. When a write makes one of the keys ready
 * (`signalKeyAsReady`, called by the pushing commands), the dispatcher calls
 * {@link BlockingManager.serveReady} after the command: waiting clients are
 * served in the order they blocked, each as its own execution unit so that
 * what it popped is propagated (as LPOP, ZPOPMIN, ...). A timeout writes the
 * command's timeout reply.
 *
 * @module
 */

import type { Client } from "./client.ts";
import type { Db } from "./keyspace/db.ts";

/** Longest delay a timer accepts. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** How a blocked client is served or timed out; provided by the blocking command. */
export interface BlockedState {
  /** Database the keys belong to. */
  readonly db: Db;
  /** Keys the client waits on. */
  readonly keys: readonly string[];
  /** Unix ms when the wait ends; 0 waits forever. */
  readonly deadline: number;
  /**
   * `key` may have data now: serve the client if possible (write its reply,
   * make the change, propagate it). Returns true when served.
   */
  tryServe(client: Client, key: string): boolean;
  /** The deadline passed: write the timeout reply. */
  onTimeout(client: Client): void;
}

/** What the manager needs from the core. */
export interface BlockingHost {
  /** Runs `fn` as a top-level execution unit of `client` (propagation, time). */
  runUnit(client: Client, fn: () => void): void;
}

/** Registry of blocked clients. */
export class BlockingManager {
  #waiting = new Map<Db, Map<string, Client[]>>();
  #ready: { db: Db; key: string }[] = [];
  #readySet = new Set<string>();
  #timers = new Map<Client, ReturnType<typeof setTimeout>>();
  #host: BlockingHost;
  /** Number of blocked clients. */
  count = 0;

  /** Creates a manager serving through `host`. */
  constructor(host: BlockingHost) {
    this.#host = host;
  }

  /** True when some keys became ready and waiting clients must be served. */
  get hasReady(): boolean {
    return this.#ready.length > 0;
  }

  /** Blocks `client` with `state`. */
  block(client: Client, state: BlockedState): void {
    client.blocked = state;
    this.count++;
    let byKey = this.#waiting.get(state.db);
    if (byKey === undefined) this.#waiting.set(state.db, byKey = new Map());
    for (const key of state.keys) {
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [client]);
      else if (!list.includes(client)) list.push(client);
    }
    if (state.deadline > 0) this.#arm(client, state.deadline);
  }

  /** Removes `client` from every wait list without replying. */
  unblock(client: Client): void {
    const state = client.blocked;
    if (state === null) return;
    client.blocked = null;
    this.count--;
    const byKey = this.#waiting.get(state.db);
    if (byKey !== undefined) {
      for (const key of state.keys) {
        const list = byKey.get(key);
        if (list === undefined) continue;
        const i = list.indexOf(client);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.#waiting.delete(state.db);
    }
    const timer = this.#timers.get(client);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#timers.delete(client);
    }
  }

  /**
   * Ends a wait early, as CLIENT UNBLOCK does: the timeout reply, or with
   * `error` an error reply. Returns false when the client was not blocked.
   */
  abort(client: Client, error?: string): boolean {
    const state = client.blocked;
    if (state === null) return false;
    this.unblock(client);
    if (error !== undefined) client.reply.error(error);
    else state.onTimeout(client);
    client.connection?.flushAsync();
    return true;
  }

  /** Notes that `key` in `db` may now satisfy waiting clients. Cheap when nobody waits. */
  signalKeyAsReady(db: Db, key: string): void {
    const byKey = this.#waiting.get(db);
    if (byKey === undefined || !byKey.has(key)) return;
    const id = `${db.index}\0${key}`;
    if (this.#readySet.has(id)) return;
    this.#readySet.add(id);
    this.#ready.push({ db, key });
  }

  /** Serves clients waiting on ready keys, oldest first, until nothing more can be served. */
  serveReady(): void {
    while (this.#ready.length > 0) {
      const ready = this.#ready;
      this.#ready = [];
      this.#readySet.clear();
      for (const { db, key } of ready) this.#serveKey(db, key);
    }
  }

  #serveKey(db: Db, key: string): void {
    const waiting = this.#waiting.get(db)?.get(key);
    if (waiting === undefined) return;
    for (const client of [...waiting]) {
      const state = client.blocked;
      if (state === null) continue;
      let served = false;
      this.#host.runUnit(client, () => {
        served = state.tryServe(client, key);
      });
      if (!served) continue;
      this.unblock(client);
      client.connection?.flushAsync();
    }
  }

  /** Timers take at most 2^31-1 ms (longer delays fire at once): long waits re-arm. */
  #arm(client: Client, deadline: number): void {
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, deadline - Date.now()));
    this.#timers.set(client, setTimeout(() => this.#timeout(client), delay));
  }

  #timeout(client: Client): void {
    this.#timers.delete(client);
    const state = client.blocked;
    if (state === null) return;
    if (state.deadline > Date.now()) {
      this.#arm(client, state.deadline);
      return;
    }
    this.unblock(client);
    state.onTimeout(client);
    client.connection?.flushAsync();
  }
}
