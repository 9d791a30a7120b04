import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Config, ConfigError } from "./config.ts";
import { type ConfigEntry, isComment } from "./entries.ts";
import { CORE_CONFIG_KEYS } from "./keys.ts";
import { applyConfigEntries } from "./load.ts";
import { parseCommandLineOptions, parseRedisConf } from "./redis_conf.ts";
import { detectConfigFormat, parseTomlConfig } from "./toml.ts";

function fresh(): { config: Config; warnings: string[] } {
  const config = new Config(CORE_CONFIG_KEYS);
  const warnings: string[] = [];
  config.setWarningSink((m) => warnings.push(m));
  return { config, warnings };
}

function entries(text: string, file = "redis.conf"): ConfigEntry[] {
  return parseRedisConf(text, file).filter((i): i is ConfigEntry => !isComment(i));
}

function loadRedisConf(text: string): Config {
  const { config } = fresh();
  applyConfigEntries(config, entries(text));
  return config;
}

function loadToml(text: string): Config {
  const { config } = fresh();
  applyConfigEntries(config, parseTomlConfig(text, "cairn.toml"));
  return config;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("no error");
}

Deno.test("redis.conf: comments, blank lines, case-insensitive names, quoted values", () => {
  const config = loadRedisConf(
    [
      "# a comment",
      "",
      "   PORT 7000   ",
      'requirepass "p a\\x41ss"',
      "dbfilename 'my dump.rdb'",
      "  # indented comment",
      "appendfsync Always",
    ].join("\n"),
  );
  equal(config.get("port"), 7000);
  equal(config.get("requirepass"), "p aAss");
  equal(config.get("dbfilename"), "my dump.rdb");
  equal(config.get("appendfsync"), "always");
  equal(config.source("port"), "file");
});

Deno.test('redis.conf: save lines accumulate, the first replaces the default, save "" resets', () => {
  deepEqual(loadRedisConf("save 900 1\nsave 300 10\n").getText("save"), "900 1 300 10");
  equal(loadRedisConf('save 900 1\nsave ""\n').getText("save"), "");
  equal(loadRedisConf('save ""\nsave 60 5\n').getText("save"), "60 5");
  equal(loadRedisConf("port 1\n").getText("save"), "3600 1 300 100 60 10000");
  equal(loadRedisConf('save "3600 1 60 100"\n').getText("save"), "3600 1 60 100");
});

Deno.test("redis.conf: multi-word directives (bind, shutdown flags, client-output-buffer-limit)", () => {
  const config = loadRedisConf(
    [
      "bind 127.0.0.1 -::1",
      "shutdown-on-sigterm nosave now",
      "client-output-buffer-limit pubsub 64mb 16mb 90",
    ].join("\n"),
  );
  deepEqual(config.get("bind"), ["127.0.0.1", "-::1"]);
  equal(config.getText("shutdown-on-sigterm"), "nosave now");
  equal(
    config.getText("client-output-buffer-limit"),
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 90",
  );
});

Deno.test("redis.conf: aliases set the canonical key", () => {
  const config = loadRedisConf("hash-max-ziplist-entries 100\nslaveof no one\n");
  equal(config.get("hash-max-listpack-entries"), 100);
  equal(config.getText("replicaof"), "");
});

