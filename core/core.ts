/**
 * The core: the state every command works on, and the propagation of
 * changes to the event bus.
 *
 * One `Core` is one server's dataset and bookkeeping: the databases, the
 * configuration, the command table, the clients, counters, the event bus and
 * the durability gate. It opens no socket and no file; the server (server/)
 * feeds it commands and the plugins (plugins/) listen to it.
 *
 * Propagation follows Redis 7.0 (`call`, `alsoPropagate`,
 * `propagatePendingCommands` in server.c). Everything one top-level command
 * causes — a lazily expired key's DEL, the command itself (or its rewritten
 * form), the commands inside an EXEC — is collected into one *execution
 * unit*. When the top-level command returns, the unit is emitted as one
 * `write` event with a new sequence number. Active expiry emits one unit per
 * deleted key. Nothing is collected while no one listens to `write` or while
 * loading.
 *
 * @module
 */

import { EventBus } from "./bus.ts";
import type { PropagatedOp, ServerEvents } from "./events.ts";
import type { Config } from "./config/config.ts";
import { Logger } from "./log.ts";
import { CommandTable } from "./command_table.ts";
import { Db, type KeyspaceHost } from "./keyspace/db.ts";
import { type BlockingHost, BlockingManager } from "./blocking.ts";
import { ClientPause } from "./client_pause.ts";
import { DurabilityGate } from "./durability.ts";
import { ServerStats } from "./stats.ts";
import { JobSlot } from "./jobs.ts";
import type { Client } from "./client.ts";
import { defaultLimits, type EncodingLimits, LIMIT_KEYS } from "./values/limits.ts";

/** A DEBUG subcommand; the DEBUG command dispatches to these by lower-case name. */
export interface DebugSubcommand {
  /** Lower-case name (`sleep`, `reload`, ...). */
  readonly name: string;
  /** Line shown by DEBUG HELP. */
  readonly help: string;
  /** Runs it; `argv` is the whole DEBUG command line. Writes exactly one reply. */
  handler(client: Client, argv: string[]): void;
}

/** A source of INFO fields for one section, e.g. `persistence`. */
export type InfoProvider = () => Iterable<readonly [string, string | number]>;

/** Options of SHUTDOWN, from the command or a signal. */
export interface ShutdownRequest {
  /** SAVE / NOSAVE, or undefined for the default (save when save points exist). */
  save: "save" | "nosave" | undefined;
  /** NOW: do not wait for replicas (there are none; accepted). */
  now: boolean;
  /** FORCE: exit even if saving fails. */
  force: boolean;
  /** What asked for it, for the log (`SIGTERM`, `user`). */
  reason: string;
}

/** The dataset and bookkeeping of one server. */
export class Core implements KeyspaceHost, BlockingHost {
  /** Configuration. */
  readonly config: Config;
  /** Logger. */
  readonly log: Logger;
  /** Typed event bus. */
  readonly bus: EventBus<ServerEvents>;
  /** Every command the server knows. */
  readonly commands: CommandTable = new CommandTable();
  /** The numbered databases. */
  readonly dbs: Db[];
  /** Clients blocked on keys. */
  readonly blocking: BlockingManager;
  /** CLIENT PAUSE: its mode and the clients it holds. */
  readonly clientPause: ClientPause;
  /** The one background job (BGSAVE, AOF rewrite) that may run at a time. */
  readonly jobs: JobSlot = new JobSlot();
  /** Barrier that holds replies until writes are durable. */
  readonly durability: DurabilityGate = new DurabilityGate();
  /** Connected clients by id. */
  readonly clients: Map<number, Client> = new Map();
  /** Clients receiving the MONITOR feed. */
  readonly monitors: Set<Client> = new Set();
  /** Counters for INFO stats. */
  readonly stats: ServerStats = new ServerStats();
  /** INFO sections contributed by plugins and the server, by lower-case section name. */
  readonly infoProviders: Map<string, InfoProvider[]> = new Map();
  /**
   * Checks run before a write command (and PING) executes; one returning a
   * message refuses the command with it (Redis's MISCONF errors).
   */
  readonly writeGuards: (() => string | null)[] = [];
  /** DEBUG subcommands by lower-case name (the server's own and plugins'). */
  readonly debugSubcommands: Map<string, DebugSubcommand> = new Map();
  /** Request size limits, kept in sync with the config (read on every socket read). */
  readonly requestLimits: { maxBulkLen: number; queryBufferLimit: number } = {
    maxBulkLen: 0,
    queryBufferLimit: 0,
  };
  /** Encoding thresholds of the data types, kept in sync with the config. */
  readonly limits: EncodingLimits = defaultLimits();
  /** Unix ms when the server started. */
  readonly startTime: number = Date.now();

  /** Changes since the last successful save (Redis's `server.dirty`). */
  dirty = 0;
  /** Sequence number of the last emitted write unit. */
  seq = 0;
  /** True while a dataset is loading: no propagation, no expiry, LOADING errors. */
  loading = false;
  /** DEBUG SET-ACTIVE-EXPIRE. */
  activeExpireEnabled = true;
  /** DEBUG PAUSE-CRON: the periodic tick does nothing while set. */
  cronPaused = false;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE accepts payloads with a wrong CRC. */
  skipChecksumValidation = false;
  /** True while the current unit collects propagated ops. */
  propagating = false;
  /** Nesting depth of running commands (EXEC runs its queue at depth 2). */
  depth = 0;
  /** True while EXEC runs its queued commands: commands must not block. */
  inExec = false;
  /** Set by the server: performs SHUTDOWN; resolves with an error text if it was refused. */
  shutdownHandler: ((request: ShutdownRequest) => Promise<string | null>) | null = null;

