/**
 * Every built-in command, by family. Each family file exports its specs;
 * this list is the only place that names them all.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { DebugSubcommand } from "../core.ts";
import { CONNECTION_COMMANDS } from "./connection.ts";
import { DEBUG_COMMANDS, DEBUG_DEBUG_SUBCOMMANDS } from "./debug.ts";
import { HASHES_COMMANDS } from "./hashes.ts";
import { KEYS_COMMANDS } from "./keys.ts";
import { LISTS_COMMANDS, LISTS_DEBUG_SUBCOMMANDS } from "./lists.ts";
import { SERVER_COMMANDS } from "./server.ts";
import { SETS_COMMANDS, SETS_DEBUG_SUBCOMMANDS } from "./sets.ts";
import { SORT_COMMANDS } from "./sort.ts";
import { STRING_COMMANDS } from "./strings.ts";
import { TRANSACTION_COMMANDS } from "./transactions.ts";
import { ZSETS_COMMANDS } from "./zsets.ts";

/** The commands of the core, registered at start. */
export const BUILTIN_COMMANDS: readonly CommandSpec[] = [
  ...CONNECTION_COMMANDS,
  ...DEBUG_COMMANDS,
  ...HASHES_COMMANDS,
  ...KEYS_COMMANDS,
  ...LISTS_COMMANDS,
  ...SERVER_COMMANDS,
  ...SETS_COMMANDS,
  ...SORT_COMMANDS,
  ...STRING_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...ZSETS_COMMANDS,
];

/** The DEBUG subcommands of the core, registered at start. */
export const BUILTIN_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [
  ...DEBUG_DEBUG_SUBCOMMANDS,
  ...LISTS_DEBUG_SUBCOMMANDS,
  ...SETS_DEBUG_SUBCOMMANDS,
];
