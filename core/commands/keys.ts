/**
 * keys commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";

/** The keys commands. */
export const KEYS_COMMANDS: readonly CommandSpec[] = [];
