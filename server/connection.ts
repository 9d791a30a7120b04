/**
 * One client connection: read, execute, wait for durability, write.
 *
 * The loop is the heart of throughput. Each read may carry many pipelined
 * commands; they are all executed, their replies accumulate in the client's
 * reply buffer, and the whole batch goes out with one socket write, after the
 * other connections that had input in the same turn have run theirs
 * (send_burst.ts) and the durability gate allows it (see
 * core/durability.ts). One write per read, not per reply, is what lets
 * pipelining pay off.
 *
 * A blocked client (BLPOP, ...) stops executing its input until the
 * blocking manager serves it or times it out, then resumes where it stopped.
 * A protocol error gets Redis's error reply and closes only this connection.
 *
 * @module
 */

import type { Core } from "../core/core.ts";
import { Client, type ClientConnection } from "../core/client.ts";
import { ProtocolError, RequestParser } from "../core/resp/request_parser.ts";
import { processCommand, unwatchAll } from "../core/executor.ts";
import { errorText } from "../core/core.ts";
import { KeyPrefetcher } from "../core/keyspace/key_prefetch.ts";
import { sendBurst } from "./send_burst.ts";

/** Serves one accepted TCP connection. */
export class Connection implements ClientConnection {
  readonly client: Client;
  readonly #conn: Deno.Conn;
  readonly #core: Core;
  readonly #parser = new RequestParser();
  readonly #prefetcher = new KeyPrefetcher();
  #closed = false;
  #flushing: Promise<void> | null = null;
  #flushAgain = false;
  #onClosed: (c: Connection) => void;

  /** Wraps `conn`; `onClosed` is called once when the connection ends. */
  constructor(core: Core, conn: Deno.Conn, onClosed: (c: Connection) => void) {
    this.#core = core;
    this.#conn = conn;
    this.#onClosed = onClosed;
    const remote = conn.remoteAddr as Deno.NetAddr;
    const local = conn.localAddr as Deno.NetAddr;
    this.client = new Client(core, {
      addr: formatAddr(remote),
      laddr: formatAddr(local),
      connection: this,
    });
  }

  /** Reads and serves requests until the peer disconnects or the connection is closed. */
  async run(): Promise<void> {
    const core = this.#core;
    core.clients.set(this.client.id, this.client);
    try {
      while (!this.#closed) {
        this.#applyLimits();
        const target = this.#parser.readTarget();
        let n: number | null;
        try {
          n = await this.#conn.read(target);
        } catch {
          break;
        }
        if (n === null) break;
        core.stats.netInputBytes += n;
        // Once per read, as Redis does: a clock read per pipelined command costs.
        this.client.lastInteraction = Date.now();
        this.#parser.commit(n);
        if (this.#parser.buffered > core.requestLimits.queryBufferLimit) {
          core.log.warning(
            `Closing client that reached max query buffer length: id=${this.client.id} ` +
              `addr=${this.client.addr} (qbuf initial bytes: ${this.#parser.buffered})`,
          );
          break;
        }
        this.#processInput();
        await this.#flush();
      }
    } finally {
      this.close();
    }
  }

  /** Executes buffered commands until input runs out, the client blocks, or it must close. */
  #processInput(): void {
    const client = this.client;
    const reply = client.reply;
    // Commands left before the next keys are read ahead; -1: none this time.
    let untilPrefetch = 0;
    while (!this.#closed && client.blocked === null && !client.closeAfterReply) {
      if (untilPrefetch === 0) {
        untilPrefetch = this.#prefetcher.prefetch(this.#parser, client.db.table) || -1;
      }
      untilPrefetch--;
      let argv: string[] | null;
      try {
        argv = this.#parser.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        reply.error(e.message);
        client.closeAfterReply = true;
        break;
      }
      if (argv === null) break;
      if (argv.length > 1) {
        const hash = this.#prefetcher.hashOf(this.#parser.keyFrom);
        if (hash >= 0) client.db.table.hint(argv[1], hash);
      }
      const mark = reply.length;
      processCommand(this.#core, client, argv);
      // A command CLIENT PAUSE postponed has not run: its skip applies when it does.
      if (client.replyMode !== "on" && client.postponedArgv === null) this.#applyReplyMode(mark);
    }
  }

  /** CLIENT REPLY OFF/SKIP: drops the reply written since `mark`, moves SKIP on. */
  #applyReplyMode(mark: number): void {
    const client = this.client;
    client.reply.truncate(mark);
    if (client.replyMode === "skip") client.replyMode = "on";
    else if (client.replyMode === "skip-next") client.replyMode = "skip";
  }

  /** Runs the command CLIENT PAUSE held, now that the pause has ended. */
  #runPostponed(argv: string[]): void {
    const client = this.client;
    client.postponedArgv = null;
    const mark = client.reply.length;
    processCommand(this.#core, client, argv);
    if (client.replyMode !== "on" && client.postponedArgv === null) this.#applyReplyMode(mark);
  }

  /** Sends pending replies once the durability gate allows; serialized with other flushes. */
  #flush(): Promise<void> {
    if (this.#flushing !== null) {
      this.#flushAgain = true;
      return this.#flushing;
    }
    const reply = this.client.reply;
    if (reply.length === 0 && !this.client.closeAfterReply) return Promise.resolve();
    this.#flushing = this.#flushLoop().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #flushLoop(): Promise<void> {
    const core = this.#core;
    const reply = this.client.reply;
    do {
      this.#flushAgain = false;
      // On the first pass the gate is asked before anything is awaited: a
      // persistence plugin writes in a microtask its commands queued, and
      // must see this wait first.
      const gate = core.durability.active ? core.durability.wait(core.seq) : undefined;
      if (gate !== undefined) {
        // Clients released together by the gate send together already.
        try {
          await gate;
        } catch (e) {
          // Never acknowledge what is not durable: drop the replies and hang up.
          core.log.warning(`Closing client ${this.client.addr}: ${errorText(e)}`);
          this.close();
          return;
        }
      } else {
        await sendBurst.join();
      }
      if (reply.length > 0) {
        const bytes = reply.take();
        await this.#writeAll(bytes);
        core.stats.netOutputBytes += bytes.length;
        reply.recycle(bytes);
      }
    } while (!this.#closed && (this.#flushAgain || reply.length > 0));
    if (this.client.closeAfterReply) this.close();
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length && !this.#closed) {
      try {
        off += await this.#conn.write(off === 0 ? bytes : bytes.subarray(off));
      } catch {
        this.close();
        return;
      }
    }
  }

  /** Called by the core when replies were produced outside this client's turn. */
  flushAsync(): void {
    if (this.#closed) return;
    // An unblocked client resumes with the commands it had already sent,
    // starting with the one CLIENT PAUSE held, if any.
    if (this.client.blocked === null) {
      const postponed = this.client.postponedArgv;
      if (postponed !== null) this.#runPostponed(postponed);
      if (this.#parser.buffered > 0) this.#processInput();
    }
    void this.#flush();
  }

  /** Closes the connection and forgets the client. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const core = this.#core;
    const client = this.client;
    core.blocking.unblock(client);
    unwatchAll(client);
    core.monitors.delete(client);
    core.clients.delete(client.id);
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer
    }
    this.#onClosed(this);
  }

  #applyLimits(): void {
    const parser = this.#parser;
    parser.maxBulkLen = this.#core.requestLimits.maxBulkLen;
    parser.unauthenticated = !this.client.authenticated;
  }
}

function formatAddr(addr: Deno.NetAddr): string {
  return addr.hostname.includes(":")
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
}
