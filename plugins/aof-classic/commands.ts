/**
 * BGREWRITEAOF and DEBUG LOADAOF for the single-file AOF.
 *
 * @module
 */

import type { CommandSpec } from "../../core/command.ts";
import type { Client } from "../../core/client.ts";
import type { DebugSubcommand } from "../../core/core.ts";
import { errorText } from "../../core/core.ts";
import type { ClassicAof } from "./classic_aof.ts";

/** BGREWRITEAOF, with Redis's replies. */
export function rewriteCommand(aof: ClassicAof): CommandSpec {
  return {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript"],
    group: "server",
    summary: "Rewrites the append-only file in the background",
    since: "1.0.0",
    handler(client: Client) {
      switch (aof.requestRewrite()) {
        case "in-progress":
          client.reply.error("ERR Background append only file rewriting already in progress");
          break;
        case "scheduled":
          client.reply.simple("Background append only file rewriting scheduled");
          break;
        case "started":
          client.reply.simple("Background append only file rewriting started");
          break;
        case "failed":
          client.reply.error(
            "ERR Can't execute an AOF background rewriting. Please check the server logs for " +
              "more information.",
          );
      }
    },
  };
}

/**
 * DEBUG LOADAOF: flush and fsync the AOF, empty the dataset, load the file
 * back. Loading yields to the event loop (other clients get -LOADING), so
 * the calling client waits blocked and gets its +OK when the load ends. A
 * failed load stops the server, as Redis exits.
 */
export function loadAofSubcommand(aof: ClassicAof): DebugSubcommand {
  return {
    name: "loadaof",
    help: "LOADAOF\n    Flush the AOF buffers on disk and reload the AOF in memory.",
    handler(client: Client) {
      const core = client.core;
      if (core.inExec || core.loading) {
        client.reply.error("ERR DEBUG LOADAOF cannot run inside MULTI/EXEC or while loading");
        return;
      }
      core.blocking.block(client, {
        db: client.db,
        keys: [],
        deadline: 0,
        tryServe: () => false,
        onTimeout: (c) => c.reply.error("ERR DEBUG LOADAOF was interrupted"),
      });
      const resume = (reply: () => void) => {
        if (client.blocked === null) return; // unblocked meanwhile (CLIENT UNBLOCK, closed)
        core.blocking.unblock(client);
        reply();
        client.connection?.flushAsync();
      };
      aof.reload().then(
        () => resume(() => client.reply.ok()),
        (e) => {
          aof.log.warning(`DEBUG LOADAOF failed: ${errorText(e)}. Exiting.`);
          resume(() => client.reply.error(`ERR Error loading the AOF: ${errorText(e)}`));
          void core.shutdownHandler?.({
            save: "nosave",
            now: true,
            force: true,
            reason: "DEBUG LOADAOF failure",
          });
        },
      );
    },
  };
}
