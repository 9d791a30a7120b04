/**
 * Disk errors and group commit with the single-file AOF: MISCONF while the
 * AOF cannot be written and recovery without a restart (through a file
 * handle that fails on demand, and on a real full filesystem when a tiny
 * tmpfs can be mounted), no acknowledgement of a write that failed under
 * `appendfsync always`, and far fewer fsyncs than writes under load.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import { plain } from "../_helpers/resp_client.ts";
import { createAofClassicPlugin } from "../../plugins/aof-classic/mod.ts";
import { classicAof, type FaultControl, FaultyFile, info, noSpace } from "./aof_helpers.ts";

const MISCONF = "MISCONF Errors writing to the AOF file: No space left on device";

function faultyPlugin(control: FaultControl) {
  return createAofClassicPlugin({ openFile: (path) => new FaultyFile(path, control) });
}

Deno.test("always: a failed write is never acknowledged; writes get MISCONF until the disk recovers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-aof-" });
  try {
    {
      const control: FaultControl = { writeError: null, fsyncs: 0 };
      await using t = await startTestServer(classicAof("always"), {
        dir,
        plugins: [faultyPlugin(control)],
      });
      const victim = await t.client();
      const other = await t.client();
      equal(await victim.call("SET", "before", "1"), "OK");
      control.writeError = noSpace();
      await victim.write("*3\r\n$3\r\nSET\r\n$6\r\nunsure\r\n$1\r\n2\r\n");
      ok(await victim.closedByPeer(), "the client waiting for the failed write is disconnected");
      deepEqual(plain(await other.send("SET", "refused", "3")), new Error(MISCONF));
      deepEqual(plain(await other.send("PING")), new Error(MISCONF));
      equal(await other.call("GET", "before"), "1", "reads still work");
      equal((await info(other)).get("aof_last_write_status"), "err");
      ok(
        t.log.lines.some((l) =>
          l.includes("Error writing to the AOF file: No space left on device")
        ),
      );
      t.server.tick();
      deepEqual(
        plain(await other.send("SET", "refused", "3")),
        new Error(MISCONF),
        "still failing",
      );
      control.writeError = null;
      t.server.tick(); // the cron retries the buffered write
      ok(
        t.log.lines.some((l) => l.includes("AOF write error looks solved, Redis can write again.")),
      );
      equal((await info(other)).get("aof_last_write_status"), "ok");
      equal(await other.call("SET", "after", "4"), "OK");
    }
    // The unacknowledged write was kept in memory, so it is in the AOF too: both agree.
    await using t3 = await startTestServer(classicAof(), { dir });
    const c = await t3.client();
    deepEqual((await c.call("KEYS", "*") as string[]).sort(), ["after", "before", "unsure"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("everysec: the failing write's reply goes out, later writes get MISCONF, then recover", async () => {
  const control: FaultControl = { writeError: null, fsyncs: 0 };
  await using t = await startTestServer(classicAof("everysec"), {
    plugins: [faultyPlugin(control)],
  });
  const c = await t.client();
  control.writeError = noSpace();
  equal(await c.call("SET", "a", "1"), "OK");
  deepEqual(plain(await c.send("SET", "b", "2")), new Error(MISCONF));
  control.writeError = null;
  t.server.tick();
  equal(await c.call("SET", "b", "2"), "OK");
  const text = await Deno.readTextFile(`${t.dir}/appendonly.aof`);
  ok(text.includes("$1\r\na\r\n$1\r\n1\r\n") && text.includes("$1\r\nb\r\n$1\r\n2\r\n"));
});

Deno.test("appendfsync always: many clients share fsyncs (group commit)", async () => {
  const control: FaultControl = { writeError: null, fsyncs: 0 };
  await using t = await startTestServer(classicAof("always"), {
    plugins: [faultyPlugin(control)],
  });
  const clients = await Promise.all(Array.from({ length: 50 }, () => t.client()));
  const writes = 20;
  await Promise.all(clients.map(async (c, i) => {
    for (let j = 0; j < writes; j++) equal(await c.call("SET", `k${i}:${j}`, "v"), "OK");
  }));
  const total = clients.length * writes;
  ok(control.fsyncs > 0);
  ok(
    control.fsyncs * 5 <= total,
    `${control.fsyncs} fsyncs for ${total} acknowledged writes: expected at least 5 writes per fsync`,
  );
  equal(await clients[0].call("DBSIZE"), total);
});

/** Mounts a tmpfs of `kb` KiB at a new directory, or returns null when not permitted. */
async function tinyTmpfs(kb: number): Promise<string | null> {
  const dir = await Deno.makeTempDir({ prefix: "cairn-tmpfs-" });
  const out = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${kb}k`, "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => null);
  if (out === null || !out.success) {
    await Deno.remove(dir);
    return null;
  }
  return dir;
}

Deno.test("a full filesystem: MISCONF, then recovery once space is freed", async () => {
  const dir = await tinyTmpfs(128);
  if (dir === null) {
    console.warn("cannot mount a tmpfs here (needs root): covered by the injected-failure tests");
    return;
  }
  try {
    await Deno.writeFile(`${dir}/filler`, new Uint8Array(64 * 1024));
    await using t = await startTestServer(classicAof("everysec"), { dir });
    const c = await t.client();
    const value = "x".repeat(4000);
    let refused: unknown = null;
    for (let i = 0; i < 100 && refused === null; i++) {
      const r = plain(await c.send("SET", `k${i}`, value));
      if (r instanceof Error) refused = r;
    }
    deepEqual(refused, new Error(MISCONF));
    equal((await info(c)).get("aof_last_write_status"), "err");
    await Deno.remove(`${dir}/filler`);
    t.server.tick();
    equal((await info(c)).get("aof_last_write_status"), "ok");
    equal(await c.call("SET", "after", "1"), "OK");
    ok(t.log.lines.some((l) => l.includes("AOF write error looks solved, Redis can write again.")));
  } finally {
    await new Deno.Command("umount", { args: [dir] }).output();
    await Deno.remove(dir, { recursive: true });
  }
});
