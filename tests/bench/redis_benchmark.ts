/**
 * Running redis-benchmark against a server and reading its CSV output.
 *
 * @module
 */

import { redisBinary } from "../_helpers/servers.ts";

/** One redis-benchmark result line. */
export interface BenchResult {
  /** Test name as redis-benchmark prints it (`SET`, `LPUSH`, ...). */
  test: string;
  /** Requests per second. */
  rps: number;
  /** Average latency, ms. */
  avgMs: number;
  /** 99th percentile latency, ms. */
  p99Ms: number;
  /** Maximum latency, ms. */
  maxMs: number;
}

/** Options of one run. */
export interface BenchOptions {
  /** `-t` tests (comma list), or a custom command given after the options. */
  tests?: string;
  /** A custom command (e.g. `["ZRANGEBYSCORE", "z", "0", "100"]`) instead of `-t`. */
  command?: string[];
  /** `-c` clients. */
  clients?: number;
  /** `-n` requests. */
  requests: number;
  /** `-P` pipeline depth. */
  pipeline?: number;
  /** `-r` keyspace size for `__rand_int__`. */
  randomKeys?: number;
  /** `-d` value size. */
  dataSize?: number;
}

/** Runs redis-benchmark against `port` and returns its results. */
export async function redisBenchmark(port: number, options: BenchOptions): Promise<BenchResult[]> {
  const bin = redisBinary("redis-benchmark");
  if (bin === null) throw new Error("redis-benchmark is not installed");
  const args = ["-h", "127.0.0.1", "-p", String(port), "--csv", "-n", String(options.requests)];
  args.push("-c", String(options.clients ?? 50));
  if (options.pipeline) args.push("-P", String(options.pipeline));
  if (options.randomKeys) args.push("-r", String(options.randomKeys));
  if (options.dataSize) args.push("-d", String(options.dataSize));
  if (options.tests) args.push("-t", options.tests);
  if (options.command) args.push(...options.command);
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "null" }).output();
  return parseCsv(new TextDecoder().decode(out.stdout));
}

/** Parses redis-benchmark's `--csv` output. */
export function parseCsv(text: string): BenchResult[] {
  const results: BenchResult[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split(",").map((c) => c.replace(/^"|"$/g, ""));
    if (cells.length < 8 || cells[0] === "test") continue;
    results.push({
      test: cells[0],
      rps: Number(cells[1]),
      avgMs: Number(cells[2]),
      p99Ms: Number(cells[6]),
      maxMs: Number(cells[7]),
    });
  }
  return results;
}
