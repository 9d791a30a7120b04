/**
 * The AOF layouts against each other and against redis-server 7.0:
 *
 * - Loading a 1,000,000-key multi-part AOF at startup, as each server logs
 *   it ("DB loaded from append only file: N seconds"): the same files
 *   (written by Cairn) with an RDB base (hybrid preamble) and with a RESP
 *   base, loaded by Cairn and by redis-server.
 * - A BGREWRITEAOF of 1,000,000 keys under a steady write load (pipelines
 *   of SETs on existing keys at a fixed rate): bytes the process wrote to
 *   disk from the command to the end of the rewrite (`write_bytes` of
 *   /proc/<pid>/io; redis-server's fork child is counted in its parent
 *   once reaped, which happens before the rewrite is reported done), for Cairn's single-file
 *   AOF (two buffers: every write goes to the old file and again to the new
 *   one), Cairn's multi-part AOF (no second buffer) and redis-server's
 *   multi-part AOF. The "AOF bytes per write" rows remove the base image
 *   and divide by the bytes the load's records take once: about 2 for two
 *   buffers, 1 without.
 *
 * @module
 */

import type { Row } from "../report.ts";
import { type BenchServer, startCairnProcess, startRedisProcess } from "../processes.ts";
import { RespClient } from "../../_helpers/resp_client.ts";
import type { SuiteOptions } from "./suite.ts";

const SUITE = "persistence_layouts";

async function infoField(client: RespClient, field: string): Promise<string> {
  const text = await client.call("INFO", "persistence") as string;
  return new RegExp(`^${field}:(.*)\r?$`, "m").exec(text)?.[1] ?? "";
}