Deno.test("redis.conf errors name the file, line, key, value and what is expected", () => {
  const bad = errorOf(() => loadRedisConf("# x\nport 7000\nappendfsync sometimes\n"));
  equal(
    bad.message,
    'redis.conf:3: invalid value "sometimes" for "appendfsync": argument(s) must be one of the ' +
      "following: everysec, always, no",
  );
  equal(bad.context, "appendfsync sometimes");
  equal(bad.reason, "argument(s) must be one of the following: everysec, always, no");

  equal(
    errorOf(() => loadRedisConf("port abc")).message,
    'redis.conf:1: invalid value "abc" for "port": argument couldn\'t be parsed into an integer ' +
      "(expected an integer between 0 and 65535)",
  );
  equal(
    errorOf(() => loadRedisConf("maxmemory 1.5gb")).message,
    'redis.conf:1: invalid value "1.5gb" for "maxmemory": argument must be a memory value ' +
      "(expected an integer between 0 and 18446744073709551615 (units like 64mb allowed))",
  );
  equal(
    errorOf(() => loadRedisConf("port 1 2")).message,
    'redis.conf:1: wrong number of arguments for "port": expected one value, got 2 ' +
      "(quote a value that has spaces)",
  );
  equal(
    errorOf(() => loadRedisConf("save 100")).message,
    'redis.conf:1: invalid value "100" for "save": Invalid save parameters ' +
      '(expected pairs of "<seconds> <changes>" (seconds >= 1), or "" to disable)',
  );
  equal(
    errorOf(() => loadRedisConf('port "7000')).message,
    "redis.conf:1: Unbalanced quotes in configuration line",
  );
});

Deno.test("an unknown directive is an error with a suggestion when one is close", () => {
  equal(
    errorOf(() => loadRedisConf("appendfsinc always")).message,
    'redis.conf:1: unknown directive "appendfsinc": not a Redis 7.0 directive nor a Cairn key ' +
      '(did you mean "appendfsync"?)',
  );
  equal(
    errorOf(() => loadRedisConf("aof-use-rdb-preambel yes")).message,
    'redis.conf:1: unknown directive "aof-use-rdb-preambel": not a Redis 7.0 directive nor a ' +
      'Cairn key (did you mean "aof-use-rdb-preamble"?)',
  );
  equal(
    errorOf(() => loadRedisConf("frobnicate 1")).message,
    'redis.conf:1: unknown directive "frobnicate": not a Redis 7.0 directive nor a Cairn key',
  );
});

Deno.test("a Redis directive Cairn does not implement is kept, with exactly one warning", () => {
  const { config, warnings } = fresh();
  applyConfigEntries(
    config,
    entries(
      'tls-port 6380\nio-threads 4\nio-threads 4\ncluster-enabled no\nrename-command FLUSHALL ""\n',
    ),
  );
  equal(config.getText("tls-port"), "6380");
  equal(config.getText("io-threads"), "4");
  deepEqual(warnings, [
    'Directive "tls-port" is accepted but has no effect in Cairn: TLS is not implemented',
    'Directive "io-threads" is accepted but has no effect in Cairn: Cairn serves clients on one thread',
    'Directive "rename-command" (redis.conf:5) is accepted but has no effect in Cairn: renaming ' +
    "commands is not implemented",
  ]);
  // A value Redis would refuse is refused even for an ignored directive.
  equal(
    errorOf(() => loadRedisConf("io-threads 1000")).reason,
    "argument must be between 1 and 128 inclusive",
  );
});

Deno.test("warnings wait for a sink, then flow to it", () => {
  const config = new Config(CORE_CONFIG_KEYS);
  config.setText("cluster-enabled", "yes", "file");
  const seen: string[] = [];
  config.setWarningSink((m) => seen.push(m));
  deepEqual(seen, [
    'Directive "cluster-enabled" is accepted but has no effect in Cairn: cluster mode is not implemented',
  ]);
  config.setText("tls-port", "1", "config-set");
  equal(seen.length, 2);
});

Deno.test("command line options follow redis-server's rules", () => {
  const parsed = parseCommandLineOptions([
    "--port",
    "6380",
    "--save",
    "--appendonly",
    "yes",
    "--bind",
    "127.0.0.1",
    "::1",
    "--requirepass",
    "--weird",
    "--save",
    "3600 1",
    "--loglevel verbose",
    "--save",
  ]);
  deepEqual(parsed.map((e) => [e.name, e.args]), [
    ["port", ["6380"]],
    ["save", [""]],
    ["appendonly", ["yes"]],
    ["bind", ["127.0.0.1", "::1"]],
    ["requirepass", ["--weird"]],
    ["save", ["3600 1"]],
    ["loglevel", ["verbose"]],
    ["save", [""]],
  ]);
  const { config } = fresh();
  applyConfigEntries(
    config,
    parseCommandLineOptions(["--save", "", "--save", "3600 1", "--save", "60 5"]),
  );
  equal(config.getText("save"), "3600 1 60 5");
  equal(
    errorOf(() => applyConfigEntries(fresh().config, parseCommandLineOptions(["--port", "x"])))
      .message,
    'command line: invalid value "x" for "port": argument couldn\'t be parsed into an integer ' +
      "(expected an integer between 0 and 65535)",
  );
  throws(() => parseCommandLineOptions(["6380"]), /unexpected argument "6380"/);
});

