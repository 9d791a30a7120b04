/**
 * How a configuration key is described: its redis.conf name, default, value
 * form, and whether CONFIG SET may change it.
 *
 * Values travel in two forms. The *text* form is what redis.conf holds and
 * CONFIG GET prints (`yes`, `64mb`, `3600 1 300 100`); every key can parse
 * and print it. TOML adds native values (booleans, integers, arrays), which
 * {@link ConfigKeySpec.fromToml} (or the generic rules in config.ts) turn
 * into the same typed value.
 *
 * The builders below reproduce the parsing rules and error texts of Redis
 * 7.0's config types (bool, numeric with memory/percent/octal forms, enum,
 * bit-flag enum, string), so CONFIG SET and the file loaders reject exactly
 * what Redis rejects, with the same words.
 *
 * String values are byte strings (see docs/architecture.md), whatever their
 * origin: CONFIG SET brings bytes, redis.conf is read byte for byte, and TOML
 * or command-line text is converted to its UTF-8 bytes. Code that uses a
 * string key as a file path converts it back with `byteStringToUtf8`.
 *
 * @module
 */

import { latin1Bytes } from "../bytes.ts";
import { parseInt64Big } from "../numbers.ts";
import { quoteArg } from "../split_args.ts";

/** A bad value for a key. The message is Redis's reason (`argument must be 'yes' or 'no'`). */
export class ConfigValueError extends Error {
  override name = "ConfigValueError";
}

/** Where a value came from: used in error messages and by CONFIG SET checks. */
export type ConfigSource = "default" | "file" | "command-line" | "config-set" | "embedder";

/** C's INT_MAX. */
export const INT_MAX = 2147483647;
/** C's INT_MIN. */
export const INT_MIN = -2147483648;
/** C's UINT_MAX. */
export const UINT_MAX = 4294967295;
/** C's LLONG_MAX (and LONG_MAX on 64-bit). */
export const LLONG_MAX = 9223372036854775807n;
/** C's LLONG_MIN. */
export const LLONG_MIN = -9223372036854775808n;
/** C's ULLONG_MAX. */
export const ULLONG_MAX = 18446744073709551615n;

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
  /**
   * Set for a Redis directive Cairn accepts but does not act on: why it has
   * no effect. Setting it to a value other than the default logs one warning.
   */
  readonly ignored?: string;
  /** Redis's HIDDEN_CONFIG: left out of `CONFIG GET <pattern>` unless named exactly. */
  readonly hidden?: boolean;
  /** Redis's SENSITIVE_CONFIG: the value must not appear in logs (requirepass). */
  readonly sensitive?: boolean;
  /** Redis's PROTECTED_CONFIG: CONFIG SET refuses it unless `enable-protected-configs` allows. */
  readonly protected?: boolean;
  /** Redis's DENY_LOADING_CONFIG: CONFIG SET refuses it while loading. */
  readonly denyLoading?: boolean;
  /** True for byte counts: CONFIG REWRITE and convert-conf print them with units (`64mb`). */
  readonly memory?: boolean;
  /** True for free-form strings: CONFIG REWRITE quotes them (`dbfilename "dump.rdb"`). */
  readonly quoted?: boolean;
  /** Redis's EMPTY_STRING_IS_NULL: an empty value is written as no line at all. */
  readonly emptyIsNull?: boolean;
  /** CONFIG REWRITE writes the key even at its default (`save`, `dir`). */
  readonly alwaysRewrite?: boolean;
  /**
   * Parses the text form; throws {@link ConfigValueError}. `previous` is the
   * current value, for keys whose setting updates part of it
   * (`client-output-buffer-limit pubsub ...`).
   */
  parse(text: string, previous?: T): T;
  /** Prints a value in text form (CONFIG GET, CONFIG REWRITE, convert-conf). */
  format(value: T): string;
  /** Accepts a TOML value; defaults to the generic rules of config.ts. Throws {@link ConfigValueError}. */
  fromToml?(value: unknown): T;
  /** Renders a value as a TOML literal (convert-conf). Defaults to a quoted text form. */
  toToml?(value: T): string;
  /**
   * Combines repeated lines of one config file (`save` lines accumulate):
   * called for the second and later occurrences while loading.
   */
  accumulate?(previous: T, next: T): T;
  /** The arguments of each redis.conf line for this value (CONFIG REWRITE); default: one line. */
  rewriteArgs?(value: T): string[];
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Renders a byte string as a TOML basic string. Throws {@link ConfigValueError}
 * when the bytes are not UTF-8, which TOML cannot hold.
 */
