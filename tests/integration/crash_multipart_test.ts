/**
 * Crash tests of the multi-part rewrite: Cairn runs as a subprocess
 * (multipart_crash_child.ts) whose fault hook ends the process, with no
 * cleanup, at one step of a BGREWRITEAOF while clients write; a restarted
 * server must hold every write a client saw acknowledged, a prefix of each
 * client's history (no holes), whole transactions, and the preloaded keys.
 *
 * Steps: the new incr file just opened; part of the base written; the base
 * complete in its temporary file; the base renamed into the AOF directory
 * (the manifest still old); the new manifest written but not renamed; the
 * new manifest renamed (history files not deleted yet).
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { spawnOnFreePort, startTestServer } from "../_helpers/servers.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { listDir, manifestOf, multipartAof, tempDir } from "./multipart_helpers.ts";
import { CRASH_EXIT_CODE } from "./multipart_crash_child.ts";
import type { RewriteStep } from "../../plugins/aof-multipart/mod.ts";

const CHILD = new URL("./multipart_crash_child.ts", import.meta.url).pathname;
const CLIENTS = 4;
const PRELOAD = 300;

/** One client's writes until the server dies: `RPUSH log:<id> n`, every fifth a transaction. */
async function writeUntilGone(port: number, id: number, acked: number[]): Promise<void> {
  let client: RespClient;
  try {
    client = await RespClient.connect(port);
  } catch {
    return;
  }
  try {
    for (let n = 0;; n++) {
      if (n % 5 === 4) {
        const replies = await client.pipeline([
          ["MULTI"],
          ["RPUSH", `log:${id}`, n],
          ["SET", `tx:${id}`, n],
          ["EXEC"],
        ]);
        if (replies[3].type !== "array") throw new Error("EXEC failed");
      } else {
        const reply = await client.send("RPUSH", `log:${id}`, n);
        if (reply.type !== "integer") throw new Error("RPUSH failed");
      }
      acked[id] = n + 1;
    }
  } catch {
    // the server is gone
  } finally {
    client.close();
  }
}

async function verify(client: RespClient, acked: number[]): Promise<void> {
  for (let id = 0; id < CLIENTS; id++) {
    const log = (await client.call("LRANGE", `log:${id}`, 0, -1) as string[]).map(Number);
    deepEqual(log, log.map((_, i) => i), `client ${id}: a prefix with no holes`);
    ok(log.length >= acked[id], `client ${id}: ${log.length} present, ${acked[id]} acknowledged`);
    const lastTx = log.filter((n) => n % 5 === 4).at(-1);
    equal(
      await client.call("GET", `tx:${id}`),
      lastTx === undefined ? null : String(lastTx),
      `client ${id}: transactions are whole`,
    );
  }
  equal(await client.call("DBSIZE"), PRELOAD + 2 * CLIENTS);
}

/** What the AOF directory looks like after a crash at `step` (Redis's order of operations). */
function checkFilesAfter(step: RewriteStep, dir: string, preamble: boolean): void {
  const manifest = manifestOf(dir);
  const names = listDir(`${dir}/appendonlydir`);
  const ext = preamble ? "rdb" : "aof";
  const newManifest = manifest.startsWith(`file appendonly.aof.2.base.${ext} seq 2 type b\n`);
  const oldManifest = "file appendonly.aof.1.base." + ext + " seq 1 type b\n" +
    "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n";
  if (step === "manifest-renamed") {
    ok(newManifest, manifest);
  } else {
    equal(manifest, oldManifest, `the old manifest stays in charge at ${step}`);
  }
  if (step === "base-renamed" || step === "manifest-written") {
    ok(names.includes(`appendonly.aof.2.base.${ext}`), "the new base is in the directory");
  }
  if (step === "manifest-written") ok(names.includes("temp-appendonly.aof.manifest"));
}

async function crashAt(step: RewriteStep, preamble: boolean): Promise<void> {
  const dir = await tempDir("cairn-mp-crash-");
  try {
    const { child, port } = await spawnOnFreePort((port) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CHILD, String(port), dir, step, "always", preamble ? "yes" : "no"],
        stdout: "null",
        stderr: "null",
      }).spawn()
    );
    const control = await RespClient.connect(port);
    const preload = Array.from({ length: PRELOAD }, (_, i) => ["SET", `pre:${i}`, "x".repeat(50)]);
    await control.pipeline(preload);
    // A pause of 2 ms after each step of the walk (a key or so): the rewrite lasts about a second.
    await control.call("CONFIG", "SET", "rdb-key-save-delay", "2000");
    const acked = new Array<number>(CLIENTS).fill(0);
    const writers = Array.from({ length: CLIENTS }, (_, id) => writeUntilGone(port, id, acked));
    while (acked.some((n) => n < 50)) await new Promise((r) => setTimeout(r, 5));
    // At "incr-opened" the process ends inside BGREWRITEAOF: no reply comes.
    await control.send("BGREWRITEAOF").catch(() => null);
    const status = await child.status;
    equal(status.code, CRASH_EXIT_CODE, `the process ended at ${step}`);
    await Promise.all(writers);
    control.close();
    checkFilesAfter(step, dir, preamble);
    await using t = await startTestServer(multipartAof({ "aof-use-rdb-preamble": preamble }), {
      dir,
    });
    await verify(await t.client(), acked);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const STEPS: RewriteStep[] = [
  "incr-opened",
  "base-writing",
  "base-written",
  "base-renamed",
  "manifest-written",
  "manifest-renamed",
];

for (const step of STEPS) {
  Deno.test(`a crash at "${step}" of a multi-part rewrite loses no acknowledged write`, async () => {
    await crashAt(step, true);
  });
}

Deno.test(`a crash at "base-renamed" with a RESP base loses no acknowledged write`, async () => {
  await crashAt("base-renamed", false);
});
