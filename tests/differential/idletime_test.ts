/**
 * OBJECT IDLETIME against redis-server 7.0.15: which commands record an
 * access (and so reset the idle time) and which look without touching, as
 * Redis's LOOKUP_NOTOUCH decides.
 *
 * The comparisons do not wait for the clock: RESTORE ... IDLETIME 1000
 * makes a key a thousand seconds idle at once, then one command runs, and
 * OBJECT IDLETIME says whether that command touched the key ("kept" still
 * about 1000, "reset" near 0). One test watches the clock itself move (two
 * seconds, seen through INFO's lru_clock).
 */

import { equal, ok } from "node:assert/strict";
import { onBoth, type Target } from "../_helpers/scenarios.ts";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import { plain, type RespClient } from "../_helpers/resp_client.ts";
import { LRU_CLOCK_MAX } from "../../core/keyspace/lru_clock.ts";

const IDLE = 1000;

/** "kept" when the key still looks about IDLE seconds idle, "reset" when just used, else the reply. */
async function idleState(c: RespClient, key: string): Promise<unknown> {
  const r = plain(await c.send("OBJECT", "IDLETIME", key));
  if (typeof r !== "number") return r;
  if (r >= IDLE && r <= IDLE + 2) return "kept";
  if (r <= 2) return "reset";
  return r;
}

/** Commands run against a key made IDLE seconds idle; the key is "k" (a string) or "l" (a list). */
const PROBES: (string | number)[][] = [
  ["GET", "k"],
  ["STRLEN", "k"],
  ["GETRANGE", "k", "0", "1"],
  ["APPEND", "k", "x"],
  ["SETRANGE", "k", "0", "y"],
  ["SETNX", "k", "v"],
  ["SET", "k", "other"],
  ["INCR", "k"],
  ["TOUCH", "k"],
  ["DUMP", "k"],
  ["EXPIRE", "k", "1000"],
  ["PERSIST", "k"],
  ["EXISTS", "k"],
  ["TYPE", "k"],
  ["TTL", "k"],
  ["PTTL", "k"],
  ["EXPIRETIME", "k"],
  ["OBJECT", "ENCODING", "k"],
  ["OBJECT", "REFCOUNT", "k"],
  ["SCAN", "0", "TYPE", "string"],
  ["KEYS", "*"],
  ["RANDOMKEY"],
  ["LLEN", "l"],
  ["LRANGE", "l", "0", "-1"],
  ["RPUSH", "l", "more"],
  ["LPUSH", "k", "x"],
  ["SORT", "l", "ALPHA"],
];

async function probeScenario(target: Target): Promise<unknown[]> {
  const c = await target.client();
  await c.call("RPUSH", "l", "one", "two");
  await c.call("SET", "k", "a value that is no integer");
  const str = await c.call("DUMP", "k") as string;
  const list = await c.call("DUMP", "l") as string;
  const transcript: unknown[] = [];
  for (const probe of PROBES) {
    await c.call("RESTORE", "k", "0", str, "REPLACE", "IDLETIME", IDLE);
    await c.call("RESTORE", "l", "0", list, "REPLACE", "IDLETIME", IDLE);
    // The reply's type only: RANDOMKEY's choice differs between the servers.
    const reply = await c.send(...probe);
    const state = [await idleState(c, "k"), await idleState(c, "l")];
    transcript.push([probe.join(" "), reply.type, state]);
  }
  return transcript;
}

/** Key moves and database swaps: where the idle time goes with the key. */
async function moveScenario(target: Target): Promise<unknown[]> {
  const c = await target.client();
  await c.call("SET", "src", "a value that is no integer");
  const payload = await c.call("DUMP", "src") as string;
  const transcript: unknown[] = [];
  const steps: (string | number)[][] = [
    ["RENAME", "src", "dst"],
    ["COPY", "src", "dst", "REPLACE"],
    ["MOVE", "src", "1"],
    ["SWAPDB", "0", "1"],
  ];
  for (const step of steps) {
    await c.call("SELECT", "0");
    await c.call("FLUSHALL");
    await c.call("RESTORE", "src", "0", payload, "IDLETIME", IDLE);
    transcript.push(step.join(" "), plain(await c.send(...step)));
    for (const db of ["0", "1"]) {
      await c.call("SELECT", db);
      transcript.push(db, await idleState(c, "src"), await idleState(c, "dst"));
    }
  }
  return transcript;
}

Deno.test("OBJECT IDLETIME: the commands that reset it match Redis's", async () => {
  const transcript = await onBoth(probeScenario);
  // The scenario must see both outcomes, or it proves nothing.
  const states = JSON.stringify(transcript);
  ok(states.includes("kept") && states.includes("reset"), states);
});

Deno.test("OBJECT IDLETIME: RENAME, COPY, MOVE and SWAPDB match Redis's", async () => {
  await onBoth(moveScenario);
});

Deno.test("OBJECT IDLETIME and DEBUG OBJECT grow as the clock passes", async () => {
  await using cairn = await startTestServer({ "enable-debug-command": "yes", hz: 100 });
  const c = await cairn.client();
  await c.call("SET", "k", "v");
  await c.call("SET", "seen", "v");
  const clockOf = async () => {
    const m = /lru_clock:(\d+)/.exec(String(await c.call("INFO", "server")));
    return Number(m![1]);
  };
  // The clock counts seconds: wait (by polling INFO) until it has moved twice.
  const start = await clockOf();
  while ((await clockOf() - start + LRU_CLOCK_MAX + 1) % (LRU_CLOCK_MAX + 1) < 2) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await c.call("GET", "seen");
  const idle = await c.call("OBJECT", "IDLETIME", "k") as number;
  ok(idle >= 2 && idle <= 3, `idle ${idle}`);
  equal(await c.call("OBJECT", "IDLETIME", "seen"), 0);
  const debug = String(await c.call("DEBUG", "OBJECT", "k"));
  equal(/lru_seconds_idle:(\d+)/.exec(debug)?.[1], String(idle));
});

Deno.test("idle times in an RDB file or AOF preamble from Redis (LRU policy) load into Cairn", async () => {
  if (!requireRedis()) return;
  const dir = await Deno.makeTempDir({ prefix: "cairn-idle-" });
  try {
    {
      // An LRU maxmemory-policy makes Redis write each key's idle time (RDB_OPCODE_IDLE).
      await using redis = await startRedis({
        "maxmemory-policy": "allkeys-lru",
        appendonly: "yes",
        "aof-use-rdb-preamble": "yes",
      }, { dir });
      const c = await redis.client();
      await c.call("SET", "fresh", "a value that is no integer");
      const payload = await c.call("DUMP", "fresh") as string;
      await c.call("RESTORE", "old", "0", payload, "IDLETIME", IDLE);
      equal(await c.call("SAVE"), "OK");
      await c.call("BGREWRITEAOF");
      while (
        /aof_rewrite_(in_progress|scheduled):1/.test(String(await c.call("INFO", "persistence")))
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    for (const appendonly of ["no", "yes"]) {
      await using cairn = await startTestServer({ appendonly }, { dir });
      const c = await cairn.client();
      equal(await c.call("DBSIZE"), 2, `appendonly ${appendonly}`);
      equal(await idleState(c, "old"), "kept", `appendonly ${appendonly}`);
      equal(await idleState(c, "fresh"), "reset", `appendonly ${appendonly}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
