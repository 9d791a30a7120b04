/**
 * hashes commands (to be filled in).
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";

/** The hashes commands. */
export const HASHES_COMMANDS: readonly CommandSpec[] = [];