export function tomlString(bytes: string): string {
  let text: string;
  try {
    text = strictUtf8.decode(latin1Bytes(bytes));
  } catch {
    throw new ConfigValueError("the value is not UTF-8 text, which TOML cannot hold");
  }
  // JSON's escapes are TOML's, except that TOML also forbids a raw DEL.
  return JSON.stringify(text).replaceAll("\x7f", "\\u007f");
}

/** Renders byte strings as a TOML array of strings. */
export function tomlArray(items: readonly string[]): string {
  return `[${items.map(tomlString).join(", ")}]`;
}

/** How a TOML value is named in messages: "an array", "a boolean", ... */
export function tomlKind(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a date";
  if (typeof v === "number" && !Number.isInteger(v)) return "a fraction";
  if (typeof v === "number" || typeof v === "bigint") return "an integer";
  if (typeof v === "object" && v !== null) return "a table";
  return `a ${typeof v}`;
}

/** The error for a TOML value of the wrong kind. */
function wrongKind(v: unknown): ConfigValueError {
  return new ConfigValueError(`${tomlKind(v)} is not accepted here`);
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

const MEMORY_UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

const TWO_64 = 1n << 64n;

/**
 * Redis's `memtoull`: digits and an optional unit (b, k, kb, m, mb, g, gb, any
 * case). No sign, no spaces, no fraction. Like strtoull, a digit run that
 * overflows saturates, and the product wraps at 2^64. Returns null when Redis
 * reports a parse error.
 */
export function memtoull(text: string): bigint | null {
  if (text.startsWith("-")) return null;
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const mul = MEMORY_UNITS[text.slice(i).toLowerCase()];
  if (mul === undefined || i >= 128) return null;
  let digits = i === 0 ? 0n : BigInt(text.slice(0, i));
  if (digits > ULLONG_MAX) digits = ULLONG_MAX;
  return (digits * mul) % TWO_64;
}

/** Parses a Redis memory value (`64mb`, `1gb`, `100`) into bytes, or null (Redis's `memtoull`). */
export function parseMemory(text: string): number | null {
  const v = memtoull(text);
  return v === null ? null : Number(v);
}

/** Prints bytes the way CONFIG GET prints memory values (plain bytes). */
export function formatMemory(bytes: number): string {
  return String(bytes);
}

/** Prints bytes the way CONFIG REWRITE does: `1gb`, `64mb`, `4kb` when exact, else plain bytes. */
export function formatMemoryUnits(bytes: number): string {
  if (bytes !== 0 && Number.isInteger(bytes)) {
    for (const [unit, size] of [["gb", 1024 ** 3], ["mb", 1024 ** 2], ["kb", 1024]] as const) {
      if (bytes % size === 0) return `${bytes / size}${unit}`;
    }
  }
  return String(bytes);
}

/** How a numeric key reads its text, after Redis's numeric config flags. */
export interface NumericOptions {
  /** MEMORY_CONFIG: units allowed (`64mb`); no negative values. */
  memory?: boolean;
  /** PERCENT_CONFIG: `10%` is stored as -10. */
  percent?: boolean;
  /** OCTAL_CONFIG: read and printed in base 8 (`unixsocketperm 700`). */
  octal?: boolean;
  /** The C type is unsigned: negative input wraps before the bound check, as in C. */
  unsigned?: boolean;
  /** Values outside this range are accepted but brought inside it (Redis's `hz`). */
  clamp?: readonly [number, number];
}

/** Bounds callers give as `Number.MAX_SAFE_INTEGER` mean C's LONG_MAX. */
function toBound(n: number | bigint): bigint {
  if (typeof n === "bigint") return n;
  if (n === Number.MAX_SAFE_INTEGER) return LLONG_MAX;
  return BigInt(n);
}

/** Redis's `numericParseString`: the integer of `text` under the flags, or throws its error. */
function parseNumericText(text: string, o: NumericOptions): bigint {
  if (o.memory) {
    const u = memtoull(text);
    if (u !== null) return u > LLONG_MAX ? u - TWO_64 : u;
  }
  if (o.percent && text.length > 1 && text.endsWith("%")) {
    const p = parseInt64Big(text.slice(0, -1));
    if (p !== null && p >= 0n) return -p;
  }
  if (o.octal && /^\s*[+-]?[0-7]+$/.test(text)) {
    const t = text.trim();
    const v = BigInt(t.startsWith("-") ? "-0o" + t.slice(1) : "0o" + t.replace(/^\+/, ""));
    if (v <= LLONG_MAX && v >= LLONG_MIN) return v;
  }
  if (!o.memory && !o.percent && !o.octal) {
    const v = parseInt64Big(text);
    if (v !== null) return v;
  }
  if (o.memory && o.percent) {
    throw new ConfigValueError("argument must be a memory or percent value");
  }
  if (o.memory) throw new ConfigValueError("argument must be a memory value");
  if (o.octal) throw new ConfigValueError("argument couldn't be parsed as an octal number");
  throw new ConfigValueError("argument couldn't be parsed into an integer");
}

/** Redis's `numericBoundaryCheck`, with its error texts. */
function checkNumericBounds(v: bigint, min: bigint, max: bigint, o: NumericOptions): void {
  if (o.unsigned) {
    const u = v < 0n ? v + TWO_64 : v;
    if (u > max || u < min) {
      const f = (b: bigint) => (o.octal ? b.toString(8) : b.toString());
      throw new ConfigValueError(`argument must be between ${f(min)} and ${f(max)} inclusive`);
    }
  } else if (o.percent && v < 0n) {
    if (v < min) throw new ConfigValueError(`percentage argument must be less or equal to ${-min}`);
  } else if (v > max || v < min) {
    throw new ConfigValueError(`argument must be between ${min} and ${max} inclusive`);
  }
}

/**
 * An integer key with bounds (inclusive). `memory` accepts unit suffixes
 * (`64mb`); see {@link NumericOptions} for the other forms.
 */
export function intKey(
  name: string,
  def: number,
  min: number | bigint,
  max: number | bigint,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<number>> & NumericOptions = {},
): ConfigKeySpec<number> {
  const { memory = false, percent, octal, unsigned, clamp, ...rest } = extra;
  const options: NumericOptions = { memory, percent, octal, unsigned };
  const lo = toBound(min);
  const hi = toBound(max);
  const forms = [memory ? "units like 64mb allowed" : "", percent ? "or a percentage like 10%" : ""]
    .filter((s) => s !== "").join(", ");
  const expected = `${octal ? "an octal number" : "an integer"} between ${
    octal ? lo.toString(8) : lo
  } and ${octal ? hi.toString(8) : hi}${forms === "" ? "" : ` (${forms})`}`;
  return {
    name,
    default: def,
    mutable,
    expected,
    memory: memory || undefined,
    parse(text) {
      const v = parseNumericText(text, options);
      checkNumericBounds(v, lo, hi, options);
      const n = unsigned && v < 0n ? Number(v + TWO_64) : Number(v);
      return clamp ? Math.min(Math.max(n, clamp[0]), clamp[1]) : n;
    },
    format(v) {
      if (percent && v < 0) return `${-v}%`;
      if (octal) return v.toString(8);
      return String(v);
    },
    fromToml(v) {
      if (typeof v === "number" && !Number.isInteger(v)) {
        throw new ConfigValueError("argument couldn't be parsed into an integer");
      }
      if (typeof v === "number" || typeof v === "bigint") return this.parse(String(v));
      if (typeof v === "string") return this.parse(v);
      throw wrongKind(v);
    },
    toToml(v) {
      if (percent && v < 0) return tomlString(`${-v}%`);
      if (octal) return tomlString(v.toString(8));
      const units = memory ? formatMemoryUnits(v) : String(v);
      return units === String(v) ? units : tomlString(units);
    },
    rewriteArgs(v) {
      if (percent && v < 0) return [`${-v}%`];
      if (memory) return [formatMemoryUnits(v)];
      return [this.format(v)];
    },
    ...rest,
  };
}

/** Options of {@link enumKey}. */
export interface EnumOptions {
  /** Accepted words stored as another (`relative` is stored as `yes`, as Redis prints it). */
  synonyms?: Readonly<Record<string, string>>;
}

/**
 * A key that takes one of a fixed set of words (any case). `values` lists
 * every accepted word in Redis's order: the error message lists them so.
 */
export function enumKey<T extends string>(
  name: string,
  def: T,
  values: readonly T[],
  mutable: boolean,
  extra: Partial<ConfigKeySpec<T>> & EnumOptions = {},
): ConfigKeySpec<T> {
  const { synonyms = {}, ...rest } = extra;
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
      return (synonyms[t] ?? t) as T;
    },
    format: (v) => v,
    toToml: tomlString,
    ...rest,
  };
}

