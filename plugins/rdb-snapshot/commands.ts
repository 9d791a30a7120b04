/**
 * SAVE, BGSAVE [SCHEDULE], LASTSAVE and DEBUG RELOAD [MERGE] [NOFLUSH]
 * [NOSAVE], with Redis 7.0's replies and errors (rdb.c, debug.c).
 *
 * @module
 */

import type { Client } from "../../core/client.ts";
import type { CommandSpec } from "../../core/command.ts";
import type { DebugSubcommand } from "../../core/core.ts";
import type { BlockedState } from "../../core/blocking.ts";
import { SYNTAX_ERR } from "../../core/errors.ts";
import { dropStringKinds } from "../../core/commands/strings.ts";
import type { RdbSnapshots } from "./controller.ts";

/** The commands of the plugin, bound to `rdb`. */
export function rdbCommands(rdb: RdbSnapshots): CommandSpec[] {
  return [
    {
      name: "save",
      arity: 1,
      flags: ["admin", "noscript", "no_multi"],
      group: "server",
      summary: "Saves the dataset to disk, blocking the server while it writes",
      since: "1.0.0",
      handler: (c) => save(rdb, c),
    },
    {
      name: "bgsave",
      arity: -1,
      flags: ["admin", "noscript"],
      group: "server",
      summary: "Saves the dataset to disk in the background",
      since: "1.0.0",
      handler: (c, argv) => bgsave(rdb, c, argv),
    },
    {
      name: "lastsave",
      arity: 1,
      flags: ["loading", "stale", "fast"],
      group: "server",
      summary: "Returns the Unix time of the last successful save",
      since: "1.0.0",
      handler: (c) => c.reply.integer(rdb.lastSave),
    },
  ];
}

function save(rdb: RdbSnapshots, c: Client): void {
  if (rdb.saving) {
    c.reply.error("ERR Background save already in progress");
    return;
  }
  rdb.saves++;
  if (rdb.saveNow()) c.reply.ok();
  else c.reply.error("ERR");
}

function bgsave(rdb: RdbSnapshots, c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length !== 2 || argv[1].toLowerCase() !== "schedule") {
      c.reply.error(SYNTAX_ERR);
      return;
    }
    schedule = true;
  }
  const core = c.core;
  if (rdb.saving) {
    c.reply.error("ERR Background save already in progress");
  } else if (core.jobs.running !== null || core.inExec) {
    if (schedule || core.inExec) {
      rdb.scheduled = true;
      c.reply.simple("Background saving scheduled");
    } else {
      c.reply.error(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. " +
          "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
    }
  } else if (rdb.startBackgroundSave()) {
    c.reply.simple("Background saving started");
  } else {
    c.reply.error("ERR");
  }
}

// ------------------------------------------------------------ DEBUG RELOAD

/** What DEBUG RELOAD needs besides the state: the load itself. */
export type ReloadFn = (merge: boolean) => Promise<void>;

/** DEBUG RELOAD: save, empty the databases, load the file back. */
export function debugReload(rdb: RdbSnapshots, reload: ReloadFn): DebugSubcommand {
  return {
    name: "reload",
    help: [
      "RELOAD [option ...]",
      "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
      "    * MERGE: conflicting keys will be loaded from RDB.",
      "    * NOFLUSH: the existing database will not be removed before load, but",
      "      conflicting keys will generate an exception and kill the server.",
      "    * NOSAVE: the database will be loaded from an existing RDB file.",
      "    Examples:",
      "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
      "      the database.",
      "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
      "      existing RDB file.",
      "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
      "      file to the database.",
    ].join("\n"),
    handler: (c, argv) => reloadCommand(rdb, reload, c, argv),
  };
}

function reloadCommand(rdb: RdbSnapshots, reload: ReloadFn, c: Client, argv: string[]): void {
  let merge = false;
  let flush = true;
  let saveFirst = true;
  for (const opt of argv.slice(2)) {
    switch (opt.toLowerCase()) {
      case "merge":
        merge = true;
        break;
      case "noflush":
        flush = false;
        break;
      case "nosave":
        saveFirst = false;
        break;
      default:
        c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        return;
    }
  }
  // Loading yields to the event loop; a reply inside EXEC cannot wait for it.
  if (c.core.inExec) {
    c.reply.error("ERR DEBUG RELOAD is not supported inside MULTI/EXEC");
    return;
  }
  if (saveFirst && !rdb.reloadSave()) {
    c.reply.error("ERR");
    return;
  }
  if (flush) {
    const old = c.core.dbs.map((db) => db.table);
    c.core.flushAll();
    for (const table of old) dropStringKinds(table); // as FLUSHALL does
  }
  replyWhenSettled(c, reload(merge), (error) => {
    if (error === null) {
      c.core.log.warning("DB reloaded by DEBUG RELOAD");
      c.reply.ok();
    } else {
      c.reply.error("ERR Error trying to load the RDB dump");
    }
  });
}

/**
 * Holds `c` (its later commands wait) until `work` settles, then lets
 * `reply` answer and sends the reply.
 */
function replyWhenSettled(
  c: Client,
  work: Promise<void>,
  reply: (error: unknown) => void,
): void {
  const wait: BlockedState = {
    db: c.db,
    keys: [],
    deadline: 0,
    tryServe: () => false,
    onTimeout: () => {},
  };
  c.core.blocking.block(c, wait);
  const settle = (error: unknown) => {
    if (c.blocked !== wait) return; // the client went away
    c.core.blocking.unblock(c);
    reply(error);
    c.connection?.flushAsync();
  };
  work.then(() => settle(null), (e) => settle(e ?? new Error("failed")));
}
