/**
 * RDB persistence, Cairn against redis-server with the same data in the
 * same run (issue targets in each row):
 *
 * - 1,000,000 keys of 100 bytes (DEBUG POPULATE): SAVE time (first and
 *   second SAVE of the process: Cairn's first one includes compiling the
 *   encoder), file size, and load time (process start until PING answers PONG instead of
 *   -LOADING, so Cairn's Deno start-up is included);
 * - 2,000,000 keys: SAVE time, then BGSAVE while 4 connections write
 *   pipelined SETs and a probe connection times one SET at a time. Reported:
 *   the probe's p99 and max latency without and during the save, the write
 *   throughput during the save as a share of the throughput without it,
 *   BGSAVE's duration against SAVE's, and the server's RSS growth during
 *   the save. Redis's RSS is its parent process only: its copy-on-write
 *   pages are in the fork child, reported separately as INFO's
 *   `rdb_last_cow_size` (Cairn has no fork; its extra memory is in its RSS).
 *
 * The load and the probe run in this process; both servers get the same.
 *
 * @module
 */

import type { Row } from "../report.ts";
import { type BenchServer, startCairnProcess, startRedisProcess } from "../processes.ts";
import { encodeCommand, RespClient } from "../../_helpers/resp_client.ts";
import type { SuiteOptions } from "./suite.ts";

type Start = (directives?: Record<string, string>) => Promise<BenchServer>;

const STARTS: readonly Start[] = [startCairnProcess, startRedisProcess];
const DEBUG = { "enable-debug-command": "yes" };
const VALUE = "x".repeat(100);
const OK_REPLY = 5; // "+OK\r\n"

/** A connection that writes pre-encoded requests and counts reply bytes (cheap on the client). */
class RawConnection {
  readonly #conn: Deno.TcpConn;
  readonly #buf = new Uint8Array(64 * 1024);

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async open(port: number): Promise<RawConnection> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    return new RawConnection(conn);
  }

  /** Sends `request` and reads exactly `replyBytes` bytes of replies. */
  async exchange(request: Uint8Array, replyBytes: number): Promise<void> {
    let off = 0;
    while (off < request.length) off += await this.#conn.write(request.subarray(off));
    let got = 0;
    while (got < replyBytes) {
      const n = await this.#conn.read(
        this.#buf.subarray(0, Math.min(this.#buf.length, replyBytes - got)),
      );
      if (n === null) throw new Error("connection closed");
      got += n;
    }
  }

  close(): void {
    this.#conn.close();
  }
}

