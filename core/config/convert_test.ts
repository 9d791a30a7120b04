import { deepEqual, equal } from "node:assert/strict";
import { Config } from "./config.ts";
import { convertToToml } from "./convert.ts";
import { type ConfigEntry, isComment } from "./entries.ts";
import { CORE_CONFIG_KEYS } from "./keys.ts";
import { applyConfigEntries } from "./load.ts";
import { parseRedisConf } from "./redis_conf.ts";
import { parseTomlConfig } from "./toml.ts";

const REDIS_CONF = [
  "# Redis configuration",
  "port 7000",
  "bind 127.0.0.1 -::1",
  "",
  "# Snapshots",
  "save 900 1",
  "save 300 10",
  'dbfilename "my dump.rdb"',
  "requirepass 'p\\'ss \"x\"'",
  "maxmemory 100mb",
  "auto-aof-rewrite-min-size 1000",
  "appendonly yes",
  "appendfsync always",
  "hash-max-ziplist-entries 100",
  "client-output-buffer-limit pubsub 64mb 16mb 90",
  "shutdown-on-sigterm save now",
  "notify-keyspace-events Ex",
  "tls-port 6380",
  "maxmemory-clients 5%",
  "unixsocketperm 700",
  "replicaof 10.0.0.1 6379",
  'rename-command CONFIG ""',
  "save 60 10000",
  "",
].join("\n");

function load(entries: Iterable<ConfigEntry>): Config {
  const config = new Config(CORE_CONFIG_KEYS);
  config.setWarningSink(() => {});
  applyConfigEntries(config, entries);
  return config;
}

Deno.test("convert-conf: the TOML output reads back to the same values", () => {
  const items = parseRedisConf(REDIS_CONF, "redis.conf");
  const direct = load(items.filter((i): i is ConfigEntry => !isComment(i)));
  const { toml } = convertToToml(items);
  const converted = load(parseTomlConfig(toml, "converted.toml"));
  for (const spec of CORE_CONFIG_KEYS) {
    equal(converted.getText(spec.name), direct.getText(spec.name), spec.name);
  }
  equal(direct.getText("save"), "900 1 300 10 60 10000");
});

Deno.test("convert-conf keeps the order and comments, writes each key once", () => {
  const { toml, warnings } = convertToToml(parseRedisConf(REDIS_CONF, "redis.conf"));
  const lines = toml.split("\n");
  deepEqual(lines.slice(0, 11), [
    "# Redis configuration",
    "port = 7000",
    'bind = ["127.0.0.1", "-::1"]',
    "",
    "# Snapshots",
    'save = ["900 1", "300 10", "60 10000"]',
    'dbfilename = "my dump.rdb"',
    `requirepass = "p'ss \\"x\\""`,
    'maxmemory = "100mb"',
    "auto-aof-rewrite-min-size = 1000",
    "appendonly = true",
  ]);
  equal(lines.filter((l) => l.startsWith("save")).length, 1);
  equal(lines.includes("hash-max-listpack-entries = 100"), true);
  equal(lines.includes('# not converted (no effect in Cairn): rename-command CONFIG ""'), true);
  deepEqual(warnings.map((w) => /^Directive "([^"]+)"/.exec(w)?.[1]), [
    "maxmemory",
    "client-output-buffer-limit",
    "notify-keyspace-events",
    "tls-port",
    "maxmemory-clients",
    "unixsocketperm",
    "replicaof",
    "rename-command",
  ]);
  const bare = convertToToml(parseRedisConf(REDIS_CONF, "redis.conf"), { comments: false }).toml;
  equal(bare.split("\n")[0], "port = 7000");
});
