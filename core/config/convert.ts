/**
 * `cairn convert-conf`: turns a redis.conf (or a TOML file) into the
 * equivalent Cairn TOML, keeping the order of the directives and, if asked,
 * the comments. Each key is written once, where it first appears, with its
 * final value (so several `save` lines become one array).
 *
 * @module
 */

import { byteStringToUtf8 } from "../bytes.ts";
import { Config } from "./config.ts";
import { type ConfigItem, isComment } from "./entries.ts";
import { CORE_CONFIG_KEYS } from "./keys.ts";
import { ConfigLoad } from "./load.ts";
import type { ConfigKeySpec } from "./spec.ts";
import { tomlAssignment } from "./toml.ts";

/** The result of a conversion. */
export interface Conversion {
  /** The TOML text. */
  readonly toml: string;
  /** Warnings about directives that have no effect in Cairn. */
  readonly warnings: readonly string[];
}

/**
 * Converts config items (from server/config_file.ts) to TOML. Throws
 * {@link ConfigError} for a bad directive, as loading would.
 */
export function convertToToml(
  items: readonly ConfigItem[],
  options: { comments?: boolean; specs?: readonly ConfigKeySpec[] } = {},
): Conversion {
  const config = new Config([...CORE_CONFIG_KEYS, ...(options.specs ?? [])]);
  const warnings: string[] = [];
  config.setWarningSink((message) => warnings.push(message));
  const load = new ConfigLoad(config);
  const out: (string | { key: string })[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    if (isComment(item)) {
      if (options.comments !== false) out.push(byteStringToUtf8(item.comment));
      continue;
    }
    const key = load.apply(item);
    if (key === null) {
      out.push(
        `# not converted (no effect in Cairn): ${byteStringToUtf8(item.context ?? item.name)}`,
      );
    } else if (!placed.has(key)) {
      placed.add(key);
      out.push({ key });
    }
  }
  const lines = out.map((o) =>
    typeof o === "string" ? o : tomlAssignment(config.spec(o.key)!, config.get(o.key))
  );
  return { toml: lines.join("\n").replace(/\n{3,}/g, "\n\n") + "\n", warnings };
}