Deno.test("the format is told by content", () => {
  equal(detectConfigFormat("# redis\nport 6379\n"), "redis.conf");
  equal(detectConfigFormat("# cairn\nport = 6379\n"), "toml");
  equal(detectConfigFormat('"port" = 6379'), "toml");
  equal(detectConfigFormat("[server]\n"), "toml");
  equal(detectConfigFormat('save ""\n'), "redis.conf");
  equal(detectConfigFormat("# only comments\n"), "toml");
});

Deno.test("TOML: values of every type", () => {
  const config = loadToml(`
port = 7001
bind = ["127.0.0.1", "-::1"]
appendonly = true
rdbcompression = "no"
appendfsync = "always"
maxmemory = "1gb"
auto-aof-rewrite-min-size = 1048576
save = ["900 1", "300 10"]
requirepass = "café"
hz = 1000
shutdown-on-sigint = ["save", "now"]
notify-keyspace-events = "KEA"
dbfilename = 'literal.rdb'
list-max-ziplist-size = -1
`);
  equal(config.get("port"), 7001);
  deepEqual(config.get("bind"), ["127.0.0.1", "-::1"]);
  equal(config.get("appendonly"), true);
  equal(config.get("rdbcompression"), false);
  equal(config.get("appendfsync"), "always");
  equal(config.getText("maxmemory"), "1073741824");
  equal(config.get("auto-aof-rewrite-min-size"), 1048576);
  equal(config.getText("save"), "900 1 300 10");
  equal(config.get("requirepass"), "caf\xc3\xa9"); // UTF-8 bytes, like a client's AUTH argument
  equal(config.get("hz"), 500);
  equal(config.getText("shutdown-on-sigint"), "save now");
  equal(config.getText("notify-keyspace-events"), "AKE");
  equal(config.get("dbfilename"), "literal.rdb");
  equal(config.get("list-max-listpack-size"), -1);
  equal(loadToml('save = ""').getText("save"), "");
  equal(loadToml("save = []").getText("save"), "");
});

Deno.test("TOML errors name the file, line, key, value and what is expected", () => {
  equal(
    errorOf(() => loadToml('port = 6379\n\nappendonly = "maybe"\n')).message,
    "cairn.toml:3: invalid value \"maybe\" for \"appendonly\": argument must be 'yes' or 'no'",
  );
  equal(
    errorOf(() => loadToml("port = 6.5")).message,
    'cairn.toml:1: invalid value "6.5" for "port": argument couldn\'t be parsed into an integer ' +
      "(expected an integer between 0 and 65535)",
  );
  equal(
    errorOf(() => loadToml('dbfilename = ["a", "b"]')).message,
    'cairn.toml:1: invalid value "[\\"a\\",\\"b\\"]" for "dbfilename": an array is not accepted ' +
      "here (expected a string)",
  );
  equal(
    errorOf(() => loadToml("prot = 1")).message,
    'cairn.toml:1: unknown directive "prot": not a Redis 7.0 directive nor a Cairn key ' +
      '(did you mean "port"?)',
  );
  ok(
    errorOf(() => loadToml("[aof]\nappendonly = true\n")).message.startsWith(
      'cairn.toml:1: "aof" is a TOML table',
    ),
  );
  const syntax = errorOf(() => loadToml("port = 1\nport = 2\n"));
  ok(syntax.message.startsWith("cairn.toml:2: TOML syntax error"), syntax.message);
});
