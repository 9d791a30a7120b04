/**
 * CLIENT PAUSE: holding clients' commands until a pause ends (Redis 7.0's
 * `pauseClients` and the pause check of `processCommand`).
 *
 * While a pause is on, the dispatcher asks {@link ClientPause.postpones}
 * before queuing or calling a command. A command the pause covers (every
 * command in `ALL` mode; in `WRITE` mode the commands flagged `write` or
 * `may_replicate`, and an EXEC whose queue holds one) is not run and gets no
 * reply: its client is blocked through the blocking manager, like a client
 * waiting in BLPOP, and its connection stops reading commands from its input.
 * The argv waits in `client.postponedArgv`. When the pause ends (its time
 * passes, or CLIENT UNPAUSE), the held clients are released in the order they
 * were held, once the running command has returned: each one's connection
 * runs the postponed command through the dispatcher again (it may be held again, if a command released before it
 * started a new pause) and then the rest of its input.
 *
 * A later CLIENT PAUSE never shortens or relaxes the current one: the
 * stricter mode and the later end win. As in Redis, the pause also stops
 * active expiry (the server's cron asks {@link ClientPause.active}).
 *
 * When no pause is on, the dispatcher's cost is one comparison of
 * {@link ClientPause.mode} per command.
 *
 * @module
 */

import type { BlockedState, BlockingManager } from "./blocking.ts";
import type { Client } from "./client.ts";
import { type Command, Flag } from "./command.ts";

/**
 * What a pause holds, ordered from least to most strict: nothing, the
 * commands that may change the dataset (`CLIENT PAUSE ... WRITE`), or every
 * command (`ALL`, Redis's default).
 */
export const PauseMode = { Off: 0, Write: 1, All: 2 } as const;

/** One of the {@link PauseMode} values. */
export type PauseMode = typeof PauseMode[keyof typeof PauseMode];

/** Longest delay a timer accepts; longer pauses re-arm. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

const WRITE_LIKE = Flag.write | Flag.may_replicate;

/** One held client and the blocked state that holds it. */
interface Held {
  readonly client: Client;
  readonly state: BlockedState;
}

/** The server's pause state and the clients it holds. */
export class ClientPause {
  /** The current mode; {@link PauseMode.Off} when no pause is on. Read on every command. */
  mode: PauseMode = PauseMode.Off;
  /** Unix ms when the pause ends (it ends once the clock is past it). */
  end = 0;
  #held: Held[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #blocking: BlockingManager;

  /** Creates the pause state; held clients are blocked through `blocking`. */
  constructor(blocking: BlockingManager) {
    this.#blocking = blocking;
  }

  /** True while a pause is on. */
  get active(): boolean {
    return this.mode !== PauseMode.Off;
  }

  /**
   * Starts a pause until `end` (Unix ms), or extends the current one: the
   * stricter mode and the later end win. An `end` already past starts nothing
   * (CLIENT PAUSE 0).
   */
  pause(mode: PauseMode, end: number): void {
    if (this.mode !== PauseMode.Off) {
      if (mode < this.mode) mode = this.mode;
      if (end < this.end) end = this.end;
    } else if (end < Date.now()) {
      return;
    }
    this.mode = mode;
    this.end = end;
    this.#arm();
  }

  /** Ends the pause now (CLIENT UNPAUSE) and releases the held clients. */
  unpause(): void {
    if (this.mode === PauseMode.Off) return;
    this.#finish();
  }

  /**
   * Called by the dispatcher while a pause is on, before `cmd` is queued or
   * called: when the pause covers it, holds `client` with `argv` and returns
   * true (the dispatcher then does nothing more).
   */
  postpones(client: Client, cmd: Command, argv: string[]): boolean {
    if (this.mode === PauseMode.Write && !mayWrite(client, cmd)) return false;
    const state: BlockedState = {
      db: client.db,
      keys: [],
      deadline: 0,
      tryServe: () => false,
      onTimeout: () => {},
    };
    client.postponedArgv = argv;
    this.#blocking.block(client, state);
    this.#held.push({ client, state });
    return true;
  }

  /** True when `client` waits for the pause to end (CLIENT UNBLOCK leaves it alone). */
  holds(client: Client): boolean {
    return client.postponedArgv !== null && client.blocked !== null;
  }

  /** Forgets the pause and its timer without running held commands (server stop). */
  dispose(): void {
    this.#clearTimer();
    this.mode = PauseMode.Off;
    this.#held = [];
  }

  #arm(): void {
    this.#clearTimer();
    // The pause ends once the clock is strictly past `end`.
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, this.end - Date.now() + 1));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (Date.now() > this.end) this.#finish();
      else this.#arm();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #finish(): void {
    this.#clearTimer();
    this.mode = PauseMode.Off;
    this.end = 0;
    const held = this.#held;
    this.#held = [];
    // Not from inside the running command (CLIENT UNPAUSE): each released
    // command must be a top-level execution unit of its own. Redis too
    // resumes them after the current command, in beforeSleep.
    queueMicrotask(() => this.#release(held));
  }

  #release(held: readonly Held[]): void {
    for (const { client, state } of held) {
      // Closed (or otherwise unblocked) while held: nothing to resume.
      if (client.blocked !== state) continue;
      this.#blocking.unblock(client);
      // The connection runs client.postponedArgv, then the rest of its input.
      client.connection?.flushAsync();
    }
  }
}

/** Redis's `is_may_replicate_command`: the command, or for EXEC one it queued, may write. */
function mayWrite(client: Client, cmd: Command): boolean {
  if ((cmd.flags & WRITE_LIKE) !== 0) return true;
  if (cmd.fullname !== "exec" || client.multi === null) return false;
  for (const queued of client.multi) {
    if ((queued.command.flags & WRITE_LIKE) !== 0) return true;
  }
  return false;
}
