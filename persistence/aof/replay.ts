/**
 * Where the loader sends what it reads: {@link AofReplayTarget}, and the
 * implementation that replays into a {@link Core} through the normal
 * command path (Redis's fake AOF client).
 *
 * Commands run on an internal client with `call` from core/executor.ts, so
 * they behave exactly as when a client sends them. The caller sets
 * `core.loading` while replaying: nothing propagates (the AOF does not feed
 * itself), keys do not expire, and no command blocks. As in Redis, the
 * loader does not apply `processCommand`'s checks (authentication, MISCONF,
 * LOADING); between MULTI and EXEC every command but EXEC is queued, and a
 * command with the wrong number of arguments does nothing (Redis would run
 * it anyway; Cairn's handlers expect their arity to be checked).
 *
 * @module
 */

import { Client } from "../../core/client.ts";
import type { Core } from "../../core/core.ts";
import { call } from "../../core/executor.ts";
import type { Value } from "../../core/values/value.ts";
import type { EncodingLimits } from "../../core/values/limits.ts";
import { stampForIdle } from "../../core/keyspace/lru_clock.ts";

/** What the AOF loader replays into. */
export interface AofReplayTarget {
  /** Encoding thresholds for values built from an RDB preamble. */
  readonly limits: EncodingLimits;
  /** Number of databases (a SELECTDB beyond them is an error in a preamble). */
  readonly databases: number;
  /** True between a MULTI and its EXEC. */
  readonly inMulti: boolean;
  /** Runs one command; returns false when the command is unknown. */
  apply(argv: string[]): boolean;
  /** Forgets a transaction whose EXEC never came (its commands were only queued). */
  discardMulti(): void;
  /**
   * Stores a key read from an RDB preamble. `expireAt` is Unix ms or -1;
   * `idleSeconds` is the file's LRU idle time for the key, or -1.
   */
  addKey(db: number, key: string, value: Value, expireAt: number, idleSeconds?: number): void;
}

/** Replays AOF commands into a core (set `core.loading` while it runs). */
export class CoreReplayer implements AofReplayTarget {
  readonly #core: Core;
  readonly #client: Client;

  /** Creates a replayer with its own internal client on database 0. */
  constructor(core: Core) {
    this.#core = core;
    this.#client = new Client(core);
    this.#client.authenticated = true;
    this.#client.name = "aof-loader";
  }

  /** The core's encoding thresholds. */
  get limits(): EncodingLimits {
    return this.#core.limits;
  }

  /** The core's database count. */
  get databases(): number {
    return this.#core.dbs.length;
  }

  /** True between MULTI and EXEC. */
  get inMulti(): boolean {
    return this.#client.multi !== null;
  }

  /** Runs (or queues) one command. */
  apply(argv: string[]): boolean {
    const core = this.#core;
    const found = core.commands.lookup(argv);
    if ("error" in found) return false;
    const client = this.#client;
    if (client.multi !== null && found.fullname !== "exec") {
      client.multi.push({ command: found, argv });
      return true;
    }
    const arity = found.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) return true;
    call(core, client, found, argv);
    // Replies of the internal client are not read: drop them as they come.
    client.reply.truncate(0);
    return true;
  }

  /** Forgets the open transaction. */
  discardMulti(): void {
    this.#client.multi = null;
    this.#client.multiAborted = false;
  }

  /** Stores a preamble key. */
  addKey(db: number, key: string, value: Value, expireAt: number, idleSeconds = -1): void {
    const target = this.#core.dbs[db];
    target.add(key, value);
    if (expireAt !== -1) target.setExpire(key, expireAt);
    if (idleSeconds >= 0) target.table.setAccessStamp(key, stampForIdle(idleSeconds));
  }
}