async function untilRewriteEnds(client: RespClient): Promise<void> {
  while (await infoField(client, "aof_rewrite_in_progress") !== "0") {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (await infoField(client, "aof_last_bgrewrite_status") !== "ok") {
    throw new Error("the rewrite failed");
  }
}

async function rewrite(client: RespClient): Promise<void> {
  const reply = await client.call("BGREWRITEAOF");
  if (typeof reply !== "string" || !reply.includes("started")) {
    throw new Error(`BGREWRITEAOF: ${reply}`);
  }
  await untilRewriteEnds(client);
}

/** Startup load time the server logs for its AOF, in milliseconds. */
async function loadMs(logPath: string): Promise<number> {
  for (let i = 0; i < 30_000; i++) {
    const log = await Deno.readTextFile(logPath).catch(() => "");
    const m = /DB loaded from append only file: (\d+\.\d+) seconds/.exec(log);
    if (m !== null) return Number(m[1]) * 1000;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no load time in ${logPath}`);
}

function copyDir(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isFile) Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

/** Builds two AOF directories holding `keys` keys: one with an RDB base, one with a RESP base. */
async function buildDatasets(
  keys: number,
  root: string,
): Promise<{ hybrid: string; resp: string }> {
  const dir = `${root}/source`;
  Deno.mkdirSync(dir);
  await using server = await startCairnProcess({
    dir,
    appendonly: "yes",
    "aof-use-rdb-preamble": "yes",
    "enable-debug-command": "yes",
  });
  const client = await RespClient.connect(server.port);
  try {
    await client.call("DEBUG", "POPULATE", keys, "key", 100);
    await rewrite(client);
    copyDir(`${dir}/appendonlydir`, `${root}/hybrid/appendonlydir`);
    await client.call("CONFIG", "SET", "aof-use-rdb-preamble", "no");
    await rewrite(client);
    copyDir(`${dir}/appendonlydir`, `${root}/resp/appendonlydir`);
  } finally {
    client.close();
  }
  return { hybrid: `${root}/hybrid`, resp: `${root}/resp` };
}

async function loadRows(keys: number, root: string): Promise<Row[]> {
  const datasets = await buildDatasets(keys, root);
  const label = keys.toLocaleString("en-US");
  const rows: Row[] = [];
  for (const [kind, source] of Object.entries(datasets)) {
    const ms: Record<string, number> = {};
    for (const start of [startCairnProcess, startRedisProcess]) {
      const dir = `${root}/${kind}-${start === startCairnProcess ? "cairn" : "redis"}`;
      copyDir(`${source}/appendonlydir`, `${dir}/appendonlydir`);
      await using server = await start({ dir, appendonly: "yes", logfile: `${dir}/server.log` });
      ms[server.name] = await loadMs(`${dir}/server.log`);
    }
    rows.push({
      suite: SUITE,
      metric: `load a ${label}-key multi-part AOF, ${
        kind === "hybrid" ? "RDB base (hybrid)" : "RESP base"
      } (ms)`,
      cairn: ms.cairn,
      redis: ms.redis,
      higherIsBetter: false,
    });
  }
  return rows;
}

function writeBytes(pid: number): number {
  const io = Deno.readTextFileSync(`/proc/${pid}/io`);
  return Number(/^write_bytes: (\d+)$/m.exec(io)?.[1] ?? NaN);
}

/** Overwrites existing keys at a fixed rate until stopped; resolves with the number of writes. */
function steadyWrites(port: number, keys: number, stop: AbortSignal): Promise<number> {
  const perBatch = 200;
  const everyMs = 5;
  const value = "w".repeat(100);
  return (async () => {
    const client = await RespClient.connect(port);
    let done = 0;
    try {
      for (let next = performance.now(); !stop.aborted; next += everyMs) {
        const batch: string[][] = [];
        for (let i = 0; i < perBatch; i++) {
          const k = Math.floor(Math.random() * keys);
          batch.push(["SET", `key:${k}`, value]);
        }
        await client.pipeline(batch);
        done += perBatch;
        const wait = next + everyMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      client.close();
    }
    return done;
  })();
}

/** Bytes of one load record in an AOF (`SET key:<n> <100 bytes>`), for a typical key. */
function recordBytes(keys: number): number {
  const key = `key:${Math.floor(keys / 2)}`;
  return `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$100\r\n${"w".repeat(100)}\r\n`.length;
}

interface RewriteUnderLoad {
  /** Bytes written to disk from BGREWRITEAOF to the end of the rewrite. */
  bytes: number;
  /** Size of the base image the rewrite produced. */
  baseBytes: number;
  /** Writes served meanwhile. */
  writes: number;
  /** Duration of the rewrite, ms. */
  ms: number;
}

async function rewriteUnderLoad(
  server: BenchServer,
  keys: number,
  baseSize: (dir: string) => number,
): Promise<RewriteUnderLoad> {
  const client = await RespClient.connect(server.port);
  try {
    await client.call("DEBUG", "POPULATE", keys, "key", 100);
    // Let the population's writes reach the disk first.
    await new Promise((r) => setTimeout(r, 1500));
    const stop = new AbortController();
    const load = steadyWrites(server.port, keys, stop.signal);
    await new Promise((r) => setTimeout(r, 200));
    const before = writeBytes(server.pid);
    const started = performance.now();
    const writesBefore = Number(
      /total_commands_processed:(\d+)/.exec(await client.call("INFO", "stats") as string)?.[1],
    );
    await rewrite(client);
    const ms = performance.now() - started;
    const writesAfter = Number(
      /total_commands_processed:(\d+)/.exec(await client.call("INFO", "stats") as string)?.[1],
    );
    const after = writeBytes(server.pid);
    stop.abort();
    await load;
    const baseBytes = baseSize(server.dir);
    const bytes = after - before;
    // The INFO calls themselves are a handful of commands among thousands.
    return { bytes, baseBytes, writes: writesAfter - writesBefore, ms };
  } finally {
    client.close();
  }
}

function multipartBaseSize(dir: string): number {
  const manifest = Deno.readTextFileSync(`${dir}/appendonlydir/appendonly.aof.manifest`);
  const base = /^file (\S+) seq \d+ type b$/m.exec(manifest)?.[1];
  return base === undefined ? NaN : Deno.statSync(`${dir}/appendonlydir/${base}`).size;
}

async function rewriteRows(keys: number, root: string): Promise<Row[]> {
  const common = { appendonly: "yes", appendfsync: "everysec", "enable-debug-command": "yes" };
  const results: Record<string, RewriteUnderLoad> = {};
  const runs = [
    ["multipart", () => startCairnProcess(common)],
    ["classic", () => startCairnProcess({ ...common, "aof-multi-part": "no" })],
    ["redis", () => startRedisProcess(common)],
  ] as const;
  for (const [name, start] of runs) {
    await using server = await start();
    results[name] = await rewriteUnderLoad(
      server,
      keys,
      // The single file mixes base and tail: count the multi-part base of the same data.
      name === "classic" ? () => results.multipart.baseBytes : multipartBaseSize,
    );
  }
  void root;
  const label = keys.toLocaleString("en-US");
  const record = recordBytes(keys);
  const perWrite = (r: RewriteUnderLoad) => (r.bytes - r.baseBytes) / (r.writes * record);
  const mb = (r: RewriteUnderLoad) => r.bytes / (1024 * 1024);
  const rows: Row[] = [];
  for (
    const [name, text] of [
      ["classic", "aof-classic (two buffers)"],
      ["multipart", "aof-multipart (no second buffer)"],
    ] as const
  ) {
    const r = results[name];
    rows.push(
      {
        suite: SUITE,
        metric: `BGREWRITEAOF ${label} keys under writes, ${text}: MB written to disk`,
        cairn: mb(r),
        redis: mb(results.redis),
        higherIsBetter: false,
      },
      {
        suite: SUITE,
        metric: `... ${text}: AOF bytes per write during the rewrite / record size`,
        cairn: perWrite(r),
        redis: perWrite(results.redis),
        higherIsBetter: false,
      },
      {
        suite: SUITE,
        metric: `... ${text}: rewrite duration (ms), writes served ${r.writes}`,
        cairn: r.ms,
        redis: results.redis.ms,
        higherIsBetter: false,
      },
    );
  }
  return rows;
}

/** Runs the suite. */
export async function persistenceLayoutsSuite(options: SuiteOptions): Promise<Row[]> {
  const keys = options.quick ? 100_000 : 1_000_000;
  const root = await Deno.makeTempDir({ prefix: "layouts-bench-" });
  try {
    console.error(`load average: ${Deno.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
    const rows = [...await loadRows(keys, root), ...await rewriteRows(keys, root)];
    console.error(`load average: ${Deno.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
    return rows;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
