/**
 * Reading redis.conf text and redis-server's command line into entries,
 * with Redis's rules: lines are trimmed, `#` starts a comment line, words
 * are split by `sdssplitargs` (quotes and escapes), directive names are
 * case-insensitive, and `--name value ...` options are read as lines
 * appended after the file.
 *
 * @module
 */

import { splitArgs } from "../split_args.ts";
import { ConfigError } from "./config.ts";
import type { ConfigEntry, ConfigItem } from "./entries.ts";
import type { ConfigSource } from "./spec.ts";

/**
 * Reads redis.conf text (a byte string) into entries and comments, in order.
 * `file` names the input in messages. Throws {@link ConfigError} for
 * unbalanced quotes, as Redis does.
 */
export function parseRedisConf(
  text: string,
  file: string,
  source: ConfigSource = "file",
): ConfigItem[] {
  const items: ConfigItem[] = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (line === "" || line.startsWith("#")) {
      items.push({ comment: line });
      continue;
    }
    const words = splitArgs(line);
    const where = `${file}:${i + 1}`;
    if (words === null) {
      throw new ConfigError(`${where}: Unbalanced quotes in configuration line`, undefined, {
        reason: "Unbalanced quotes in configuration line",
        context: line,
      });
    }
    if (words.length === 0) continue;
    items.push({ name: words[0], args: words.slice(1), where, context: line, source });
  }
  return items;
}

/**
 * Reads redis-server style options (`--port 6380 --save "" --save 3600 1`)
 * into entries. A bare `--name` takes the next argument as its value even
 * when it starts with `--`, except `--save`, which then means `--save ""`,
 * as in Redis 7.0. Throws {@link ConfigError} for an argument outside any
 * option.
 */
export function parseCommandLineOptions(argv: readonly string[]): ConfigEntry[] {
  const entries: { name: string; args: string[] }[] = [];
  let expectingValue = false;
  for (let j = 0; j < argv.length; j++) {
    const arg = argv[j];
    if (!expectingValue && arg.startsWith("--")) {
      const words = splitArgs(arg.slice(2)) ?? [arg.slice(2)];
      const name = words[0] ?? "";
      entries.push({ name, args: words.slice(1) });
      expectingValue = words.length === 1;
      if (expectingValue && name.toLowerCase() === "save") {
        const next = argv[j + 1];
        if (next === undefined || next.startsWith("--")) {
          entries.at(-1)!.args.push("");
          expectingValue = false;
        }
      }
    } else if (entries.length === 0) {
      throw new ConfigError(
        `command line: unexpected argument ${JSON.stringify(arg)} (options look like --port 6380)`,
        undefined,
        { value: arg },
      );
    } else {
      entries.at(-1)!.args.push(arg);
      expectingValue = false;
    }
  }
  return entries.map(({ name, args }) => ({
    name,
    args,
    where: "command line",
    context: ["--" + name, ...args.map((a) => (a === "" || /\s/.test(a) ? JSON.stringify(a) : a))]
      .join(" "),
    source: "command-line",
  }));
}
