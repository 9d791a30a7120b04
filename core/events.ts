/**
 * The events the core emits, with their payloads.
 *
 * Persistence plugins learn about data changes only from these events, so the
 * `write` event is the contract: it carries the replayable form of every
 * change, already made deterministic by the command that produced it
 * (relative expires turned absolute, INCRBYFLOAT turned into SET, a lazily
 * expired key turned into DEL, ...). Consumers write what it carries and
 * never re-derive it.
 *
 * Plugins add their own events by declaring a type that extends
 * {@link ServerEvents} and viewing the bus through it (see `EventBus.typed`).
 *
 * @module
 */

/** One replayable command: the database it applies to and its arguments (byte strings). */
export interface PropagatedOp {
  /** Database index the command applies to. */
  db: number;
  /** Command name and arguments, as byte strings. */
  argv: string[];
}

/**
 * An execution unit changed data: one top-level command, one EXEC, or one
 * active-expire deletion. `ops` is what Redis 7.0 would propagate to its AOF
 * and replicas for it, in order. When it holds more than one op and `atomic`
 * is set, the unit must be applied atomically: an AOF writes it between
 * MULTI and EXEC.
 */
export interface WriteEvent {
  /** Sequence number of this unit, increasing by one per unit. */
  seq: number;
  /** The replayable commands, in order. */
  ops: PropagatedOp[];
  /** Wall-clock milliseconds when the unit ran (for `#TS:` annotations). */
  time: number;
  /**
   * Whether several ops must be applied atomically (MULTI/EXEC in an AOF).
   * False for the deletions of expired keys that SCAN and RANDOMKEY perform,
   * which Redis 7.0 propagates unwrapped (CMD_TOUCHES_ARBITRARY_KEYS).
   */
  atomic: boolean;
}

/** The periodic tick (`hz` times a second). */
export interface CronEvent {
  /** Wall-clock milliseconds. */
  now: number;
}

/** A configuration value changed through CONFIG SET. */
export interface ConfigChangedEvent {
  /** Canonical name of the key, e.g. `appendfsync`. */
  key: string;
  /** New value, in redis.conf text form. */
  value: string;
  /** Previous value, in redis.conf text form. */
  previous: string;
}

/** Data was replaced wholesale outside of commands (DEBUG RELOAD, DEBUG LOADAOF, a replica sync). */
export interface DatasetReplacedEvent {
  /** What replaced it. */
  reason: string;
}

/**
 * The events of the core. Extend it for your own events:
 *
 * ```ts
 * interface MyEvents extends ServerEvents { "myplugin.flushed": { bytes: number } }
 * const bus = ctx.bus.typed<MyEvents>();
 * ```
 */
export interface ServerEvents {
  /** An execution unit changed data (hot path: keep listeners cheap and synchronous). */
  write: WriteEvent;
  /** The periodic tick. */
  cron: CronEvent;
  /** A CONFIG SET changed a value. */
  "config.changed": ConfigChangedEvent;
  /** The dataset was replaced outside of commands. */
  "dataset.replaced": DatasetReplacedEvent;
}
