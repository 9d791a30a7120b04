/**
 * The rdb-snapshot plugin against real behaviour: replies and errors of
 * SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD and SHUTDOWN compared with
 * redis-server 7.0.15; restarts that load what was saved; save rules fired
 * from the cron with a controlled clock; MISCONF after a failed background
 * save and its recovery; FLUSHALL's save; `cairn check-rdb`.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "../_helpers/servers.ts";
import { describeMismatches, diffOnClients, type DiffStep } from "../_helpers/differential.ts";
import { encodeCommand, type RespClient } from "../_helpers/resp_client.ts";
import { fetchAll } from "../../persistence/rdb/test_contents.ts";
import { commandsFor, corpus } from "../../persistence/rdb/testdata/corpus.ts";
import { writeRdbFile } from "../../persistence/rdb/writer.ts";
import { defaultLimits } from "../../core/values/limits.ts";
import { MemorySink } from "../../core/log.ts";
import { startServer } from "../../server/server.ts";
import { rdbSnapshotPlugin } from "../../plugins/rdb-snapshot/mod.ts";
import { info, nextBgsaveEnd, redisSaveFinished, reply, run } from "./rdb_test_helpers.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function expectSame(a: RespClient, b: RespClient, steps: DiffStep[]): Promise<void> {
  const mismatches = await diffOnClients(a, b, steps);
  equal(mismatches.length, 0, describeMismatches(mismatches));
}

function steps(...lines: (string | number)[][]): DiffStep[] {
  return lines.map((args) => ({ args, mode: args[0] === "LASTSAVE" ? "shape" : "exact" }));
}

/** Sends SHUTDOWN with `args` and resolves once the server has closed the connection. */
async function shutdownAndWait(c: RespClient, ...args: string[]): Promise<void> {
  await c.write(encodeCommand(["SHUTDOWN", ...args]));
  ok(await c.closedByPeer());
}

Deno.test("SAVE, BGSAVE, LASTSAVE and DEBUG RELOAD reply like redis-server, errors included", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ "enable-debug-command": "yes" });
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  await expectSame(
    a,
    b,
    steps(
      ["SET", "k", "v"],
      ["RPUSH", "l", "a", "b"],
      ["SAVE"],
      ["LASTSAVE"],
      ["SAVE", "x"],
      ["BGSAVE", "x"],
      ["BGSAVE", "SCHEDULE", "x"],
      ["LASTSAVE", "x"],
      ["MULTI"],
      ["SAVE"],
      ["DISCARD"],
      ["DEBUG", "RELOAD", "FOO"],
      ["DEBUG", "RELOAD"],
      ["LRANGE", "l", 0, -1],
      ["SET", "k", "changed"],
      ["DEBUG", "RELOAD", "NOSAVE"],
      ["GET", "k"],
      ["SET", "extra", "1"],
      ["DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"],
      ["GET", "extra"],
      ["DBSIZE"],
      // One second per key: the background save is still running below.
      ["CONFIG", "SET", "rdb-key-save-delay", "1000000"],
      ["BGSAVE"],
      ["BGSAVE"],
      ["BGSAVE", "SCHEDULE"],
      ["SAVE"],
      ["MULTI"],
      ["BGSAVE"],
      ["EXEC"],
      ["INFO", "nosuchsection"],
    ),
  );
  equal((await info(a)).get("rdb_bgsave_in_progress"), "1");
});

Deno.test("BGSAVE while another job runs: refused, or scheduled and started by the cron", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer();
  await using redis = await startRedis();
  const a = await cairn.client();
  const b = await redis.client();
  // Inside MULTI, BGSAVE is always scheduled; the cron starts it.
  const scheduled = nextBgsaveEnd(cairn.server);
  await expectSame(a, b, steps(["MULTI"], ["BGSAVE"], ["EXEC"]));
  cairn.server.tick();
  equal(await scheduled, "ok");
  // redis-server starts it from its own cron: poll until it has run.
  for (let i = 0; (await info(b)).get("rdb_saves") !== "1"; i++) {
    ok(i < 500, "redis-server never started the scheduled BGSAVE");
    await new Promise((r) => setTimeout(r, 10));
  }
  await redisSaveFinished(b);
  equal((await info(a)).get("rdb_saves"), "1");
  // Redis's other child: an AOF rewrite held by the save delay. Cairn's: the job slot taken.
  await run(b, [["SET", "x", "1"], ["CONFIG", "SET", "rdb-key-save-delay", "1000000"]]);
  equal(await b.call("BGREWRITEAOF"), "Background append only file rewriting started");
  const core = cairn.server.core;
  ok(core.jobs.tryStart("aof-rewrite", "test", () => {}));
  await run(a, [["SET", "x", "1"]]);
  await expectSame(
    a,
    b,
    steps(["BGSAVE"], ["BGSAVE", "SCHEDULE"], ["MULTI"], ["BGSAVE"], ["EXEC"]),
  );
  equal((await info(a)).get("rdb_bgsave_in_progress"), "0");

  core.jobs.finish("aof-rewrite");
  const ended = nextBgsaveEnd(cairn.server);
  cairn.server.tick();
  equal(await ended, "ok");
  const fields = await info(a);
  equal(fields.get("rdb_saves"), "2");
  equal(fields.get("rdb_changes_since_last_save"), "0");
  ok(Deno.statSync(`${cairn.dir}/dump.rdb`).size > 0);
});

