/**
 * The data types (issue 3): redis-benchmark's own LPUSH, LPOP, SADD, HSET
 * and ZADD tests plus a ZRANGEBYSCORE on a populated sorted set, at pipeline
 * 16 with 50 clients, and memory per element (RSS growth divided by the
 * number of elements) for each type, both as one big collection and as many
 * small ones (where Redis's listpack and intset encodings shine).
 *
 * @module
 */

import type { Row } from "../report.ts";
import { type BenchServer, startCairnProcess, startRedisProcess } from "../processes.ts";
import { redisBenchmark } from "../redis_benchmark.ts";
import { RespClient } from "../../_helpers/resp_client.ts";
import type { SuiteOptions } from "./suite.ts";

type Start = () => Promise<BenchServer>;
const STARTS: readonly Start[] = [startCairnProcess, startRedisProcess];

/** Commands that add one element of the type to key `k`. */
const ADDERS: Record<string, (k: string, i: number) => string[]> = {
  list: (k, i) => ["RPUSH", k, `element:${i}`],
  hash: (k, i) => ["HSET", k, `field:${i}`, `value:${i}`],
  set: (k, i) => ["SADD", k, `element:${i}`],
  zset: (k, i) => ["ZADD", k, String(i * 1.5), `element:${i}`],
};

async function throughput(requests: number): Promise<Row[]> {
  const results = new Map<string, Record<string, number>>();
  const record = (test: string, server: string, rps: number) => {
    const row = results.get(test) ?? {};
    row[server] = rps;
    results.set(test, row);
  };
  for (const start of STARTS) {
    await using server = await start();
    // One redis-benchmark run, as its own suite does: LPOP pops what LPUSH
    // pushed, and ZADD fills the sorted set the range query then reads.
    const common = { requests, pipeline: 16, randomKeys: 100_000 };
    for (
      const r of await redisBenchmark(server.port, {
        ...common,
        tests: "lpush,lpop,sadd,hset,zadd",
      })
    ) {
      record(r.test.split(" ")[0], server.name, r.rps);
    }
    const [r] = await redisBenchmark(server.port, {
      ...common,
      command: ["ZRANGEBYSCORE", "myzset", "__rand_int__", "+inf", "LIMIT", "0", "10"],
    });
    record("ZRANGEBYSCORE", server.name, r?.rps ?? NaN);
  }
  return [...results].map(([test, r]) => ({
    suite: "datatypes",
    metric: `${test} P16 ops/s`,
    cairn: r.cairn,
    redis: r.redis,
    higherIsBetter: true,
  }));
}

/** Adds `elements` elements, spread over `keys` keys, with pipelined commands. */
async function fill(port: number, type: string, keys: number, elements: number): Promise<void> {
  const client = await RespClient.connect(port);
  try {
    const add = ADDERS[type];
    const perKey = elements / keys;
    const batch: string[][] = [];
    for (let i = 0; i < elements; i++) {
      batch.push(add(`${type}:${Math.floor(i / perKey)}`, i));
      if (batch.length === 1000) await client.pipeline(batch.splice(0));
    }
    if (batch.length > 0) await client.pipeline(batch);
  } finally {
    client.close();
  }
}

async function memory(elements: number): Promise<Row[]> {
  const rows: Row[] = [];
  const shapes = [
    { label: "1 key", keys: 1 },
    { label: "keys of 10", keys: elements / 10 },
  ];
  for (const type of Object.keys(ADDERS)) {
    for (const shape of shapes) {
      const perElement: Record<string, number> = {};
      for (const start of STARTS) {
        await using server = await start();
        const before = server.rss();
        await fill(server.port, type, shape.keys, elements);
        // Give the collector a moment to settle before reading RSS (Redis has none).
        await new Promise((r) => setTimeout(r, 2000));
        perElement[server.name] = (server.rss() - before) / elements;
      }
      rows.push({
        suite: "datatypes",
        metric: `${type}, ${shape.label}: RSS bytes/element`,
        cairn: perElement.cairn,
        redis: perElement.redis,
        higherIsBetter: false,
      });
    }
  }
  return rows;
}

/** Runs the suite. */
export async function datatypesSuite(options: SuiteOptions): Promise<Row[]> {
  const requests = options.quick ? 100_000 : 1_000_000;
  const elements = options.quick ? 100_000 : 1_000_000;
  return [...await throughput(requests), ...await memory(elements)];
}
