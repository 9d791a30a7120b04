/**
 * The live configuration: a registry of key specs and their current values.
 *
 * The server's own keys are registered at start (keys.ts): every Redis 7.0
 * directive plus Cairn's own. Plugins register theirs. Each key has exactly
 * one owner: registering a name twice is an error (registering the very same
 * spec again is allowed, so a loader may register a plugin's keys before the
 * server does). CONFIG GET/SET, the file loaders and `convert-conf` all go
 * through this registry, so a key behaves the same wherever it is set.
 *
 * @module
 */

import { utf8ToByteString } from "../bytes.ts";
import { type ConfigKeySpec, type ConfigSource, ConfigValueError, tomlKind } from "./spec.ts";
import { didYouMean } from "./directives.ts";

/** Details of a {@link ConfigError}. */
export interface ConfigErrorDetails {
  /** Redis's own reason (`argument must be 'yes' or 'no'`); defaults to the message. */
  reason?: string;
  /** The bad value in text form. */
  value?: string;
  /** The offending line of a config file, as written. */
  context?: string;
}

/** A problem with a configuration input, naming the key and where it came from. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The key concerned, when there is one. */
  readonly key: string | undefined;
  /** Redis's own reason (`argument must be 'yes' or 'no'`), for CONFIG SET replies. */
  readonly reason: string;
  /** The bad value in text form, when there is one. */
  readonly value: string | undefined;
  /** The offending line of a config file, when the value came from one. */
  readonly context: string | undefined;

  /** Creates an error about `key` (if any). */
  constructor(message: string, key?: string, details: ConfigErrorDetails = {}) {
    super(message);
    this.key = key;
    this.reason = details.reason ?? message;
    this.value = details.value;
    this.context = details.context;
  }
}

/** Called after a key changed. */
export type ConfigListener = (key: string, value: unknown, previous: unknown) => void;

/** The format of a configuration file. */
export type ConfigFileFormat = "toml" | "redis.conf";

/** How sources are named in error messages when the caller gives no precise place. */
const SOURCE_NAMES: Record<ConfigSource, string> = {
  "default": "default",
  "file": "config file",
  "command-line": "command line",
  "config-set": "CONFIG SET",
  "embedder": "startServer options",
};

/** The configuration of one server. */
export class Config {
  /** Absolute path of the file the server was started from (CONFIG REWRITE writes it). */
  file: string | undefined;
  /** Format of {@link file}. */
  fileFormat: ConfigFileFormat | undefined;

  #specs = new Map<string, ConfigKeySpec>();
  #byAlias = new Map<string, string>();
  #values = new Map<string, unknown>();
  #sources = new Map<string, ConfigSource>();
  #listeners: ConfigListener[] = [];
  #warned = new Set<string>();
  #pendingWarnings: string[] = [];
  #warningSink: ((message: string) => void) | undefined;

