/**
 * sort commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";

/** The sort commands. */
export const SORT_COMMANDS: readonly CommandSpec[] = [];
