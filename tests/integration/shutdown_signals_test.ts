/**
 * SIGTERM and SIGINT shut a `cairn` process down with the SHUTDOWN flags of
 * `shutdown-on-sigterm` / `shutdown-on-sigint`: `nosave` skips the final
 * save despite save rules, `save` saves without any, `default` saves when
 * save rules exist, `force` exits even when the save fails (without it the
 * server keeps running). What was saved is checked by loading it again.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import { CairnProcess } from "../_helpers/cairn_process.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { signalShutdownRequest } from "../../server/shutdown_signals.ts";
import { buildConfig } from "../../server/server.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";
import { exists } from "../../persistence/io/files.ts";

/** Starts cairn and waits until it accepts connections. */
async function startCairn(dir: string, args: string[]): Promise<CairnProcess> {
  const cairn = CairnProcess.inDir(dir, args);
  await cairn.waitFor("Ready to accept connections");
  return cairn;
}

/** Stores a key in the server on `port`. */
async function storeKey(port: number): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    equal(await c.call("SET", "k", "v"), "OK");
  } finally {
    c.close();
  }
}

/** Sends `signal` and waits for the process to end; returns its exit code. */
async function signalAndWait(cairn: CairnProcess, signal: "SIGTERM" | "SIGINT"): Promise<number> {
  cairn.kill(signal);
  return await cairn.exitCode();
}

/** The value of `k` after loading the RDB in `dir`, or null. */
async function loadedValue(dir: string): Promise<unknown> {
  await using t = await startTestServer({}, { dir });
  const c = await t.client();
  return await c.call("GET", "k");
}

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("cairn-signal-", fn);

Deno.test("shutdown-on-sigterm nosave: no dump.rdb despite a save rule", async () => {
  await withDir(async (dir) => {
    const cairn = await startCairn(dir, ["--save", "3600 1", "--shutdown-on-sigterm", "nosave"]);
    await storeKey(cairn.port);
    equal(await signalAndWait(cairn, "SIGTERM"), 0, cairn.output);
    match(cairn.output, /Received SIGTERM scheduling shutdown/);
    equal(await exists(`${dir}/dump.rdb`), false, cairn.output);
  });
});

Deno.test("shutdown-on-sigterm save: dump.rdb written without save rules", async () => {
  await withDir(async (dir) => {
    const cairn = await startCairn(dir, ["--save", "", "--shutdown-on-sigterm", "save"]);
    await storeKey(cairn.port);
    equal(await signalAndWait(cairn, "SIGTERM"), 0, cairn.output);
    ok(await exists(`${dir}/dump.rdb`), cairn.output);
    equal(await loadedValue(dir), "v");
  });
});

Deno.test("SIGINT with the default flags saves when a save rule exists", async () => {
  await withDir(async (dir) => {
    const cairn = await startCairn(dir, ["--save", "3600 1", "--shutdown-on-sigterm", "nosave"]);
    await storeKey(cairn.port);
    equal(await signalAndWait(cairn, "SIGINT"), 0, cairn.output);
    match(cairn.output, /Received SIGINT scheduling shutdown/);
    equal(await loadedValue(dir), "v");
  });
});

Deno.test("a failed final save keeps the server up unless the flags say force", async () => {
  await withDir(async (dir) => {
    const cairn = await startCairn(dir, [
      "--shutdown-on-sigterm",
      "save",
      "--shutdown-on-sigint",
      "save force",
    ]);
    try {
      await storeKey(cairn.port);
      // A directory where dump.rdb should go makes the final save fail.
      await Deno.mkdir(`${dir}/dump.rdb`);
      cairn.kill("SIGTERM");
      await cairn.waitFor(
        "Errors trying to shut down the server. Check the logs for more information.",
      );
      // Redis 7.0's lines, in order; the "SIGTERM received but errors" line is only for a load.
      match(
        cairn.output,
        /Received SIGTERM scheduling shutdown\.\.\.\n.*User requested shutdown\.\.\.\n.*Saving the final RDB snapshot before exiting\.\n(.*\n)*.*Error trying to save the DB, can't exit\./,
      );
      equal(cairn.output.includes("SIGTERM received but errors"), false);
      // Still serving.
      const c = await RespClient.connect(cairn.port);
      try {
        equal(await c.call("GET", "k"), "v");
      } finally {
        c.close();
      }
      const refusal = "Errors trying to shut down the server";
      const logged = cairn.output.length;
      cairn.kill("SIGINT");
      // Either it exits, or it refuses again (and the test fails instead of hanging).
      const ended = await Promise.race([
        cairn.exitCode().then((code) => ({ code })),
        // waitFor throws once the output ends, which can come before the exit status.
        cairn.waitFor(refusal, logged).then(
          () => ({ code: -1 }),
          () => cairn.exitCode().then((code) => ({ code })),
        ),
      ]);
      equal(ended.code, 0, cairn.output);
      match(cairn.output, /Error trying to save the DB\. Exit anyway/);
    } finally {
      try {
        cairn.kill("SIGKILL");
      } catch {
        // ended already
      }
      await cairn.exitCode();
    }
  });
});

