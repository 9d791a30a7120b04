import { deepEqual, equal } from "node:assert/strict";
import { Config } from "./config.ts";
import { CORE_CONFIG_KEYS } from "./keys.ts";
import { requireRedis, startRedis } from "../../tests/_helpers/servers.ts";

/** Keys whose value differs on purpose, or because the reference server was started with it. */
const SET_BY_TEST_OR_DIFFERENT = new Set([
  "port",
  "dir",
  "save",
  "logfile",
  "daemonize",
  "enable-debug-command",
  "bind", // Cairn has no protected mode, so it listens on 127.0.0.1 by default
]);

Deno.test("every directive and default of redis-server 7.0 is known, with the same text", async () => {
  if (!requireRedis()) return;
  await using redis = await startRedis();
  const c = await redis.client();
  const reply = await c.call("CONFIG", "GET", "*") as string[];
  const config = new Config(CORE_CONFIG_KEYS);
  const unknown: string[] = [];
  const different: string[] = [];
  for (let i = 0; i < reply.length; i += 2) {
    const [name, value] = [reply[i], reply[i + 1]];
    if (config.spec(name) === undefined) unknown.push(name);
    else if (!SET_BY_TEST_OR_DIFFERENT.has(name) && config.getText(name) !== value) {
      different.push(`${name}: redis ${JSON.stringify(value)}, cairn ${config.getText(name)}`);
    }
  }
  deepEqual(unknown, []);
  deepEqual(different, []);
  // Hidden directives are not listed by CONFIG GET *, but exist.
  for (const name of ["rdb-key-save-delay", "key-load-delay", "watchdog-period"]) {
    equal(await c.call("CONFIG", "GET", name).then(String), `${name},0`);
    equal(config.getText(name), "0");
  }
});

Deno.test("mutability follows Redis: CONFIG SET refuses what redis-server refuses", async () => {
  if (!requireRedis()) return;
  await using redis = await startRedis();
  const c = await redis.client();
  const config = new Config(CORE_CONFIG_KEYS);
  const mismatched: string[] = [];
  for (const spec of config.specs()) {
    if (spec.protected || spec.name === "port" || spec.name === "bind") continue;
    const reply = await c.send("CONFIG", "SET", spec.name, config.getText(spec.name));
    const refused = reply.type === "error" && reply.value.includes("can't set immutable config");
    if (refused === spec.mutable) mismatched.push(spec.name);
  }
  deepEqual(mismatched.sort(), ["aof-multi-part", "plugins"]); // Cairn's own keys, unknown to Redis
});