Deno.test("a saved dataset of every type comes back after a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  try {
    let before;
    {
      await using t = await startTestServer({}, { dir });
      const c = await t.client();
      for (const entry of corpus()) {
        await run(c, [["SELECT", entry.db], ...commandsFor(entry)]);
      }
      before = await fetchAll(c);
      equal(await c.call("SAVE"), "OK");
    }
    await using t = await startTestServer({}, { dir });
    const c = await t.client();
    deepEqual(await fetchAll(c), before);
    const keys = Object.values(before).reduce((n, db) => n + Object.keys(db).length, 0);
    const fields = await info(c);
    equal(fields.get("rdb_last_load_keys_loaded"), String(keys));
    equal(fields.get("rdb_last_load_keys_expired"), "0");
    ok(t.log.lines.some((l) => l.includes("Loading RDB produced by version 7.0.15")));
    ok(
      t.log.lines.some((l) =>
        l.endsWith(`Done loading RDB, keys loaded: ${keys}, keys expired: 0.`)
      ),
    );
    ok(t.log.lines.some((l) => /DB loaded from disk: \d+\.\d{3} seconds/.test(l)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("keys whose expire time passed are dropped at load and counted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  try {
    const past = Date.now() - 60_000;
    const future = Date.now() + 3_600_000;
    await writeRdbFile(`${dir}/dump.rdb`, [
      { index: 0, entries: [["live", "1", -1], ["dead", "2", past], ["later", "3", future]] },
      { index: 3, entries: [["gone", "4", past]] },
    ], { limits: defaultLimits() });
    await using t = await startTestServer({}, { dir });
    const c = await t.client();
    deepEqual((await c.call("KEYS", "*") as string[]).sort(), ["later", "live"]);
    equal(await c.call("PEXPIRETIME", "later"), future);
    await c.call("SELECT", 3);
    equal(await c.call("DBSIZE"), 0);
    const fields = await info(c);
    equal(fields.get("rdb_last_load_keys_loaded"), "2");
    equal(fields.get("rdb_last_load_keys_expired"), "2");
    ok(t.log.lines.some((l) => l.endsWith("Done loading RDB, keys loaded: 2, keys expired: 2.")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated or corrupt dump.rdb stops the start with the file and offset named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  try {
    const path = `${dir}/dump.rdb`;
    const entries: [string, string, number][] = [];
    for (let i = 0; i < 100; i++) entries.push([`key:${i}`, `value-${i}`.repeat(5), -1]);
    await writeRdbFile(path, [{ index: 0, entries }], { limits: defaultLimits() });
    const good = await Deno.readFile(path);
    const start = async () => {
      const log = new MemorySink();
      const error = await startServer({ config: { dir, save: "" }, port: 0, logSink: log }).then(
        async (s) => {
          await s.close();
          return null;
        },
        (e: Error) => e,
      );
      return { error, log: log.lines };
    };

    await Deno.writeFile(path, good.subarray(0, good.length - 300));
    const truncated = await start();
    ok(truncated.error !== null, "a truncated file must stop the start");
    match(truncated.error.message, new RegExp(`^${path} at offset \\d+: Unexpected EOF`));
    ok(
      truncated.log.some((l) =>
        l.endsWith("Short read or OOM loading DB. Unrecoverable error, aborting now.")
      ),
    );
    ok(truncated.log.some((l) => l.includes("Fatal error loading the DB: ") && l.includes(path)));

    const flipped = good.slice();
    flipped[flipped.length - 200] ^= 0x01; // inside a value: only the checksum can tell
    await Deno.writeFile(path, flipped);
    const corrupt = await start();
    ok(corrupt.error !== null, "a checksum mismatch must stop the start");
    match(
      corrupt.error.message,
      /at offset \d+: Wrong RDB checksum expected: \([0-9a-f]+\) but got/,
    );

    await Deno.writeFile(path, good);
    const sound = await start();
    equal(sound.error, null);
    ok(sound.log.some((l) => l.endsWith("Done loading RDB, keys loaded: 100, keys expired: 0.")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SHUTDOWN saves with save rules or SAVE, not with NOSAVE; a failed save refuses", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  try {
    {
      await using t = await startTestServer({ save: "3600 1" }, { dir });
      const c = await t.client();
      await c.call("SET", "a", "1");
      await shutdownAndWait(c);
      ok(t.log.lines.some((l) => l.endsWith("Saving the final RDB snapshot before exiting.")));
    }
    {
      await using t = await startTestServer({ save: "3600 1" }, { dir });
      const c = await t.client();
      equal(await c.call("GET", "a"), "1");
      await c.call("SET", "b", "2");
      await shutdownAndWait(c, "NOSAVE");
    }
    {
      // No save rules: a plain SHUTDOWN does not save.
      await using t = await startTestServer({}, { dir });
      const c = await t.client();
      equal(await c.call("GET", "b"), null);
      await c.call("SET", "c", "3");
      await shutdownAndWait(c);
    }
    {
      await using t = await startTestServer({}, { dir });
      const c = await t.client();
      equal(await c.call("GET", "c"), null);
      await c.call("SET", "d", "4");
      await shutdownAndWait(c, "SAVE");
    }
    await using t = await startTestServer({}, { dir });
    const c = await t.client();
    equal(await c.call("GET", "d"), "4");
    await Deno.remove(dir, { recursive: true });
    const refused = await c.send("SHUTDOWN", "SAVE");
    deepEqual(refused, { type: "error", value: "ERR Errors trying to SHUTDOWN. Check logs." });
    deepEqual(await c.send("PING"), { type: "simple", value: "PONG" });
    ok(t.log.lines.some((l) => l.includes("Failed opening the temp RDB file temp-")));
    await shutdownAndWait(c, "SAVE", "FORCE");
    ok(t.log.lines.some((l) => l.endsWith("Error trying to save the DB. Exit anyway.")));
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a failed save refuses SHUTDOWN on redis-server with the same reply", async () => {
  if (!requireRedis()) return;
  await using redis = await startRedis();
  const b = await redis.client();
  await Deno.remove(redis.dir, { recursive: true });
  deepEqual(await b.send("SHUTDOWN", "SAVE"), {
    type: "error",
    value: "ERR Errors trying to SHUTDOWN. Check logs.",
  });
});

/** A clock the test moves by hand. */
function manualClock() {
  let now = Date.now();
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

Deno.test("save rules fire from the cron once both their time and their changes are reached", async () => {
  const clock = manualClock();
  await using t = await startTestServer({ save: "10 2 100 1" }, {
    plugins: [rdbSnapshotPlugin({ clock: clock.now })],
  });
  const c = await t.client();
  await c.call("SET", "a", "1");
  clock.advance(11);
  t.server.tick(); // 1 change: neither "10 2" (needs 2) nor "100 1" (needs 100 s)
  equal((await info(c)).get("rdb_bgsave_in_progress"), "0");
  equal((await info(c)).get("rdb_saves"), "0");

  const ended = nextBgsaveEnd(t.server);
  await c.call("SET", "b", "2");
  t.server.tick();
  equal(await ended, "ok");
  ok(t.log.lines.some((l) => l.endsWith("2 changes in 10 seconds. Saving...")));
  const fields = await info(c);
  equal(fields.get("rdb_changes_since_last_save"), "0");
  equal(fields.get("rdb_last_bgsave_status"), "ok");
  equal(fields.get("rdb_saves"), "1");
  equal(await c.call("LASTSAVE"), Math.floor(clock.now() / 1000));

  // Changes made while the save ran stay counted (Redis's dirty_before_bgsave).
  await c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
  clock.advance(11);
  await run(c, [["SET", "c", "3"], ["SET", "c2", "3"]]);
  const second = nextBgsaveEnd(t.server);
  t.server.tick();
  equal((await info(c)).get("rdb_bgsave_in_progress"), "1");
  await run(c, [["SET", "d", "4"], ["SET", "e", "5"], ["SET", "f", "6"]]);
  equal(await second, "ok");
  equal((await info(c)).get("rdb_changes_since_last_save"), "3");
});

Deno.test("MISCONF refuses writes and PING after a failed BGSAVE, as redis-server does", async () => {
  if (!requireRedis()) return;
  await using cairn = await startTestServer({ save: "3600 1" });
  await using redis = await startRedis({ save: "3600 1" });
  const a = await cairn.client();
  const b = await redis.client();
  await run(a, [["SET", "k", "v"]]);
  await run(b, [["SET", "k", "v"]]);
  const cairnDir = cairn.dir;
  await Deno.remove(cairnDir, { recursive: true });
  await Deno.remove(redis.dir, { recursive: true });
  const failed = nextBgsaveEnd(cairn.server);
  await expectSame(a, b, steps(["BGSAVE"]));
  equal(await failed, "error");
  await redisSaveFinished(b);
  await expectSame(
    a,
    b,
    steps(
      ["SET", "k", "w"],
      ["PING"],
      ["GET", "k"],
      ["MULTI"],
      ["SET", "k", "x"],
      ["EXEC"],
      ["CONFIG", "SET", "stop-writes-on-bgsave-error", "no"],
      ["SET", "k", "y"],
      ["CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"],
      ["DEL", "k"],
    ),
  );
  ok(cairn.log.lines.some((l) => l.endsWith("Background saving error")));
  equal((await info(a)).get("rdb_last_bgsave_status"), "err");

  // A successful save lifts the refusal.
  await Deno.mkdir(cairnDir);
  const recovered = nextBgsaveEnd(cairn.server);
  equal(await a.call("BGSAVE"), "Background saving started");
  equal(await recovered, "ok");
  equal(await a.call("SET", "k", "z"), "OK");
  equal((await info(a)).get("rdb_last_bgsave_status"), "ok");
  // Its directory is gone: redis-server would refuse the SIGTERM shutdown's save.
  await b.write(encodeCommand(["SHUTDOWN", "NOSAVE"]));
  ok(await b.closedByPeer());
});

Deno.test("after a failed BGSAVE the save rules retry only once 5 seconds have passed", async () => {
  const clock = manualClock();
  await using t = await startTestServer({ save: "1 1" }, {
    plugins: [rdbSnapshotPlugin({ clock: clock.now })],
  });
  const c = await t.client();
  await c.call("SET", "a", "1");
  await Deno.remove(t.dir, { recursive: true });
  clock.advance(2);
  const failed = nextBgsaveEnd(t.server);
  t.server.tick();
  equal(await failed, "error");
  match((await reply(c, "SET", "a", "2") as Error).message, /^MISCONF /);
  match((await reply(c, "PING") as Error).message, /^MISCONF /);

  clock.advance(5); // exactly 5 s after the attempt: not yet
  t.server.tick();
  equal((await info(c)).get("rdb_bgsave_in_progress"), "0");
  equal((await info(c)).get("rdb_saves"), "1");

  await Deno.mkdir(t.dir);
  clock.advance(1);
  const retried = nextBgsaveEnd(t.server);
  t.server.tick();
  equal(await retried, "ok");
  equal((await info(c)).get("rdb_saves"), "2");
  equal(await c.call("SET", "a", "3"), "OK");
});

Deno.test("FLUSHALL with save rules saves the empty dataset and aborts a running BGSAVE", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-rdb-" });
  try {
    {
      await using t = await startTestServer({ save: "3600 1000" }, { dir });
      const c = await t.client();
      await run(c, [["SET", "a", "1"], ["SET", "b", "2"], ["SET", "c", "3"]]);
      equal(await c.call("SAVE"), "OK");
      await c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
      const aborted = nextBgsaveEnd(t.server);
      equal(await c.call("BGSAVE"), "Background saving started");
      equal(await c.call("FLUSHALL"), "OK");
      equal(await aborted, "aborted");
      equal((await info(c)).get("rdb_last_bgsave_status"), "ok");
      const files = [...Deno.readDirSync(dir)].map((e) => e.name);
      deepEqual(files, ["dump.rdb"]);
      await c.call("SET", "after", "1");
    }
    await using t = await startTestServer({}, { dir });
    const c = await t.client();
    equal(await c.call("DBSIZE"), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cairn check-rdb accepts a saved file and reports a damaged one", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await run(c, [["SET", "a", "1"], ["RPUSH", "l", "x", "y"], ["SAVE"]]);
  const check = async (path: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "check-rdb", path],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, text: new TextDecoder().decode(out.stdout) };
  };
  const path = `${t.dir}/dump.rdb`;
  const good = await check(path);
  equal(good.code, 0, good.text);
  match(good.text, /\\o\/ RDB looks OK! \\o\//);
  match(good.text, /\[info\] 2 keys read/);
  const bytes = await Deno.readFile(path);
  await Deno.writeFile(path, bytes.subarray(0, bytes.length - 12));
  const bad = await check(path);
  equal(bad.code, 1);
  match(bad.text, /--- RDB ERROR DETECTED ---/);
});
