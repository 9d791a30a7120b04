/**
 * The `cairn` command line, like redis-server's:
 *
 * ```
 * cairn [config-file] [--directive value ...] [-]
 * cairn -v | --version
 * cairn -h | --help
 * cairn <subcommand> [args ...]      (convert-conf, check-rdb, ...)
 * ```
 *
 * Subcommands live in a registry: a tool registers itself with
 * {@link registerSubcommand} (from a module imported statically here, so
 * `deno compile` bundles it).
 *
 * @module
 */

import { ConfigError } from "../core/config/config.ts";
import { convertToToml } from "../core/config/convert.ts";
import { renderExampleConfig } from "../core/config/example.ts";
import { CORE_CONFIG_KEYS } from "../core/config/keys.ts";
import type { ConfigKeySpec } from "../core/config/spec.ts";
import type { CairnPlugin } from "../core/plugin.ts";
import { REDIS_COMPAT_VERSION, VERSION } from "../core/version.ts";
import { byteStringToUtf8 } from "../core/bytes.ts";
import { loadConfig, readConfigFile, systemReason } from "./config_file.ts";
import { startServer } from "./server.ts";
import { CHECK_RDB_SUBCOMMAND } from "../persistence/rdb/check_cli.ts";
import { CHECK_AOF_SUBCOMMAND } from "../persistence/aof/check_cli.ts";

/** A `cairn <name> ...` tool. */
export interface Subcommand {
  /** One line: the arguments, e.g. `FILE` or `[--fix] FILE`. */
  readonly usage: string;
  /** One line: what it does. */
  readonly summary: string;
  /** Runs with the arguments after the name; resolves with the exit code. */
  run(args: readonly string[]): Promise<number>;
}

const SUBCOMMANDS = new Map<string, Subcommand>();

/** Adds `cairn <name>`. Throws when the name is taken. */
export function registerSubcommand(name: string, subcommand: Subcommand): void {
  if (SUBCOMMANDS.has(name)) throw new Error(`Subcommand "${name}" is registered twice`);
  SUBCOMMANDS.set(name, subcommand);
}

/** The registered subcommands, by name. */
export function subcommands(): ReadonlyMap<string, Subcommand> {
  return SUBCOMMANDS;
}

registerSubcommand("convert-conf", {
  usage: "[--no-comments] FILE",
  summary: "print a redis.conf (or TOML) config as Cairn TOML",
  async run(args) {
    const comments = !args.includes("--no-comments");
    const files = args.filter((a) => a !== "--no-comments");
    if (files.length !== 1) return usageError("convert-conf");
    try {
      const content = await readConfigFile(files[0]);
      const { toml, warnings } = convertToToml(content.items, { comments });
      for (const w of warnings) console.error(`# warning: ${w}`);
      await writeStdout(toml);
      return 0;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      printConfigError(e);
      return 1;
    }
  },
});

registerSubcommand("check-rdb", CHECK_RDB_SUBCOMMAND);
registerSubcommand("check-aof", CHECK_AOF_SUBCOMMAND);

registerSubcommand("example-config", {
  usage: "",
  summary: "print the commented example config (every key at its default)",
  async run(args) {
    if (args.length !== 0) return usageError("example-config");
    await writeStdout(renderExampleConfig(CORE_CONFIG_KEYS));
    return 0;
  },
});

/** Runs the command line; resolves with the process exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  const first = args[0];
  if (first === "-v" || first === "--version") {
    console.log(
      `Cairn server v=${VERSION} redis_version=${REDIS_COMPAT_VERSION} deno=${Deno.version.deno} bits=64`,
    );
    return 0;
  }
  if (first === "-h" || first === "--help") {
    console.error(usage());
    return 0;
  }
  const subcommand = first === undefined ? undefined : SUBCOMMANDS.get(first);
  if (subcommand !== undefined) return await subcommand.run(args.slice(1));
  return await runServer(args);
}

/** Splits redis-server's arguments: a leading file, `-` (stdin) first or last, options. */
export function splitServerArgs(
  args: readonly string[],
): { file?: string; stdin: boolean; options: string[] } {
  let rest = [...args];
  const file = rest[0] !== undefined && !rest[0].startsWith("-") ? rest.shift() : undefined;
  let stdin = false;
  if (rest[0] === "-" && file === undefined) {
    stdin = true;
    rest = rest.slice(1);
  }
  if (rest.at(-1) === "-") {
    stdin = true;
    rest = rest.slice(0, -1);
  }
  return { file, stdin, options: rest };
}

