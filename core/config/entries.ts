/**
 * Configuration inputs as a list of entries, whatever their format: a
 * redis.conf line, a TOML key, a `--directive value` on the command line.
 * Readers produce entries (redis_conf.ts, toml.ts); load.ts applies them.
 *
 * @module
 */

import type { ConfigSource } from "./spec.ts";

/** One directive and its value, with where it was written. */
export interface ConfigEntry {
  /** The directive as written (any case; maybe an alias). */
  readonly name: string;
  /** The words after the name (redis.conf, command line). */
  readonly args?: readonly string[];
  /** The value (TOML). */
  readonly toml?: unknown;
  /** Where it was written, for messages: `redis.conf:12`, `command line`. */
  readonly where: string;
  /** The line as written, for messages. */
  readonly context?: string;
  /** Kind of input, recorded on the key. */
  readonly source: ConfigSource;
}

/** A comment or blank line kept by readers that preserve layout (convert-conf). */
export interface ConfigComment {
  /** The comment line (starting with `#`), or "" for a blank line. */
  readonly comment: string;
}

/** A reader's output: entries, with comments where the reader keeps them. */
export type ConfigItem = ConfigEntry | ConfigComment;

/** True for a comment or blank line. */
export function isComment(item: ConfigItem): item is ConfigComment {
  return "comment" in item;
}