Deno.test("a signal during loading shuts down without saving, with Redis's line", async () => {
  await withDir(async (dir) => {
    {
      await using t = await startTestServer({}, { dir });
      const c = await t.client();
      for (let i = 0; i < 400; i++) await c.call("SET", `k${i}`, "v");
      equal(await c.call("SAVE"), "OK");
    }
    const before = await Deno.readFile(`${dir}/dump.rdb`);
    // 5 ms per key: loading takes about 2 s; a save now would write a partial dataset.
    const cairn = CairnProcess.inDir(dir, ["--save", "3600 1", "--key-load-delay", "5000"]);
    await cairn.waitFor("Loading RDB produced by version");
    equal(await signalAndWait(cairn, "SIGTERM"), 0, cairn.output);
    match(cairn.output, /Received shutdown signal during loading, scheduling shutdown\./);
    // It stops at once, as Redis does: the load is not finished, nor announced as done.
    equal(cairn.output.includes("Done loading RDB"), false, cairn.output);
    equal(cairn.output.includes("Ready to accept connections"), false, cairn.output);
    deepEqual(await Deno.readFile(`${dir}/dump.rdb`), before);
  });
});

const HANGING_PLUGIN = new URL("./fixtures/hanging_shutdown_plugin.ts", import.meta.url).pathname;

Deno.test("a second SIGINT during the shutdown exits at once with status 1; a SIGTERM does not", async () => {
  await withDir(async (dir) => {
    const cairn = await startCairn(dir, ["--plugins", HANGING_PLUGIN]);
    try {
      await Deno.writeTextFile(`${dir}/temp-${cairn.pid}.rdb`, "half a save");
      cairn.kill("SIGTERM");
      await cairn.waitFor("hanging-shutdown: holding the shutdown");
      const logged = cairn.output.length;
      cairn.kill("SIGTERM"); // Redis only logs it: the shutdown is already under way
      await cairn.waitFor("Received SIGTERM scheduling shutdown...", logged);
      const beforeSigint = cairn.output.length;
      cairn.kill("SIGINT");
      // Exits, or takes it as one more request (and the test fails instead of hanging).
      const code = await Promise.race([
        cairn.exitCode(),
        cairn.waitFor("scheduling shutdown", beforeSigint).then(() => -1, () => cairn.exitCode()),
      ]);
      equal(code, 1, cairn.output);
      match(cairn.output, /You insist\.\.\. exiting now\./);
      equal(cairn.output.split("User requested shutdown...").length, 2, cairn.output); // one shutdown
      equal(await exists(`${dir}/temp-${cairn.pid}.rdb`), false);
    } finally {
      try {
        cairn.kill("SIGKILL");
      } catch {
        // ended already
      }
      await cairn.exitCode();
    }
  });
});

Deno.test("the signal's request follows CONFIG SET of the keys", () => {
  const config = buildConfig({
    "shutdown-on-sigterm": "nosave now",
    "shutdown-on-sigint": "force",
  });
  const term = signalShutdownRequest(config, "SIGTERM");
  equal(term.save, "nosave");
  equal(term.now, true);
  equal(term.force, false);
  const int = signalShutdownRequest(config, "SIGINT");
  equal(int.save, undefined);
  equal(int.force, true);
  config.setText("shutdown-on-sigterm", "save", "config-set");
  equal(signalShutdownRequest(config, "SIGTERM").save, "save");
  config.setText("shutdown-on-sigterm", "default", "config-set");
  const reset = signalShutdownRequest(config, "SIGTERM");
  equal(reset.save, undefined);
  equal(reset.now, false);
});
