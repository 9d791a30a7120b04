/**
 * debug commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { DebugSubcommand } from "../core.ts";

/** The debug commands. */
export const DEBUG_COMMANDS: readonly CommandSpec[] = [];

/** DEBUG subcommands provided by this family. */
export const DEBUG_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [];
