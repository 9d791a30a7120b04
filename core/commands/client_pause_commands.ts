/**
 * CLIENT PAUSE and CLIENT UNPAUSE (Redis's `clientCommand`); the pause
 * itself lives in core/client_pause.ts. Registered with the other CLIENT
 * subcommands in ./connection.ts.
 *
 * @module
 */

import type { Client } from "../client.ts";
import { PauseMode } from "../client_pause.ts";
import { parseInt64 } from "../numbers.ts";
import { subcommandSyntaxError } from "./help_reply.ts";

/** CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as Redis does. */
export function clientPause(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.reply.error(subcommandSyntaxError(argv));
    return;
  }
  let mode: PauseMode = PauseMode.All;
  if (argv.length === 4) {
    const word = argv[3].toLowerCase();
    if (word === "write") mode = PauseMode.Write;
    else if (word !== "all") {
      c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  const timeout = parseInt64(argv[2]);
  if (timeout === null) {
    c.reply.error("ERR timeout is not an integer or out of range");
    return;
  }
  if (timeout < 0) {
    c.reply.error("ERR timeout is negative");
    return;
  }
  // A zero timeout is an end time of 0, already past (Redis's
  // getTimeoutFromObjectOrReply): the command does nothing.
  const end = timeout === 0 ? 0 : Date.now() + Number(timeout);
  c.core.clientPause.pause(mode, end);
  c.reply.ok();
}

/** CLIENT UNPAUSE: ends the pause, if any; the held commands run in the order they arrived. */
export function clientUnpause(c: Client): void {
  c.core.clientPause.unpause();
  c.reply.ok();
}
