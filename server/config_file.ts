/**
 * Loading the configuration a server starts with, like redis-server: a
 * config file (TOML or redis.conf, told apart by content), then stdin when
 * asked (`-`), then `--directive value` options, the later overriding the
 * earlier (and `save` lines adding up, as in Redis).
 *
 * `include` (in either format) reads another file in place; a path with
 * `*`, `?` or `[` is a pattern and may match nothing. Relative paths are
 * relative to the current directory, as in Redis.
 *
 * @module
 */

import { byteStringToUtf8, decodeLatin1, utf8ToByteString } from "../core/bytes.ts";
import { type Config, ConfigError, type ConfigFileFormat } from "../core/config/config.ts";
import { type ConfigEntry, type ConfigItem, isComment } from "../core/config/entries.ts";
import { ConfigLoad } from "../core/config/load.ts";
import { parseCommandLineOptions, parseRedisConf } from "../core/config/redis_conf.ts";
import type { ConfigKeySpec } from "../core/config/spec.ts";
import { detectConfigFormat, parseTomlConfig } from "../core/config/toml.ts";
import { buildConfig } from "./server.ts";

/** Includes nested deeper than this are taken for a cycle. */
const MAX_INCLUDE_DEPTH = 16;

/** A config file read into items, with its includes read in place. */
export interface ConfigFileContent {
  /** The format of the file itself. */
  readonly format: ConfigFileFormat;
  /** Its entries and comments, included files' items in place of the `include` lines. */
  readonly items: readonly ConfigItem[];
}

/** What to load. */
export interface LoadConfigOptions {
  /** The config file, as given on the command line. */
  readonly file?: string;
  /** Config text read from standard input (`-`), applied after the file. */
  readonly stdin?: string;
  /** `--directive value` arguments, applied last. */
  readonly args?: readonly string[];
  /**
   * Called with the `plugins` list before the entries are applied (the
   * plugins' keys must be known by then); returns those keys.
   */
  readonly resolvePlugins?: (paths: readonly string[]) => Promise<readonly ConfigKeySpec[]>;
}

/** Loads the server's configuration; throws {@link ConfigError} naming the place of a bad input. */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const config = buildConfig();
  const entries: ConfigEntry[] = [];
  if (options.file !== undefined) {
    const content = await readConfigFile(options.file);
    entries.push(...onlyEntries(content.items));
    config.file = await Deno.realPath(options.file).catch(() => options.file);
    config.fileFormat = content.format;
  }
  if (options.stdin !== undefined) {
    entries.push(...onlyEntries((await readConfigText(options.stdin, "stdin", 0)).items));
  }
  for (const entry of parseCommandLineOptions((options.args ?? []).map(utf8ToByteString))) {
    if (entry.name.toLowerCase() !== "include") entries.push(entry);
    else if (entry.args?.length !== 1) throw includeArityError(entry);
    else {entries.push(
        ...onlyEntries(await readIncluded(byteStringToUtf8(entry.args[0]), entry, 0)),
      );}
  }
  if (options.resolvePlugins !== undefined) {
    for (const spec of await options.resolvePlugins(pluginPaths(entries))) config.register(spec);
  }
  const load = new ConfigLoad(config);
  load.applyAll(entries);
  checkPaths(config, load);
  return config;
}

function onlyEntries(items: readonly ConfigItem[]): ConfigEntry[] {
  return items.filter((i): i is ConfigEntry => !isComment(i));
}

function includeArityError(entry: ConfigEntry): ConfigError {
  return new ConfigError(
    `${entry.where}: "include" takes one file name (or pattern)`,
    "include",
    { reason: "Bad directive or wrong number of arguments", context: entry.context },
  );
}

/** The `plugins` list the entries ask for (the last setting wins), checked on a scratch config. */
function pluginPaths(entries: readonly ConfigEntry[]): readonly string[] {
  const scratch = buildConfig();
  const load = new ConfigLoad(scratch);
  for (const entry of entries) {
    if (scratch.spec(entry.name)?.name === "plugins") load.apply(entry);
  }
  return scratch.get<readonly string[]>("plugins").map(byteStringToUtf8);
}