function setBatch(keys: number, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < size; i++) {
    parts.push(encodeCommand(["SET", `key:${Math.floor(Math.random() * keys)}`, VALUE]));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** What a window of load measured. */
interface Window {
  opsPerSec: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Runs 4 pipelined writers and a latency probe until `until` resolves;
 * returns the throughput and the probe's latencies over that time.
 */
async function underLoad(port: number, keys: number, until: Promise<void>): Promise<Window> {
  let stop = false;
  void until.then(() => (stop = true));
  const batches = Array.from({ length: 8 }, () => setBatch(keys, 32));
  let ops = 0;
  const writers = await Promise.all(Array.from({ length: 4 }, () => RawConnection.open(port)));
  const probe = await RawConnection.open(port);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all([
    ...writers.map(async (w, i) => {
      for (let n = i; !stop; n++) {
        await w.exchange(batches[n % batches.length], 32 * OK_REPLY);
        ops += 32;
      }
    }),
    (async () => {
      const requests = Array.from({ length: 64 }, () => setBatch(keys, 1));
      for (let n = 0; !stop; n++) {
        const t = performance.now();
        await probe.exchange(requests[n % requests.length], OK_REPLY);
        latencies.push(performance.now() - t);
      }
    })(),
  ]);
  const seconds = (performance.now() - started) / 1000;
  for (const c of [...writers, probe]) c.close();
  latencies.sort((a, b) => a - b);
  return {
    opsPerSec: ops / seconds,
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1],
  };
}

async function infoField(client: RespClient, name: string): Promise<string> {
  const text = await client.call("INFO", "persistence") as string;
  const m = new RegExp(`^${name}:(.*)\r$`, "m").exec(text);
  if (m === null) throw new Error(`INFO has no ${name}`);
  return m[1];
}

async function populate(server: BenchServer, keys: number): Promise<RespClient> {
  const c = await RespClient.connect(server.port);
  await c.call("DEBUG", "POPULATE", keys, "key", 100);
  return c;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** SAVE time, file size and restart time of `keys` keys, per server. */
async function saveAndLoad(start: Start, keys: number) {
  const keep = await Deno.makeTempDir({ prefix: "rdb-bench-" });
  try {
    let saveMs: number;
    let coldSaveMs: number;
    let bytes: number;
    {
      await using server = await start(DEBUG);
      const c = await populate(server, keys);
      // The first SAVE of a Cairn process also compiles the encoder (JIT).
      coldSaveMs = await timed(() => c.call("SAVE"));
      saveMs = await timed(() => c.call("SAVE"));
      c.close();
      await Deno.copyFile(`${server.dir}/dump.rdb`, `${keep}/dump.rdb`);
      bytes = (await Deno.stat(`${keep}/dump.rdb`)).size;
    }
    const t = performance.now();
    await using server = await start({ dir: keep });
    const c = await RespClient.connect(server.port);
    while ((await c.send("PING")).type === "error") {
      await new Promise((r) => setTimeout(r, 5));
    }
    const loadMs = performance.now() - t;
    equalKeys(await c.call("DBSIZE") as number, keys);
    c.close();
    return { coldSaveMs, saveMs, bytes, loadMs };
  } finally {
    await Deno.remove(keep, { recursive: true }).catch(() => {});
  }
}

function equalKeys(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`loaded ${actual} keys, expected ${expected}`);
}

/** BGSAVE under write load, per server. */
async function bgsaveUnderLoad(start: Start, keys: number, baselineMs: number) {
  await using server = await start(DEBUG);
  const c = await populate(server, keys);
  await c.call("SAVE"); // warm-up (JIT), as in the SAVE figures above
  const saveMs = await timed(() => c.call("SAVE"));
  const baseline = await underLoad(
    server.port,
    keys,
    new Promise((r) => setTimeout(r, baselineMs)),
  );

  const rssBefore = server.rss();
  let rssPeak = rssBefore;
  let bgsaveMs = 0;
  const saved = (async () => {
    const t = performance.now();
    const reply = await c.call("BGSAVE");
    if (reply !== "Background saving started") throw new Error(`BGSAVE: ${reply}`);
    while (await infoField(c, "rdb_bgsave_in_progress") === "1") {
      rssPeak = Math.max(rssPeak, server.rss());
      await new Promise((r) => setTimeout(r, 20));
    }
    bgsaveMs = performance.now() - t;
    const status = await infoField(c, "rdb_last_bgsave_status");
    if (status !== "ok") throw new Error(`BGSAVE failed on ${server.name}`);
  })();
  const during = await underLoad(server.port, keys, saved);
  await saved;
  const cow = Number(await infoField(c, "rdb_last_cow_size"));
  c.close();
  return { saveMs, bgsaveMs, baseline, during, rssGrowth: rssPeak - rssBefore, cow };
}

/** Runs the suite. */
export async function rdbSuite(options: SuiteOptions): Promise<Row[]> {
  const small = options.quick ? 100_000 : 1_000_000;
  const big = options.quick ? 200_000 : 2_000_000;
  const baselineMs = options.quick ? 1000 : 3000;
  const rows: Row[] = [];
  const row = (metric: string, values: Record<string, number>, higher: boolean, target?: string) =>
    rows.push({
      suite: "rdb",
      metric,
      cairn: values.cairn,
      redis: values.redis,
      higherIsBetter: higher,
      target,
    });

  const sl: Record<string, Awaited<ReturnType<typeof saveAndLoad>>> = {};
  for (const start of STARTS) {
    const name = start === startCairnProcess ? "cairn" : "redis";
    sl[name] = await saveAndLoad(start, small);
  }
  const n = small.toLocaleString("en-US");
  const pick = <T>(f: (x: T) => number, src: Record<string, T>) => ({
    cairn: f(src.cairn),
    redis: f(src.redis),
  });
  row(`first SAVE ${n} keys x 100 B (ms)`, pick((x) => x.coldSaveMs, sl), false);
  row(`SAVE ${n} keys x 100 B (ms)`, pick((x) => x.saveMs, sl), false, "<= 1.50x");
  row(`RDB file size, ${n} keys (bytes)`, pick((x) => x.bytes, sl), false, "<= 1.05x");
  row(`load ${n} keys, start until ready (ms)`, pick((x) => x.loadMs, sl), false, "<= 2.00x");

  const bg: Record<string, Awaited<ReturnType<typeof bgsaveUnderLoad>>> = {};
  for (const start of STARTS) {
    const name = start === startCairnProcess ? "cairn" : "redis";
    bg[name] = await bgsaveUnderLoad(start, big, baselineMs);
  }
  const m = big.toLocaleString("en-US");
  row(`SAVE ${m} keys (ms)`, pick((x) => x.saveMs, bg), false);
  row(`BGSAVE ${m} keys under write load (ms)`, pick((x) => x.bgsaveMs, bg), false);
  row(`BGSAVE time / SAVE time (x)`, pick((x) => x.bgsaveMs / x.saveMs, bg), false, "cairn <= ~2");
  row(`probe p99 latency, no save (ms)`, pick((x) => x.baseline.p99Ms, bg), false);
  row(`probe p99 latency during BGSAVE (ms)`, pick((x) => x.during.p99Ms, bg), false);
  row(`probe max latency, no save (ms)`, pick((x) => x.baseline.maxMs, bg), false);
  row(`probe max latency during BGSAVE (ms)`, pick((x) => x.during.maxMs, bg), false, "< 10 ms");
  row(`write ops/s, no save`, pick((x) => x.baseline.opsPerSec, bg), true);
  row(`write ops/s during BGSAVE`, pick((x) => x.during.opsPerSec, bg), true);
  row(
    `throughput during BGSAVE (% of no-save)`,
    pick((x) => (x.during.opsPerSec / x.baseline.opsPerSec) * 100, bg),
    true,
    ">= 1.00x",
  );
  row(`RSS growth during BGSAVE (bytes; Redis: parent only)`, pick((x) => x.rssGrowth, bg), false);
  row(`copy-on-write of the save (rdb_last_cow_size)`, pick((x) => x.cow, bg), false);
  return rows;
}