async function runServer(args: readonly string[]): Promise<number> {
  const { file, stdin, options } = splitServerArgs(args);
  const plugins: CairnPlugin[] = [];
  let config;
  try {
    config = await loadConfig({
      file,
      stdin: stdin ? await readStdin() : undefined,
      args: options,
      resolvePlugins: async (paths) => {
        plugins.push(...await importPlugins(paths));
        return plugins.flatMap((p): readonly ConfigKeySpec[] => p.config ?? []);
      },
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    printConfigError(e);
    return 1;
  }
  let server;
  try {
    server = await startServer({ config, extraPlugins: plugins, handleSignals: true });
  } catch (e) {
    console.error(`Cairn could not start: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const pidfile = byteStringToUtf8(config.get<string>("pidfile"));
  if (pidfile !== "") await writePidfile(pidfile);
  await server.finished;
  if (pidfile !== "") await Deno.remove(pidfile).catch(() => {});
  return 0;
}

/** Imports plugin modules: each default export (or `plugin` export) is a plugin or a list of them. */
async function importPlugins(paths: readonly string[]): Promise<CairnPlugin[]> {
  const plugins: CairnPlugin[] = [];
  for (const path of paths) {
    const url = /^[a-z][a-z0-9+.-]*:/i.test(path)
      ? path
      : new URL(path, `file://${Deno.cwd()}/`).href;
    let module: Record<string, unknown>;
    try {
      module = await import(url);
    } catch (e) {
      throw new ConfigError(
        `plugins: cannot import ${JSON.stringify(path)}: ${e instanceof Error ? e.message : e}` +
          " (a compiled cairn binary can only load plugins it was built with)",
        "plugins",
        { value: path },
      );
    }
    const exported = module.default ?? module.plugin;
    const list = Array.isArray(exported) ? exported : [exported];
    if (list.length === 0 || !list.every(isPlugin)) {
      throw new ConfigError(
        `plugins: ${
          JSON.stringify(path)
        } does not export a plugin (export default definePlugin({...}))`,
        "plugins",
        { value: path },
      );
    }
    plugins.push(...list);
  }
  return plugins;
}

function isPlugin(value: unknown): value is CairnPlugin {
  return typeof value === "object" && value !== null &&
    typeof (value as CairnPlugin).name === "string" &&
    typeof (value as CairnPlugin).setup === "function";
}

async function writePidfile(path: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, `${Deno.pid}\n`);
  } catch (e) {
    console.error(`Failed to write PID file: ${systemReason(e)}`);
  }
}

/** Prints a config error the way redis-server reports a bad config file. */
export function printConfigError(e: ConfigError): void {
  const lines = [
    "",
    `*** FATAL CONFIG FILE ERROR (Cairn ${VERSION}, Redis ${REDIS_COMPAT_VERSION} compatible) ***`,
  ];
  if (e.context !== undefined) lines.push(`>>> '${byteStringToUtf8(e.context)}'`);
  lines.push(byteStringToUtf8(e.message));
  console.error(lines.join("\n"));
}

function usage(): string {
  const tools = [...SUBCOMMANDS]
    .map(([name, s]) => `       cairn ${name} ${s.usage}`.trimEnd() + `\n           ${s.summary}`);
  return [
    "Usage: cairn [/path/to/cairn.toml | /path/to/redis.conf] [options] [-]",
    "       cairn - (read config from stdin)",
    "       cairn -v or --version",
    "       cairn -h or --help",
    ...tools,
    "",
    "Examples:",
    "       cairn (run the server with the default config)",
    "       echo 'maxmemory 128mb' | cairn -",
    "       cairn cairn.toml",
    "       cairn /etc/redis/6379.conf --port 7777",
    '       cairn --port 7777 --save "" --appendonly yes',
  ].join("\n");
}

function usageError(name: string): number {
  console.error(`Usage: cairn ${name} ${SUBCOMMANDS.get(name)?.usage ?? ""}`.trimEnd());
  return 1;
}

async function readStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

async function writeStdout(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
}
