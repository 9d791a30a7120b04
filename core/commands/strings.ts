/**
 * String commands.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import { WRONGTYPE } from "../errors.ts";

function get(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) c.reply.nullBulk();
  else if (typeof v !== "string") c.reply.error(WRONGTYPE);
  else c.reply.bulk(v);
}

function set(c: Client, argv: string[]): void {
  c.db.setKey(argv[1], argv[2]);
  c.core.dirty++;
  c.reply.ok();
}

/** The string commands. */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Returns the string value of a key",
    since: "1.0.0",
    handler: get,
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "string",
    summary: "Sets the string value of a key, with options for expiry and conditions",
    since: "1.0.0",
    handler: set,
  },
];
