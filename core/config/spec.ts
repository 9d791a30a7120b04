/**
 * How a configuration key is described: its redis.conf name, default, value
 * form, and whether CONFIG SET may change it.
 *
 * Values travel in two forms. The *text* form is what redis.conf holds and
 * CONFIG GET prints (`yes`, `64mb`, `3600 1 300 100`); every key can parse
 * and print it. TOML adds native values (booleans, integers, arrays), which
 * {@link ConfigKeySpec.fromToml} turns into the same typed value.
 *
 * @module
 */

/** A bad value for a key. The message says what was expected. */
export class ConfigValueError extends Error {
  override name = "ConfigValueError";
}

/** Where a value came from: used in error messages and by CONFIG SET checks. */
export type ConfigSource = "default" | "file" | "command-line" | "config-set" | "embedder";

/** Description of one configuration key. */
export interface ConfigKeySpec<T = unknown> {
  /** Canonical name, as in redis.conf (`appendfsync`). */
  readonly name: string;
  /** Other names accepted for this key (`list-max-ziplist-size` for `list-max-listpack-size`). */
  readonly aliases?: readonly string[];
  /** Value used when nothing sets the key. */
  readonly default: T;
  /** True when CONFIG SET may change the key while the server runs. */
  readonly mutable: boolean;
  /**
   * True when the key takes several words (`save 3600 1 300 100`, `bind a b`):
   * the words of a redis.conf line are joined with spaces before parsing.
   */
  readonly multiArg?: boolean;
  /** What the value looks like, for error messages: `yes or no`, `an integer between 1 and 500`. */
  readonly expected: string;
  /** One line for the example config and `convert-conf`. */
  readonly doc?: string;
  /** Parses the text form; throws {@link ConfigValueError}. */
  parse(text: string): T;
  /** Prints a value in text form (CONFIG GET, CONFIG REWRITE, convert-conf). */
  format(value: T): string;
  /** Accepts a TOML value; defaults to parsing its text form. Throws {@link ConfigValueError}. */
  fromToml?(value: unknown): T;
  /** Renders a value as a TOML literal (convert-conf). Defaults to a quoted text form. */
  toToml?(value: T): string;
}

/** Parses `yes`/`no` (any case), as Redis's bool configs do. */
export function boolKey(
  name: string,
  def: boolean,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<boolean>> = {},
): ConfigKeySpec<boolean> {
  return {
    name,
    default: def,
    mutable,
    expected: "yes or no",
    parse(text) {
      const t = text.toLowerCase();
      if (t === "yes") return true;
      if (t === "no") return false;
      throw new ConfigValueError("argument must be 'yes' or 'no'");
    },
    format: (v) => (v ? "yes" : "no"),
    fromToml(v) {
      if (typeof v === "boolean") return v;
      if (typeof v === "string") return this.parse(v);
      throw new ConfigValueError("argument must be 'yes' or 'no'");
    },
    toToml: (v) => String(v),
    ...extra,
  };
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Parses a Redis memory value (`64mb`, `1gb`, `100`) into bytes, or null (Redis's `memtoull`). */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(text);
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

/** Prints bytes the way CONFIG GET prints memory values (plain bytes). */
export function formatMemory(bytes: number): string {
  return String(bytes);
}

/** An integer key with bounds; `memory` accepts unit suffixes (`64mb`). */
export function intKey(
  name: string,
  def: number,
  min: number,
  max: number,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<number>> & { memory?: boolean } = {},
): ConfigKeySpec<number> {
  const { memory = false, ...rest } = extra;
  const expected = `an integer between ${min} and ${max}${
    memory ? " (units like 64mb allowed)" : ""
  }`;
  return {
    name,
    default: def,
    mutable,
    expected,
    parse(text) {
      const n = memory ? parseMemory(text) : /^-?\d+$/.test(text) ? Number(text) : null;
      if (n === null || !Number.isFinite(n)) {
        throw new ConfigValueError(
          memory
            ? "argument must be a memory value"
            : "argument couldn't be parsed into an integer",
        );
      }
      if (n < min || n > max) {
        throw new ConfigValueError(`argument must be between ${min} and ${max} inclusive`);
      }
      return n;
    },
    format: memory ? formatMemory : String,
    fromToml(v) {
      if (typeof v === "number" || typeof v === "bigint") return this.parse(String(v));
      if (typeof v === "string") return this.parse(v);
      throw new ConfigValueError(`expected ${expected}`);
    },
    toToml: (v) => String(v),
    ...rest,
  };
}

/** A key that takes one of a fixed set of words. */
export function enumKey<T extends string>(
  name: string,
  def: T,
  values: readonly T[],
  mutable: boolean,
  extra: Partial<ConfigKeySpec<T>> = {},
): ConfigKeySpec<T> {
  return {
    name,
    default: def,
    mutable,
    expected: `one of ${values.join(", ")}`,
    parse(text) {
      const t = text.toLowerCase() as T;
      if (!values.includes(t)) {
        throw new ConfigValueError(
          `argument(s) must be one of the following: ${values.join(", ")}`,
        );
      }
      return t;
    },
    format: (v) => v,
    ...extra,
  };
}

/** A free-form string key. */
export function stringKey(
  name: string,
  def: string,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<string>> = {},
): ConfigKeySpec<string> {
  return {
    name,
    default: def,
    mutable,
    expected: "a string",
    parse: (text) => text,
    format: (v) => v,
    fromToml(v) {
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      throw new ConfigValueError("expected a string");
    },
    toToml: (v) => JSON.stringify(v),
    ...extra,
  };
}
