/**
 * Connection commands: PING, ECHO, QUIT, SELECT, ...
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.reply.error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (argv.length === 2) c.reply.bulk(argv[1]);
  else c.reply.simple("PONG");
}

function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

/** The connection commands. */
export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast"],
    group: "connection",
    summary: "Answers PONG, or echoes its argument",
    since: "1.0.0",
    handler: ping,
  },
  {
    name: "quit",
    arity: -1,
    flags: ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"],
    group: "connection",
    summary: "Closes the connection after replying",
    since: "1.0.0",
    handler: quit,
  },
];