/** Redis refuses a `dir` it cannot enter and a `logfile` it cannot open: so does Cairn. */
function checkPaths(config: Config, load: ConfigLoad): void {
  const dir = byteStringToUtf8(config.get<string>("dir"));
  try {
    if (!Deno.statSync(dir).isDirectory) throw new Deno.errors.NotADirectory("Not a directory");
  } catch (e) {
    throw pathError(load.entryOf("dir"), "dir", dir, systemReason(e));
  }
  const logfile = byteStringToUtf8(config.get<string>("logfile"));
  if (logfile === "") return;
  try {
    Deno.openSync(logfile, { append: true, create: true }).close();
  } catch (e) {
    throw pathError(
      load.entryOf("logfile"),
      "logfile",
      logfile,
      `Can't open the log file: ${systemReason(e)}`,
    );
  }
}

function pathError(
  entry: ConfigEntry | undefined,
  key: string,
  value: string,
  reason: string,
): ConfigError {
  return new ConfigError(
    `${entry?.where ?? "default"}: invalid value ${JSON.stringify(value)} for "${key}": ${reason}`,
    key,
    { reason, value, context: entry?.context },
  );
}

/** The C library's wording of a file system error, as Redis prints it. */
export function systemReason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "Not a directory";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory";
  return e instanceof Error ? e.message.replace(/ \(os error \d+\).*$/, "") : String(e);
}

/** Reads a config file and its includes. Throws {@link ConfigError} when a file cannot be read. */
export function readConfigFile(path: string): Promise<ConfigFileContent> {
  return readFileAt(path, 0);
}

async function readFileAt(path: string, depth: number): Promise<ConfigFileContent> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${systemReason(e)}`);
  }
  const latin1 = decodeLatin1(bytes);
  return detectConfigFormat(latin1) === "toml"
    ? await expandToml(new TextDecoder().decode(bytes), path, depth)
    : await expandRedisConf(latin1, path, depth);
}

/** Reads config text (as given, Unicode) from a source other than a file, e.g. stdin. */
export function readConfigText(
  text: string,
  name: string,
  depth: number,
): Promise<ConfigFileContent> {
  return detectConfigFormat(text) === "toml"
    ? expandToml(text, name, depth)
    : expandRedisConf(utf8ToByteString(text), name, depth);
}

async function expandRedisConf(
  text: string,
  file: string,
  depth: number,
): Promise<ConfigFileContent> {
  const items: ConfigItem[] = [];
  for (const item of parseRedisConf(text, file)) {
    if (isComment(item) || item.name.toLowerCase() !== "include") {
      items.push(item);
      continue;
    }
    if (item.args?.length !== 1) throw includeArityError(item);
    items.push(...await readIncluded(byteStringToUtf8(item.args[0]), item, depth));
  }
  return { format: "redis.conf", items };
}

async function expandToml(text: string, file: string, depth: number): Promise<ConfigFileContent> {
  const items: ConfigItem[] = [];
  for (const entry of parseTomlConfig(text, file)) {
    if (entry.name.toLowerCase() !== "include") {
      items.push(entry);
      continue;
    }
    const paths = typeof entry.toml === "string" ? [entry.toml] : entry.toml;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
      throw new ConfigError(
        `${entry.where}: "include" takes a file name or an array of them`,
        "include",
        { reason: "Bad directive or wrong number of arguments", context: entry.context },
      );
    }
    for (const path of paths) items.push(...await readIncluded(path, entry, depth));
  }
  return { format: "toml", items };
}

/** The items of the files an `include` names, read in order. */
async function readIncluded(
  pattern: string,
  from: ConfigEntry,
  depth: number,
): Promise<ConfigItem[]> {
  if (depth >= MAX_INCLUDE_DEPTH) {
    throw new ConfigError(
      `${from.where}: includes nested more than ${MAX_INCLUDE_DEPTH} deep (does a file include itself?)`,
      "include",
      { context: from.context },
    );
  }
  const items: ConfigItem[] = [];
  for (const path of await expandPattern(pattern)) {
    items.push(...(await readFileAt(path, depth + 1)).items);
  }
  return items;
}

/** The files a path names: itself, or the sorted matches of a pattern in its last part. */
async function expandPattern(path: string): Promise<string[]> {
  if (!/[*?[]/.test(path)) return [path];
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const regex = new RegExp(
    "^" + path.slice(slash + 1).replace(/[.+^${}()|\\]/g, "\\$&").replaceAll("*", ".*")
      .replaceAll("?", ".") +
      "$",
  );
  const matches: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.name.startsWith(".") && regex.test(entry.name)) {
        matches.push(slash < 0 ? entry.name : `${path.slice(0, slash)}/${entry.name}`);
      }
    }
  } catch {
    return []; // like glob(3): a pattern in a missing directory matches nothing
  }
  return matches.sort();
}
