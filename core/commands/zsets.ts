/**
 * zsets commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";

/** The zsets commands. */
export const ZSETS_COMMANDS: readonly CommandSpec[] = [];