  // The unit's time, read from the clock on first use (-1 until then): most
  // commands on keys without a TTL never need it.
  #now = -1;
  #unitOps: PropagatedOp[] = [];
  #unitAtomic = true;

  /** Creates the core for `config`. */
  constructor(config: Config, log: Logger = new Logger()) {
    this.config = config;
    this.log = log;
    this.bus = new EventBus((event, error) => {
      log.warning(`A listener of the "${event}" event failed: ${errorText(error)}`);
    });
    this.blocking = new BlockingManager(this);
    this.clientPause = new ClientPause(this.blocking);
    const count = config.get<number>("databases");
    this.dbs = Array.from({ length: count }, (_, i) => new Db(i, this));
    for (const [key, field] of Object.entries(LIMIT_KEYS)) {
      this.limits[field] = config.get<number>(key);
    }
    this.requestLimits.maxBulkLen = config.get<number>("proto-max-bulk-len");
    this.requestLimits.queryBufferLimit = config.get<number>("client-query-buffer-limit");
    config.onChange((key, value) => {
      const field = LIMIT_KEYS[key];
      if (field !== undefined) this.limits[field] = value as number;
      if (key === "proto-max-bulk-len") this.requestLimits.maxBulkLen = value as number;
      if (key === "client-query-buffer-limit") {
        this.requestLimits.queryBufferLimit = value as number;
      }
    });
  }

  /** Adds DEBUG subcommands; a name may have only one owner. */
  addDebugSubcommands(subcommands: readonly DebugSubcommand[]): void {
    for (const sub of subcommands) {
      if (this.debugSubcommands.has(sub.name)) {
        throw new Error(`DEBUG ${sub.name.toUpperCase()} is registered twice`);
      }
      this.debugSubcommands.set(sub.name, sub);
    }
  }

  /** The time commands see (Unix ms), fixed while a top-level command runs. */
  now(): number {
    if (this.depth === 0) return Date.now();
    if (this.#now < 0) this.#now = Date.now();
    return this.#now;
  }

  /** True while loading. */
  isLoading(): boolean {
    return this.loading;
  }

  /** Adds INFO fields to `section`. */
  addInfo(section: string, provider: InfoProvider): void {
    const key = section.toLowerCase();
    this.infoProviders.set(key, [...(this.infoProviders.get(key) ?? []), provider]);
  }

  /** A key was deleted because its TTL passed: count it and propagate the deletion. */
  keyExpired(db: Db, key: string): void {
    this.stats.expiredKeys++;
    if (this.depth > 0) {
      if (this.propagating) {
        this.#unitOps.push({ db: db.index, argv: [this.#expireDelName(), key] });
      }
    } else if (!this.loading && this.bus.has("write")) {
      this.#emit([{ db: db.index, argv: [this.#expireDelName(), key] }], Date.now(), true);
    }
  }

  #expireDelName(): string {
    return this.config.get<boolean>("lazyfree-lazy-expire") ? "UNLINK" : "DEL";
  }

  /**
   * Adds a replayable op to the current execution unit (Redis's
   * `alsoPropagate`). Commands that propagate something other than their own
   * argv call this and set `client.preventProp`.
   */
  alsoPropagate(db: number, argv: string[]): void {
    if (this.propagating) this.#unitOps.push({ db, argv });
  }

  /** Starts a top-level execution unit: fixes the time, decides whether to collect ops. */
  beginUnit(): void {
    if (this.depth++ === 0) {
      this.#now = -1;
      this.propagating = !this.loading && this.bus.has("write");
    }
  }

  /**
   * Marks the current top-level unit as not atomic: its ops are propagated
   * one by one, not between MULTI and EXEC (SCAN's and RANDOMKEY's expired
   * keys). Only a command called directly, not inside EXEC, may do this.
   */
  markUnitNonAtomic(): void {
    if (this.depth === 1) this.#unitAtomic = false;
  }

  /** Ends an execution unit; at top level, emits what it collected. */
  endUnit(): void {
    if (--this.depth === 0) {
      const atomic = this.#unitAtomic;
      this.#unitAtomic = true;
      if (this.#unitOps.length > 0) {
        const ops = this.#unitOps;
        this.#unitOps = [];
        this.#emit(ops, this.#now < 0 ? Date.now() : this.#now, atomic);
      }
    }
  }

  /** Runs `fn` as a top-level execution unit on behalf of `client` (serving a blocked client). */
  runUnit(_client: Client, fn: () => void): void {
    this.beginUnit();
    try {
      fn();
    } finally {
      this.endUnit();
    }
  }

  #emit(ops: PropagatedOp[], time: number, atomic: boolean): void {
    this.bus.emit("write", { seq: ++this.seq, ops, time, atomic });
  }

  /** Empties every database; returns the number of keys removed. */
  flushAll(): number {
    let removed = 0;
    for (const db of this.dbs) removed += db.flush();
    return removed;
  }
}

/** The message of an error value, for logs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
