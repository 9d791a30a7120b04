/**
 * Cairn's TOML configuration: top-level `key = value` pairs whose keys are
 * redis.conf directive names (`appendfsync = "always"`, `save = ["3600 1"]`,
 * `maxmemory = "1gb"`). Also: telling TOML from redis.conf by content, and
 * rendering keys as TOML (convert-conf, CONFIG REWRITE, the example file).
 *
 * @module
 */

import { parse, TomlError } from "smol-toml";
import { ConfigError, type ConfigFileFormat } from "./config.ts";
import type { ConfigEntry } from "./entries.ts";
import type { ConfigKeySpec, ConfigSource } from "./spec.ts";
import { tomlString } from "./spec.ts";

/** A line that can only be TOML: a table header or `key = ...`. */
const TOML_LINE = /^\s*(\[|("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=)/;

/**
 * The format of a config text, told by its first line that is neither blank
 * nor a comment: `key = value` or `[table]` is TOML, anything else is
 * redis.conf. A text of comments only reads the same either way (TOML).
 */
export function detectConfigFormat(text: string): ConfigFileFormat {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    return TOML_LINE.test(t) ? "toml" : "redis.conf";
  }
  return "toml";
}

/** The 1-based line where `key` is assigned at the top level of `text`, if found. */
export function findTomlKeyLine(text: string, key: string): number | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=/.exec(lines[i]);
    if (m !== null && m[1].replace(/^["']|["']$/g, "") === key) return i + 1;
  }
  return undefined;
}

function isTable(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Reads TOML config text (Unicode) into entries, in document order. Throws
 * {@link ConfigError} for a syntax error (with its line) or a table (keys
 * are redis.conf names at the top level).
 */
export function parseTomlConfig(
  text: string,
  file: string,
  source: ConfigSource = "file",
): ConfigEntry[] {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { integersAsBigInt: "asNeeded" });
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0];
      throw new ConfigError(`${file}:${e.line}: TOML syntax error: ${first}`, undefined, {
        reason: first,
        context: text.split("\n")[e.line - 1],
      });
    }
    throw e;
  }
  const lines = text.split("\n");
  return Object.entries(doc).map(([name, toml]) => {
    const line = findTomlKeyLine(text, name) ??
      lines.findIndex((l) => l.trim() === `[${name}]`) + 1;
    const where = line > 0 ? `${file}:${line}` : file;
    const context = line > 0 ? lines[line - 1].trim() : undefined;
    if (isTable(toml)) {
      throw new ConfigError(
        `${where}: "${name}" is a TOML table; write redis.conf directive names as top-level keys ` +
          `(port = 6379, appendonly = true)`,
        name,
        { reason: "tables are not used", context },
      );
    }
    return { name, toml, where, context, source };
  });
}

/** Characters TOML allows in a bare key. */
const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `name = value` for a key, rendered as TOML. */
export function tomlAssignment(spec: ConfigKeySpec, value: unknown): string {
  const key = BARE_KEY.test(spec.name) ? spec.name : JSON.stringify(spec.name);
  return `${key} = ${tomlValue(spec, value)}`;
}

/** A value of `spec` as a TOML literal. */
export function tomlValue(spec: ConfigKeySpec, value: unknown): string {
  return spec.toToml ? spec.toToml(value) : tomlString(spec.format(value));
}
