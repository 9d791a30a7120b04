/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c).
 *
 * Queuing happens in the dispatcher (executor.ts). EXEC runs the queue as
 * nested calls, so everything the transaction changes is one execution unit:
 * Redis 7.0 propagates it between MULTI and EXEC when it holds more than one
 * write, and bare when it holds one.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import { call, discardTransaction, unwatchAll } from "../executor.ts";
import { EXECABORT } from "../errors.ts";
import type { Client } from "../client.ts";

function multi(c: Client): void {
  if (c.multi !== null) {
    c.reply.error("ERR MULTI calls can not be nested");
    return;
  }
  c.multi = [];
  c.reply.ok();
}

function exec(c: Client): void {
  const queue = c.multi;
  if (queue === null) {
    c.reply.error("ERR EXEC without MULTI");
    return;
  }
  if (!c.dirtyCas && watchedKeyExpired(c)) c.dirtyCas = true;
  if (c.multiAborted || c.dirtyCas) {
    if (c.multiAborted) c.reply.error(EXECABORT);
    else c.reply.nullArray();
    discardTransaction(c);
    return;
  }
  unwatchAll(c);
  c.multi = null;
  const core = c.core;
  // EXEC itself is never propagated: only the writes it ran (Redis's execCommand).
  c.preventProp = true;
  core.inExec = true;
  try {
    c.reply.array(queue.length);
    for (const { command, argv } of queue) call(core, c, command, argv);
  } finally {
    core.inExec = false;
    discardTransaction(c);
  }
}

function watchedKeyExpired(c: Client): boolean {
  for (const wk of c.watched) {
    if (!wk.expired && wk.db.isLogicallyExpired(wk.key)) return true;
  }
  return false;
}

function discard(c: Client): void {
  if (c.multi === null) {
    c.reply.error("ERR DISCARD without MULTI");
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

function watch(c: Client, argv: string[]): void {
  if (c.multi !== null) {
    c.reply.error("ERR WATCH inside MULTI is not allowed");
    return;
  }
  if (!c.dirtyCas) {
    const db = c.db;
    for (let i = 1; i < argv.length; i++) {
      const key = argv[i];
      if (c.watched.some((wk) => wk.db === db && wk.key === key)) continue;
      const wk = { client: c, db, key, expired: db.isLogicallyExpired(key) };
      if (db.watchers === null) db.watchers = new Map();
      const list = db.watchers.get(key);
      if (list === undefined) db.watchers.set(key, [wk]);
      else list.push(wk);
      c.watched.push(wk);
    }
  }
  c.reply.ok();
}

function unwatch(c: Client): void {
  unwatchAll(c);
  c.dirtyCas = false;
  c.reply.ok();
}

/** The transaction commands. */
export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [
  {
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    summary: "Starts a transaction: later commands are queued",
    since: "1.2.0",
    handler: multi,
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    group: "transactions",
    summary: "Runs the queued commands atomically",
    since: "1.2.0",
    handler: exec,
  },
  {
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    summary: "Drops the queued commands and leaves the transaction",
    since: "2.0.0",
    handler: discard,
  },
  {
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: { first: 1, last: -1, step: 1 },
    group: "transactions",
    summary: "Makes the next EXEC fail if one of these keys changes",
    since: "2.2.0",
    handler: watch,
  },
  {
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    summary: "Stops watching every key",
    since: "2.2.0",
    handler: unwatch,
  },
];
