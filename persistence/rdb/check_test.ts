import { equal, ok } from "node:assert/strict";
import { defaultLimits } from "../../core/values/limits.ts";
import { checkRdb } from "./check.ts";
import { TEST_BUILDERS } from "./test_values.ts";
import { writeRdbFile } from "./writer.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

Deno.test("check-rdb: Redis's file is reported like redis-check-rdb reports it", async () => {
  const { ok: good, report } = await checkRdb(`${dir}redis-7.0.15.rdb`);
  ok(good);
  const lines = report.trimEnd().split("\n");
  equal(lines[0], `[offset 0] Checking RDB file ${dir}redis-7.0.15.rdb`);
  equal(lines[1], "[offset 9] RDB version 10");
  equal(lines[2], "[offset 27] AUX FIELD redis-ver = '7.0.15'");
  ok(lines.includes("[offset 82] Selecting DB ID 0"), report);
  ok(lines.some((l) => /^\[offset \d+\] Checksum OK$/.test(l)), report);
  ok(lines.some((l) => l.endsWith("\\o/ RDB looks OK! \\o/")), report);
  ok(lines.includes("[info] 151 keys read"), report);
  ok(lines.includes("[info] 3 expires"), report);
  ok(lines.includes("[info] 0 already expired"), report);
  ok(lines.includes("[info] db15: 2 keys"), report);
});

Deno.test("check-rdb: the first error, its offset, and what was read before", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const path = `${tmp}/cut.rdb`;
    const limits = defaultLimits();
    await writeRdbFile(path, [{
      index: 0,
      entries: [["a", "1", 1000], ["b", TEST_BUILDERS.list(["x", "y"], limits), -1]],
    }], { limits });
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length - 12));
    const { ok: good, report } = await checkRdb(path, 2000);
    equal(good, false);
    ok(report.includes("--- RDB ERROR DETECTED ---"), report);
    ok(/\[offset \d+\] Unexpected EOF reading RDB file/.test(report), report);
    ok(report.includes("[info] 1 keys read"), report);
    ok(report.includes("[info] 1 already expired"), report);
    const missing = await checkRdb(`${tmp}/none.rdb`);
    equal(missing.ok, false);
    ok(missing.report.includes("Cannot open"), missing.report);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
