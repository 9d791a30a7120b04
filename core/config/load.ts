/**
 * Applying configuration entries to a {@link Config}, with Redis's rules for
 * reading a config file:
 *
 * - a name that is no Redis 7.0 directive (nor a Cairn key) is an error,
 *   with a suggestion when a known name is close;
 * - a single-value directive takes exactly one argument; a multi-word one
 *   given as one quoted argument is split again (`--save "3600 1"`);
 * - keys that accumulate (`save`) add up over the lines of one load, the
 *   first line replacing the default, `save ""` starting over;
 * - `rename-command`, `user`, `loadmodule` and `sentinel` are accepted with
 *   a warning (Cairn has no such feature).
 *
 * Every error names the place (`file:line`, `command line`), the key, the
 * value and what is expected.
 *
 * @module
 */

import { splitArgs } from "../split_args.ts";
import { type Config, ConfigError } from "./config.ts";
import { didYouMean, FILE_ONLY_DIRECTIVES } from "./directives.ts";
import type { ConfigEntry } from "./entries.ts";
import type { ConfigKeySpec } from "./spec.ts";

/**
 * One load of configuration inputs (a file, its includes, stdin, then the
 * command line), which shares what accumulates between them.
 */
export class ConfigLoad {
  readonly #config: Config;
  readonly #accumulated = new Set<string>();
  readonly #entries = new Map<string, ConfigEntry>();

  /** Starts a load into `config`. */
  constructor(config: Config) {
    this.#config = config;
  }

  /** Applies entries in order; throws {@link ConfigError} at the first bad one. */
  applyAll(entries: Iterable<ConfigEntry>): void {
    for (const entry of entries) this.apply(entry);
  }

  /**
   * Applies one entry. Returns the canonical key it set, or null for a
   * directive accepted without effect.
   */
  apply(entry: ConfigEntry): string | null {
    try {
      return this.#apply(entry);
    } catch (e) {
      throw e instanceof ConfigError && e.context === undefined ? withContext(e, entry) : e;
    }
  }

  #apply(entry: ConfigEntry): string | null {
    const spec = this.#config.spec(entry.name);
    if (spec === undefined) {
      this.#acceptFileOnlyDirective(entry);
      return null;
    }
    let value = entry.args !== undefined
      ? this.#config.parseText(spec.name, this.#textOf(spec, entry), entry.where)
      : this.#config.parseToml(spec.name, entry.toml, entry.where);
    if (spec.accumulate) {
      if (this.#accumulated.has(spec.name)) {
        value = spec.accumulate(this.#config.get(spec.name), value);
      }
      this.#accumulated.add(spec.name);
    }
    this.#config.setValue(spec.name, value, entry.source);
    this.#entries.set(spec.name, entry);
    return spec.name;
  }

  /** The entry that last set `key` in this load, for messages about its value. */
  entryOf(key: string): ConfigEntry | undefined {
    const spec = this.#config.spec(key);
    return spec === undefined ? undefined : this.#entries.get(spec.name);
  }

  /** The text form of a redis.conf entry's words, checked against the key's arity. */
  #textOf(spec: ConfigKeySpec, entry: ConfigEntry): string {
    let args = entry.args!;
    if (!spec.multiArg && args.length !== 1) {
      throw new ConfigError(
        `${entry.where}: wrong number of arguments for "${spec.name}": expected one value, ` +
          `got ${args.length} (quote a value that has spaces)`,
        spec.name,
        { reason: "wrong number of arguments", value: args.join(" ") },
      );
    }
    if (spec.multiArg && args.length === 1 && args[0] !== "") {
      const split = splitArgs(args[0]);
      if (split === null) {
        throw new ConfigError(
          `${entry.where}: unbalanced quotes in the value of "${spec.name}"`,
          spec.name,
          { reason: "Unbalanced quotes in configuration line", value: args[0] },
        );
      }
      args = split;
    }
    return args.join(" ");
  }

  #acceptFileOnlyDirective(entry: ConfigEntry): void {
    const name = entry.name.toLowerCase();
    const reason = FILE_ONLY_DIRECTIVES[name];
    if (reason === undefined || name === "include") {
      const known = [...this.#config.specs()].map((s) => s.name);
      const aliases = [...this.#config.aliases()].map(([alias]) => alias);
      const hint = didYouMean(name, [...known, ...aliases, ...Object.keys(FILE_ONLY_DIRECTIVES)]);
      const what = name === "include"
        ? `"include" is not allowed here`
        : `unknown directive "${entry.name}": not a Redis 7.0 directive nor a Cairn key${hint}`;
      throw new ConfigError(`${entry.where}: ${what}`, entry.name, {
        reason: "Bad directive or wrong number of arguments",
      });
    }
    this.#config.warnOnce(
      name,
      `Directive "${name}" (${entry.where}) is accepted but has no effect in Cairn: ${reason}`,
    );
  }
}

/** The error with the entry's line attached, for Redis-style reports. */
function withContext(error: ConfigError, entry: ConfigEntry): ConfigError {
  return new ConfigError(error.message, error.key, {
    reason: error.reason,
    value: error.value,
    context: entry.context,
  });
}

/** Applies `entries` to `config` as one load. */
export function applyConfigEntries(config: Config, entries: Iterable<ConfigEntry>): void {
  new ConfigLoad(config).applyAll(entries);
}