  /** Creates a configuration holding the given keys at their defaults. */
  constructor(specs: readonly ConfigKeySpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  /** Adds a key at its default value. Throws when the name or an alias is taken by another spec. */
  register(spec: ConfigKeySpec): void {
    if (this.#specs.get(spec.name) === spec) return;
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      if (this.#specs.has(name) || this.#byAlias.has(name)) {
        throw new ConfigError(`Config key "${name}" is registered twice`, name);
      }
    }
    this.#specs.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) this.#byAlias.set(alias, spec.name);
    this.#values.set(spec.name, spec.default);
    this.#sources.set(spec.name, "default");
  }

  /** The spec of `name` (canonical name or alias, any case), or undefined. */
  spec(name: string): ConfigKeySpec | undefined {
    const lower = name.toLowerCase();
    return this.#specs.get(lower) ?? this.#specs.get(this.#byAlias.get(lower) ?? "");
  }

  /** Every registered spec, in registration order. */
  specs(): IterableIterator<ConfigKeySpec> {
    return this.#specs.values();
  }

  /** Every alias and the canonical name it stands for. */
  aliases(): IterableIterator<[string, string]> {
    return this.#byAlias.entries();
  }

  /** The typed value of `name`. Throws for an unknown key (a programming error). */
  get<T = unknown>(name: string): T {
    return this.#values.get(this.#requireSpec(name, "get").name) as T;
  }

  /** The value of `name` in text form (as CONFIG GET prints it). */
  getText(name: string): string {
    const spec = this.#requireSpec(name, "get");
    return spec.format(this.#values.get(spec.name));
  }

  /** True when `name` holds its default value (compared in text form). */
  isDefault(name: string): boolean {
    const spec = this.#requireSpec(name, "get");
    return spec.format(this.#values.get(spec.name)) === spec.format(spec.default);
  }

  /** Where the current value of `name` came from. */
  source(name: string): ConfigSource {
    const spec = this.spec(name);
    return spec === undefined ? "default" : this.#sources.get(spec.name)!;
  }

  /**
   * Sets `name` from its text form. Throws {@link ConfigError} naming the key,
   * the place (`where`, e.g. `redis.conf:12`; default: the source), the value
   * and what is expected when the key is unknown or the value is bad.
   * Listeners run after the change.
   */
  setText(name: string, text: string, source: ConfigSource, where?: string): void {
    const spec = this.#requireSpec(name, where ?? SOURCE_NAMES[source]);
    this.setValue(
      spec.name,
      this.parseText(spec.name, text, where ?? SOURCE_NAMES[source]),
      source,
    );
  }

  /**
   * Sets `name` from a TOML value (boolean, integer, string, array of
   * strings). Strings are Unicode text and become their UTF-8 bytes.
   */
  setToml(name: string, raw: unknown, source: ConfigSource, where?: string): void {
    const spec = this.#requireSpec(name, where ?? SOURCE_NAMES[source]);
    this.setValue(spec.name, this.parseToml(spec.name, raw, where ?? SOURCE_NAMES[source]), source);
  }

  /** The typed value `text` stands for, without setting it; throws like {@link setText}. */
  parseText(name: string, text: string, where: string): unknown {
    const spec = this.#requireSpec(name, where);
    try {
      return spec.parse(text, this.#values.get(spec.name));
    } catch (e) {
      throw this.#valueError(spec, text, e, where);
    }
  }

  /** The typed value a TOML value stands for, without setting it; throws like {@link setToml}. */
  parseToml(name: string, raw: unknown, where: string): unknown {
    const spec = this.#requireSpec(name, where);
    const bytes = toByteStrings(raw);
    try {
      return spec.fromToml
        ? spec.fromToml.call(spec, bytes)
        : spec.parse(tomlToText(spec, bytes), this.#values.get(spec.name));
    } catch (e) {
      throw this.#valueError(spec, describeToml(bytes), e, where);
    }
  }

  /** Sets an already typed value and notifies listeners when it changed. */
  setValue(name: string, value: unknown, source: ConfigSource): void {
    const spec = this.#requireSpec(name, SOURCE_NAMES[source]);
    const previous = this.#values.get(spec.name);
    this.#values.set(spec.name, value);
    this.#sources.set(spec.name, source);
    if (spec.ignored !== undefined && source !== "default") this.#warnIgnored(spec, value);
    if (spec.format(previous) !== spec.format(value)) {
      for (const listener of this.#listeners) listener(spec.name, value, previous);
    }
  }

  /** Registers a listener called after any key changes; returns a function removing it. */
  onChange(listener: ConfigListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Logs `message` once per `topic` (an ignored directive's name). Warnings
   * wait until the server sets a sink ({@link setWarningSink}), since the
   * configuration is read before the log exists.
   */
  warnOnce(topic: string, message: string): void {
    if (this.#warned.has(topic)) return;
    this.#warned.add(topic);
    if (this.#warningSink === undefined) this.#pendingWarnings.push(message);
    else this.#warningSink(message);
  }

  /** Sends warnings (the pending ones first) to `sink`, usually the server's log. */
  setWarningSink(sink: (message: string) => void): void {
    this.#warningSink = sink;
    const pending = this.#pendingWarnings;
    this.#pendingWarnings = [];
    for (const message of pending) sink(message);
  }

  #warnIgnored(spec: ConfigKeySpec, value: unknown): void {
    // At its default an ignored directive asks for nothing Cairn lacks.
    if (spec.format(value) === spec.format(spec.default)) return;
    this.warnOnce(
      spec.name,
      `Directive "${spec.name}" is accepted but has no effect in Cairn: ${spec.ignored}`,
    );
  }

  #requireSpec(name: string, where: string): ConfigKeySpec {
    const spec = this.spec(name);
    if (spec !== undefined) return spec;
    const names = [...this.#specs.keys(), ...this.#byAlias.keys()];
    throw new ConfigError(
      `${where}: unknown config key "${name}"${didYouMean(name, names)}`,
      name,
      { reason: `Unknown option '${name}'` },
    );
  }

  #valueError(spec: ConfigKeySpec, text: string, cause: unknown, where: string): ConfigError {
    const why = cause instanceof ConfigValueError || cause instanceof ConfigError
      ? cause.message
      : String(cause);
    // Redis's reason often says what is expected already; otherwise say it.
    const selfExplaining = /one of the following|must be between|'yes' or 'no'/.test(why);
    return new ConfigError(
      `${where}: invalid value ${JSON.stringify(text)} for "${spec.name}": ${why}` +
        (selfExplaining ? "" : ` (expected ${spec.expected})`),
      spec.name,
      { reason: why, value: text },
    );
  }
}

/** Converts TOML strings (Unicode) into byte strings, inside arrays too. */
function toByteStrings(raw: unknown): unknown {
  if (typeof raw === "string") return utf8ToByteString(raw);
  if (Array.isArray(raw)) return raw.map(toByteStrings);
  return raw;
}

/**
 * The text form of a TOML value for a key without its own `fromToml`:
 * strings and integers as they are, booleans as yes/no, arrays of words
 * joined (multi-word keys only).
 */
function tomlToText(spec: ConfigKeySpec, raw: unknown): string {
  if (typeof raw === "string" || typeof raw === "bigint") return String(raw);
  if (typeof raw === "number" && Number.isInteger(raw)) return String(raw);
  if (typeof raw === "boolean") return raw ? "yes" : "no";
  if (Array.isArray(raw) && spec.multiArg && raw.every((x) => typeof x !== "object")) {
    return raw.map(String).join(" ");
  }
  throw new ConfigValueError(`${tomlKind(raw)} is not accepted here`);
}

/** A TOML value as shown in an error message. */
function describeToml(raw: unknown): string {
  if (typeof raw === "string") return raw;
  if (typeof raw === "bigint") return String(raw);
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}
