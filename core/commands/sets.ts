/**
 * sets commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { DebugSubcommand } from "../core.ts";

/** The sets commands. */
export const SETS_COMMANDS: readonly CommandSpec[] = [];

/** DEBUG subcommands provided by this family. */
export const SETS_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [];
