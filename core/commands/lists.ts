/**
 * lists commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { DebugSubcommand } from "../core.ts";

/** The lists commands. */
export const LISTS_COMMANDS: readonly CommandSpec[] = [];

/** DEBUG subcommands provided by this family. */
export const LISTS_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [];
