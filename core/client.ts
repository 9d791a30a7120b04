/**
 * The state of one client connection, as commands see it.
 *
 * A client is created for every connection (and for internal work such as
 * loading an AOF, with replies discarded). The network side lives in
 * server/connection.ts; this object holds what commands read and change:
 * the selected database, the reply buffer, transaction and blocking state.
 *
 * @module
 */

import type { Core } from "./core.ts";
import type { Db, WatchedKey, Watcher } from "./keyspace/db.ts";
import { ReplyWriter } from "./resp/reply_writer.ts";
import type { Command } from "./command.ts";
import type { BlockedState } from "./blocking.ts";

/** A command queued between MULTI and EXEC. */
export interface QueuedCommand {
  /** The resolved command. */
  command: Command;
  /** Its arguments. */
  argv: string[];
}

/** What the connection behind a client can do for the core. */
export interface ClientConnection {
  /** Replies were written outside the client's own turn (it was unblocked): send them. */
  flushAsync(): void;
  /** Closes the connection (CLIENT KILL, QUIT, timeouts). */
  close(): void;
}

let nextClientId = 1;

/** One client. */
export class Client implements Watcher {
  /** Unique id (CLIENT ID). */
  readonly id: number;
  /** The server this client talks to. */
  readonly core: Core;
  /** Where replies are written. */
  readonly reply: ReplyWriter;
  /** The selected database. */
  db: Db;
  /** Name set with CLIENT SETNAME or HELLO SETNAME. */
  name = "";
  /** Library name and version (CLIENT SETINFO, shown by CLIENT LIST in newer Redis). */
  libName = "";
  /** Library version. */
  libVer = "";
  /** False until AUTH succeeds, when `requirepass` is set. */
  authenticated: boolean;

  /** Commands queued since MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A command failed to queue: EXEC must reply EXECABORT (Redis's CLIENT_DIRTY_EXEC). */
  multiAborted = false;
  /** A watched key changed: EXEC must fail (Redis's CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  /** Keys watched with WATCH. */
  watched: WatchedKey[] = [];

  /**
   * Replacement argv for propagation, set by a command whose replayable form
   * differs from what the client sent (SET EX → SET PXAT). Reset per command.
   */
  propArgv: string[] | null = null;
  /** Set by a command that propagated its effects itself (SPOP with count). Reset per command. */
  preventProp = false;

  /** Set while the client waits in a blocking command. */
  blocked: BlockedState | null = null;
  /** The command CLIENT PAUSE holds, run when the pause ends (core/client_pause.ts). */
  postponedArgv: string[] | null = null;
  /**
   * CLIENT REPLY mode. `skip-next` (set by CLIENT REPLY SKIP) becomes `skip`
   * after the current command, so the reply of the command after it is dropped.
   */
  replyMode: "on" | "off" | "skip" | "skip-next" = "on";
  /** Close the connection once pending replies are written (QUIT, protocol errors). */
  closeAfterReply = false;
  /** Set when the client receives the MONITOR feed. */
  monitor = false;
  /** CLIENT NO-EVICT setting (kept for CLIENT INFO). */
  noEvict = false;

  /** Remote address `ip:port`. */
  addr: string;
  /** Local address `ip:port`. */
  laddr: string;
  /** Creation time, Unix ms. */
  readonly createdAt: number;
  /** Time of the last command, Unix ms. */
  lastInteraction: number;
  /** Lower-case full name of the last command (`client|list`). */
  lastCommand = "NULL";
  /** The connection, or null for internal clients. */
  connection: ClientConnection | null;

  /** Creates a client of `core` on database 0. */
  constructor(
    core: Core,
    options: { addr?: string; laddr?: string; connection?: ClientConnection | null } = {},
  ) {
    this.id = nextClientId++;
    this.core = core;
    this.reply = new ReplyWriter();
    this.db = core.dbs[0];
    this.authenticated = core.config.get<string>("requirepass") === "";
    this.addr = options.addr ?? "";
    this.laddr = options.laddr ?? "";
    this.connection = options.connection ?? null;
    this.createdAt = this.lastInteraction = Date.now();
  }

  /** The protocol version this client speaks (2 or 3). */
  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  /**
   * Replaces the arguments propagated for the running command (Redis's
   * `rewriteClientCommandVector`). Call it only when `core.propagating`.
   */
  rewriteArgv(argv: string[]): void {
    this.propArgv = argv;
  }
}
