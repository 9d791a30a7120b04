/**
 * Every built-in command, by family.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import { CONNECTION_COMMANDS } from "./connection.ts";
import { STRING_COMMANDS } from "./strings.ts";
import { TRANSACTION_COMMANDS } from "./transactions.ts";

/** The commands of the core, registered at start. */
export const BUILTIN_COMMANDS: readonly CommandSpec[] = [
  ...CONNECTION_COMMANDS,
  ...STRING_COMMANDS,
  ...TRANSACTION_COMMANDS,
];