/**
 * A multi-word key of flags, like Redis's bit-flag enums
 * (`shutdown-on-sigterm save now`). The value lists the flags set, in the
 * order of `flags`; the empty list prints as `none` (the first word, which
 * stands for no flag).
 */
export function flagsKey(
  name: string,
  none: string,
  flags: readonly string[],
  mutable: boolean,
  validate: (set: readonly string[]) => string | null,
  extra: Partial<ConfigKeySpec<readonly string[]>> = {},
): ConfigKeySpec<readonly string[]> {
  const all = [none, ...flags];
  return {
    name,
    default: [],
    mutable,
    multiArg: true,
    expected: `one or more of ${all.join(", ")}`,
    parse(text) {
      const words = text.toLowerCase().split(/\s+/).filter((w) => w !== "");
      if (words.length === 0 || words.some((w) => !all.includes(w))) {
        throw new ConfigValueError(`argument(s) must be one of the following: ${all.join(", ")}`);
      }
      const set = flags.filter((f) => words.includes(f));
      const problem = validate(set);
      if (problem !== null) throw new ConfigValueError(problem);
      return set;
    },
    format: (v) => (v.length === 0 ? none : v.join(" ")),
    fromToml(v) {
      if (typeof v === "string") return this.parse(v);
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return this.parse(v.join(" "));
      throw wrongKind(v);
    },
    toToml(v) {
      return tomlString(this.format(v));
    },
    ...extra,
  };
}

/** Options of {@link stringKey}. */
export interface StringOptions {
  /** Returns Redis's error text for a bad value, or null. */
  validate?: (value: string) => string | null;
}

/** A free-form string key. */
export function stringKey(
  name: string,
  def: string,
  mutable: boolean,
  extra: Partial<ConfigKeySpec<string>> & StringOptions = {},
): ConfigKeySpec<string> {
  const { validate, ...rest } = extra;
  return {
    name,
    default: def,
    mutable,
    quoted: true,
    expected: "a string",
    parse(text) {
      const problem = validate?.(text) ?? null;
      if (problem !== null) throw new ConfigValueError(problem);
      return text;
    },
    format: (v) => v,
    fromToml(v) {
      if (typeof v === "string") return this.parse(v);
      if (typeof v === "number" || typeof v === "bigint") return this.parse(String(v));
      throw wrongKind(v);
    },
    toToml: tomlString,
    rewriteArgs: (v) => [quoteArg(v)],
    ...rest,
  };
}
