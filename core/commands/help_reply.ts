/**
 * Replies shared by commands with subcommands: Redis's HELP layout
 * (`addReplyHelp`) and its "unknown subcommand" error
 * (`addReplySubcommandSyntaxError`).
 *
 * @module
 */

import type { Client } from "../client.ts";

/**
 * Writes Redis's HELP reply: a header naming `commandName` (upper-cased), the
 * given lines, and the closing `HELP` entry, each as a status line.
 */
export function replyHelp(c: Client, commandName: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(
    `${commandName.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
  );
  for (const line of lines) c.reply.simple(line);
  c.reply.simple("HELP");
  c.reply.simple("    Prints this help.");
}

/** Redis's reply when a subcommand is unknown or has the wrong number of arguments. */
export function subcommandSyntaxError(argv: readonly string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${
    argv[0].toUpperCase()
  } HELP.`;
}
