/**
 * Throughput of SET, GET and INCR under redis-benchmark, 50 clients, at
 * pipeline 1 and at pipeline 16 with 1,000,000 random keys and 100-byte
 * values, run in that order on the same two servers (GET finds SET's keys).
 * Targets (issue 2): at least 0.9x Redis at pipeline 1, 0.65x at 16.
 *
 * @module
 */

import type { Row } from "../report.ts";
import { startCairnProcess, startRedisProcess } from "../processes.ts";
import { redisBenchmark } from "../redis_benchmark.ts";
import type { SuiteOptions } from "./suite.ts";

/** Runs the suite. */
export async function throughputSuite(options: SuiteOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const scale = options.quick ? 0.1 : 1;
  const runs = [
    { label: "P1", pipeline: 1, requests: 200_000 * scale, randomKeys: 0, dataSize: 3 },
    {
      label: "P16",
      pipeline: 16,
      requests: 2_000_000 * scale,
      randomKeys: 1_000_000,
      dataSize: 100,
    },
  ];
  for (const run of runs) {
    // As `redis-benchmark -t set,get,incr` does, the tests run in turn on
    // the same servers, so GET reads the keys SET wrote. Both servers stay
    // up and take each test in turn, so each pair is measured close in time.
    await using cairn = await startCairnProcess();
    await using redis = await startRedisProcess();
    for (const test of ["SET", "GET", "INCR"]) {
      const results: Record<string, number> = {};
      for (const server of [cairn, redis]) {
        const [r] = await redisBenchmark(server.port, {
          tests: test.toLowerCase(),
          requests: Math.round(run.requests),
          pipeline: run.pipeline,
          randomKeys: run.randomKeys || undefined,
          dataSize: run.dataSize,
        });
        results[server.name] = r?.rps ?? NaN;
      }
      rows.push({
        suite: "throughput",
        metric: `${test} ${run.label} ops/s`,
        cairn: results.cairn,
        redis: results.redis,
        higherIsBetter: true,
        target: run.pipeline === 1 ? ">= 0.90x" : ">= 0.65x",
      });
    }
  }
  return rows;
}
