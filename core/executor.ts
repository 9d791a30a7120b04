/**
 * The dispatcher: from an argument vector to a reply, with Redis's checks in
 * Redis's order (`processCommand` and `call` in server.c).
 *
 * 1. Resolve the command; unknown command or subcommand → error.
 * 2. Check arity.
 * 3. Refuse DEBUG unless `enable-debug-command` allows it.
 * 4. Refuse everything but AUTH/HELLO/... until the client authenticates.
 * 5. Refuse commands flagged `no_multi` inside MULTI.
 * 6. Refuse writes (and PING) while a persistence plugin reports a disk error.
 * 7. Refuse commands not flagged `loading` while loading.
 * 8. Hold the command while CLIENT PAUSE covers it (core/client_pause.ts).
 * 9. Inside MULTI, queue the command; otherwise call it.
 * 10. Serve clients blocked on keys the command made ready.
 *
 * A refusal inside MULTI also marks the transaction as aborted, so that
 * EXEC replies EXECABORT.
 *
 * @module
 */

import type { Client } from "./client.ts";
import { type Command, EXACT_CALLS, Flag, SAMPLE_EVERY } from "./command.ts";
import type { Core } from "./core.ts";
import { LOADING, NOAUTH, wrongArity } from "./errors.ts";
import { quoteArg } from "./split_args.ts";

const TRANSACTION_CONTROL = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

const DEBUG_NOT_ALLOWED =
  `ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", ` +
  `you can run it from a local connection, otherwise you need to set this option in the ` +
  `configuration file, and then restart the server.`;

/** Executes one command for `client`: checks, queues or calls, then serves blocked clients. */
export function processCommand(core: Core, client: Client, argv: string[]): void {
  const found = core.commands.lookup(argv);
  if ("error" in found) {
    reject(core, client, null, found.error);
    return;
  }
  const cmd = found;
  // Redis records the command as soon as it is looked up, so CLIENT LIST's
  // cmd= also shows commands that were queued or refused.
  client.lastCommand = cmd.fullname;
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    reject(core, client, cmd, wrongArity(cmd.fullname));
    return;
  }
  const flags = cmd.flags;
  if ((flags & Flag.protected) !== 0 && !protectedAllowed(core, client)) {
    reject(core, client, cmd, DEBUG_NOT_ALLOWED);
    return;
  }
  if (!client.authenticated && (flags & Flag.no_auth) === 0) {
    reject(core, client, cmd, NOAUTH);
    return;
  }
  if (client.multi !== null && (flags & Flag.no_multi) !== 0) {
    reject(core, client, cmd, "ERR Command not allowed inside a transaction");
    return;
  }
  if (core.writeGuards.length > 0 && isWriteOrPing(cmd, client)) {
    for (const guard of core.writeGuards) {
      const refusal = guard();
      if (refusal !== null) {
        reject(core, client, cmd, refusal);
        return;
      }
    }
  }
  if (core.loading && (flags & Flag.loading) === 0) {
    reject(core, client, cmd, LOADING);
    return;
  }
  // CLIENT PAUSE: a held command is neither queued nor run until the pause ends.
  if (core.clientPause.active && core.clientPause.postpones(client, cmd, argv)) return;
  if (client.multi !== null && !TRANSACTION_CONTROL.has(cmd.fullname)) {
    if (!client.multiAborted && !client.dirtyCas) client.multi.push({ command: cmd, argv });
    client.reply.simple("QUEUED");
    return;
  }
  call(core, client, cmd, argv);
  if (core.blocking.hasReady) core.blocking.serveReady();
}

let sampleTick = 0; // counts calls for the 1-in-SAMPLE_EVERY timing

/**
 * Runs a resolved command (Redis's `call`): fixes the time for the unit,
 * measures its changes, propagates it, counts it.
 */
