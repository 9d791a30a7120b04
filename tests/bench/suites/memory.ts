/**
 * Memory: RSS growth for 1,000,000 keys of 100-byte values, Cairn against
 * redis-server. Target (issue 2): at most 1.3x Redis.
 *
 * @module
 */

import type { Row } from "../report.ts";
import { type BenchServer, startCairnProcess, startRedisProcess } from "../processes.ts";
import { RespClient } from "../../_helpers/resp_client.ts";
import type { SuiteOptions } from "./suite.ts";

/** Writes `count` keys `key:<n>` with `size`-byte values through pipelined SETs. */
export async function fillStrings(port: number, count: number, size: number): Promise<void> {
  const client = await RespClient.connect(port);
  try {
    const value = "v".repeat(size);
    const batch = 1000;
    for (let i = 0; i < count; i += batch) {
      const commands: string[][] = [];
      for (let j = i; j < Math.min(count, i + batch); j++) {
        commands.push(["SET", `key:${String(j).padStart(12, "0")}`, value]);
      }
      await client.pipeline(commands);
    }
  } finally {
    client.close();
  }
}

async function measure(server: BenchServer, keys: number): Promise<number> {
  const before = server.rss();
  await fillStrings(server.port, keys, 100);
  // Let a collector run settle the heap before reading RSS (Redis has none).
  await new Promise((r) => setTimeout(r, 2000));
  return server.rss() - before;
}

/** Runs the suite. */
export async function memorySuite(options: SuiteOptions): Promise<Row[]> {
  const keys = options.quick ? 100_000 : 1_000_000;
  const growth: Record<string, number> = {};
  for (const start of [startCairnProcess, startRedisProcess]) {
    await using server = await start();
    growth[server.name] = await measure(server, keys);
  }
  return [{
    suite: "memory",
    metric: `RSS growth for ${keys.toLocaleString("en-US")} keys x 100 B (bytes)`,
    cairn: growth.cairn,
    redis: growth.redis,
    higherIsBetter: false,
    target: "<= 1.30x",
  }];
}
