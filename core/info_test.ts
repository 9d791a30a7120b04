import { deepEqual, equal } from "node:assert/strict";
import { buildInfo, bytesToHuman } from "./info.ts";
import { Core } from "./core.ts";
import { Config } from "./config/config.ts";
import { CORE_CONFIG_KEYS } from "./config/keys.ts";

function newCore(): Core {
  return new Core(new Config(CORE_CONFIG_KEYS));
}

function titles(text: string): string[] {
  return text.split("\r\n").filter((l) => l.startsWith("# "));
}

Deno.test("bytesToHuman prints sizes as redis-server's INFO does", () => {
  // Pairs read from a redis-server 7.0.15 INFO memory.
  equal(bytesToHuman(941128), "919.07K");
  equal(bytesToHuman(6729728), "6.42M");
  equal(bytesToHuman(25276514304), "23.54G");
  equal(bytesToHuman(200), "200B");
  equal(bytesToHuman(0), "0B");
  equal(bytesToHuman(1023), "1023B");
  equal(bytesToHuman(1024), "1.00K");
});

Deno.test("INFO picks sections by name in any case, in Redis's order", () => {
  const core = newCore();
  deepEqual(titles(buildInfo(core, ["KEYSPACE", "Server"], null)), ["# Server", "# Keyspace"]);
  deepEqual(titles(buildInfo(core, ["modules"], null)), ["# Modules"]);
  equal(buildInfo(core, ["nosuchsection"], null), "");
  deepEqual(titles(buildInfo(core, [], null)), [
    "# Server",
    "# Clients",
    "# Memory",
    "# Persistence",
    "# Stats",
    "# Replication",
    "# CPU",
    "# Modules",
    "# Errorstats",
    "# Cluster",
    "# Keyspace",
  ]);
  // Sections are separated by one empty line and each line ends with CRLF.
  equal(
    buildInfo(core, ["cluster", "keyspace"], null),
    "# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n",
  );
});

Deno.test("providers replace core fields in place, append new ones, and add sections", () => {
  const core = newCore();
  core.addInfo("persistence", () => [["loading", 1], ["aof_delayed_fsync", 0]]);
  core.addInfo("Persistence", () => [["rdb_saves", 3]]);
  core.addInfo("rdbplugin", () => [["x", "y"]]);
  const lines = buildInfo(core, ["persistence"], null).split("\r\n");
  equal(lines[1], "loading:1");
  equal(lines.filter((l) => l.startsWith("loading:")).length, 1);
  equal(lines.find((l) => l.startsWith("rdb_saves:")), "rdb_saves:3");
  equal(lines.at(-2), "aof_delayed_fsync:0");
  deepEqual(titles(buildInfo(core, ["rdbplugin"], null)), ["# Rdbplugin"]);
  equal(titles(buildInfo(core, ["all"], null)).includes("# Rdbplugin"), false);
  equal(titles(buildInfo(core, ["everything"], null)).at(-1), "# Rdbplugin");
});

Deno.test("INFO persistence shows the dirty counter and the loading flag", () => {
  const core = newCore();
  core.dirty = 17;
  core.loading = true;
  const fields = new Map(
    buildInfo(core, ["persistence"], null).split("\r\n").slice(1).filter(Boolean).map((l) =>
      l.split(":") as [string, string]
    ),
  );
  equal(fields.get("rdb_changes_since_last_save"), "17");
  equal(fields.get("loading"), "1");
});

Deno.test("a failing provider loses its own fields only", () => {
  const core = newCore();
  core.addInfo("persistence", () => {
    throw new Error("broken plugin");
  });
  core.addInfo("persistence", () => [["rdb_saves", 2]]);
  const text = buildInfo(core, ["persistence"], null);
  equal(text.includes("rdb_saves:2\r\n"), true);
  equal(text.startsWith("# Persistence\r\nloading:0\r\n"), true);
});
