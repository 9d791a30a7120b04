/**
 * server commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";

/** The server commands. */
export const SERVER_COMMANDS: readonly CommandSpec[] = [];
