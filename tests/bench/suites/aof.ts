/**
 * The AOF against redis-server, each with the same settings in the same run:
 *
 * - SET throughput with 50 clients at pipeline 1 and 16 under `appendfsync
 *   always`, `everysec` and `no` (Cairn's single-file AOF; Redis's 7.0
 *   AOF). Targets (AOF issue): always ≥ 1.0x Redis, everysec ≥ 0.7x.
 * - BGREWRITEAOF of 1,000,000 keys (RESP base on both sides:
 *   `aof-use-rdb-preamble no`), from each server's log lines for its start
 *   and its end.
 * - Loading that rewritten AOF at startup, as each server reports it
 *   ("DB loaded from append only file: N seconds").
 *
 * @module
 */

import type { Row } from "../report.ts";
import { type BenchServer, startCairnProcess, startRedisProcess } from "../processes.ts";
import { redisBenchmark } from "../redis_benchmark.ts";
import { RespClient } from "../../_helpers/resp_client.ts";
import type { SuiteOptions } from "./suite.ts";

type Policy = "always" | "everysec" | "no";

const STARTERS = [startCairnProcess, startRedisProcess] as const;

/** The AOF settings, as each server spells them. */
function aofDirectives(name: "cairn" | "redis", policy: Policy): Record<string, string> {
  const common = { appendonly: "yes", appendfsync: policy, "aof-use-rdb-preamble": "no" };
  return name === "cairn" ? { ...common, "aof-multi-part": "no" } : common;
}

async function throughputRows(options: SuiteOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const scale = options.quick ? 0.1 : 1;
  const runs = [
    { label: "P1", pipeline: 1, requests: 200_000 * scale },
    { label: "P16", pipeline: 16, requests: 1_000_000 * scale },
  ];
  for (const policy of ["always", "everysec", "no"] as const) {
    for (const run of runs) {
      const rps: Record<string, number> = {};
      for (const [i, start] of STARTERS.entries()) {
        await using server = await start(aofDirectives(i === 0 ? "cairn" : "redis", policy));
        const [r] = await redisBenchmark(server.port, {
          tests: "set",
          requests: Math.round(run.requests),
          pipeline: run.pipeline,
          randomKeys: 100_000,
          dataSize: 100,
          clients: 50,
        });
        rps[server.name] = r?.rps ?? NaN;
      }
      rows.push({
        suite: "aof",
        metric: `SET ${run.label} appendfsync ${policy} ops/s`,
        cairn: rps.cairn,
        redis: rps.redis,
        higherIsBetter: true,
        target: policy === "always" ? ">= 1.00x" : policy === "everysec" ? ">= 0.70x" : undefined,
      });
    }
  }
  return rows;
}

async function infoField(client: RespClient, field: string): Promise<string> {
  const text = await client.call("INFO", "persistence") as string;
  return new RegExp(`^${field}:(.*)\r?$`, "m").exec(text)?.[1] ?? "";
}

/**
 * BGREWRITEAOF of `keys` keys: milliseconds between the server's own log
 * lines for the start and the end of the rewrite. (Polling INFO often would
 * count as client activity, which makes Cairn's walk yield to clients.)
 */
async function rewriteMs(server: BenchServer, keys: number, logPath: string): Promise<number> {
  const client = await RespClient.connect(server.port);
  try {
    await client.call("DEBUG", "POPULATE", keys, "key", 100);
    const reply = await client.send("BGREWRITEAOF");
    if (reply.type === "error") {
      throw new Error(
        `${server.name}: BGREWRITEAOF: ${reply.value} (${await infoField(
          client,
          "aof_rewrites",
        )} rewrites so far)`,
      );
    }
    do {
      await new Promise((r) => setTimeout(r, 100));
    } while (await infoField(client, "aof_rewrite_in_progress") !== "0");
    if (await infoField(client, "aof_last_bgrewrite_status") !== "ok") {
      throw new Error(`${server.name}: the rewrite failed`);
    }
    const log = await Deno.readTextFile(logPath);
    const started = logTime(log, "Background append only file rewriting started");
    const finished = logTime(log, "Background AOF rewrite finished successfully");
    return finished - started;
  } finally {
    client.close();
  }
}

/** Milliseconds since midnight of the log line holding `message` (`... HH:MM:SS.mmm * message`). */
function logTime(log: string, message: string): number {
  const line = log.split("\n").find((l) => l.includes(message));
  const m = line === undefined ? null : / (\d\d):(\d\d):(\d\d)\.(\d{3}) /.exec(line);
  if (m === null) throw new Error(`no log line "${message}"`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
}

/** Startup load time the server logs for its AOF, in milliseconds. */
async function loadMs(logPath: string): Promise<number> {
  for (let i = 0; i < 12_000; i++) {
    const log = await Deno.readTextFile(logPath).catch(() => "");
    const m = /DB loaded from append only file: (\d+\.\d+) seconds/.exec(log);
    if (m !== null) return Number(m[1]) * 1000;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no load time in ${logPath}`);
}

async function rewriteAndLoadRows(options: SuiteOptions): Promise<Row[]> {
  const keys = options.quick ? 100_000 : 1_000_000;
  const rewrite: Record<string, number> = {};
  const load: Record<string, number> = {};
  for (const [i, start] of STARTERS.entries()) {
    const name = i === 0 ? "cairn" : "redis";
    const dir = await Deno.makeTempDir({ prefix: `aof-bench-${name}-` });
    try {
      const directives = {
        ...aofDirectives(name, "everysec"),
        dir,
        "enable-debug-command": "yes",
        logfile: `${dir}/server.log`,
      };
      {
        await using server = await start(directives);
        rewrite[name] = await rewriteMs(server, keys, `${dir}/server.log`);
      }
      await Deno.remove(`${dir}/server.log`);
      await using again = await start(directives);
      void again;
      load[name] = await loadMs(`${dir}/server.log`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  const label = keys.toLocaleString("en-US");
  return [
    {
      suite: "aof",
      metric: `BGREWRITEAOF ${label} keys (ms)`,
      cairn: rewrite.cairn,
      redis: rewrite.redis,
      higherIsBetter: false,
    },
    {
      suite: "aof",
      metric: `load a ${label}-key AOF (ms)`,
      cairn: load.cairn,
      redis: load.redis,
      higherIsBetter: false,
    },
  ];
}

/** Runs the suite. */
export async function aofSuite(options: SuiteOptions): Promise<Row[]> {
  return [...await throughputRows(options), ...await rewriteAndLoadRows(options)];
}
