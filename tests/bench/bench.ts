/**
 * `deno task bench [suite ...] [--quick]`: measures Cairn against
 * redis-server on this machine, in the same run, and prints each figure with
 * the ratio Cairn/Redis. Results are also written to tests/bench/out/.
 *
 * Servers run one at a time (this machine has 2 cores and redis-benchmark
 * needs one), each from a fresh process and directory.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { formatTable, type Row } from "./report.ts";
import type { SuiteOptions } from "./suites/suite.ts";
import { throughputSuite } from "./suites/throughput.ts";
import { memorySuite } from "./suites/memory.ts";
import { rdbSuite } from "./suites/rdb.ts";
import { aofSuite } from "./suites/aof.ts";
import { persistenceLayoutsSuite } from "./suites/persistence_layouts.ts";
import { datatypesSuite } from "./suites/datatypes.ts";

const SUITES: Record<string, (o: SuiteOptions) => Promise<Row[]>> = {
  throughput: throughputSuite,
  memory: memorySuite,
  datatypes: datatypesSuite,
  rdb: rdbSuite,
  aof: aofSuite,
  persistence_layouts: persistenceLayoutsSuite,
};

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const names = positionals.length > 0 ? positionals : Object.keys(SUITES);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    console.error(
      `Unknown suite(s): ${unknown.join(", ")}. Known: ${Object.keys(SUITES).join(", ")}`,
    );
    Deno.exit(2);
  }
  const rows: Row[] = [];
  for (const name of names) {
    console.error(`running ${name}...`);
    rows.push(...await SUITES[name]({ quick: values.quick }));
  }
  console.log(formatTable(rows));
  const outDir = new URL("./out/", import.meta.url);
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(new URL("results.json", outDir), JSON.stringify(rows, null, 2) + "\n");
}