export function call(core: Core, client: Client, cmd: Command, argv: string[]): void {
  core.beginUnit();
  const dirtyBefore = core.dirty;
  const errorsBefore = client.reply.errorCount;
  const outerProp = client.propArgv;
  const outerPrevent = client.preventProp;
  client.propArgv = null;
  client.preventProp = false;
  if ((cmd.flags & Flag.touches_arbitrary_keys) !== 0) core.markUnitNonAtomic();
  const stats = cmd.stats;
  const timed = stats.calls < EXACT_CALLS || (++sampleTick & (SAMPLE_EVERY - 1)) === 0;
  const started = timed ? performance.now() : 0;
  try {
    cmd.handler(client, argv);
  } finally {
    if (timed) {
      stats.sampledUsec += (performance.now() - started) * 1000;
      stats.sampledCalls++;
    }
    stats.calls++;
    core.stats.commandsProcessed++;
    if (client.reply.errorCount !== errorsBefore) {
      stats.failedCalls++;
      core.stats.failedCalls++;
      core.stats.countError(client.reply.lastErrorCode);
    }
    if (core.propagating && core.dirty !== dirtyBefore && !client.preventProp) {
      core.alsoPropagate(client.db.index, client.propArgv ?? argv);
    }
    client.propArgv = outerProp;
    client.preventProp = outerPrevent;
    if (core.monitors.size > 0 && (cmd.flags & (Flag.admin | Flag.skip_monitor)) === 0) {
      feedMonitors(core, client, argv);
    }
    core.endUnit();
  }
}

/** Replies with `error` and, inside MULTI, marks the transaction as aborted. */
function reject(core: Core, client: Client, cmd: Command | null, error: string): void {
  if (client.multi !== null) client.multiAborted = true;
  if (cmd !== null) cmd.stats.rejectedCalls++;
  core.stats.rejectedCalls++;
  if (cmd !== null && cmd.fullname === "exec") {
    // Redis's execCommandAbort: the transaction is discarded and the reason named.
    discardTransaction(client);
    client.reply.error(`EXECABORT Transaction discarded because of: ${error}`);
  } else {
    client.reply.error(error);
  }
  core.stats.countError(client.reply.lastErrorCode);
}

function isWriteOrPing(cmd: Command, client: Client): boolean {
  if ((cmd.flags & Flag.write) !== 0 || cmd.fullname === "ping") return true;
  if (cmd.fullname === "exec" && client.multi !== null) {
    return client.multi.some((q) => (q.command.flags & Flag.write) !== 0);
  }
  return false;
}

function protectedAllowed(core: Core, client: Client): boolean {
  const setting = core.config.get<string>("enable-debug-command");
  if (setting === "yes") return true;
  if (setting === "local") return isLocalAddress(client.addr);
  return false;
}

function isLocalAddress(addr: string): boolean {
  return addr === "" || addr.startsWith("127.") || addr.startsWith("[::1]") ||
    addr.startsWith("::1") || addr.startsWith("/");
}

/** Leaves MULTI: forgets queued commands and watched keys. */
export function discardTransaction(client: Client): void {
  client.multi = null;
  client.multiAborted = false;
  client.dirtyCas = false;
  unwatchAll(client);
}

/** Stops watching every key (UNWATCH, EXEC, DISCARD). */
export function unwatchAll(client: Client): void {
  for (const wk of client.watched) {
    const { db, key } = wk;
    const list = db.watchers?.get(key);
    if (list === undefined) continue;
    const i = list.indexOf(wk);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) db.watchers!.delete(key);
    if (db.watchers!.size === 0) db.watchers = null;
  }
  client.watched = [];
}

/** Sends a command to MONITOR clients, formatted as Redis does. */
function feedMonitors(core: Core, client: Client, argv: string[]): void {
  const now = Date.now();
  const secs = Math.floor(now / 1000);
  const micros = String((now % 1000) * 1000).padStart(6, "0");
  const origin = client.connection === null ? "lua" : client.addr;
  let line = `${secs}.${micros} [${client.db.index} ${origin}]`;
  for (const arg of argv) line += " " + quoteArg(arg);
  for (const m of core.monitors) {
    if (m === client) continue;
    m.reply.simple(line);
    m.connection?.flushAsync();
  }
}
