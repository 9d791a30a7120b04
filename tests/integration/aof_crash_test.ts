/**
 * Crash tests: Cairn runs as a subprocess with the single-file AOF, several
 * clients write, the process is killed with SIGKILL mid-stream (and again
 * in the middle of a BGREWRITEAOF slowed with rdb-key-save-delay), and a
 * restarted server must hold:
 *
 * - every write whose reply a client received (the AOF is written before
 *   replies go out under every policy, and a killed process loses nothing
 *   already written; with `always` it is also on the disk);
 * - a prefix of each client's history: no holes;
 * - no half transaction.
 *
 * Each client appends its own counter to its own list (`RPUSH log:<c> <n>`),
 * one command at a time; every fifth step is a transaction that also sets
 * `tx:<c>` to the same number.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { spawnOnFreePort, startTestServer } from "../_helpers/servers.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { classicAof, info } from "./aof_helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLIENTS = 8;

function spawnCairn(dir: string, port: number, directives: Record<string, string>) {
  const args = ["run", "-A", `${ROOT}main.ts`, "--port", String(port), "--dir", dir, "--save", ""];
  for (const [k, v] of Object.entries(directives)) args.push(`--${k}`, v);
  return new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
}

/** One client's writer: counts the steps whose reply arrived. */
async function writeUntilKilled(port: number, id: number, acked: number[]): Promise<void> {
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
        if (replies[3].type !== "array") {
          throw new Error(`EXEC failed: ${JSON.stringify(replies[3])}`);
        }
      } else {
        const reply = await client.send("RPUSH", `log:${id}`, n);
        if (reply.type !== "integer") throw new Error(`RPUSH failed: ${JSON.stringify(reply)}`);
      }
      acked[id] = n + 1;
    }
  } catch {
    // killed
  } finally {
    client.close();
  }
}

/** Checks the restarted dataset against what the clients saw acknowledged. */
async function verify(client: RespClient, acked: number[]): Promise<void> {
  for (let id = 0; id < CLIENTS; id++) {
    const log = (await client.call("LRANGE", `log:${id}`, 0, -1) as string[]).map(Number);
    deepEqual(log, log.map((_, i) => i), `client ${id}: a prefix with no holes`);
    ok(log.length >= acked[id], `client ${id}: ${log.length} present, ${acked[id]} acknowledged`);
    // The last transaction present set tx:<id> too: none is half applied.
    const lastTx = log.filter((n) => n % 5 === 4).at(-1);
    const tx = await client.call("GET", `tx:${id}`);
    equal(tx, lastTx === undefined ? null : String(lastTx), `client ${id}: transactions are whole`);
  }
}

async function crashAndRecover(
  policy: "always" | "everysec" | "no",
  options: { duringRewrite: boolean },
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cairn-crash-" });
  try {
    const { child, port } = await spawnOnFreePort((port) =>
      spawnCairn(dir, port, {
        appendonly: "yes",
        "aof-multi-part": "no",
        appendfsync: policy,
        "aof-use-rdb-preamble": "no",
      })
    );
    const control = await RespClient.connect(port);
    if (options.duringRewrite) {
      const preload = Array.from({ length: 10_000 }, (_, i) => ["SET", `pre:${i}`, "x".repeat(50)]);
      await control.pipeline(preload);
      // 100 µs per key: the walk takes about a second.
      await control.call("CONFIG", "SET", "rdb-key-save-delay", "100");
      equal(await control.call("BGREWRITEAOF"), "Background append only file rewriting started");
    }
    const acked = new Array<number>(CLIENTS).fill(0);
    const writers = Array.from({ length: CLIENTS }, (_, id) => writeUntilKilled(port, id, acked));
    // Kill once every client has had some writes acknowledged.
    while (acked.some((n) => n < 200)) await new Promise((r) => setTimeout(r, 5));
    if (options.duringRewrite) {
      equal((await info(control)).get("aof_rewrite_in_progress"), "1", "killed mid-rewrite");
    }
    child.kill("SIGKILL");
    await child.status;
    await Promise.all(writers);
    control.close();
    await using t = await startTestServer(classicAof(), { dir });
    const c = await t.client();
    await verify(c, acked);
    if (options.duringRewrite) equal(await c.call("DBSIZE"), 10_000 + 2 * CLIENTS);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const policy of ["always", "everysec", "no"] as const) {
  Deno.test(`SIGKILL mid-stream (appendfsync ${policy}): acknowledged writes kept, no holes`, async () => {
    await crashAndRecover(policy, { duringRewrite: false });
  });
}

Deno.test("SIGKILL during a slowed BGREWRITEAOF (appendfsync always): nothing acknowledged lost", async () => {
  await crashAndRecover("always", { duringRewrite: true });
});
