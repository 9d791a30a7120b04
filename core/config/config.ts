/**
 * The live configuration: a registry of key specs and their current values.
 *
 * The server's own keys are registered at start (keys.ts); plugins register
 * theirs. Each key has exactly one owner: registering a name twice is an
 * error. CONFIG GET/SET, the file loaders and `convert-conf` all go through
 * this registry, so a key behaves the same wherever it is set.
 *
 * @module
 */

import { type ConfigKeySpec, type ConfigSource, ConfigValueError } from "./spec.ts";

/** A problem with a configuration input, naming the key and where it came from. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The key concerned, when there is one. */
  readonly key: string | undefined;

  /** Creates an error about `key` (if any). */
  constructor(message: string, key?: string) {
    super(message);
    this.key = key;
  }
}

/** Called after a key changed. */
export type ConfigListener = (key: string, value: unknown, previous: unknown) => void;

/** The configuration of one server. */
export class Config {
  #specs = new Map<string, ConfigKeySpec>();
  #byAlias = new Map<string, string>();
  #values = new Map<string, unknown>();
  #sources = new Map<string, ConfigSource>();
  #listeners: ConfigListener[] = [];

  /** Creates a configuration holding the given keys at their defaults. */
  constructor(specs: readonly ConfigKeySpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  /** Adds a key at its default value. Throws when the name or an alias is taken. */
  register(spec: ConfigKeySpec): void {
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
    const spec = this.spec(name);
    if (spec === undefined) throw new ConfigError(`Unknown config key "${name}"`, name);
    return this.#values.get(spec.name) as T;
  }

  /** The value of `name` in text form (as CONFIG GET prints it). */
  getText(name: string): string {
    const spec = this.spec(name);
    if (spec === undefined) throw new ConfigError(`Unknown config key "${name}"`, name);
    return spec.format(this.#values.get(spec.name));
  }

  /** Where the current value of `name` came from. */
  source(name: string): ConfigSource {
    const spec = this.spec(name);
    return spec === undefined ? "default" : this.#sources.get(spec.name)!;
  }

  /**
   * Sets `name` from its text form. Throws {@link ConfigError} naming the key
   * when the key is unknown or the value is bad. Listeners run after the change.
   */
  setText(name: string, text: string, source: ConfigSource): void {
    const spec = this.#requireSpec(name);
    let value: unknown;
    try {
      value = spec.parse(text);
    } catch (e) {
      throw this.#valueError(spec, text, e);
    }
    this.setValue(spec.name, value, source);
  }

  /** Sets `name` from a TOML value (boolean, number, string, array). */
  setToml(name: string, raw: unknown, source: ConfigSource): void {
    const spec = this.#requireSpec(name);
    let value: unknown;
    try {
      value = spec.fromToml ? spec.fromToml.call(spec, raw) : spec.parse(String(raw));
    } catch (e) {
      throw this.#valueError(spec, typeof raw === "string" ? raw : JSON.stringify(raw), e);
    }
    this.setValue(spec.name, value, source);
  }

  /** Sets an already typed value and notifies listeners when it changed. */
  setValue(name: string, value: unknown, source: ConfigSource): void {
    const spec = this.#requireSpec(name);
    const previous = this.#values.get(spec.name);
    this.#values.set(spec.name, value);
    this.#sources.set(spec.name, source);
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

  #requireSpec(name: string): ConfigKeySpec {
    const spec = this.spec(name);
    if (spec === undefined) throw new ConfigError(`Unknown config key "${name}"`, name);
    return spec;
  }

  #valueError(spec: ConfigKeySpec, text: string, cause: unknown): ConfigError {
    const why = cause instanceof ConfigValueError ? cause.message : String(cause);
    return new ConfigError(
      `Invalid value "${text}" for "${spec.name}": ${why} (expected ${spec.expected})`,
      spec.name,
    );
  }
}
