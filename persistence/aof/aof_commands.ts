/**
 * BGREWRITEAOF and DEBUG LOADAOF with Redis's replies, for any AOF layout:
 * a plugin hands in an {@link AofCommandHost} (its rewrite request and its
 * reload) and registers the results.
 *
 * @module
 */

import type { CommandSpec } from "../../core/command.ts";
import type { Client } from "../../core/client.ts";
import type { DebugSubcommand } from "../../core/core.ts";
import { errorText } from "../../core/core.ts";
import type { Logger } from "../../core/log.ts";

/** Outcome of a rewrite request (BGREWRITEAOF's replies). */
export type AofRewriteRequest = "started" | "scheduled" | "in-progress" | "failed";

/** What the commands need from an AOF plugin. */
export interface AofCommandHost {
  /** The logger. */
  readonly log: Logger;
  /** BGREWRITEAOF: start or schedule a rewrite. */
  requestRewrite(): AofRewriteRequest;
  /** DEBUG LOADAOF: flush, empty the dataset, load the AOF back; throws when loading fails. */
  reload(): Promise<void>;
}

/** BGREWRITEAOF, with Redis's replies. */
export function bgrewriteaofCommand(host: AofCommandHost): CommandSpec {
  return {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript"],
    group: "server",
    summary: "Rewrites the append-only file in the background",
    since: "1.0.0",
    handler(client: Client) {
      switch (host.requestRewrite()) {
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
 * DEBUG LOADAOF: the calling client waits blocked while the AOF loads
 * (other clients get -LOADING) and gets +OK at the end. A failed load stops
 * the server, as Redis exits.
 */
export function loadAofDebugSubcommand(host: AofCommandHost): DebugSubcommand {
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
      host.reload().then(
        () => resume(() => client.reply.ok()),
        (e) => {
          host.log.warning(`DEBUG LOADAOF failed: ${errorText(e)}. Exiting.`);
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
